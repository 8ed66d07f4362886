package dev.bascule.bench.traffic;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Samples, from a connection of its own, the run's client sessions that wait on a lock: the
 * server's view of what the clients' latencies show from outside. Each wait is known by its
 * session and the time it began ({@code pg_locks.waitstart}), so a wait seen in many samples is
 * counted once, as long as it was when last seen, in the phase in which it was first seen.
 */
final class LockWaitMonitor implements AutoCloseable {
    private static final String WAITING = """
            SELECT a.pid, l.waitstart::text, extract(epoch FROM clock_timestamp() - l.waitstart) * 1000,
                   (SELECT left(regexp_replace(b.query, '\\s+', ' ', 'g'), 120) FROM pg_stat_activity b
                     WHERE b.pid = (pg_blocking_pids(a.pid))[1])
              FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
             WHERE left(a.application_name, ?) = ? AND a.wait_event_type = 'Lock' AND l.waitstart IS NOT NULL
            """;

    private record Key(int pid, String since) {}

    private record Wait(PhaseRecorder phase, double millis, String blocker) {}

    private final DataSource dataSource;
    private final Timeline timeline;
    private final String applicationName;
    private final long intervalMillis;
    private final Map<Key, Wait> waits = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;
    private long samples;

    /** @param applicationName the prefix of the application_name of the sessions to watch */
    LockWaitMonitor(DataSource dataSource, Timeline timeline, String applicationName, long intervalMillis) {
        this.dataSource = dataSource;
        this.timeline = timeline;
        this.applicationName = applicationName;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "traffic-lock-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(WAITING)) {
                ps.setInt(1, applicationName.length());
                ps.setString(2, applicationName);
                while (running) {
                    sample(ps);
                    Thread.sleep(intervalMillis);
                }
            }
        } catch (SQLException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample(PreparedStatement ps) throws SQLException {
        PhaseRecorder phase = timeline.current();
        try (ResultSet rs = ps.executeQuery()) {
            synchronized (waits) {
                samples++;
                while (rs.next()) {
                    Key key = new Key(rs.getInt(1), rs.getString(2));
                    double millis = rs.getDouble(3);
                    String blocker = rs.getString(4) == null ? "" : rs.getString(4);
                    Wait seen = waits.get(key);
                    if (seen == null || millis > seen.millis()) {
                        waits.put(key, new Wait(seen == null ? phase : seen.phase(), millis,
                                blocker.isEmpty() && seen != null ? seen.blocker() : blocker));
                    }
                }
            }
        }
    }

    /** The waits first seen in {@code phase}. */
    LockWaits of(PhaseRecorder phase) {
        synchronized (waits) {
            int count = 0;
            double longest = 0;
            double total = 0;
            String blocker = "";
            for (Wait w : waits.values()) {
                if (w.phase() != phase) continue;
                count++;
                total += w.millis();
                if (w.millis() > longest) {
                    longest = w.millis();
                    blocker = w.blocker();
                }
            }
            return new LockWaits(count, longest, total, blocker);
        }
    }

    long samples() {
        synchronized (waits) {
            return samples;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("the lock monitor failed: " + failure);
        }
    }
}
