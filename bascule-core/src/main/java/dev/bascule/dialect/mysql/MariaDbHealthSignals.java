package dev.bascule.dialect.mysql;

import dev.bascule.backfill.health.HealthSignals;
import dev.bascule.backfill.health.Thresholds;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MariaDB's signals: {@code Threads_running} (the load pt-online-schema-change and gh-ost throttle
 * on), the lag of the replicas named in the options, read on each (see {@link ReplicaLag}), or else
 * the lag this server has as a replica, application transactions waiting on the backfill's row
 * locks, and the oldest open transaction (InnoDB keeps undo for it).
 */
final class MariaDbHealthSignals implements HealthSignals {
    private volatile boolean sawLockWaiters;

    @Override
    public boolean sawLockWaiters() {
        return sawLockWaiters;
    }

    private final ReplicaLag replicas;

    /** @param stateSchema where the replication heartbeat table goes; null for none */
    private final MySqlFamily family;

    MariaDbHealthSignals(String stateSchema, MySqlFamily family) {
        this.family = family;
        this.replicas = new ReplicaLag(stateSchema);
    }

    @Override
    public void close() {
        replicas.close();
    }

    @Override
    public String throttleQueryTimeout() {
        return family.setStatementTime(1);
    }

    @Override
    public void sample(Connection c, ThrottleOptions options, Set<Long> backfill, String table, List<Verdict> found)
            throws SQLException {
        if (options.threadsRunning().on()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SHOW GLOBAL STATUS LIKE 'Threads_running'")) {
                if (rs.next()) {
                    // this monitor's own SHOW is one of the running threads
                    Thresholds.check(found, "Threads_running", Math.max(0, rs.getDouble(2) - 1), options.threadsRunning(),
                            false, "");
                }
            }
        }
        if (options.replicationLagSeconds().on()) {
            if (options.replicas().any()) {
                replicas.sample(c, options, found);
            } else {
                replicaLag(c, options, found);
            }
        }
        if (options.lockWaiters().on() && !backfill.isEmpty()) {
            String ids = backfill.stream().map(String::valueOf).collect(Collectors.joining(", "));
            try (PreparedStatement ps = c.prepareStatement(Dialect.OWN_STATEMENT
                    + "SELECT COUNT(DISTINCT CASE WHEN r.trx_wait_started < NOW(6) - INTERVAL ? MICROSECOND"
                    + " THEN r.trx_mysql_thread_id END), COUNT(*) FROM " + family.lockWaits(false)
                    + " WHERE b.trx_mysql_thread_id IN (" + ids + ")")) {
                ps.setLong(1, options.lockWaitMinimum().toNanos() / 1000);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sawLockWaiters = rs.getLong(2) > 0;
                    Thresholds.check(found, "sessions waiting on the backfill's locks", rs.getDouble(1),
                            options.lockWaiters(), false, "");
                }
            }
        }
        if (options.longTransactionSeconds().on()) {
            String own = backfill.isEmpty() ? "" : " AND trx_mysql_thread_id NOT IN ("
                    + backfill.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT
                    + "SELECT COALESCE(MAX(TIMESTAMPDIFF(SECOND, trx_started, NOW())), 0) FROM information_schema.INNODB_TRX"
                    + " WHERE trx_mysql_thread_id <> CONNECTION_ID()" + own)) {
                rs.next();
                Thresholds.check(found, "oldest open transaction", rs.getDouble(1), options.longTransactionSeconds(), false, "s");
            }
        }
    }

    /** This server's own delay behind its primary; nothing on a primary (it does not know its replicas' delay). */
    private static void replicaLag(Connection c, ThrottleOptions options, List<Verdict> found) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
            if (rs.next()) {
                long lag = MySqlFamily.secondsBehind(rs);
                if (rs.wasNull()) {
                    found.add(new Verdict(Verdict.Level.THROTTLE, "replication is not running (Seconds_Behind_Master is NULL)"));
                } else {
                    Thresholds.check(found, "replication lag", lag, options.replicationLagSeconds(), false, "s");
                }
            }
        } catch (SQLException e) {
            // without REPLICATION CLIENT (or on a primary) there is nothing to read: not a reason to stop
        }
    }
}
