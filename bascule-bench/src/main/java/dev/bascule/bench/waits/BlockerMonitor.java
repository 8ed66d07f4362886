package dev.bascule.bench.waits;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * From the server's side: samples the clients' sessions that wait on a lock, with what the
 * session blocking them runs, so that the longest waits can be put down to a statement (a
 * batch's UPDATE, its checkpoint, a DDL step). A wait counts once, as long as it was when last
 * seen, in the phase in which it was first seen.
 */
final class BlockerMonitor implements AutoCloseable {
    private static final String WAITING = """
            SELECT a.pid, l.waitstart::text, extract(epoch FROM clock_timestamp() - l.waitstart) * 1000,
                   l.locktype, (SELECT left(regexp_replace(b.query, '\\s+', ' ', 'g'), 70) || ' [' || coalesce(b.state, '') || ']'
                      FROM pg_stat_activity b WHERE b.pid = (pg_blocking_pids(a.pid))[1])
              FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
             WHERE a.application_name = ? AND a.wait_event_type = 'Lock' AND l.waitstart IS NOT NULL
            """;

    record Wait(String phase, double millis, String lockType, String blocker) {}

    private record Key(int pid, String since) {}

    private final Map<Key, Wait> waits = new HashMap<>();
    private final Supplier<String> phase;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;

    BlockerMonitor(DataSource ds, Supplier<String> phase, long intervalMillis) {
        this.phase = phase;
        this.thread = new Thread(() -> loop(ds, intervalMillis), "waits-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(DataSource ds, long intervalMillis) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(WAITING)) {
            ps.setString(1, Clients.APPLICATION_NAME);
            while (running) {
                String p = phase.get();
                try (ResultSet rs = ps.executeQuery()) {
                    synchronized (waits) {
                        while (rs.next()) {
                            Key key = new Key(rs.getInt(1), rs.getString(2));
                            Wait seen = waits.get(key);
                            double ms = rs.getDouble(3);
                            String blocker = rs.getString(5) == null ? (seen == null ? "" : seen.blocker()) : rs.getString(5);
                            if (seen == null || ms > seen.millis()) {
                                waits.put(key, new Wait(seen == null ? p : seen.phase(), ms, rs.getString(4), blocker));
                            }
                        }
                    }
                }
                Thread.sleep(intervalMillis);
            }
        } catch (SQLException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The longest wait first seen in {@code phase}, or null. */
    Wait longest(String phase) {
        synchronized (waits) {
            return waits.values().stream().filter(w -> w.phase().equals(phase))
                    .max(java.util.Comparator.comparingDouble(Wait::millis)).orElse(null);
        }
    }

    /** Waits first seen in {@code phase}. */
    long count(String phase) {
        synchronized (waits) {
            return waits.values().stream().filter(w -> w.phase().equals(phase)).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
        if (failure != null) throw new IllegalStateException("the lock monitor failed: " + failure);
    }
}
