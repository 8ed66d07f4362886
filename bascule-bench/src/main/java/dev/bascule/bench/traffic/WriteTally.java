package dev.bascule.bench.traffic;

import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the clients saw succeed, to check the table against afterwards: every insert adds a row
 * with 0 visits, every update adds 1 to one row's visits, whichever version wrote it.
 */
final class WriteTally {
    private final LongAdder inserted = new LongAdder();
    private final LongAdder updated = new LongAdder();

    void inserted() {
        inserted.increment();
    }

    void updated(int rows) {
        updated.add(rows);
    }

    long insertedRows() {
        return inserted.sum();
    }

    long updatedRows() {
        return updated.sum();
    }
}
