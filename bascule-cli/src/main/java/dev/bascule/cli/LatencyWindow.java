package dev.bascule.cli;

import dev.bascule.api.DatabaseSignals.StatementTimes;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The application's mean statement time over the last few seconds, from successive readings of
 * the server's cumulative totals: the mean since the statistics were reset moves too slowly to
 * show what a backfill does to the application now.
 */
final class LatencyWindow {
    private final long windowNanos;
    private final Deque<Reading> readings = new ArrayDeque<>();

    private record Reading(long nanos, StatementTimes times) {}

    /**
     * @param meanMillis       since the statistics were reset; null when no statement ran
     * @param recentMeanMillis over the last {@code windowSeconds}; null before a second reading or
     *                         when no statement ran in between
     */
    record Latency(long calls, Double meanMillis, Double recentMeanMillis, double windowSeconds) {}

    LatencyWindow(java.time.Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Adds a reading taken now; null when the server does not collect statement times. */
    synchronized Latency add(StatementTimes now, long nanos) {
        if (now == null) {
            readings.clear();
            return null;
        }
        // keep the newest reading older than the window: it is the start of the window
        while (readings.size() > 1 && nanos - second().nanos() >= windowNanos) {
            readings.removeFirst();
        }
        Reading oldest = readings.peekFirst();
        readings.addLast(new Reading(nanos, now));
        Double recent = null;
        double seconds = 0;
        if (oldest != null) {
            long calls = now.calls() - oldest.times().calls();
            double millis = now.totalMillis() - oldest.times().totalMillis();
            seconds = (nanos - oldest.nanos()) / 1e9;
            // fewer calls than before: the statistics were reset or entries evicted; no honest mean
            if (calls > 0 && millis >= 0) {
                recent = millis / calls;
            }
        }
        return new Latency(now.calls(), now.meanMillis(), recent, seconds);
    }

    private Reading second() {
        var it = readings.iterator();
        it.next();
        return it.next();
    }
}
