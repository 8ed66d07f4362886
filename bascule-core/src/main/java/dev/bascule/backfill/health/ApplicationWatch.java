package dev.bascule.backfill.health;

import dev.bascule.backfill.health.ApplicationProbe.Interval;
import dev.bascule.backfill.health.ApplicationProbe.Kind;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.backfill.health.ApplicationProbe;
import dev.bascule.api.ApplicationSignal;

import java.time.Duration;
import java.util.Locale;

/**
 * The application's recent measurements against its baseline: a value, not a process, so each
 * step is {@code observe} returning the next watch. A measurement without any statement (an idle
 * second, or one in which no backend published its counters) neither confirms nor clears anything.
 *
 * @param baseline mean of the baseline interval (ms per statement, or rollbacks per transaction)
 * @param above    how long measurements have been over the threshold in a row
 * @param overSum  what those measurements add up to, for the value the pause reason gives
 * @param below    how long measurements have been under it in a row, once tripped
 * @param tripped  the reason given when the measurements stayed over the threshold for long enough;
 *                 null until then and again once they stayed under it for {@code recovery}
 */
public record ApplicationWatch(ApplicationSignal signal, Kind kind, String source, double baseline, Duration above,
                               Interval overSum, Duration below, String tripped) {

    /** Fewer statements than this in the baseline make a mean too noisy to compare with. */
    public static final long MIN_BASELINE_EVENTS = 10;

    public static ApplicationWatch fromBaseline(ApplicationSignal signal, Kind kind, String source, Interval measured) {
        return new ApplicationWatch(signal, kind, source, measured.mean(), Duration.ZERO, Interval.EMPTY, Duration.ZERO, null);
    }

    /** Whether the baseline had enough statements to be compared with. */
    public static boolean enough(Interval measured) {
        return measured.events() >= MIN_BASELINE_EVENTS;
    }

    public double threshold() {
        return Math.max(signal.factor() * baseline, floor());
    }

    private double floor() {
        return kind == Kind.LATENCY ? signal.latencyFloorMillis() : signal.rollbackFloor();
    }

    public ApplicationWatch observe(Interval measurement, Duration length) {
        if (measurement.events() == 0) {
            return this;
        }
        boolean over = measurement.mean() >= threshold();
        if (over) {
            Duration nowAbove = above.plus(length);
            Interval sum = overSum.plus(measurement);
            String reason = tripped == null && nowAbove.compareTo(signal.sustain()) >= 0 ? reason(sum.mean(), nowAbove) : tripped;
            return new ApplicationWatch(signal, kind, source, baseline, nowAbove, sum, Duration.ZERO, reason);
        }
        if (tripped == null) {
            return new ApplicationWatch(signal, kind, source, baseline, Duration.ZERO, Interval.EMPTY, Duration.ZERO, null);
        }
        Duration nowBelow = below.plus(length);
        boolean recovered = nowBelow.compareTo(signal.recovery()) >= 0;
        return new ApplicationWatch(signal, kind, source, baseline, Duration.ZERO, Interval.EMPTY,
                recovered ? Duration.ZERO : nowBelow, recovered ? null : tripped);
    }

    /** The same baseline, nothing counted: after a user's resume the deviation must last again to pause. */
    public ApplicationWatch cleared() {
        return new ApplicationWatch(signal, kind, source, baseline, Duration.ZERO, Interval.EMPTY, Duration.ZERO, null);
    }

    public Verdict verdict() {
        return tripped == null ? Verdict.GO : new Verdict(Verdict.Level.CRITICAL, tripped);
    }

    /** "application latency 0.41 ms (pg_stat_statements)", for notes. */
    public String describeBaseline() {
        return what() + " " + format(baseline) + " (" + source + ")";
    }

    private String reason(double value, Duration over) {
        return String.format(Locale.ROOT, "%s %s >= %s x baseline %s for %s (%s; floor %s)", what(), format(value),
                factor(), format(baseline), seconds(over), source, format(floor()));
    }

    private String factor() {
        double f = signal.factor();
        return f == Math.rint(f) ? String.format(Locale.ROOT, "%.1f", f) : String.valueOf(f);
    }

    private String what() {
        return kind == Kind.LATENCY ? "application latency" : "application rollback rate";
    }

    public String format(double value) {
        if (kind == Kind.ROLLBACKS) {
            double percent = value * 100;
            String f = percent >= 10 || percent == Math.rint(percent) ? "%.0f %%" : percent >= 1 ? "%.1f %%" : "%.2f %%";
            return String.format(Locale.ROOT, f, percent);
        }
        // an idle server's statements take microseconds: 0.003 ms, not 0.00 ms
        return String.format(Locale.ROOT, value < 0.1 && value > 0 ? "%.3f ms" : value < 10 ? "%.2f ms" : "%.1f ms", value);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 || ms >= 10_000 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
