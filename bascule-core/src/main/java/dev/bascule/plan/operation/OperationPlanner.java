package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything Bascule knows about one kind of operation: how it is checked against the new
 * version's tables and planned into start, contract and rollback steps ({@link #plan}), and what
 * it names, creates and renames, which the checks before planning and rehearsal ask without
 * planning it. {@link OperationPlanners#of} finds the class of each operation.
 */
public abstract class OperationPlanner<O extends Operation> {
    protected final O op;

    protected OperationPlanner(O op) {
        this.op = op;
    }

    /**
     * Checks the operation, number {@code i} (from 0) of its migration, against the tables as the
     * operations before it left them, and adds its steps and its effect on the tables to {@code ctx}.
     */
    public abstract void plan(PlanContext ctx, int i);

    /** Whether the operation names {@code table} (as the table it changes, or as one a new foreign key points at). */
    public abstract boolean names(String table, Catalog catalog);

    /**
     * The tables that exist before the migration and that the operation changes (not those it only
     * points a foreign key at): the ownership check before planning makes sure no other migration
     * or tool holds triggers or shadow tables on them.
     */
    public abstract Set<String> changedTables(Catalog catalog);

    /** The names the operation gives to new tables, columns, indexes and constraints, by field (under the operation). */
    public Map<String, String> createdNames() {
        return Map.of();
    }

    /** The table a foreign key the operation adds points at: it must be there to point at. */
    public Optional<String> referencedTable() {
        return Optional.empty();
    }

    /** What the operation does to the names new code uses for the tables and columns there were. */
    public void renames(VersionNames names) {
    }
}
