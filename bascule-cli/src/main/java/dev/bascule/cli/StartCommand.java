package dev.bascule.cli;

import dev.bascule.api.StartOutcome;
import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.StartSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Expand and backfill: old and new code both work afterwards.",
                "Adds the new elements beside the old ones, fills existing rows in batches and",
                "publishes the new version schema. Running it again continues an interrupted start.",
                "Every option can be set under start: in bascule.yaml (--batch-size as batch_size);",
                "the command line wins."})
final class StartCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "migration file (.yaml, .yml or .json)")
    Path file;

    @Mixin
    StartOptions options;

    @Override
    public Integer call() {
        StartSettings settings = cli.resolve().start().overriddenBy(options.settings());
        BackfillOptions backfill = settings.backfillOptions(cli::replica);
        Migration migration = read(file);
        Bascule bascule = cli.bascule(backfill);
        StartOutcome outcome = bascule.start(migration, settings.noBackfill(), settings.forcePreflight());
        switch (outcome) {
            case ALREADY_COMPLETED -> { } // the listener said so
            case EXPANDED -> io().out("expanded " + migration.name() + " without backfill; run 'bascule start "
                    + file + "' again to backfill and publish the new version");
            case ALREADY_STARTED, STARTED -> {
                String latest = bascule.latest();
                io().out((outcome == StartOutcome.STARTED ? "started " : "already started: ")
                        + migration.name() + "; new code uses schema " + latest + " (bascule latest)");
                io().out("next: deploy the new code, then 'bascule complete' once no old code runs, or 'bascule rollback'");
            }
        }
        return 0;
    }
}
