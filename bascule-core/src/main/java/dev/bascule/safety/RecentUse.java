package dev.bascule.safety;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * "Used since start, and still in use?" from the server's cumulative counters. A counter that moved
 * since start began is expected during a rollout (old code runs until it is replaced); what matters
 * is whether it still moves, so it is read again after a quiet time longer than the statistics
 * delay, and only a counter that moved in that time closes the gate.
 */
final class RecentUse {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the counters the gate watches, by name. */
    interface Counters {
        Map<String, Long> read() throws java.sql.SQLException;
    }

    private RecentUse() {}

    /**
     * @return the counters that moved during the quiet time after {@code now}, with how much; empty
     *         when none moved since {@code before}, or none moved again
     */
    static Map<String, Long> stillMoving(Map<String, Long> before, Map<String, Long> now, Counters counters, Duration quiet,
                                         String what, Consumer<String> note) throws java.sql.SQLException {
        return stillMoving(before, now, counters, quiet, what, name -> name, note);
    }

    /** @param describe what a counter's name means to the user (a query's key names a column, say) */
    static Map<String, Long> stillMoving(Map<String, Long> before, Map<String, Long> now, Counters counters, Duration quiet,
                                         String what, java.util.function.Function<String, String> describe,
                                         Consumer<String> note) throws java.sql.SQLException {
        Map<String, Long> sinceStart = moved(before, now);
        if (sinceStart.isEmpty()) {
            return Map.of();
        }
        note.accept(what + " since start (" + String.join(", ", sinceStart.keySet().stream().map(describe).distinct().toList())
                + "); watching " + quiet.toSeconds() + " s to see that it no longer is");
        sleep(quiet);
        return moved(now, counters.read());
    }

    /** Counters that grew; one lower than before was reset since, and all it counts is recent. */
    static Map<String, Long> moved(Map<String, Long> before, Map<String, Long> now) {
        Map<String, Long> moved = new LinkedHashMap<>();
        now.forEach((name, count) -> {
            long then = before.getOrDefault(name, 0L);
            long since = count >= then ? count - then : count;
            if (since > 0) {
                moved.put(name, since);
            }
        });
        return moved;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Long> readCounts(String json, String gate) {
        return read(json, new TypeReference<>() {}, gate);
    }

    static <T> T read(String json, TypeReference<T> type, String gate) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable baseline of gate " + gate + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching the statistics", e);
        }
    }
}
