package dev.bascule.backfill;

import dev.bascule.api.BackfillWindow;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The window's arithmetic against fixed clocks: no database, no sleeping. */
class BackfillWindowTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static Clock at(String localDateTime, ZoneId zone) {
        Instant i = ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), zone).toInstant();
        return Clock.fixed(i, ZoneOffset.UTC);
    }

    @Test
    void spanAcrossMidnightIsOpenOnBothSidesAndClosedBetween() {
        BackfillWindow w = BackfillWindow.parse("22:00-06:00", PARIS);
        assertThat(w.at(at("2024-03-05T23:30", PARIS))).isInstanceOf(BackfillWindow.Open.class);
        assertThat(w.at(at("2024-03-06T05:59", PARIS))).isInstanceOf(BackfillWindow.Open.class);
        assertThat(w.at(at("2024-03-05T22:00", PARIS))).isInstanceOf(BackfillWindow.Open.class);
        BackfillWindow.State s = w.at(at("2024-03-05T18:48", PARIS));
        assertThat(s).isEqualTo(new BackfillWindow.Closed(Duration.ofMinutes(192),
                "outside window 22:00-06:00 (Europe/Paris), opens in 3h12m"));
        assertThat(w.at(at("2024-03-06T06:00", PARIS))).isEqualTo(new BackfillWindow.Closed(Duration.ofHours(16),
                "outside window 22:00-06:00 (Europe/Paris), opens in 16h"));
    }

    @Test
    void theZoneDecidesWhatTimeItIs() {
        // 21:30 UTC is 22:30 in Paris in winter: inside the Paris window, outside the same window in UTC
        Clock clock = Clock.fixed(Instant.parse("2024-01-10T21:30:00Z"), ZoneOffset.UTC);
        assertThat(BackfillWindow.parse("22:00-06:00", PARIS).at(clock)).isInstanceOf(BackfillWindow.Open.class);
        assertThat(BackfillWindow.parse("22:00-06:00", ZoneOffset.UTC).at(clock))
                .isEqualTo(new BackfillWindow.Closed(Duration.ofMinutes(30), "outside window 22:00-06:00 (Z), opens in 30m"));
    }

    @Test
    void severalSpansOpenAtTheNextStartOfAny() {
        BackfillWindow w = BackfillWindow.parse("01:00-05:00, 13:00-14:00", PARIS);
        assertThat(w.at(at("2024-03-05T13:15", PARIS))).isInstanceOf(BackfillWindow.Open.class);
        assertThat(w.at(at("2024-03-05T12:59:30", PARIS))).isEqualTo(new BackfillWindow.Closed(Duration.ofSeconds(30),
                "outside windows 01:00-05:00,13:00-14:00 (Europe/Paris), opens in 30s"));
        assertThat(((BackfillWindow.Closed) w.at(at("2024-03-05T14:00", PARIS))).opensIn()).isEqualTo(Duration.ofHours(11));
    }

    @Test
    void wholeDayAndDaylightSavingTime() {
        assertThat(BackfillWindow.parse("00:00-24:00", PARIS).at(at("2024-03-05T12:00", PARIS)))
                .isInstanceOf(BackfillWindow.Open.class);
        // the night clocks go forward in Paris (31 March 2024, 02:00 -> 03:00): 22:00 to 01:00 is 2 hours of real time
        BackfillWindow w = BackfillWindow.parse("01:00-01:30", PARIS);
        assertThat(((BackfillWindow.Closed) w.at(at("2024-03-30T23:00", PARIS))).opensIn()).isEqualTo(Duration.ofHours(2));
        assertThat(((BackfillWindow.Closed) w.at(at("2024-03-31T04:00", PARIS))).opensIn()).isEqualTo(Duration.ofHours(21));
    }

    @Test
    void malformedWindowsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> BackfillWindow.parse("22-06", PARIS)).hasMessageContaining("malformed window '22-06'")
                .hasMessageContaining("HH:MM-HH:MM");
        assertThatThrownBy(() -> BackfillWindow.parse("25:00-06:00", PARIS)).hasMessageContaining("invalid time 25:00");
        assertThatThrownBy(() -> BackfillWindow.parse("22:60-06:00", PARIS)).hasMessageContaining("invalid time 22:60");
        assertThatThrownBy(() -> BackfillWindow.parse("24:00-06:00", PARIS)).hasMessageContaining("invalid time 24:00");
        assertThatThrownBy(() -> BackfillWindow.parse("06:00-06:00", PARIS)).hasMessageContaining("empty window");
        assertThatThrownBy(() -> BackfillWindow.parse("22:00-06:00,", PARIS)).hasMessageContaining("malformed window ''");
        assertThatThrownBy(() -> BackfillWindow.parse(" ", PARIS)).hasMessageContaining("empty window");
    }
}
