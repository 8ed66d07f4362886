package dev.bascule.rehearsal;

import dev.bascule.api.RehearsalReport;
import dev.bascule.api.BasculeListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Keeps what the scratch migration's steps report, for the rehearsal's report, and passes it all on. */
final class RecordingListener implements BasculeListener {
    private final BasculeListener next;
    private final List<RehearsalReport.StepTiming> steps = new ArrayList<>();
    private final List<RehearsalReport.LockHold> locks = new ArrayList<>();
    private final Map<String, String> stepLocks = new HashMap<>();
    private final Map<String, long[]> backfillRows = new LinkedHashMap<>();
    private final Map<String, Double> backfillRates = new LinkedHashMap<>();

    RecordingListener(BasculeListener next) {
        this.next = next;
    }

    @Override
    public synchronized void stepStarted(String phase, int index, int total, String description, String lock) {
        stepLocks.put(phase + "/" + index, lock);
        next.stepStarted(phase, index, total, description, lock);
    }

    @Override
    public synchronized void stepFinished(String phase, int index, int total, String description, Duration took, boolean skipped) {
        steps.add(new RehearsalReport.StepTiming(phase, index, description, stepLocks.get(phase + "/" + index), took, skipped));
        next.stepFinished(phase, index, total, description, took, skipped);
    }

    @Override
    public synchronized void locksHeld(String phase, String description, Map<String, String> held, Duration took) {
        locks.add(new RehearsalReport.LockHold(phase, description, new TreeMap<>(held), took));
        next.locksHeld(phase, description, held, took);
    }

    @Override
    public void lockRetry(String description, int attempt, Duration wait) {
        next.lockRetry(description, attempt, wait);
    }

    @Override
    public synchronized void backfill(String table, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta,
                                      int batchSize, String state) {
        backfillRows.put(table, new long[] {rowsDone});
        if (rowsPerSecond > 0) {
            backfillRates.put(table, rowsPerSecond); // the final report of a backfill may carry no rate
        }
        next.backfill(table, rowsDone, rowsTotal, rowsPerSecond, eta, batchSize, state);
    }

    @Override
    public void note(String message) {
        next.note(message);
    }

    synchronized List<RehearsalReport.StepTiming> steps() {
        return List.copyOf(steps);
    }

    synchronized List<RehearsalReport.LockHold> locks() {
        return List.copyOf(locks);
    }

    /** Each backfill's rows, rate and the duration of its step. */
    synchronized List<RehearsalReport.Backfill> backfills() {
        List<RehearsalReport.Backfill> out = new ArrayList<>();
        backfillRows.forEach((table, rows) -> {
            Duration took = steps.stream().filter(s -> s.description().equals("backfill " + table))
                    .map(RehearsalReport.StepTiming::took).findFirst().orElse(Duration.ZERO);
            double rate = backfillRates.getOrDefault(table,
                    took.isZero() ? 0.0 : rows[0] / (took.toNanos() / 1e9));
            out.add(new RehearsalReport.Backfill(table, rows[0], rate, took));
        });
        return out;
    }
}
