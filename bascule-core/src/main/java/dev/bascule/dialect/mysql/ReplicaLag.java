package dev.bascule.dialect.mysql;

import dev.bascule.api.Replicas;
import dev.bascule.backfill.health.Thresholds;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.backfill.throttle.HealthMonitor;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.dialect.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The delay of named replicas, read on each of them: a MariaDB primary does not know how far behind
 * its replicas are. Either each replica's {@code Seconds_Behind_Master}, or (gh-ost's and
 * pt-heartbeat's way) the age of a heartbeat row Bascule writes on the primary every 500 ms and the
 * replica applies like any write: {@code UTC_TIMESTAMP(6) - ts} on the replica, sub-second, and
 * right even while the replica's SQL thread is stopped (its {@code Seconds_Behind_Master} is then
 * NULL). The heartbeat's reading includes up to 500 ms since the last row, and any difference
 * between the two servers' clocks.
 *
 * <p>Safe when blind: a replica that cannot be reached or read, that is not replicating, or whose
 * heartbeat has not arrived, throttles with a reason that says which and why. Its connection is
 * opened again at the next sample.
 */
final class ReplicaLag implements AutoCloseable {
    static final String HEARTBEAT_TABLE = "replication_heartbeat";
    private static final int NETWORK_TIMEOUT_MS = 2000;

    private final String heartbeatTable;
    private final Map<String, Connection> connections = new HashMap<>();
    private long lastBeat;

    /** @param stateSchema where the heartbeat table goes; null when there is none (no heartbeat) */
    ReplicaLag(String stateSchema) {
        this.heartbeatTable = stateSchema == null ? null
                : MariaDbDialect.quoteName(stateSchema) + "." + MariaDbDialect.quoteName(HEARTBEAT_TABLE);
    }

    void sample(Connection primary, ThrottleOptions options, List<Verdict> found) {
        Replicas replicas = options.replicas();
        if (replicas.heartbeat()) {
            if (heartbeatTable == null) {
                found.add(new Verdict(Verdict.Level.THROTTLE, "no state database for the replication heartbeat"));
                return;
            }
            try {
                beat(primary);
            } catch (SQLException e) {
                found.add(new Verdict(Verdict.Level.THROTTLE, "cannot write the replication heartbeat on the primary ("
                        + heartbeatTable + "): " + e.getMessage()));
                return;
            }
        }
        for (Replicas.Replica replica : replicas.replicas()) {
            try {
                read(replica, replicas.heartbeat(), options.replicationLagSeconds(), found);
            } catch (SQLException e) {
                drop(replica.name());
                found.add(new Verdict(Verdict.Level.THROTTLE, "replica " + replica.name() + " does not answer ("
                        + e.getMessage() + "): throttled until it does, or until it is no longer named with --replica"));
            }
        }
    }

    /** Writes the heartbeat row at most every 500 ms; the table is created the first time. */
    private void beat(Connection primary) throws SQLException {
        long now = System.nanoTime();
        if (lastBeat != 0 && now - lastBeat < Replicas.HEARTBEAT_INTERVAL_MILLIS * 1_000_000) {
            return;
        }
        try (Statement s = primary.createStatement()) {
            if (lastBeat == 0) {
                s.execute("CREATE TABLE IF NOT EXISTS " + heartbeatTable
                        + " (id tinyint PRIMARY KEY, ts datetime(6) NOT NULL) ENGINE=InnoDB");
            }
            // UTC_TIMESTAMP: the same on a replica whatever its time zone; replicated as the primary's time
            s.execute(Dialect.OWN_STATEMENT + "INSERT INTO " + heartbeatTable + " (id, ts) VALUES (1, UTC_TIMESTAMP(6))"
                    + " ON DUPLICATE KEY UPDATE ts = UTC_TIMESTAMP(6)");
        }
        lastBeat = now;
    }

    private void read(Replicas.Replica replica, boolean heartbeat, ThrottleOptions.Limit limit, List<Verdict> found)
            throws SQLException {
        Connection c = connection(replica);
        String what = "replication lag of replica " + replica.name();
        try (Statement s = c.createStatement()) {
            if (heartbeat) {
                try (ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT + "SELECT TIMESTAMPDIFF(MICROSECOND, ts,"
                        + " UTC_TIMESTAMP(6)) / 1000000 FROM " + heartbeatTable + " WHERE id = 1")) {
                    if (!rs.next()) {
                        found.add(new Verdict(Verdict.Level.THROTTLE, "replica " + replica.name()
                                + " has no replication heartbeat yet"));
                        return;
                    }
                    Thresholds.check(found, what + " (heartbeat)", Math.max(0, rs.getDouble(1)), limit, false, "s");
                }
            } else {
                try (ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
                    if (!rs.next()) {
                        found.add(new Verdict(Verdict.Level.THROTTLE, "replica " + replica.name()
                                + " is not a replica (SHOW REPLICA STATUS is empty)"));
                        return;
                    }
                    long lag = MySqlFamily.secondsBehind(rs);
                    if (rs.wasNull()) {
                        found.add(new Verdict(Verdict.Level.THROTTLE, "replication to replica " + replica.name()
                                + " is not running (Seconds_Behind_Master is NULL)"));
                    } else {
                        Thresholds.check(found, what, lag, limit, false, "s");
                    }
                }
            }
        } catch (SQLException e) {
            if (heartbeat && e.getErrorCode() == 1146) { // no such table: the first heartbeat has not arrived
                found.add(new Verdict(Verdict.Level.THROTTLE, "replica " + replica.name()
                        + " has no replication heartbeat yet"));
                return;
            }
            throw e;
        }
    }

    private Connection connection(Replicas.Replica replica) throws SQLException {
        Connection c = connections.get(replica.name());
        if (c == null) {
            c = replica.dataSource().getConnection();
            try {
                c.setAutoCommit(true);
                c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MS); // a replica that stops answering throttles in 2 s
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connections.put(replica.name(), c);
        }
        return c;
    }

    private void drop(String name) {
        Connection c = connections.remove(name);
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // opened again at the next sample
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(connections.keySet()).forEach(this::drop);
    }
}
