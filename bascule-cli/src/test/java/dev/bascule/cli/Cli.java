package dev.bascule.cli;

import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the command line in-process, with its environment, directory and console given, and captures its output. */
final class Cli {
    private Map<String, String> env = Map.of();
    private Path dir = Path.of("");
    private Terminal terminal = Terminal.NONE;
    private final List<String> globals = new ArrayList<>();

    /** Connected to the test server, in {@code schema}'s own schema and state schema. */
    static Cli on(TestSchema schema) {
        return new Cli().globals("--url", PostgresServer.jdbcUrl(), "--schema", schema.name(), "--state-schema", schema.stateSchema());
    }

    Cli env(Map<String, String> env) {
        this.env = env;
        return this;
    }

    Cli dir(Path dir) {
        this.dir = dir;
        return this;
    }

    Cli terminal(Terminal terminal) {
        this.terminal = terminal;
        return this;
    }

    Cli globals(String... args) {
        globals.addAll(List.of(args));
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(globals);
        all.addAll(List.of(args));
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new BasculeCli(env, dir, terminal, o, e).run(all.toArray(String[]::new));
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** A console that answers {@code answer} and remembers what it was asked. */
    static final class FakeConsole implements Terminal {
        private final String answer;
        final List<String> asked = new ArrayList<>();

        FakeConsole(String answer) {
            this.answer = answer;
        }

        @Override
        public boolean interactive() {
            return true;
        }

        @Override
        public String ask(String prompt) {
            asked.add(prompt);
            return answer;
        }
    }
}
