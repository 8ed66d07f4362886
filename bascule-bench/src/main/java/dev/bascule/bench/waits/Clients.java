package dev.bascule.bench.waits;

import org.HdrHistogram.Histogram;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Application clients on the benchmark's table, each on its own connection: half reads, half
 * updates of a random key, one statement at a time in autocommit, 1 ms apart. Every operation's
 * latency goes to the phase in which it began, so a statement that waited through a lock counts
 * where the wait began.
 */
final class Clients implements AutoCloseable {
    static final String APPLICATION_NAME = "bascule-bench-waits-client";

    /** One phase's operations: their latencies in µs, and the slowest one's kind. */
    static final class PhaseStats {
        final Histogram latency = new Histogram(600_000_000L, 3);
        volatile String slowest = "";

        synchronized void record(long micros, String kind) {
            if (micros > latency.getMaxValue()) slowest = kind;
            latency.recordValue(Math.max(1, micros));
        }

        synchronized double maxMillis() {
            return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0;
        }

        synchronized double p99Millis() {
            return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1000.0;
        }

        synchronized long count() {
            return latency.getTotalCount();
        }
    }

    private final Map<String, PhaseStats> phases = new ConcurrentHashMap<>();
    private final AtomicReference<PhaseStats> current = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;

    Clients(DataSource ds, String schema, long rows, int clients, String firstPhase) {
        phase(firstPhase);
        for (int i = 0; i < clients; i++) {
            int seed = i;
            Thread t = new Thread(() -> loop(ds, schema, rows, seed), "waits-client-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** Operations that begin from now on count in {@code name}. */
    void phase(String name) {
        current.set(phases.computeIfAbsent(name, n -> new PhaseStats()));
    }

    PhaseStats stats(String phase) {
        return phases.getOrDefault(phase, new PhaseStats());
    }

    private void loop(DataSource ds, String schema, long rows, int seed) {
        SplittableRandom random = new SplittableRandom(seed * 7919L + System.nanoTime());
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET application_name = '" + APPLICATION_NAME + "'");
                s.execute("SET search_path = " + schema);
            }
            try (PreparedStatement read = c.prepareStatement("SELECT email, payload FROM t WHERE id = ?");
                 PreparedStatement write = c.prepareStatement("UPDATE t SET payload = md5(payload) WHERE id = ?")) {
                while (!stop) {
                    boolean reading = random.nextBoolean();
                    PreparedStatement ps = reading ? read : write;
                    ps.setLong(1, 1 + random.nextLong(rows));
                    PhaseStats phase = current.get();
                    long t0 = System.nanoTime();
                    ps.execute();
                    phase.record((System.nanoTime() - t0) / 1000, reading ? "read" : "update");
                    Thread.sleep(1);
                }
            }
        } catch (Throwable e) {
            if (!stop) failure.compareAndSet(null, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) t.join(10_000);
        if (failure.get() != null) throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
    }
}
