package dev.bascule.step;

import java.util.Locale;

/**
 * What a step does to the rows of its table, from cheapest to costliest, apart from the lock it
 * takes: the lock says who waits, this says for how long the work grows with the table.
 */
public enum TableEffect {
    /** Changes the catalog only: no row is read or written, whatever the table's size. */
    CATALOG,
    /** Reads every row (a validation, an index build) and writes none. */
    SCAN,
    /** Writes every row in keyset batches, each batch its own short transaction (a backfill). */
    BATCHED_WRITES,
    /** Writes the rows a statement matches in one transaction: every row, without a WHERE. */
    WRITES,
    /** Writes a new copy of every row and rebuilds the indexes, holding the statement's lock throughout. */
    REWRITE,
    /** Bascule cannot tell from the statement (a DO block, a function it does not know). */
    UNKNOWN;

    /** As plan prints it: {@code catalog}, {@code scan}, {@code batched_writes}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The effect of running both. An unknown statement may be as costly as any, so it wins over
     * everything but a rewrite, which nothing is costlier than.
     */
    public TableEffect and(TableEffect other) {
        if (this == REWRITE || other == REWRITE) {
            return REWRITE;
        }
        if (this == UNKNOWN || other == UNKNOWN) {
            return UNKNOWN;
        }
        return compareTo(other) >= 0 ? this : other;
    }
}
