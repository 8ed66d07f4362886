package dev.bascule.bench.ptosc;

/** One tool changing {@code amount} of a fresh {@code orders} table to {@code bigint}, under the clients. */
sealed interface SchemaChange permits PtOscChange, BasculeChange {

    /** As the report names it. */
    String name();

    /**
     * Runs the whole change, start to end, marking the start and the end of its copy of the rows
     * on {@code copy}; returns what it did, in a line.
     */
    String run(OrdersTable table, CopyPhase copy) throws Exception;

    /** The column that is {@code bigint} afterwards and must hold every untouched row's amount. */
    default String checkedColumn() {
        return "amount";
    }
}
