package dev.bascule.api;

import java.time.Duration;

/**
 * How the backfill watches the application: a baseline of its statement latency (or, without
 * pg_stat_statements, of its rollback rate) is measured just before the first batch, and a
 * recent value at least {@code factor} times the baseline, and above the floor, for
 * {@code sustain} pauses the backfill.
 *
 * @param factor             0 turns the signal off
 * @param latencyFloorMillis the recent latency must also reach this: on an idle server 0.05 ms
 *                           becoming 0.2 ms is four times the baseline, and harms no one
 * @param rollbackFloor      the recent share of rolled back transactions must also reach this (0.05: 5 %)
 * @param baseline           how long the baseline is measured, before the first batch
 * @param sampleInterval     one measurement; each is compared with the threshold on its own
 * @param sustain            how long measurements must stay over the threshold before the backfill
 *                           pauses: one slow second is noise
 * @param recovery           how long they must stay under it before the signal clears (and, with
 *                           {@link ThrottleOptions#autoResume()}, the backfill resumes)
 */
public record ApplicationSignal(double factor, double latencyFloorMillis, double rollbackFloor, Duration baseline,
                                Duration sampleInterval, Duration sustain, Duration recovery,
                                Source source) {

    /** Which of the server's statistics to watch. */
    public enum Source {
        /** Statement latency when the server can tell it, otherwise the rollback rate. */
        AUTO,
        /** Mean execution time of the application's statements; nothing is watched when unavailable. */
        STATEMENT_LATENCY,
        /** Share of the database's transactions that end in a rollback (errors, deadlocks, timeouts). */
        ROLLBACK_RATE
    }

    public static final ApplicationSignal OFF = new ApplicationSignal(0, 1.0, 0.05, Duration.ofSeconds(10),
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30), Source.AUTO);

    public ApplicationSignal {
        if (factor != 0 && !(factor > 1)) {
            throw new IllegalArgumentException("the latency factor must be more than 1 (0: off), got " + factor);
        }
        if (!(latencyFloorMillis >= 0) || !(rollbackFloor >= 0 && rollbackFloor <= 1)) {
            throw new IllegalArgumentException("floors must not be negative (and the rollback floor at most 1)");
        }
        for (Duration d : new Duration[] {baseline, sampleInterval, sustain, recovery}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("the application signal's durations must be positive");
            }
        }
        if (source == null) {
            throw new IllegalArgumentException("source is required");
        }
    }

    /** The defaults, watching with {@code factor}. */
    public static ApplicationSignal factor(double factor) {
        return OFF.withFactor(factor);
    }

    public boolean on() {
        return factor > 0;
    }

    public ApplicationSignal withFactor(double f) {
        return new ApplicationSignal(f, latencyFloorMillis, rollbackFloor, baseline, sampleInterval, sustain, recovery, source);
    }

    public ApplicationSignal withLatencyFloorMillis(double ms) {
        return new ApplicationSignal(factor, ms, rollbackFloor, baseline, sampleInterval, sustain, recovery, source);
    }

    public ApplicationSignal withRollbackFloor(double share) {
        return new ApplicationSignal(factor, latencyFloorMillis, share, baseline, sampleInterval, sustain, recovery, source);
    }

    public ApplicationSignal withTiming(Duration baseline, Duration sampleInterval, Duration sustain, Duration recovery) {
        return new ApplicationSignal(factor, latencyFloorMillis, rollbackFloor, baseline, sampleInterval, sustain, recovery, source);
    }

    public ApplicationSignal withSource(Source s) {
        return new ApplicationSignal(factor, latencyFloorMillis, rollbackFloor, baseline, sampleInterval, sustain, recovery, s);
    }
}
