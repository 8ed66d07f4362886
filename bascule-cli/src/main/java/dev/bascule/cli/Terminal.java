package dev.bascule.cli;

import java.io.Console;

/** The user's console, if there is one: decides between live progress lines and plain log lines, and asks questions. */
public interface Terminal {

    /** True when a person is at the console (standard input and output are a terminal). */
    boolean interactive();

    /** Asks {@code prompt} and returns the answer, or null at end of input. Only called when {@link #interactive()}. */
    String ask(String prompt);

    /** Asks a yes/no question; anything but y or yes is a no. */
    default boolean confirm(String prompt) {
        String answer = ask(prompt);
        String a = answer == null ? "" : answer.strip().toLowerCase(java.util.Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }

    /** The real console of this process ({@link System#console()}). */
    static Terminal system() {
        return new Terminal() {
            @Override
            public boolean interactive() {
                return System.console() != null;
            }

            @Override
            public String ask(String prompt) {
                Console c = System.console();
                return c == null ? null : c.readLine("%s", prompt);
            }
        };
    }

    /** No console: scripts, CI, tests. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public String ask(String prompt) {
            return null;
        }
    };
}
