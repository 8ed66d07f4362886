package dev.bascule.cli;

import dev.bascule.Bascule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = {"Publish the application's tables as they are now as a first version (a schema of views;",
                "a database on MariaDB), recorded as a completed migration: run old code on it (bascule latest)",
                "before the first migration, and the next migration takes it as the previous version.",
                "A schema Flyway or Liquibase managed is adopted at its last applied migration.",
                "Running it again does nothing. Refused (exit 3) once a migration is active or completed."})
final class BaselineCommand extends BaseCommand {
    @Option(names = "--name", paramLabel = "NAME", description = "the baseline's name in the history and of its version"
            + " (<schema>_NAME); default: ${DEFAULT-VALUE}")
    String name = Bascule.DEFAULT_BASELINE_NAME;

    @Override
    public Integer call() {
        var outcome = bascule().baseline(name);
        String version = bascule().latest();
        io().out(switch (outcome) {
            case BASELINED -> "baseline " + name + " published version " + version + "; run old code on it: bascule latest";
            case ALREADY_BASELINED -> "already baselined; old code's version is " + version + "; nothing to do";
        });
        return 0;
    }
}
