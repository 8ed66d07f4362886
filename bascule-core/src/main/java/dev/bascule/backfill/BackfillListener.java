package dev.bascule.backfill;

import java.time.Duration;

/** Receives a backfill's progress after every batch. */
@FunctionalInterface
public interface BackfillListener {

    /**
     * @param rate rows per second over the batches of this run
     * @param eta  time left at that rate, or null when unknown
     * @param state "running", "throttled: REASON", "paused" or "paused: REASON" (who paused it, or the
     *              signal that did), "done"
     */
    void progress(String table, long rowsDone, long rowsTotal, double rate, Duration eta, int batchSize, String state);

    /** One batch committed: where its time went. */
    default void batch(dev.bascule.api.BackfillBatch batch) {
    }

    /** The backfill waited {@code waited} instead of running a batch, for {@code reason}. */
    default void waited(String table, String reason, Duration waited) {
    }

    /** Something the user should read: a baseline taken, a pause made or lifted by the backfill itself. */
    default void note(String message) {
    }

    BackfillListener NONE = (t, d, total, r, e, b, s) -> { };

    /** Time left for {@code total - done} rows at {@code rate} rows per second; null when the rate is unknown. */
    static Duration eta(long done, long total, double rate) {
        return rate > 0 ? Duration.ofMillis((long) ((total - done) / rate * 1000)) : null;
    }
}
