package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.BasculeException;
import dev.bascule.api.ContractMode;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Notifier;
import dev.bascule.api.StartSettings;
import dev.bascule.fleet.Fleet;
import dev.bascule.fleet.FleetFile;
import dev.bascule.fleet.FleetJournal;
import dev.bascule.fleet.FleetMember;
import dev.bascule.fleet.FleetSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code bascule fleet start|complete|rollback|status|pause|resume FLEET_FILE}: one migration on
 * every member (database or tenant schema) of a fleet file, with a canary, a concurrency cap, a
 * failure policy and a journal; see docs/guides/fleet.md.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Run a migration's phases on every member of a fleet file (databases, shards",
                "or tenant schemas): a canary first, then the rest with a concurrency cap,",
                "stopping on failures. A journal beside the fleet file lets a killed fleet",
                "command resume. User and password come from the usual options and",
                "environment, never from the fleet file."},
        subcommands = {FleetCommand.Start.class, FleetCommand.Complete.class, FleetCommand.Rollback.class,
                FleetCommand.Status.class, FleetCommand.Pause.class, FleetCommand.Resume.class})
final class FleetCommand implements Callable<Integer> {
    @ParentCommand
    BasculeCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing fleet command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The live table of start, complete and rollback. */
    static final class Live {
        @Option(names = "--live", paramLabel = "SECONDS",
                description = "while it runs, print the members running now (progress, rate, ETA, throttle reason) on"
                        + " standard error every SECONDS; 0: never (default: 2 at a terminal, redrawn in place; 10 otherwise)")
        Integer seconds;
    }

    /** What every fleet command shares: the fleet file, the journal and the member facades. */
    abstract static class Member implements Callable<Integer> {
        @ParentCommand
        FleetCommand fleet;

        @Parameters(index = "0", paramLabel = "FLEET_FILE", description = "fleet file (.yaml, .yml or .json)")
        Path fleetFile;

        @Option(names = "--journal", paramLabel = "FILE",
                description = "the fleet's journal (default: FLEET_FILE.journal.json beside the fleet file)")
        Path journalFile;

        private final List<Notifier> notifiers = new ArrayList<>();
        Duration quietTime;

        BasculeCli cli() {
            return fleet.cli;
        }

        Io io() {
            return cli().io();
        }

        /** The backfill options of each member's start: the defaults, unless a start sets others. */
        BackfillOptions backfill = BackfillOptions.defaults();

        Fleet open() {
            return FleetCommand.open(cli(), fleetFile, journalFile, notifiers, quietTime, backfill, ds -> { });
        }

        /** Runs a phase with the live table on, then waits for the notifications to go out. */
        Fleet.Report running(Live live, java.util.function.Function<Fleet, Fleet.Report> phase) {
            if (live.seconds != null && live.seconds < 0) {
                throw new InvalidMigrationException("--live must be 0 (never) or a number of seconds, got " + live.seconds);
            }
            boolean tty = cli().terminal().interactive();
            Duration every = Duration.ofSeconds(live.seconds == null ? (tty ? 2 : 10) : live.seconds);
            Fleet fleet = open();
            try (AutoCloseable table = FleetTable.live(fleet, io(), tty, every, cli()::scrub)) {
                return phase.apply(fleet);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new BasculeException(e.getMessage(), e);
            } finally {
                for (Notifier n : notifiers) {
                    n.flush(Duration.ofSeconds(10));
                }
            }
        }

        int toggle(boolean paused) {
            List<Fleet.MemberResult> results = open().pause(paused);
            for (Fleet.MemberResult r : results) {
                io().out(r.member().name() + ": " + oneLine(cli().scrub(r.detail())));
            }
            io().out("fleet " + (paused ? "paused" : "resumed") + " (" + results.size() + " member backfills "
                    + (paused ? "paused" : "resumed") + ")");
            return results.stream().anyMatch(r -> r.outcome().equals(FleetJournal.FAILED)) ? 1 : 0;
        }

        /** Prints the run's report; exit 1 when a member failed or the policy stopped the run. */
        int report(Fleet.Report report, boolean json) {
            if (json) {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("action", report.action());
                root.put("migration", report.migration());
                root.put("stopped", report.stopped());
                root.put("failures", report.failures());
                root.put("peak_concurrency", report.peakConcurrency());
                List<Map<String, Object>> ms = new ArrayList<>();
                for (Fleet.MemberResult m : report.members()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("member", m.member().name());
                    e.put("outcome", m.outcome());
                    e.put("detail", m.detail() == null ? null : cli().scrub(m.detail()));
                    ms.add(e);
                }
                root.put("members", ms);
                io().out(Formats.json(root));
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"MEMBER", "OUTCOME", "DETAIL"});
                for (Fleet.MemberResult m : report.members()) {
                    rows.add(new String[] {m.member().name(), m.outcome(), m.detail() == null ? "" : oneLine(cli().scrub(m.detail()))});
                }
                io().out(table(rows));
                long done = report.members().stream().filter(m -> m.outcome().equals(FleetJournal.DONE)).count();
                io().out(String.format(Locale.ROOT, "fleet %s %s: %d of %d members done, %d failed%s (at most %d at once)",
                        report.action(), report.migration() == null ? "" : report.migration(), done, report.members().size(),
                        report.failures(), report.stopped() ? "; stopped by the failure policy, members not started were left as they were" : "",
                        report.peakConcurrency()));
            }
            return report.failures() > 0 || report.stopped() ? 1 : 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Expand and backfill MIGRATION_FILE on every member: the canary first, then",
                    "the rest. Running it again after a failure or a kill continues where it stopped."})
    static final class Start extends Member {
        @Parameters(index = "1", paramLabel = "MIGRATION_FILE", description = "migration file (.yaml, .yml or .json)")
        Path migrationFile;

        @Mixin
        Live live;

        @Option(names = "--json", description = "print the report as JSON")
        boolean json;

        @Mixin
        StartOptions options;

        @Override
        public Integer call() {
            StartSettings settings = cli().resolve().start().overriddenBy(options.settings());
            if (!settings.replicas().isEmpty()) {
                // a replica is one server's: each member of a fleet has its own, or none
                throw new InvalidMigrationException("--replica (or start.replica in bascule.yaml) names one server's"
                        + " replica, and the members of a fleet each have their own: fleet start does not take it");
            }
            backfill = settings.backfillOptions(cli()::replica);
            Migration migration = cli().readMigration(migrationFile);
            return report(running(live, f -> f.start(migration, settings.noBackfill(), settings.forcePreflight())), json);
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true,
            description = {"Contract on every member, only once every member has started the migration",
                    "and finished its backfill; each member's gates run before its contract, the",
                    "canary's first. Not reversible."})
    static final class Complete extends Member {
        @Option(names = {"-y", "--yes"}, required = true, description = "confirm: complete cannot be undone (required)")
        boolean yes;

        @Mixin
        Live live;

        @Option(names = "--quiet-time", paramLabel = "SECONDS",
                description = "as for 'bascule complete': how long what complete drops must have gone unused (default 15)")
        Integer quiet;

        @Option(names = "--json", description = "print the report as JSON")
        boolean json;

        @Override
        public Integer call() {
            if (quiet != null) {
                if (quiet < 0) {
                    throw new InvalidMigrationException("--quiet-time must not be negative");
                }
                quietTime = Duration.ofSeconds(quiet);
            }
            return report(running(live, f -> f.complete(b -> b.complete(Set.of(), Set.of(), ContractMode.DROP)
                    .name().toLowerCase(Locale.ROOT))), json);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Undo the start on every member (members with nothing started are left as they are).")
    static final class Rollback extends Member {
        @Mixin
        Live live;

        @Option(names = "--json", description = "print the report as JSON")
        boolean json;

        @Override
        public Integer call() {
            return report(running(live, Fleet::rollback), json);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each member's migration, phase, backfill progress and error, read from its own database.")
    static final class Status extends Member {
        @Option(names = "--json", description = "print the status as JSON")
        boolean json;

        @Override
        public Integer call() {
            Fleet fleet = open();
            List<Fleet.MemberStatus> all = fleet.status();
            if (json) {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("action", fleet.journal().action());
                root.put("migration", fleet.journal().migration());
                root.putAll(FleetTable.json(all, cli()::scrub));
                io().out(Formats.json(root));
            } else {
                io().out(table(FleetTable.rows(all, cli()::scrub)));
            }
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause the fleet: no further member begins, and every member's running backfill pauses.")
    static final class Pause extends Member {
        @Override
        public Integer call() {
            return toggle(true);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a paused fleet: members begin again and paused backfills go on.")
    static final class Resume extends Member {
        @Override
        public Integer call() {
            return toggle(false);
        }
    }

    /**
     * The fleet of {@code fleetFile} (its members, the query's, the journal), each member's facade
     * opened once, with the global options' credentials and settings and {@code tuning} applied to
     * its data source; the notifiers of the configuration are added to {@code notifiers}.
     */
    static Fleet open(BasculeCli cli, Path fleetFile, Path journalFile, List<Notifier> notifiers, Duration quietTime,
                      BackfillOptions backfill, java.util.function.Consumer<javax.sql.DataSource> tuning) {
        Path file = cli.path(fleetFile);
        FleetSpec spec = FleetFile.read(file, cli.inputLimits());
        BasculeCli.Resolved r = cli.resolve();
        List<FleetMember> members = new ArrayList<>(spec.members());
        if (spec.query() != null) {
            if (r.url() == null) {
                throw new InvalidMigrationException(file + ": query: the query runs on the database of --url"
                        + " (or BASCULE_URL), and none is given");
            }
            members.addAll(Fleet.fromQuery(DataSources.open(r.url(), r.user(), r.password(), cli.secrets()).dataSource(),
                    spec.query()));
            Set<String> names = new LinkedHashSet<>();
            for (FleetMember m : members) {
                if (!names.add(m.name())) {
                    throw new InvalidMigrationException(file + ": member '" + m.name()
                            + "' is listed twice (by 'members' and by 'query', or twice by 'query')");
                }
            }
        }
        FleetJournal journal = FleetJournal.open(journalFile != null ? cli.path(journalFile) : FleetJournal.besides(file));
        // the fleet tells once for itself and once per failed member; the members' own phases tell nothing
        r.notifications().notifiers().forEach(n -> notifiers.add(new ScrubbingNotifier(n, cli::scrub)));
        Notifier all = e -> notifiers.forEach(n -> n.send(e));
        Map<String, Bascule> facades = new ConcurrentHashMap<>();
        return new Fleet(spec, members, m -> facades.computeIfAbsent(m.name(), k -> facade(cli, r, m, quietTime, backfill, tuning)),
                journal, all);
    }

    private static Bascule facade(BasculeCli cli, BasculeCli.Resolved r, FleetMember m, Duration quietTime,
                                  BackfillOptions backfill, java.util.function.Consumer<javax.sql.DataSource> tuning) {
        DataSources.Database db = DataSources.open(m.url(), r.user(), r.password(), cli.secrets());
        tuning.accept(db.dataSource());
        Bascule.Builder b = Bascule.configure().maxFileSize(cli.inputLimits().maxFileSize())
                .dataSource(db.dataSource()).jdbcUrl(db.jdbcUrl())
                .schema(m.schema() != null ? m.schema() : r.schema())
                .stateSchema(m.stateSchema() != null ? m.stateSchema() : r.stateSchema())
                .lockTimeout(Duration.ofMillis(r.lockTimeoutMs()))
                .lockAttempts(r.lockAttempts())
                .backfill(backfill);
        if (quietTime != null) {
            b.quietTime(quietTime);
        }
        return b.load();
    }

    static String oneLine(String s) {
        String first = s.strip().lines().findFirst().orElse("");
        return first.length() > 160 ? first.substring(0, 157) + "..." : first;
    }

    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(i == cols - 1 ? r[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", r[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
