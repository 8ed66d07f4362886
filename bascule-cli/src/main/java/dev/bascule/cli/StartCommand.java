package dev.bascule.cli;

import dev.bascule.api.StartOutcome;
import dev.bascule.Bascule;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.BackfillWindow;
import dev.bascule.api.Replicas;
import dev.bascule.api.ThrottleOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Expand and backfill: old and new code both work afterwards.",
                "Adds the new elements beside the old ones, fills existing rows in batches and",
                "publishes the new version schema. Running it again continues an interrupted start."})
final class StartCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "migration file (.yaml, .yml or .json)")
    Path file;

    @Option(names = "--batch-size", paramLabel = "ROWS",
            description = "rows per backfill batch, 1 to " + BackfillOptions.MAX_BATCH + " (default: sized automatically toward --batch-time)")
    Integer batchSize;

    @Option(names = "--batch-time", paramLabel = "MS", description = "target duration of one backfill batch in ms (default 200)")
    Long batchTime;

    @Option(names = "--contended-batch-time", paramLabel = "MS",
            description = "target duration of one backfill batch while application sessions wait on its row locks (default 50; at most --batch-time)")
    Long contendedBatchTime;

    @Option(names = "--max-rows-per-second", paramLabel = "N", description = "backfill rate limit (default: none)")
    Long maxRowsPerSecond;

    @Option(names = "--batch-delay", paramLabel = "MS", description = "pause between backfill batches in ms (default 0)")
    Long batchDelay;

    @Option(names = "--workers", paramLabel = "N",
            description = "parallel backfill workers over disjoint key ranges, 1 to " + BackfillOptions.MAX_WORKERS
                    + " (default 1; needs a single-column key)")
    Integer workers;

    @Option(names = "--max-replication-lag", paramLabel = "MB",
            description = "throttle while a replica is this many MiB behind (default 64; 0 off); 16x this pauses")
    Long maxReplicationLagMb;

    @Option(names = "--max-replication-delay", paramLabel = "S",
            description = "throttle while a replica replays this many seconds behind (default 10; 0 off); 30x this pauses")
    Long maxReplicationDelay;

    @Option(names = "--replica", paramLabel = "URL",
            description = "MySQL/MariaDB: a replica whose delay, read on it, throttles the backfill against"
                    + " --max-replication-delay (repeatable; jdbc:mariadb://HOST[:PORT]/DB, with --user and --password"
                    + " unless the URL names its own); a replica that does not answer throttles")
    List<String> replicas = List.of();

    @Option(names = "--heartbeat-table",
            description = "with --replica: read each replica's delay from a heartbeat row written on the primary every"
                    + " 500 ms (table replication_heartbeat of the state database), to the millisecond, instead of"
                    + " Seconds_Behind_Master (whole seconds)")
    boolean heartbeatTable;

    @Option(names = "--max-threads-running", paramLabel = "N",
            description = "MySQL/MariaDB: throttle while this many statements run on the server (Threads_running; default 25; 0 off)")
    Long maxThreadsRunning;

    @Option(names = "--max-transaction-age", paramLabel = "S",
            description = "throttle while a transaction has been open this many seconds (default 600; 0 off)")
    Long maxTransactionAge;

    @Option(names = "--max-wal-rate", paramLabel = "MB",
            description = "throttle while the server writes more WAL than this many MiB/s (default 128; 0 off)")
    Long maxWalRate;

    @Option(names = "--no-lock-wait-throttle",
            description = "do not throttle when application sessions wait on rows a batch has locked")
    boolean noLockWaitThrottle;

    @Option(names = "--no-vacuum-throttle", description = "do not throttle while vacuum processes the table")
    boolean noVacuumThrottle;

    @Option(names = "--throttle-query", paramLabel = "SQL",
            description = "a query of yours run between batches; a first column that is true, a positive number"
                    + " or a non-empty text (shown as the reason) throttles")
    String throttleQuery;

    @Option(names = "--max-latency-factor", paramLabel = "F",
            description = "pause the backfill when the application's statement latency (pg_stat_statements; without it,"
                    + " its rollback rate in pg_stat_database) stays at F times the baseline measured before the first"
                    + " batch, for 10 s (default off; more than 1, e.g. 2.0)")
    Double maxLatencyFactor;

    @Option(names = "--latency-floor", paramLabel = "MS",
            description = "with --max-latency-factor, latencies under MS ms never pause (default 1)")
    Double latencyFloor;

    @Option(names = "--auto-resume",
            description = "resume by itself once the signal that paused the backfill has cleared for 30 s"
                    + " (default: stay paused until 'bascule resume')")
    boolean autoResume;

    @Option(names = "--window", paramLabel = "HH:MM-HH:MM",
            description = "run batches only inside this daily window (22:00-06:00 crosses midnight; several comma-separated);"
                    + " outside it the backfill waits and resumes when it opens")
    String window;

    @Option(names = "--window-zone", paramLabel = "ZONE",
            description = "time zone of --window, e.g. Europe/Paris (default: the system zone)")
    String windowZone;

    @Option(names = "--no-backfill",
            description = "expand only; leave the backfill to a later 'bascule start' (complete refuses until it has run)")
    boolean noBackfill;

    @Option(names = "--force-preflight", paramLabel = "NAME",
            description = "override one preflight check (repeatable; recorded in the history). Checks: ${COMPLETION-CANDIDATES}",
            completionCandidates = CompleteCommand.PreflightNames.class)
    List<String> forcePreflight = List.of();

    @Override
    public Integer call() {
        BackfillOptions backfill = backfillOptions();
        Migration migration = read(file);
        Bascule bascule = cli.bascule(backfill);
        StartOutcome outcome = bascule.start(migration, noBackfill, Set.copyOf(forcePreflight));
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

    private BackfillOptions backfillOptions() {
        BackfillOptions o = BackfillOptions.defaults();
        if (batchSize != null) {
            if (batchSize < 1 || batchSize > BackfillOptions.MAX_BATCH) {
                throw new InvalidMigrationException("--batch-size must be between 1 and " + BackfillOptions.MAX_BATCH + ", got " + batchSize);
            }
            o = o.withBatchSize(batchSize);
        }
        if (batchTime != null) {
            if (batchTime < 1) {
                throw new InvalidMigrationException("--batch-time must be at least 1 ms, got " + batchTime);
            }
            o = o.withTargetBatchTime(Duration.ofMillis(batchTime));
        }
        if (contendedBatchTime != null) {
            if (contendedBatchTime < 1) {
                throw new InvalidMigrationException("--contended-batch-time must be at least 1 ms, got " + contendedBatchTime);
            }
            o = o.withContendedBatchTime(Duration.ofMillis(contendedBatchTime));
        }
        if (maxRowsPerSecond != null) {
            if (maxRowsPerSecond < 1) {
                throw new InvalidMigrationException("--max-rows-per-second must be at least 1, got " + maxRowsPerSecond);
            }
            o = o.withMaxRowsPerSecond(maxRowsPerSecond);
        }
        if (batchDelay != null) {
            if (batchDelay < 0) {
                throw new InvalidMigrationException("--batch-delay must not be negative, got " + batchDelay);
            }
            o = o.withBatchDelay(Duration.ofMillis(batchDelay));
        }
        if (workers != null) {
            if (workers < 1 || workers > BackfillOptions.MAX_WORKERS) {
                throw new InvalidMigrationException("--workers must be between 1 and " + BackfillOptions.MAX_WORKERS + ", got " + workers);
            }
            o = o.withWorkers(workers);
        }
        if (window != null) {
            o = o.withWindow(window());
        } else if (windowZone != null) {
            throw new InvalidMigrationException("--window-zone needs --window");
        }
        return o.withThrottle(throttle(o.throttle()));
    }

    private BackfillWindow window() {
        ZoneId zone;
        try {
            zone = windowZone == null ? ZoneId.systemDefault() : ZoneId.of(windowZone.strip());
        } catch (DateTimeException e) {
            throw new InvalidMigrationException("--window-zone: unknown time zone '" + windowZone
                    + "' (a region such as Europe/Paris, UTC, or an offset such as +02:00)");
        }
        try {
            return BackfillWindow.parse(window, zone);
        } catch (IllegalArgumentException e) {
            throw new InvalidMigrationException("--window: " + e.getMessage());
        }
    }

    private ThrottleOptions throttle(ThrottleOptions t) {
        if (maxReplicationLagMb != null) {
            long bytes = nonNegative("--max-replication-lag", maxReplicationLagMb) << 20;
            t = t.withReplicationLagBytes(new ThrottleOptions.Limit(bytes, bytes * 16));
        }
        if (maxReplicationDelay != null) {
            long s = nonNegative("--max-replication-delay", maxReplicationDelay);
            t = t.withReplicationLagSeconds(new ThrottleOptions.Limit(s, s * 30));
        }
        if (heartbeatTable && replicas.isEmpty()) {
            throw new InvalidMigrationException("--heartbeat-table needs --replica: the heartbeat is read on the replicas");
        }
        if (!replicas.isEmpty()) {
            if (!t.replicationLagSeconds().on()) {
                throw new InvalidMigrationException("--replica needs --max-replication-delay above 0: it is the limit"
                        + " the replicas' delay is held against");
            }
            t = t.withReplicas(new Replicas(replicas.stream().map(cli::replica).toList(), heartbeatTable));
        }
        if (maxThreadsRunning != null) {
            t = t.withThreadsRunning(new ThrottleOptions.Limit(nonNegative("--max-threads-running", maxThreadsRunning), 0));
        }
        if (maxTransactionAge != null) {
            t = t.withLongTransactionSeconds(new ThrottleOptions.Limit(nonNegative("--max-transaction-age", maxTransactionAge), 0));
        }
        if (maxWalRate != null) {
            t = t.withWalBytesPerSecond(new ThrottleOptions.Limit(nonNegative("--max-wal-rate", maxWalRate) << 20, 0));
        }
        if (noLockWaitThrottle) {
            t = t.withLockWaiters(ThrottleOptions.Limit.OFF);
        }
        if (noVacuumThrottle) {
            t = t.withVacuumOnTable(false);
        }
        if (maxLatencyFactor != null) {
            if (maxLatencyFactor != 0 && !(maxLatencyFactor > 1)) {
                throw new InvalidMigrationException("--max-latency-factor must be more than 1 (0: off), got " + maxLatencyFactor);
            }
            t = t.withApplication(t.application().withFactor(maxLatencyFactor));
        }
        if (latencyFloor != null) {
            if (!(latencyFloor >= 0)) {
                throw new InvalidMigrationException("--latency-floor must not be negative, got " + latencyFloor);
            }
            if (!t.application().on()) {
                throw new InvalidMigrationException("--latency-floor needs --max-latency-factor");
            }
            t = t.withApplication(t.application().withLatencyFloorMillis(latencyFloor));
        }
        t = t.withAutoResume(autoResume);
        if (throttleQuery != null) {
            if (throttleQuery.isBlank()) {
                throw new InvalidMigrationException("--throttle-query must not be empty");
            }
            t = t.withThrottleQuery(throttleQuery);
        }
        return t;
    }

    private static long nonNegative(String option, long value) {
        if (value < 0) {
            throw new InvalidMigrationException(option + " must not be negative, got " + value);
        }
        return value;
    }
}
