package dev.bascule.cli;

import dev.bascule.api.BackfillOptions;
import dev.bascule.api.StartSettings;
import dev.bascule.api.StartSettings.Key;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The options of {@code start}, shared by {@code bascule start} and {@code bascule fleet start}:
 * each may also be set under {@code start:} in bascule.yaml, and the command line wins.
 */
final class StartOptions {
    @Option(names = "--batch-size", paramLabel = "ROWS",
            description = "rows per backfill batch, 1 to " + BackfillOptions.MAX_BATCH + " (default: sized automatically toward --batch-time)")
    Integer batchSize;

    @Option(names = "--batch-time", paramLabel = "MS", description = "target duration of one backfill batch in ms (default 200)")
    Long batchTime;

    @Option(names = "--contended-batch-time", paramLabel = "MS",
            description = "target duration of one backfill batch while application sessions wait on its row locks (default 50; at most --batch-time; raised to ten times a batch's commit where that is longer)")
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

    /** The options given on the command line; a flag not given leaves the file's value. */
    StartSettings settings() {
        StartSettings s = StartSettings.none();
        s = with(s, Key.BATCH_SIZE, batchSize);
        s = with(s, Key.BATCH_TIME, batchTime);
        s = with(s, Key.CONTENDED_BATCH_TIME, contendedBatchTime);
        s = with(s, Key.MAX_ROWS_PER_SECOND, maxRowsPerSecond);
        s = with(s, Key.BATCH_DELAY, batchDelay);
        s = with(s, Key.WORKERS, workers);
        s = with(s, Key.MAX_REPLICATION_LAG, maxReplicationLagMb);
        s = with(s, Key.MAX_REPLICATION_DELAY, maxReplicationDelay);
        s = with(s, Key.REPLICA, replicas);
        s = with(s, Key.HEARTBEAT_TABLE, heartbeatTable ? true : null);
        s = with(s, Key.MAX_THREADS_RUNNING, maxThreadsRunning);
        s = with(s, Key.MAX_TRANSACTION_AGE, maxTransactionAge);
        s = with(s, Key.MAX_WAL_RATE, maxWalRate);
        s = with(s, Key.NO_LOCK_WAIT_THROTTLE, noLockWaitThrottle ? true : null);
        s = with(s, Key.NO_VACUUM_THROTTLE, noVacuumThrottle ? true : null);
        s = with(s, Key.THROTTLE_QUERY, throttleQuery);
        s = with(s, Key.MAX_LATENCY_FACTOR, maxLatencyFactor);
        s = with(s, Key.LATENCY_FLOOR, latencyFloor);
        s = with(s, Key.AUTO_RESUME, autoResume ? true : null);
        s = with(s, Key.WINDOW, window);
        s = with(s, Key.WINDOW_ZONE, windowZone);
        s = with(s, Key.NO_BACKFILL, noBackfill ? true : null);
        return with(s, Key.FORCE_PREFLIGHT, forcePreflight);
    }

    private static StartSettings with(StartSettings s, Key key, Object value) {
        return s.with(key, value, key.option());
    }
}
