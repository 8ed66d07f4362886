package dev.bascule.api;

import java.util.List;

/**
 * What each phase of a migration would run, checked against the live catalog (nothing is changed):
 * every step with the lock it takes, what it does to its table's rows and the SQL it runs, and the
 * estimated size of the tables it works on.
 *
 * @param migration             the migration's name
 * @param schema                the base schema; tables in it are named without it
 * @param versionSchema         the schema new code uses once start has run
 * @param previousVersionSchema the schema old code uses
 * @param tables                the tables the steps work on, with their estimated size
 * @param start                 the steps of start (expand and backfill), each with its stage
 * @param validations           what complete checks first; nothing is changed if a constraint fails
 * @param complete              the steps of complete (contract, not reversible)
 * @param rollback              the steps rollback would run instead of complete
 * @param droppedTables         the tables complete drops
 * @param notes                 what the planner wants a reader to know
 */
public record PlanView(String migration, String schema, String versionSchema, String previousVersionSchema,
                       List<Table> tables, List<Step> start, List<Step> validations, List<Step> complete,
                       List<Step> rollback, List<String> droppedTables, List<String> notes) {
    public PlanView {
        tables = List.copyOf(tables);
        start = List.copyOf(start);
        validations = List.copyOf(validations);
        complete = List.copyOf(complete);
        rollback = List.copyOf(rollback);
        droppedTables = List.copyOf(droppedTables);
        notes = List.copyOf(notes);
    }

    /**
     * A table a step works on, as the statistics estimate it (never counted).
     *
     * @param exists        false for a table the migration creates
     * @param estimatedRows null when the table was never analyzed (or does not exist yet)
     * @param bytes         its size on disk, indexes included; 0 when it does not exist yet
     */
    public record Table(String schema, String name, boolean exists, Long estimatedRows, long bytes) {}

    /**
     * One step.
     *
     * @param stage        the start stage ({@code expand}, {@code backfill}...) for a start step; null otherwise
     * @param type         {@code sql}, {@code index} or {@code backfill}
     * @param table        the table the step works on, if any
     * @param lock         the lock it takes; null or blank when none
     * @param effect       what it does to its table's rows: {@code catalog_only}, {@code scan}, {@code batched_writes}, {@code rewrite}...
     * @param effectReason why the effect is what it is
     * @param effectTable  the table the effect is on, if any
     * @param statements   the SQL it runs, each ending in {@code ;}; a backfill as its per-batch statements
     */
    public record Step(String stage, String type, String description, String table, String lock, String effect,
                       String effectReason, Table effectTable, List<String> statements) {
        public Step {
            statements = List.copyOf(statements);
        }
    }
}
