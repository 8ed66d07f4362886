package dev.bascule.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The times of day a backfill may run, in a zone: {@code 22:00-06:00} (a span may cross
 * midnight), several separated by commas. Wall-clock times, so a window follows daylight saving
 * time as the people who chose it do. Pure: the caller gives the instant.
 */
public record BackfillWindow(List<Span> spans, ZoneId zone) {
    private static final Pattern SPAN = Pattern.compile("(\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})");
    private static final int DAY = 24 * 60;

    /** From {@code from} (included) to {@code to} (excluded), minutes of the day; {@code to <= from} crosses midnight. */
    public record Span(int from, int to) {
        public Span {
            if (from < 0 || from >= DAY || to <= 0 || to > DAY || from == to) {
                throw new IllegalArgumentException("invalid span " + from + "-" + to);
            }
        }

        boolean contains(int minute) {
            return from < to ? minute >= from && minute < to : minute >= from || minute < to;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%02d:%02d-%02d:%02d", from / 60, from % 60, to / 60, to % 60);
        }
    }

    /** Whether a batch may run now, and if not, when it may. */
    public sealed interface State permits Open, Closed {}

    public record Open() implements State {}

    /** @param reason "outside window 22:00-06:00 (Europe/Paris), opens in 3h12m" */
    public record Closed(Duration opensIn, String reason) implements State {}

    public BackfillWindow {
        spans = List.copyOf(spans);
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("a window needs at least one span");
        }
    }

    /**
     * Reads {@code 22:00-06:00} or {@code 01:00-05:00,13:00-14:00}; {@code 24:00} may end a span.
     *
     * @throws IllegalArgumentException naming what is wrong, for the user
     */
    public static BackfillWindow parse(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty window: expected HH:MM-HH:MM, for example 22:00-06:00");
        }
        List<Span> spans = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = SPAN.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("malformed window '" + part.strip() + "': expected HH:MM-HH:MM,"
                        + " for example 22:00-06:00 (several separated by commas)");
            }
            int from = minute(m.group(1), m.group(2), false, part);
            int to = minute(m.group(3), m.group(4), true, part);
            if (from == to) {
                throw new IllegalArgumentException("empty window '" + part.strip() + "': it starts when it ends"
                        + " (00:00-24:00 is the whole day)");
            }
            spans.add(new Span(from, to));
        }
        return new BackfillWindow(spans, zone);
    }

    private static int minute(String hours, String minutes, boolean end, String part) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
            throw new IllegalArgumentException("invalid time " + hours + ":" + minutes + " in window '" + part.strip()
                    + "': hours 00-23 and minutes 00-59 (24:00 may end a window)");
        }
        return h * 60 + m;
    }

    public State at(Clock clock) {
        return at(clock.instant());
    }

    public State at(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        int minute = local.getHour() * 60 + local.getMinute();
        if (spans.stream().anyMatch(s -> s.contains(minute))) {
            return new Open();
        }
        Duration opensIn = Duration.between(now, nextOpening(local));
        return new Closed(opensIn, "outside window" + (spans.size() > 1 ? "s " : " ") + this + ", opens in " + format(opensIn));
    }

    /** The first start of a span after {@code local}: today's, or tomorrow's (a day may lack an hour or have two). */
    private Instant nextOpening(ZonedDateTime local) {
        Instant now = local.toInstant();
        Instant best = null;
        for (int day = 0; day <= 2; day++) {
            LocalDate date = local.toLocalDate().plusDays(day);
            for (Span s : spans) {
                Instant start = ZonedDateTime.of(date, LocalTime.of(s.from() / 60, s.from() % 60), zone).toInstant();
                if (start.isAfter(now) && (best == null || start.isBefore(best))) {
                    best = start;
                }
            }
        }
        return best;
    }

    /** 3h12m, 12m, 45s: a person reads it in status; seconds only in the last minute. */
    static String format(Duration d) {
        long seconds = Math.max(1, d.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m";
        }
        return (minutes / 60) + "h" + (minutes % 60 == 0 ? "" : (minutes % 60) + "m");
    }

    /** 22:00-06:00 (Europe/Paris) */
    @Override
    public String toString() {
        return spans.stream().map(Span::toString).collect(Collectors.joining(",")) + " (" + zone.getId() + ")";
    }
}
