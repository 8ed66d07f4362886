package dev.bascule.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How durations, rates, times and JSON are shown. */
final class Formats {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);

    private Formats() {}

    /** {@code 850 ms}, {@code 12.3 s}, {@code 4m05s}, {@code 2h03m}. */
    static String duration(Duration d) {
        if (d == null) {
            return "?";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** An ETA as {@code 0:42} or {@code 1:02:03}; {@code ?} when unknown. */
    static String eta(Duration d) {
        if (d == null) {
            return "?";
        }
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static String rate(double rowsPerSecond) {
        return rowsPerSecond >= 100 ? String.format(Locale.ROOT, "%,.0f", rowsPerSecond)
                : String.format(Locale.ROOT, "%.1f", rowsPerSecond);
    }

    static long percent(long done, long total) {
        if (total <= 0) {
            return done > 0 ? 100 : 0;
        }
        return Math.min(100, done * 100 / total);
    }

    static String time(OffsetDateTime t) {
        return t == null ? "-" : TIME.format(t);
    }

    static String isoTime(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }

    static String json(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
