package dev.bascule.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Thresholds of the health signals that slow a backfill down. Each signal has a throttle
 * threshold (wait and re-check) and an optional critical one (pause the backfill and record why,
 * until {@code bascule resume}). 0 turns a threshold off.
 *
 * @param replicationLagBytes    WAL not yet replayed by the slowest replica, as the primary sees it
 * @param replicationLagSeconds  replay lag of the slowest replica
 * @param lockWaiters            sessions waiting longer than {@code lockWaitMinimum} on a lock the backfill holds
 * @param longTransactionSeconds age of the oldest open transaction (it keeps vacuum from removing the
 *                               row versions the backfill leaves behind)
 * @param vacuumOnTable          throttle while (auto)vacuum processes the table being filled
 * @param walBytesPerSecond      WAL written per second by the whole server
 * @param throttleQuery          a query of the user's; a first column that is true (or a positive number,
 *                               or a non-empty text, used as the reason) throttles
 * @param application            the application's latency (or rollback rate) against a baseline taken
 *                               before the first batch; critical only
 * @param autoResume             a pause that a critical signal made is lifted once the signal clears,
 *                               instead of waiting for {@code bascule resume}
 * @param threadsRunning         MySQL/MariaDB: the server's {@code Threads_running} (statements executing
 *                               now), the load signal of pt-online-schema-change and gh-ost
 * @param replicas               MySQL/MariaDB: replicas whose delay, read on each, is held against
 *                               {@code replicationLagSeconds} (without them, only this server's own
 *                               delay when it is a replica)
 */
public record ThrottleOptions(Limit replicationLagBytes, Limit replicationLagSeconds, Limit lockWaiters,
                              Duration lockWaitMinimum, Limit longTransactionSeconds, boolean vacuumOnTable,
                              Limit walBytesPerSecond, Optional<String> throttleQuery, Duration checkInterval,
                              ApplicationSignal application, boolean autoResume, Limit threadsRunning,
                              Replicas replicas) {

    public ThrottleOptions(Limit replicationLagBytes, Limit replicationLagSeconds, Limit lockWaiters,
                           Duration lockWaitMinimum, Limit longTransactionSeconds, boolean vacuumOnTable,
                           Limit walBytesPerSecond, Optional<String> throttleQuery, Duration checkInterval,
                           ApplicationSignal application, boolean autoResume, Limit threadsRunning) {
        this(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds,
                vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, threadsRunning,
                Replicas.NONE);
    }

    /** Throttle at 25 statements running at once, like pt-online-schema-change's {@code --max-load}. */
    public static final Limit DEFAULT_THREADS_RUNNING = new Limit(25, 0);

    public ThrottleOptions(Limit replicationLagBytes, Limit replicationLagSeconds, Limit lockWaiters,
                           Duration lockWaitMinimum, Limit longTransactionSeconds, boolean vacuumOnTable,
                           Limit walBytesPerSecond, Optional<String> throttleQuery, Duration checkInterval,
                           ApplicationSignal application, boolean autoResume) {
        this(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds,
                vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, DEFAULT_THREADS_RUNNING);
    }

    public ThrottleOptions(Limit replicationLagBytes, Limit replicationLagSeconds, Limit lockWaiters,
                           Duration lockWaitMinimum, Limit longTransactionSeconds, boolean vacuumOnTable,
                           Limit walBytesPerSecond, Optional<String> throttleQuery, Duration checkInterval) {
        this(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds,
                vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, ApplicationSignal.OFF, false);
    }

    /** {@code throttle} and {@code critical} thresholds; 0 is off. */
    public record Limit(double throttle, double critical) {
        public static final Limit OFF = new Limit(0, 0);

        /** Whether this limit is watched at all. */
        public boolean on() {
            return throttle > 0 || critical > 0;
        }
    }

    public static ThrottleOptions defaults() {
        return new ThrottleOptions(
                new Limit(64L << 20, 1L << 30),   // 64 MiB; 1 GiB pauses
                new Limit(10, 300),
                new Limit(1, 0),
                Duration.ofMillis(100),
                new Limit(600, 0),
                true,
                new Limit(128L << 20, 0),
                Optional.empty(),
                Duration.ofMillis(100));
    }

    public static ThrottleOptions none() {
        return new ThrottleOptions(Limit.OFF, Limit.OFF, Limit.OFF, Duration.ofMillis(100), Limit.OFF, false, Limit.OFF,
                Optional.empty(), Duration.ofMillis(100)).withThreadsRunning(Limit.OFF);
    }

    public ThrottleOptions withReplicationLagBytes(Limit l) {
        return new ThrottleOptions(l, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withReplicationLagSeconds(Limit l) {
        return new ThrottleOptions(replicationLagBytes, l, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withLockWaiters(Limit l) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, l, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withLockWaitMinimum(Duration d) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, d, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withLongTransactionSeconds(Limit l) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, l, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withVacuumOnTable(boolean v) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, v, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withWalBytesPerSecond(Limit l) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, l, throttleQuery, checkInterval, application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withCheckIntervalMillis(long millis) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, Duration.ofMillis(millis), application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withThrottleQuery(String query) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, Optional.ofNullable(query), checkInterval, application, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withApplication(ApplicationSignal a) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, a, autoResume, threadsRunning, replicas);
    }

    public ThrottleOptions withAutoResume(boolean a) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, a, threadsRunning, replicas);
    }

    public ThrottleOptions withThreadsRunning(Limit l) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, l, replicas);
    }

    public ThrottleOptions withReplicas(Replicas r) {
        return new ThrottleOptions(replicationLagBytes, replicationLagSeconds, lockWaiters, lockWaitMinimum, longTransactionSeconds, vacuumOnTable, walBytesPerSecond, throttleQuery, checkInterval, application, autoResume, threadsRunning, r);
    }
}
