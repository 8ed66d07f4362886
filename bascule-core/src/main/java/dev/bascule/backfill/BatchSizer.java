package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
/**
 * Sizes batches toward a target duration: grows by at most half when batches run fast, shrinks in
 * proportion when they run slow (as pt-online-schema-change and Spirit do), within fixed bounds.
 * While application sessions wait on the backfill's row locks the target is the shorter contended
 * batch time: a batch holds its rows' locks until it commits, so its duration is what a write to
 * one of them can wait. But not shorter than ten times the batch's commit (with the round trips
 * that end the batch): where a commit costs a binary log and a redo log flush (MySQL, 9 to 14 ms a
 * batch measured on a slow disk), 50 ms batches spent a fifth of their copy committing, and the
 * clients' own commits queue behind those flushes. A larger batch flushes more log, so there the
 * contended time ends near the target. PostgreSQL's batches commit without waiting for their WAL
 * flush, well under a millisecond, and keep the contended time.
 */
final class BatchSizer {
    /** While contended, a batch lasts at least this many times its commit. */
    private static final int COMMIT_MULTIPLE = 10;
    private final long targetNanos;
    private final long contendedNanos;
    private final boolean fixed;
    private int size;
    /** Moving average of the batches' commit times; 0 before the first. */
    private double commitNanos;

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
        observe(rows, nanos, contended, 0);
    }

    /**
     * @param contended   application sessions waited on the backfill's locks lately
     * @param commitNanos this batch's commit, with the round trips that end it
     */
    void observe(int rows, long nanos, boolean contended, long commitNanos) {
        if (commitNanos > 0) {
            this.commitNanos = this.commitNanos == 0 ? commitNanos : 0.8 * this.commitNanos + 0.2 * commitNanos;
        }
        long target = contended ? contendedTarget() : targetNanos;
        if (fixed || rows < size || nanos <= 0) {
            return; // a short last batch says nothing about speed
        }
        double ratio = (double) target / nanos;
        if (ratio > 0.9 && ratio < 1.1) {
            return; // close enough: keep steady rather than oscillate
        }
        shrink(target, nanos);
    }

    /** The contended batch time, or ten times the batches' commit where that is longer; never over the target. */
    long contendedTarget() {
        return Math.min(targetNanos, Math.max(contendedNanos, (long) (COMMIT_MULTIPLE * commitNanos)));
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
