package dev.bascule.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Start and complete each pending migration of DIR, in file-name order.",
                "Does not prompt. For databases no old code reads (development, CI, a fresh install)."})
final class MigrateCommand extends BaseCommand {
    @Parameters(paramLabel = "DIR", description = "directory of migration files (.yaml, .yml, .json)")
    Path dir;

    @Override
    public Integer call() {
        // the files are read before anything connects: a bad folder is exit 2 whatever the database
        List<dev.bascule.api.Migration> migrations = dev.bascule.Bascule.readFolder(cli.path(dir), cli.inputLimits());
        List<String> applied = bascule().migrate(migrations);
        if (applied.isEmpty()) {
            io().out("nothing to migrate: every migration in " + dir + " is completed");
        } else {
            io().out("applied " + applied.size() + " migration" + (applied.size() == 1 ? "" : "s") + ": " + String.join(", ", applied));
        }
        return 0;
    }
}
