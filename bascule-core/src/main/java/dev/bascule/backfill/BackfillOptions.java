package dev.bascule.backfill;

import java.time.Duration;

/**
 * How fast a backfill may go.
 *
 * @param batchSize        rows per batch; 0 lets the engine size batches toward {@code targetBatchTime}
 * @param targetBatchTime  the duration one batch should take (default 200 ms): short enough that row
 *                         locks never hold an application write back for long
 * @param maxRowsPerSecond 0 for no limit
 * @param batchDelay       pause between batches
 * @param statementTimeout a batch taking longer is cancelled and retried at half the size
 */
public record BackfillOptions(int batchSize, Duration targetBatchTime, long maxRowsPerSecond, Duration batchDelay,
                              Duration statementTimeout) {

    public static final int MIN_BATCH = 10;
    public static final int MAX_BATCH = 50_000;
    public static final int FIRST_BATCH = 1_000;

    public static BackfillOptions defaults() {
        return new BackfillOptions(0, Duration.ofMillis(200), 0, Duration.ZERO, Duration.ofSeconds(30));
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
    }

    public BackfillOptions withBatchSize(int size) {
        return new BackfillOptions(size, targetBatchTime, maxRowsPerSecond, batchDelay, statementTimeout);
    }

    public BackfillOptions withTargetBatchTime(Duration d) {
        return new BackfillOptions(batchSize, d, maxRowsPerSecond, batchDelay, statementTimeout);
    }

    public BackfillOptions withMaxRowsPerSecond(long r) {
        return new BackfillOptions(batchSize, targetBatchTime, r, batchDelay, statementTimeout);
    }

    public BackfillOptions withBatchDelay(Duration d) {
        return new BackfillOptions(batchSize, targetBatchTime, maxRowsPerSecond, d, statementTimeout);
    }
}
