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
    private long lastWalBytes = -1;
    private long lastWalNanos;

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
                    Dialect.OWN_STATEMENT + "SELECT count(DISTINCT l.pid) FROM pg_locks l WHERE NOT l.granted"
                            + " AND l.waitstart < clock_timestamp() - make_interval(secs => ?)"
                            + " AND pg_blocking_pids(l.pid) && ?::int[]")) {
                ps.setDouble(1, options.lockWaitMinimum().toMillis() / 1000.0);
                ps.setArray(2, pids(connection, backfillPids));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
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
                    if (lastWalBytes >= 0 && now > lastWalNanos) {
                        double rate = (bytes - lastWalBytes) / ((now - lastWalNanos) / 1e9);
                        Thresholds.check(found, "WAL rate", rate, options.walBytesPerSecond(), true, "/s");
                    }
                    lastWalBytes = bytes;
                    lastWalNanos = now;
                }
            }
        }
    }

    private static Array pids(Connection c, Set<Long> pids) throws SQLException {
        return c.createArrayOf("int4", pids.stream().map(Long::intValue).toArray());
    }
}
