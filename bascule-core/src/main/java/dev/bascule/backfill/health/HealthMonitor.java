package dev.bascule.backfill.health;

import dev.bascule.jdbc.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples the database's health on a connection of its own while a backfill runs, so that a
 * signal such as "an application session waits on a row the backfill locked" is seen during the
 * batch, not only between batches. The backfill asks for the latest {@link Verdict} before each batch.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final Connection connection;
    private final ThrottleOptions options;
    private final String table;
    private final Set<Integer> backfillPids = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean stop;
    private volatile Verdict latest = Verdict.GO;
    private long lastWalBytes = -1;
    private long lastWarning = System.nanoTime() - 20_000_000_000L;
    private long lastWalNanos;

    /** @param table the qualified, quoted table being filled */
    public HealthMonitor(Connection connection, ThrottleOptions options, String table) {
        this.connection = connection;
        this.options = options;
        this.table = table;
        this.thread = new Thread(this::loop, "bascule-health");
        this.thread.setDaemon(true);
    }

    public HealthMonitor start() {
        sampleQuietly(); // a first verdict before the first batch
        thread.start();
        return this;
    }

    /** The backend pids of the backfill's connections: their locks count, their transactions do not. */
    public void watch(int pid) {
        backfillPids.add(pid);
    }

    public Verdict verdict() {
        return latest;
    }

    private void loop() {
        while (!stop) {
            try {
                Thread.sleep(Math.max(10, options.checkInterval().toMillis()));
            } catch (InterruptedException e) {
                return;
            }
            sampleQuietly();
        }
    }

    private synchronized void sampleQuietly() {
        try {
            latest = sample();
        } catch (SQLException e) {
            // A monitor that cannot see must neither stop the backfill for good nor keep an old
            // verdict: it lets batches go and says so, at most every 10 s.
            latest = Verdict.GO;
            long now = System.nanoTime();
            if (now - lastWarning > 10_000_000_000L) {
                lastWarning = now;
                LOG.warn("health check failed, backfill continues unthrottled: {}", e.getMessage());
            }
        }
    }

    Verdict sample() throws SQLException {
        List<Verdict> found = new ArrayList<>();
        if (on(options.replicationLagBytes()) || on(options.replicationLagSeconds())) {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0),"
                            + " coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication"
                            + " WHERE NOT pg_is_in_recovery()")) {
                rs.next();
                check(found, "replication lag", rs.getDouble(1), options.replicationLagBytes(), true, "");
                check(found, "replication lag", rs.getDouble(2), options.replicationLagSeconds(), false, "s");
            }
        }
        if (on(options.lockWaiters()) && !backfillPids.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT count(DISTINCT l.pid) FROM pg_locks l WHERE NOT l.granted"
                            + " AND l.waitstart < clock_timestamp() - make_interval(secs => ?)"
                            + " AND pg_blocking_pids(l.pid) && ?::int[]")) {
                ps.setDouble(1, options.lockWaitMinimum().toMillis() / 1000.0);
                ps.setArray(2, pids());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    check(found, "sessions waiting on the backfill's locks", rs.getDouble(1), options.lockWaiters(), false, "");
                }
            }
        }
        if (on(options.longTransactionSeconds())) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0) FROM pg_stat_activity"
                            + " WHERE xact_start IS NOT NULL AND backend_type = 'client backend' AND datname = current_database()"
                            + " AND pid <> pg_backend_pid() AND pid <> ALL (?::int[])")) {
                ps.setArray(1, pids());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    check(found, "oldest open transaction", rs.getDouble(1), options.longTransactionSeconds(), false, "s");
                }
            }
        }
        if (options.vacuumOnTable()) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT count(*) FROM pg_stat_progress_vacuum WHERE relid = to_regclass(?)")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        found.add(new Verdict(Verdict.Level.THROTTLE, "vacuum is running on " + table));
                    }
                }
            }
        }
        if (on(options.walBytesPerSecond())) {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint WHERE NOT pg_is_in_recovery()")) {
                if (rs.next()) {
                    long bytes = rs.getLong(1);
                    long now = System.nanoTime();
                    if (lastWalBytes >= 0 && now > lastWalNanos) {
                        double rate = (bytes - lastWalBytes) / ((now - lastWalNanos) / 1e9);
                        check(found, "WAL rate", rate, options.walBytesPerSecond(), true, "/s");
                    }
                    lastWalBytes = bytes;
                    lastWalNanos = now;
                }
            }
        }
        if (options.throttleQuery().isPresent()) {
            throttleQuery(found, options.throttleQuery().get());
        }
        Verdict worst = Verdict.GO;
        for (Verdict v : found) {
            if (v.level().ordinal() > worst.level().ordinal()) {
                worst = v;
            }
        }
        return worst;
    }

    private void throttleQuery(List<Verdict> found, String query) throws SQLException {
        try {
            Object v = Transaction.rollBack(connection, () -> {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET LOCAL statement_timeout = 1000");
                    try (ResultSet rs = s.executeQuery(query)) {
                        return rs.next() ? rs.getObject(1) : null;
                    }
                }
            });
            boolean throttle = v instanceof Boolean b ? b
                    : v instanceof Number n ? n.doubleValue() > 0
                    : v != null && !v.toString().isBlank();
            if (throttle) {
                found.add(new Verdict(Verdict.Level.THROTTLE, "throttle query: "
                        + (v instanceof String text ? text : "returned " + v)));
            }
        } catch (SQLException e) {
            found.add(new Verdict(Verdict.Level.THROTTLE, "throttle query failed: " + e.getMessage()));
        }
    }

    private Array pids() throws SQLException {
        return connection.createArrayOf("int4", backfillPids.toArray());
    }

    private static boolean on(ThrottleOptions.Limit l) {
        return l.throttle() > 0 || l.critical() > 0;
    }

    private static void check(List<Verdict> found, String what, double value, ThrottleOptions.Limit limit, boolean bytes,
                              String unit) {
        if (limit.critical() > 0 && value >= limit.critical()) {
            found.add(new Verdict(Verdict.Level.CRITICAL, what + " " + format(value, bytes, unit) + " >= critical "
                    + format(limit.critical(), bytes, unit)));
        } else if (limit.throttle() > 0 && value >= limit.throttle()) {
            found.add(new Verdict(Verdict.Level.THROTTLE, what + " " + format(value, bytes, unit) + " >= "
                    + format(limit.throttle(), bytes, unit)));
        }
    }

    static String format(double value, boolean bytes, String unit) {
        if (bytes) {
            String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
            int i = 0;
            while (value >= 1024 && i < units.length - 1) {
                value /= 1024;
                i++;
            }
            return String.format(Locale.ROOT, "%.1f %s%s", value, units[i], unit.equals("/s") ? "/s" : "");
        }
        return String.format(Locale.ROOT, value == Math.rint(value) ? "%.0f%s" : "%.1f%s", value, unit.isEmpty() ? "" : " " + unit);
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the monitor's connection has nothing to save
        }
    }
}
