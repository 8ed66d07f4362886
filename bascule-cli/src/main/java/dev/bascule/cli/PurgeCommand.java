package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.api.Age;
import dev.bascule.api.BasculeException;
import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.InvalidMigrationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

@Command(name = "purge", mixinStandardHelpOptions = true,
        description = {"Drop the tables and columns 'complete --deprecate' kept, once they are old enough.",
                "Their data is lost. Asks for confirmation unless --yes."})
final class PurgeCommand extends BaseCommand {
    @Option(names = "--older-than", required = true, paramLabel = "DURATION",
            description = "drop what was deprecated at least this long ago: a whole number and s, m, h or d"
                    + " (7d, 12h, 30m; 0s drops all)")
    String olderThan;

    @Option(names = "--dry-run", description = "list what would be dropped; change nothing")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation (needed when there is no console)")
    boolean yes;

    @Override
    public Integer call() {
        Duration age = Age.parse(olderThan);
        if (!dryRun && !yes && !cli.terminal().interactive()) {
            throw new InvalidMigrationException("purge drops data and there is no console to confirm it on;"
                    + " pass --yes to purge without a prompt, or --dry-run to list");
        }
        Bascule bascule = bascule();
        List<DeprecatedObject> old = bascule.purge(age, true);
        if (old.isEmpty()) {
            io().out("nothing to purge: nothing was deprecated " + olderThan + " ago or earlier");
            return 0;
        }
        if (dryRun) {
            io().out("would drop " + count(old.size()) + ":");
            old.forEach(d -> io().out("  " + line(d)));
            io().out("dry run: nothing was dropped");
            return 0;
        }
        if (!yes) {
            old.forEach(d -> io().out("  " + line(d)));
            if (!cli.terminal().confirm("Drop " + count(old.size()) + " and their data? This cannot be undone [y/N] ")) {
                throw new BasculeException("purge cancelled; nothing was changed");
            }
        }
        // only what was listed and confirmed: more may have aged past the threshold meanwhile
        List<DeprecatedObject> dropped = yes ? bascule.purge(age, false) : bascule.purge(age, old);
        io().out("purged " + count(dropped.size()) + ": " + String.join(", ", dropped.stream().map(DeprecatedObject::describe).toList()));
        return 0;
    }

    private static String line(DeprecatedObject d) {
        return d.describe() + ", deprecated by " + d.migration() + " at " + d.deprecatedAt();
    }

    private static String count(int n) {
        return n == 1 ? "1 deprecated object" : n + " deprecated objects";
    }
}
