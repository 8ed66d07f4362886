package dev.bascule.cli;

import dev.bascule.api.DatabaseSignals.StatementTimes;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The recent mean comes from the readings at the two ends of the window, not from the whole history. */
class LatencyWindowTest {
    private static final long S = 1_000_000_000L;

    @Test
    void recentMeanIsOverTheLastWindow() {
        LatencyWindow w = new LatencyWindow(Duration.ofSeconds(10));
        LatencyWindow.Latency first = w.add(new StatementTimes(1000, 10_000), 0);
        assertThat(first.meanMillis()).isEqualTo(10.0);
        assertThat(first.recentMeanMillis()).isNull(); // one reading: no window yet
        w.add(new StatementTimes(1100, 10_100), 5 * S);
        LatencyWindow.Latency at12 = w.add(new StatementTimes(1200, 10_300), 12 * S);
        // the window starts at the newest reading at least 10 s old: the one at 0 s (the one at 5 s is only 7 s old)
        assertThat(at12.recentMeanMillis()).isEqualTo((10_300 - 10_000) / 200.0);
        LatencyWindow.Latency at16 = w.add(new StatementTimes(1300, 10_700), 16 * S);
        assertThat(at16.recentMeanMillis()).isEqualTo((10_700 - 10_100) / 200.0);
        assertThat(at16.windowSeconds()).isEqualTo(11.0);
        assertThat(at16.meanMillis()).isEqualTo(10_700 / 1300.0);
    }

    @Test
    void noMeanWithoutNewCallsOrAfterAReset() {
        LatencyWindow w = new LatencyWindow(Duration.ofSeconds(10));
        w.add(new StatementTimes(50, 100), 0);
        assertThat(w.add(new StatementTimes(50, 100), S).recentMeanMillis()).isNull();
        assertThat(w.add(new StatementTimes(3, 9), 2 * S).recentMeanMillis()).isNull(); // pg_stat_statements_reset()
        assertThat(w.add(null, 3 * S)).isNull();
        assertThat(w.add(new StatementTimes(10, 20), 4 * S).recentMeanMillis()).isNull(); // the window starts again
    }
}
