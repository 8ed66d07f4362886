package dev.bascule.dialect.postgresql;

import dev.bascule.backfill.health.HealthSignals;
import dev.bascule.backfill.health.Thresholds;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.dialect.Dialect;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/** PostgreSQL's signals: standby lag, sessions blocked by the backfill, long transactions, vacuum, WAL rate. */
public final class PostgresHealthSignals implements HealthSignals {
    /**
     * The WAL rate is taken over about a second: over one 100 ms sample a batch's commit is a
     * burst far above the sustained rate, and each 100 ms burst stopped the backfill for 200 ms.
     */
    private static final long WAL_WINDOW_NANOS = 1_000_000_000L;
    /** (nanoTime, WAL bytes) of the samples of the last window, oldest first. */
    private final java.util.ArrayDeque<long[]> wal = new java.util.ArrayDeque<>();
    private volatile boolean sawLockWaiters;

    @Override
    public boolean sawLockWaiters() {
        return sawLockWaiters;
    }

    @Override
    public String throttleQueryTimeout() {
        return "SET LOCAL statement_timeout = 1000";
    }

    @Override
    public void sample(Connection connection, ThrottleOptions options, Set<Long> backfillPids, String table,
                       List<Verdict> found) throws SQLException {
        if (options.replicationLagBytes().on() || options.replicationLagSeconds().on()) {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                    Dialect.OWN_STATEMENT + "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0),"
                            + " coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication"
                            + " WHERE NOT pg_is_in_recovery()")) {
                rs.next();
                Thresholds.check(found, "replication lag", rs.getDouble(1), options.replicationLagBytes(), true, "");
                Thresholds.check(found, "replication lag", rs.getDouble(2), options.replicationLagSeconds(), false, "s");
            }
        }
        if (options.lockWaiters().on() && !backfillPids.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(
                    Dialect.OWN_STATEMENT + "SELECT count(DISTINCT l.pid) FILTER (WHERE l.waitstart < clock_timestamp() - make_interval(secs => ?)),"
                            + " count(*) FROM pg_locks l WHERE NOT l.granted"
                            + " AND pg_blocking_pids(l.pid) && ?::int[]")) {
                ps.setDouble(1, options.lockWaitMinimum().toMillis() / 1000.0);
                ps.setArray(2, pids(connection, backfillPids));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sawLockWaiters = rs.getLong(2) > 0;
                    Thresholds.check(found, "sessions waiting on the backfill's locks", rs.getDouble(1), options.lockWaiters(), false, "");
                }
            }
        }
        if (options.longTransactionSeconds().on()) {
            try (PreparedStatement ps = connection.prepareStatement(
                    Dialect.OWN_STATEMENT + "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0) FROM pg_stat_activity"
                            + " WHERE xact_start IS NOT NULL AND backend_type = 'client backend' AND datname = current_database()"
                            + " AND pid <> pg_backend_pid() AND pid <> ALL (?::int[])")) {
                ps.setArray(1, pids(connection, backfillPids));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Thresholds.check(found, "oldest open transaction", rs.getDouble(1), options.longTransactionSeconds(), false, "s");
                }
            }
        }
        if (options.vacuumOnTable()) {
            try (PreparedStatement ps = connection.prepareStatement(
                    Dialect.OWN_STATEMENT + "SELECT count(*) FROM pg_stat_progress_vacuum WHERE relid = to_regclass(?)")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        found.add(new Verdict(Verdict.Level.THROTTLE, "vacuum is running on " + table));
                    }
                }
            }
        }
        if (options.walBytesPerSecond().on()) {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                    Dialect.OWN_STATEMENT + "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint WHERE NOT pg_is_in_recovery()")) {
                if (rs.next()) {
                    long bytes = rs.getLong(1);
                    long now = System.nanoTime();
                    while (wal.size() > 1 && now - wal.peekFirst()[0] > WAL_WINDOW_NANOS && now - secondOldest()[0] >= WAL_WINDOW_NANOS) {
                        wal.removeFirst(); // keep the newest sample at least a window old as the start
                    }
                    long[] first = wal.peekFirst();
                    if (first != null && now - first[0] >= WAL_WINDOW_NANOS / 2) {
                        double rate = (bytes - first[1]) / ((now - first[0]) / 1e9);
                        Thresholds.check(found, "WAL rate", rate, options.walBytesPerSecond(), true, "/s");
                    }
                    wal.addLast(new long[] {now, bytes});
                }
            }
        }
    }

    private long[] secondOldest() {
        var it = wal.iterator();
        it.next();
        return it.next();
    }

    private static Array pids(Connection c, Set<Long> pids) throws SQLException {
        return c.createArrayOf("int4", pids.stream().map(Long::intValue).toArray());
    }
}
