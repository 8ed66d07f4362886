package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** What every subcommand shares: the global options of {@link BasculeCli}, and its output. */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    BasculeCli cli;

    Io io() {
        return cli.io();
    }

    Bascule bascule() {
        return cli.bascule();
    }

    /** Reads a migration file; a bad file is exit 2 with file, line, column and field. */
    Migration read(Path file) {
        return cli.readMigration(file);
    }
}
