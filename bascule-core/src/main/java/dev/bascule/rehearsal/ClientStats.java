package dev.bascule.rehearsal;

import dev.bascule.api.RehearsalReport;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the clients of one version saw: a latency histogram, counts, the slowest operation, errors. */
final class ClientStats {
    private static final int MAX_MESSAGES = 5;
    /** Up to an hour in microseconds, three significant digits. */
    private final Histogram latency = new Histogram(3_600_000_000L, 3);
    private final String version;
    private final long budgetMicros;
    private final List<String> messages = new ArrayList<>();
    private long selects;
    private long updates;
    private long inserts;
    private long errors;
    private long overBudget;
    private long slowestMicros;
    private String slowest = "";

    /** @param budget the lock timeout: an operation longer than this waited on a lock, or nearly */
    ClientStats(String version, Duration budget) {
        this.version = version;
        this.budgetMicros = budget.toNanos() / 1000;
    }

    synchronized void ok(String kind, String table, long nanos) {
        switch (kind) {
            case "select" -> selects++;
            case "update" -> updates++;
            default -> inserts++;
        }
        record(kind, table, nanos);
    }

    synchronized void failed(String kind, String table, long nanos, Exception e) {
        errors++;
        String m = e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s+", " ").trim();
        String message = kind + " " + table + ": " + m;
        if (messages.size() < MAX_MESSAGES && !messages.contains(message)) {
            messages.add(message);
        }
        record(kind, table, nanos);
    }

    private void record(String kind, String table, long nanos) {
        long micros = Math.max(1, nanos / 1000);
        latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
        if (micros > budgetMicros) {
            overBudget++;
        }
        if (micros > slowestMicros) {
            slowestMicros = micros;
            slowest = kind + " " + table;
        }
    }

    synchronized RehearsalReport.Clients report(int clients, Duration ran) {
        return new RehearsalReport.Clients(version, clients, ran, selects, updates, inserts, errors,
                ms(latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50)),
                ms(latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99)),
                ms(latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99.9)),
                ms(slowestMicros), slowest, overBudget, List.copyOf(messages));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
