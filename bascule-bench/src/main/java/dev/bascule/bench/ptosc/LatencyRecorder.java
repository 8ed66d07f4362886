package dev.bascule.bench.ptosc;

import dev.bascule.bench.traffic.Op;
import dev.bascule.bench.traffic.OpStats;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clients' operations during one stretch of a run (before, during or after the change), each
 * counted in the stretch in which it began, latencies in microseconds.
 */
final class LatencyRecorder {
    private static final long HIGHEST_MICROS = 3_600_000_000L;
    private static final int MAX_MESSAGES = 4;

    private final String name;
    private final long startedNanos = System.nanoTime();
    private volatile long endedNanos;
    private final Map<Op, ConcurrentHistogram> latencies = new EnumMap<>(Op.class);
    private final Map<Op, LongAdder> errors = new EnumMap<>(Op.class);
    private final List<String> messages = new ArrayList<>();

    LatencyRecorder(String name) {
        this.name = name;
        for (Op op : Op.values()) {
            latencies.put(op, new ConcurrentHistogram(HIGHEST_MICROS, 3));
            errors.put(op, new LongAdder());
        }
    }

    void succeeded(Op op, long nanos) {
        latencies.get(op).recordValue(Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1000)));
    }

    void failed(Op op, String message) {
        errors.get(op).increment();
        synchronized (messages) {
            String m = op.label() + ": " + message;
            if (messages.size() < MAX_MESSAGES && !messages.contains(m)) messages.add(m);
        }
    }

    void end() {
        endedNanos = System.nanoTime();
    }

    Stats stats() {
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        Map<Op, OpStats> ops = new EnumMap<>(Op.class);
        long errorCount = 0;
        for (Op op : Op.values()) {
            Histogram h = latencies.get(op).copy();
            all.add(h);
            long e = errors.get(op).sum();
            errorCount += e;
            ops.put(op, OpStats.of(h, e));
        }
        long end = endedNanos == 0 ? System.nanoTime() : endedNanos;
        synchronized (messages) {
            return new Stats(name, (end - startedNanos) / 1e9, OpStats.of(all, errorCount), ops, List.copyOf(messages));
        }
    }

    /** @param total every operation together; {@code ops} by kind */
    record Stats(String name, double seconds, OpStats total, Map<Op, OpStats> ops, List<String> messages) {
        double opsPerSecond() {
            return seconds <= 0 ? 0 : total.count() / seconds;
        }
    }
}
