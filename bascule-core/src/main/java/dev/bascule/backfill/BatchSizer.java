package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
/**
 * Sizes batches toward a target duration: grows by at most half when batches run fast, shrinks in
 * proportion when they run slow (as pt-online-schema-change and Spirit do), within fixed bounds.
 */
final class BatchSizer {
    private final long targetNanos;
    private final boolean fixed;
    private int size;

    BatchSizer(BackfillOptions options) {
        this.targetNanos = options.targetBatchTime().toNanos();
        this.fixed = options.batchSize() > 0;
        this.size = fixed ? options.batchSize() : BackfillOptions.FIRST_BATCH;
    }

    int size() {
        return size;
    }

    void observe(int rows, long nanos) {
        if (fixed || rows < size || nanos <= 0) {
            return; // a short last batch says nothing about speed
        }
        double ratio = (double) targetNanos / nanos;
        if (ratio > 0.9 && ratio < 1.1) {
            return; // close enough: keep steady rather than oscillate
        }
        // aim a little under the target: measured time includes waits behind application writes
        double factor = Math.min(1.5, Math.max(0.25, ratio * 0.95));
        size = (int) Math.max(BackfillOptions.MIN_BATCH, Math.min(BackfillOptions.MAX_BATCH, Math.round(size * factor)));
    }

    /** After a statement or row lock timeout: half the size, never below one row. */
    void split() {
        size = Math.max(1, size / 2);
    }
}
