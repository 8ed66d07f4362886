package dev.bascule.cli;

import dev.bascule.api.BasculeListener;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Prints what a command does: each step with its lock and duration, lock retries, notes, and
 * backfill progress. At a console the backfill is one line rewritten in place; otherwise (logs,
 * CI) a plain line at most every {@link #LOG_INTERVAL}, plus one when the backfill ends.
 * Thread-safe: backfill workers may report from threads of their own.
 */
final class ProgressListener implements BasculeListener {
    static final Duration LOG_INTERVAL = Duration.ofSeconds(2);

    private final Io io;
    private final boolean interactive;
    private final LongSupplier nanoClock;
    private final Map<String, Long> lastLogged = new HashMap<>();

    ProgressListener(Io io, boolean interactive) {
        this(io, interactive, System::nanoTime);
    }

    ProgressListener(Io io, boolean interactive, LongSupplier nanoClock) {
        this.io = io;
        this.interactive = interactive;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized void stepStarted(String phase, int index, int total, String description, String lock) {
        io.out(String.format(Locale.ROOT, "[%s %d/%d] %s (lock: %s)", phase, index, total, description,
                lock == null || lock.isBlank() ? "none" : lock));
    }

    @Override
    public synchronized void stepFinished(String phase, int index, int total, String description, Duration took, boolean skipped) {
        io.out(String.format(Locale.ROOT, "[%s %d/%d] %s in %s", phase, index, total,
                skipped ? "already done, skipped" : "done", Formats.duration(took)));
    }

    @Override
    public synchronized void lockRetry(String description, int attempt, Duration wait) {
        io.out(String.format(Locale.ROOT, "  lock busy: '%s' gave up waiting after the lock timeout (attempt %d);"
                + " retrying in %s", description, attempt, Formats.duration(wait)));
    }

    @Override
    public synchronized void backfill(String table, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta,
                         int batchSize, String state) {
        boolean done = "done".equals(state);
        String line = backfillLine(table, rowsDone, rowsTotal, rowsPerSecond, eta, batchSize, state);
        if (interactive) {
            io.progress(line);
            if (done) {
                io.endProgress();
            }
            return;
        }
        long now = nanoClock.getAsLong();
        Long last = lastLogged.get(table);
        if (done || last == null || now - last >= LOG_INTERVAL.toNanos()) {
            io.out(line);
            if (done) {
                lastLogged.remove(table);
            } else {
                lastLogged.put(table, now);
            }
        }
    }

    static String backfillLine(String table, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta,
                               int batchSize, String state) {
        long total = Math.max(rowsTotal, rowsDone);
        StringBuilder sb = new StringBuilder("  backfill ").append(table).append(": ")
                .append(String.format(Locale.ROOT, "%,d/%,d rows (%d%%)", rowsDone, total, Formats.percent(rowsDone, total)));
        String kind = state == null ? "" : state.startsWith("paused: ") ? "paused" : state;
        switch (kind) {
            case "done" -> {
                sb.append(", done");
                if (rowsPerSecond > 0) {
                    sb.append(" at ").append(Formats.rate(rowsPerSecond)).append(" rows/s");
                }
            }
            // "paused: paused by alice" or "paused: replication lag ...": the reason once, without repeating "paused"
            case "paused" -> sb.append(", ").append(state.replaceFirst("^paused: (?=paused)", "")).append(" (bascule resume to go on)");
            default -> {
                sb.append(", ").append(Formats.rate(rowsPerSecond)).append(" rows/s, ETA ").append(Formats.eta(eta));
                if (batchSize > 0) {
                    sb.append(", batch ").append(batchSize);
                }
                if (state != null && !state.isEmpty() && !"running".equals(state)) {
                    sb.append(", ").append(state);
                }
            }
        }
        return sb.toString();
    }

    @Override
    public synchronized void note(String message) {
        io.out("note: " + message);
    }
}
