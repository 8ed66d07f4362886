package dev.bascule.cli.demo;

import dev.bascule.api.BasculeListener;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records what each step of a phase did, and prints one live line per step. */
final class DemoListener implements BasculeListener {
    /** A finished step. */
    record StepRecord(String phase, int index, int total, String description, String lock, Duration took,
                      boolean skipped) {}

    /** The last progress report of a backfill. */
    record BackfillRecord(String table, long rowsDone, long rowsTotal, double rowsPerSecond, int batches) {}

    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final List<StepRecord> steps = new ArrayList<>();
    private final Map<String, String> locks = new HashMap<>();
    private final Map<String, BackfillRecord> backfills = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private int lockRetries;
    private long lastProgressPrint;

    DemoListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void stepStarted(String phase, int index, int total, String description, String lock) {
        locks.put(phase + "/" + index, lock);
        lastProgressPrint = System.nanoTime();
    }

    @Override
    public synchronized void stepFinished(String phase, int index, int total, String description, Duration took,
                                          boolean skipped) {
        String lock = locks.getOrDefault(phase + "/" + index, "");
        steps.add(new StepRecord(phase, index, total, description, lock, took, skipped));
        String extra = skipped ? "  (already done)" : "";
        BackfillRecord b = backfillOf(description);
        if (b != null) {
            extra = String.format(Demo.LOCALE, "  %,d rows, %,.0f rows/s", b.rowsDone(), b.rowsPerSecond());
        }
        out.printf(Demo.LOCALE, "  %-8s %5s  %-48s %8s%s%n", phase, index + "/" + total, description,
                Demo.duration(took), extra);
        out.flush();
    }

    @Override
    public synchronized void lockRetry(String description, int attempt, Duration wait) {
        lockRetries++;
        out.printf(Demo.LOCALE, "  lock busy for '%s' (attempt %d): retrying in %s%n", description, attempt,
                Demo.duration(wait));
        out.flush();
    }

    @Override
    public synchronized void backfill(String table, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta,
                                      int batchSize, String state) {
        BackfillRecord prev = backfills.get(table);
        int batches = (prev == null ? 0 : prev.batches()) + ("running".equals(state) ? 1 : 0);
        double rate = "done".equals(state) && rowsPerSecond == 0 && prev != null ? prev.rowsPerSecond() : rowsPerSecond;
        backfills.put(table, new BackfillRecord(table, rowsDone, rowsTotal, rate, batches));
        long now = System.nanoTime();
        if ("running".equals(state) && now - lastProgressPrint >= PROGRESS_EVERY_NANOS) {
            lastProgressPrint = now;
            out.printf(Demo.LOCALE, "  %-8s %5s  backfill %s: %,d/%,d rows (%d%%), %,.0f rows/s, batch %,d rows%n", "", "",
                    table, rowsDone, rowsTotal, rowsTotal > 0 ? rowsDone * 100 / rowsTotal : 100, rowsPerSecond, batchSize);
            out.flush();
        }
    }

    @Override
    public synchronized void note(String message) {
        notes.add(message);
        out.println("  note: " + message);
        out.flush();
    }

    synchronized List<StepRecord> steps(String phase) {
        return steps.stream().filter(s -> s.phase().equals(phase)).toList();
    }

    synchronized List<StepRecord> allSteps() {
        return List.copyOf(steps);
    }

    synchronized List<BackfillRecord> backfills() {
        return List.copyOf(backfills.values());
    }

    synchronized int lockRetries() {
        return lockRetries;
    }

    /** The backfill a step description such as "backfill customers" is about, or null. */
    private BackfillRecord backfillOf(String description) {
        if (!description.startsWith("backfill ")) {
            return null;
        }
        return backfills.get(description.substring("backfill ".length()));
    }
}
