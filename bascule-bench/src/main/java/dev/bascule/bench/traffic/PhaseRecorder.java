package dev.bascule.bench.traffic;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What clients and the lock monitor saw during one phase, recorded from many threads. An operation
 * belongs to the phase in which it began: one that began just before a migration took its lock and
 * waited through it is counted where it began, one that began while the lock was held where it waited.
 */
final class PhaseRecorder {
    /** Latencies in microseconds, up to an hour. */
    private static final long HIGHEST_MICROS = 3_600_000_000L;
    private static final int MAX_MESSAGES = 4;

    private final Phase phase;
    private final long startedNanos = System.nanoTime();
    private volatile long endedNanos;
    private final Map<Op, ConcurrentHistogram> latencies = new EnumMap<>(Op.class);
    private final Map<Op, LongAdder> errors = new EnumMap<>(Op.class);
    private final Map<String, LongAdder> operationsBy = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> messages = new ArrayList<>();
    private final AtomicLong longestNanos = new AtomicLong();
    private volatile String longestWhat = "";

    PhaseRecorder(Phase phase) {
        this.phase = phase;
        for (Op op : Op.values()) {
            latencies.put(op, new ConcurrentHistogram(HIGHEST_MICROS, 3));
            errors.put(op, new LongAdder());
        }
    }

    Phase phase() {
        return phase;
    }

    void end() {
        endedNanos = System.nanoTime();
    }

    void succeeded(Op op, Assignment by, long nanos) {
        latencies.get(op).recordValue(Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1000)));
        operationsBy.computeIfAbsent(by.label(), k -> new LongAdder()).increment();
        longest(op, by, nanos);
    }

    void failed(Op op, Assignment by, long nanos, String message) {
        errors.get(op).increment();
        longest(op, by, nanos);
        synchronized (messages) {
            String m = by.version().name() + " " + op.label() + ": " + message;
            if (messages.size() < MAX_MESSAGES && messages.stream().noneMatch(x -> x.equals(m))) {
                messages.add(m);
            }
        }
    }

    private void longest(Op op, Assignment by, long nanos) {
        long prev;
        do {
            prev = longestNanos.get();
            if (nanos <= prev) return;
        } while (!longestNanos.compareAndSet(prev, nanos));
        longestWhat = op.label() + " by " + by.version().name() + " code";
    }

    /** An immutable copy; {@code lockWaits} comes from the monitor. */
    PhaseResult snapshot(LockWaits lockWaits) {
        Map<Op, OpStats> ops = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            ops.put(op, OpStats.of(latencies.get(op).copy(), errors.get(op).sum()));
        }
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        latencies.values().forEach(all::add);
        long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
        Map<String, Long> by = new LinkedHashMap<>();
        operationsBy.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> by.put(e.getKey(), e.getValue().sum()));
        long end = endedNanos == 0 ? System.nanoTime() : endedNanos;
        synchronized (messages) {
            return new PhaseResult(phase, (end - startedNanos) / 1_000_000, ops, OpStats.of(all, errorCount), all,
                    longestNanos.get() / 1_000_000.0, longestWhat, lockWaits, by, List.copyOf(messages));
        }
    }
}
