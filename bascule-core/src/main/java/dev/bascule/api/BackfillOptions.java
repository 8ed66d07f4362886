package dev.bascule.api;


import java.time.Duration;
import java.util.Optional;

/**
 * How fast a backfill may go.
 *
 * @param batchSize        rows per batch; 0 lets the engine size batches toward {@code targetBatchTime}
 * @param targetBatchTime  the duration one batch should take (default 200 ms): short enough that row
 *                         locks never hold an application write back for long
 * @param maxRowsPerSecond 0 for no limit (shared by all workers)
 * @param batchDelay       pause between batches
 * @param statementTimeout a batch taking longer is cancelled and retried at half the size
 * @param workers          parallel workers over disjoint key ranges (single-column keys)
 * @param throttle         health signals that slow the backfill down or pause it
 * @param window           when batches may run; outside it the backfill waits (the expand steps do not)
 * @param contendedBatchTime the duration batches aim at instead while application sessions wait on the
 *                         backfill's row locks (default 50 ms; never more than {@code targetBatchTime}): a
 *                         batch holds the locks of its rows until it commits, so a write to one of them
 *                         waits up to a batch. Contention is what the lock-wait signal sees (on by
 *                         default, {@link ThrottleOptions#lockWaiters()}); for the first 2 s of a
 *                         backfill, and for 2 s after the monitor last saw a waiter, batches aim at this time
 */
public record BackfillOptions(int batchSize, Duration targetBatchTime, long maxRowsPerSecond, Duration batchDelay,
                              Duration statementTimeout, int workers, ThrottleOptions throttle,
                              Optional<BackfillWindow> window, Duration contendedBatchTime) {

    public BackfillOptions(int batchSize, Duration targetBatchTime, long maxRowsPerSecond, Duration batchDelay,
                           Duration statementTimeout, int workers, ThrottleOptions throttle) {
        this(batchSize, targetBatchTime, maxRowsPerSecond, batchDelay, statementTimeout, workers, throttle, Optional.empty(),
                DEFAULT_CONTENDED_BATCH_TIME);
    }

    /** Short enough that a write waiting on a batch's row lock stays well under 100 ms on a loaded machine. */
    public static final Duration DEFAULT_CONTENDED_BATCH_TIME = Duration.ofMillis(50);

    public static final int MIN_BATCH = 10;
    public static final int MAX_BATCH = 50_000;
    public static final int FIRST_BATCH = 1_000;
    public static final int MAX_WORKERS = 32;

    public static BackfillOptions defaults() {
        return new BackfillOptions(0, Duration.ofMillis(200), 0, Duration.ZERO, Duration.ofSeconds(30), 1,
                ThrottleOptions.defaults());
    }

    public BackfillOptions {
        if (batchSize < 0 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("batch size must be between 1 and " + MAX_BATCH + " (0: automatic)");
        }
        if (targetBatchTime.isNegative() || targetBatchTime.isZero()) {
            throw new IllegalArgumentException("target batch time must be positive");
        }
        if (maxRowsPerSecond < 0) {
            throw new IllegalArgumentException("max rows per second must not be negative");
        }
        if (batchDelay.isNegative()) {
            throw new IllegalArgumentException("batch delay must not be negative");
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be between 1 and " + MAX_WORKERS);
        }
        if (window == null) {
            throw new IllegalArgumentException("window must be given (Optional.empty() for always)");
        }
        if (contendedBatchTime == null || contendedBatchTime.isNegative() || contendedBatchTime.isZero()) {
            throw new IllegalArgumentException("contended batch time must be positive");
        }
    }

    public BackfillOptions withBatchSize(int size) {
        return new BackfillOptions(size, targetBatchTime, maxRowsPerSecond, batchDelay, statementTimeout, workers, throttle, window, contendedBatchTime);
    }

    public BackfillOptions withTargetBatchTime(Duration d) {
        return new BackfillOptions(batchSize, d, maxRowsPerSecond, batchDelay, statementTimeout, workers, throttle, window, contendedBatchTime);
    }

    public BackfillOptions withMaxRowsPerSecond(long r) {
        return new BackfillOptions(batchSize, targetBatchTime, r, batchDelay, statementTimeout, workers, throttle, window, contendedBatchTime);
    }

    public BackfillOptions withBatchDelay(Duration d) {
        return new BackfillOptions(batchSize, targetBatchTime, maxRowsPerSecond, d, statementTimeout, workers, throttle, window, contendedBatchTime);
    }

    public BackfillOptions withStatementTimeout(Duration d) {
        return new BackfillOptions(batchSize, targetBatchTime, maxRowsPerSecond, batchDelay, d, workers, throttle, window, contendedBatchTime);
    }

    public BackfillOptions withWorkers(int n) {
        return new BackfillOptions(batchSize, targetBatchTime, maxRowsPerSecond, batchDelay, statementTimeout, n, throttle, window, contendedBatchTime);
    }

    public BackfillOptions withThrottle(ThrottleOptions t) {
        return new BackfillOptions(batchSize, targetBatchTime, maxRowsPerSecond, batchDelay, statementTimeout, workers, t, window, contendedBatchTime);
    }

    public BackfillOptions withWindow(BackfillWindow w) {
        return new BackfillOptions(batchSize, targetBatchTime, maxRowsPerSecond, batchDelay, statementTimeout, workers, throttle, Optional.ofNullable(w), contendedBatchTime);
    }

    public BackfillOptions withContendedBatchTime(Duration d) {
        return new BackfillOptions(batchSize, targetBatchTime, maxRowsPerSecond, batchDelay, statementTimeout, workers, throttle, window, d);
    }
}
