package dev.bascule.backfill.health;

import dev.bascule.backfill.health.ApplicationProbe.Interval;
import dev.bascule.backfill.health.ApplicationProbe.Kind;
import dev.bascule.api.ApplicationSignal;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison with the baseline, measurement by measurement, without a database. */
class ApplicationWatchTest {
    static final Duration SECOND = Duration.ofSeconds(1);
    static final ApplicationSignal SIGNAL = ApplicationSignal.factor(2.0)
            .withTiming(SECOND, SECOND, Duration.ofSeconds(3), Duration.ofSeconds(5));

    /** {@code n} statements of {@code ms} each. */
    static Interval calls(long n, double ms) {
        return new Interval(n, n * ms);
    }

    static ApplicationWatch observe(ApplicationWatch w, Interval i, int seconds) {
        for (int s = 0; s < seconds; s++) {
            w = w.observe(i, SECOND);
        }
        return w;
    }

    @Test
    void pausesOnlyWhenTheSlowdownLastsAndClearsOnlyWhenTheRecoveryDoes() {
        ApplicationWatch w = ApplicationWatch.fromBaseline(SIGNAL, Kind.LATENCY, "pg_stat_statements", calls(1000, 2.0));
        assertThat(w.threshold()).isEqualTo(4.0);
        w = observe(w, calls(500, 5.0), 2);
        assertThat(w.verdict().go()).as("2 s of 3").isTrue();
        w = observe(w, calls(500, 3.0), 1);
        w = observe(w, calls(500, 5.0), 2);
        assertThat(w.verdict().go()).as("a fast second started the count again").isTrue();
        w = observe(w, Interval.EMPTY, 1);
        w = observe(w, calls(500, 6.0), 1);
        Verdict v = w.verdict();
        assertThat(v.level()).isEqualTo(Verdict.Level.CRITICAL);
        assertThat(v.reason()).isEqualTo("application latency 5.33 ms >= 2.0 x baseline 2.00 ms for 3 s"
                + " (pg_stat_statements; floor 1.00 ms)");
        w = observe(w, calls(500, 2.0), 4);
        assertThat(w.verdict()).as("4 s of 5 under the threshold").isEqualTo(v);
        w = observe(w, calls(500, 9.0), 1);
        w = observe(w, calls(500, 2.0), 4);
        assertThat(w.verdict()).as("a slow second started the recovery again").isEqualTo(v);
        w = observe(w, calls(500, 2.0), 1);
        assertThat(w.verdict().go()).isTrue();
    }

    @Test
    void aResumeByTheUserCountsTheDeviationAgainFromZero() {
        ApplicationWatch w = observe(ApplicationWatch.fromBaseline(SIGNAL, Kind.LATENCY, "pg_stat_statements", calls(100, 1.0)),
                calls(100, 5.0), 3);
        assertThat(w.verdict().level()).isEqualTo(Verdict.Level.CRITICAL);
        w = w.cleared();
        assertThat(w.verdict().go()).isTrue();
        assertThat(w.baseline()).isEqualTo(1.0);
        assertThat(observe(w, calls(100, 5.0), 2).verdict().go()).isTrue();
        assertThat(observe(w, calls(100, 5.0), 3).verdict().level()).isEqualTo(Verdict.Level.CRITICAL);
    }

    @Test
    void theFloorKeepsAnIdleServersNoiseFromPausing() {
        ApplicationWatch w = ApplicationWatch.fromBaseline(SIGNAL, Kind.LATENCY, "pg_stat_statements", calls(50, 0.05));
        assertThat(w.threshold()).isEqualTo(1.0);
        assertThat(observe(w, calls(50, 0.2), 10).verdict().go()).as("0.05 ms to 0.2 ms").isTrue();
        assertThat(observe(w, calls(50, 1.5), 3).verdict().level()).isEqualTo(Verdict.Level.CRITICAL);
    }

    @Test
    void rollbackRateAgainstItsBaselineAndFloor() {
        ApplicationWatch w = ApplicationWatch.fromBaseline(SIGNAL, Kind.ROLLBACKS, "pg_stat_database", new Interval(1000, 0));
        assertThat(w.threshold()).isEqualTo(0.05);
        assertThat(observe(w, new Interval(100, 4), 5).verdict().go()).isTrue();
        Verdict v = observe(w, new Interval(100, 40), 3).verdict();
        assertThat(v.reason()).isEqualTo("application rollback rate 40 % >= 2.0 x baseline 0 % for 3 s (pg_stat_database; floor 5 %)");
    }

    @Test
    void aBaselineNeedsStatementsToCompareWith() {
        assertThat(ApplicationWatch.enough(calls(3, 1.0))).isFalse();
        assertThat(ApplicationWatch.enough(calls(ApplicationWatch.MIN_BASELINE_EVENTS, 1.0))).isTrue();
    }
}
