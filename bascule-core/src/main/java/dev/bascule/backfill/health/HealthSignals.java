package dev.bascule.backfill.health;

import dev.bascule.api.ThrottleOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * The server's own health signals (replication lag, lock waits, long transactions, load), read by
 * a {@link HealthMonitor} on its connection. One implementation per database; an instance belongs
 * to one monitor, so it may keep what a rate needs between two samples.
 */
public interface HealthSignals {

    /**
     * Adds a {@link Verdict} to {@code found} for each signal at or over its threshold.
     *
     * @param backfillSessions the server session ids of the backfill's connections: their locks
     *                         count, their own transactions do not
     * @param table            the qualified, quoted table being filled
     */
    void sample(Connection c, ThrottleOptions options, Set<Long> backfillSessions, String table, List<Verdict> found)
            throws SQLException;

    /**
     * Whether the last {@link #sample} saw an application session waiting on a lock a backfill
     * session holds, however briefly (the lock-wait signal counts only waits longer than its
     * minimum). False when the lock-wait signal is off.
     */
    default boolean sawLockWaiters() {
        return false;
    }

    /** Run in the transaction of the user's throttle query, before it: bounds it to 1 s. */
    String throttleQueryTimeout();

    /** Closes what the signals opened besides the monitor's connection (connections to replicas). */
    default void close() {}
}
