package dev.bascule.bench.ptosc;

import java.util.function.LongSupplier;

/**
 * When a tool's copy of the rows began and ended (pt-osc's copy, Bascule's backfill), and how many
 * rows the table held as it began: the rows either tool has to copy, counted the same way for both.
 */
final class CopyPhase {
    private final LongSupplier rowsNow;
    private volatile long startedNanos;
    private volatile long finishedNanos;
    private volatile long rowsAtStart;
    private volatile long rowsReported = -1;

    /** @param rowsNow the table's rows at this moment (the loaded rows plus the clients' inserts so far) */
    CopyPhase(LongSupplier rowsNow) {
        this.rowsNow = rowsNow;
    }

    void started() {
        if (startedNanos == 0) {
            rowsAtStart = rowsNow.getAsLong();
            startedNanos = System.nanoTime();
        }
    }

    void finished() {
        finishedNanos = System.nanoTime();
    }

    /** The tool's own count of the rows it copied, where it gives one. */
    void reported(long rows) {
        rowsReported = rows;
    }

    boolean seen() {
        return startedNanos != 0 && finishedNanos != 0;
    }

    double seconds() {
        return seen() ? (finishedNanos - startedNanos) / 1e9 : Double.NaN;
    }

    long rows() {
        return rowsAtStart;
    }

    long rowsReported() {
        return rowsReported;
    }

    double rowsPerSecond() {
        return seen() ? rowsAtStart / seconds() : Double.NaN;
    }
}
