package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
/**
 * Sizes batches toward a target duration: grows by at most half when batches run fast, shrinks in
 * proportion when they run slow (as pt-online-schema-change and Spirit do), within fixed bounds.
 * While application sessions wait on the backfill's row locks the target is the shorter contended
 * batch time: a batch holds its rows' locks until it commits, so its duration is what a write to
 * one of them can wait.
 */
final class BatchSizer {
    private final long targetNanos;
    private final long contendedNanos;
    private final boolean fixed;
    private int size;

    BatchSizer(BackfillOptions options) {
        this.targetNanos = options.targetBatchTime().toNanos();
        this.contendedNanos = Math.min(targetNanos, options.contendedBatchTime().toNanos());
        this.fixed = options.batchSize() > 0;
        this.size = fixed ? options.batchSize() : BackfillOptions.FIRST_BATCH;
    }

    int size() {
        return size;
    }

    void observe(int rows, long nanos) {
        observe(rows, nanos, false);
    }

    /** @param contended application sessions waited on the backfill's locks lately */
    void observe(int rows, long nanos, boolean contended) {
        long target = contended ? contendedNanos : targetNanos;
        if (fixed || rows < size || nanos <= 0) {
            return; // a short last batch says nothing about speed
        }
        double ratio = (double) target / nanos;
        if (ratio > 0.9 && ratio < 1.1) {
            return; // close enough: keep steady rather than oscillate
        }
        shrink(target, nanos);
    }

    private void shrink(long target, long nanos) {
        // aim a little under the target: measured time includes waits behind application writes
        double factor = Math.min(1.5, Math.max(0.25, (double) target / nanos * 0.95));
        size = (int) Math.max(BackfillOptions.MIN_BATCH, Math.min(BackfillOptions.MAX_BATCH, Math.round(size * factor)));
    }

    /** After a statement or row lock timeout: half the size, never below one row. */
    void split() {
        size = Math.max(1, size / 2);
    }
}
