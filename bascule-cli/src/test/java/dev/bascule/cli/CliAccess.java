package dev.bascule.cli;

import dev.bascule.testing.TestSchema;

import java.nio.file.Path;

/** The in-process command line, for tests in other packages. */
public final class CliAccess {
    public record Result(int exit, String out, String err) {}

    private CliAccess() {}

    /** Runs {@code args} against {@code schema} (its own schema and state schema), from {@code dir}. */
    public static Result run(TestSchema schema, Path dir, String... args) {
        Cli.Result r = Cli.on(schema).dir(dir).run(args);
        return new Result(r.exit(), r.out(), r.err());
    }

    /** Runs {@code args} from {@code dir} with the global options {@code globals} ({@code --url}, {@code --schema}, ...). */
    public static Result run(Path dir, java.util.List<String> globals, String... args) {
        Cli.Result r = new Cli().globals(globals.toArray(String[]::new)).dir(dir).run(args);
        return new Result(r.exit(), r.out(), r.err());
    }
}
