package dev.bascule.cli;

import java.io.PrintStream;

/**
 * Everything the CLI prints goes through here: a progress line that is being rewritten in place
 * ({@code \r}) is ended before anything else is printed, so that messages never land in the middle
 * of it. Lines are printed as given: passwords are masked where they can appear (URLs, the database
 * driver's messages: see {@link Secrets}), never by searching all output for them, which would
 * mangle a schema or a column that happens to share the password's text.
 */
final class Io {
    private final PrintStream out;
    private final PrintStream err;
    private int progressWidth = -1; // -1: no progress line open

    Io(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    synchronized void out(String line) {
        endProgress();
        out.println(line);
        out.flush();
    }

    synchronized void err(String line) {
        endProgress();
        err.println(line);
        err.flush();
    }

    /** Rewrites the current progress line in place. */
    synchronized void progress(String line) {
        String s = line;
        StringBuilder sb = new StringBuilder("\r").append(s);
        for (int i = s.length(); i < progressWidth; i++) {
            sb.append(' ');
        }
        out.print(sb);
        out.flush();
        progressWidth = s.length();
    }

    /** Ends an open progress line, if any, so that the next output starts on a line of its own. */
    synchronized void endProgress() {
        if (progressWidth >= 0) {
            out.println();
            out.flush();
            progressWidth = -1;
        }
    }

    /** The raw standard output, for code that prints on its own (the demo). */
    PrintStream rawOut() {
        endProgress();
        return out;
    }
}
