package dev.bascule.step;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * One idempotent unit of work of a phase. Plans are persisted before they run, so a command cut
 * off at any point continues from its first unfinished step.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Step.SqlStep.class, name = "sql"),
        @JsonSubTypes.Type(value = Step.IndexBuildStep.class, name = "index"),
        @JsonSubTypes.Type(value = Step.BackfillStep.class, name = "backfill")
})
public sealed interface Step {

    String description();

    /** The physical table the step works on, or null. */
    String table();

    /** The strongest lock the step takes on {@link #table()}, for the plan's output. */
    String lock();

    /**
     * What the step does to the rows of {@link #table()}, as the operation that made it knows it; null
     * for the statements of a {@code sql} operation and in plans stored before steps declared it,
     * which {@link TableEffects} reads from the statements instead.
     */
    Declared effect();

    /**
     * A step's effect on the rows of a table, and why, in a few words, for the plan's output.
     *
     * @param on      the table the costliest statement works on; null for the step's own {@link #table()}
     * @param touches the other tables the step's statements work on, for the plan's list of tables
     */
    record Declared(TableEffect kind, String reason, TableName on, List<TableName> touches) {
        public Declared {
            touches = touches == null ? List.of() : List.copyOf(touches);
        }

        public Declared(TableEffect kind, String reason) {
            this(kind, reason, null, List.of());
        }
    }

    /** A table by schema and name, unquoted. */
    record TableName(String schema, String name) {}

    /**
     * Statements run under the lock timeout, retried on lock timeouts.
     *
     * @param skipIf        a query returning true when the step's effect is already there, or null
     * @param transactional run all statements in one transaction; false for statements that may
     *                      not run in one (CONCURRENTLY)
     * @param concurrent    a CONCURRENTLY statement: it takes no lock an application query waits
     *                      on, but waits for older transactions, so it runs without the lock timeout
     * @param lockedTogether tables a transactional step locks before its statements, as one (null:
     *                      each statement takes its own locks as it comes)
     */
    record SqlStep(String description, String table, String lock, List<String> statements, String skipIf,
                   boolean transactional, boolean concurrent,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Declared effect,
                   @JsonInclude(JsonInclude.Include.NON_NULL) GroupLock lockedTogether) implements Step {
        public SqlStep {
            statements = List.copyOf(statements);
        }

        public SqlStep(String description, String table, String lock, List<String> statements, String skipIf,
                       boolean transactional, boolean concurrent, Declared effect) {
            this(description, table, lock, statements, skipIf, transactional, concurrent, effect, null);
        }

        public SqlStep(String description, String table, String lock, List<String> statements, String skipIf,
                       boolean transactional, boolean concurrent) {
            this(description, table, lock, statements, skipIf, transactional, concurrent, null);
        }

        public SqlStep(String description, String table, String lock, List<String> statements, String skipIf,
                       boolean transactional) {
            this(description, table, lock, statements, skipIf, transactional, false);
        }

        /** This step, declaring its effect. */
        public SqlStep declaring(Declared declared) {
            return new SqlStep(description, table, lock, statements, skipIf, transactional, concurrent, declared, lockedTogether);
        }

        /** This step, its transaction first taking {@code locks}. */
        public SqlStep lockingTogether(GroupLock locks) {
            return new SqlStep(description, table, lock, statements, skipIf, transactional, concurrent, effect, locks);
        }
    }

    /**
     * Exclusive locks on tables that foreign keys link, taken first in a transaction that changes
     * them all (see {@code Sessions#lockTogether} for the order that keeps it out of a deadlock
     * with the application's writers).
     *
     * @param tables     every table, referencing tables before the tables they reference
     * @param referenced those of {@code tables} that a foreign key of the group references
     */
    record GroupLock(List<TableName> tables, List<TableName> referenced) {
        public GroupLock {
            tables = List.copyOf(tables);
            referenced = List.copyOf(referenced);
        }
    }

    /**
     * An online index build. A build cut off midway leaves an invalid index behind; the step drops
     * it and builds again.
     */
    record IndexBuildStep(String description, String table, String lock, String schema, String index,
                          String create, @JsonInclude(JsonInclude.Include.NON_NULL) Declared effect) implements Step {
        public IndexBuildStep(String description, String table, String lock, String schema, String index, String create) {
            this(description, table, lock, schema, index, create, null);
        }
    }

    /**
     * Fills new columns of the rows that existed when the step began, and copies them into new
     * tables, in keyset batches.
     *
     * @param key         the primary key columns with their types, in key order
     * @param assignments column := expression over the row's current columns
     * @param copies      statements copying each batch's rows into other tables (split, merge), run
     *                    after the assignments in the batch's transaction
     */
    record BackfillStep(String description, String table, String lock, String schema, List<KeyColumn> key,
                        List<Assignment> assignments, List<RangeStatement> copies) implements Step {
        public BackfillStep {
            key = List.copyOf(key);
            assignments = List.copyOf(assignments);
            copies = copies == null ? List.of() : List.copyOf(copies); // plans stored before copies existed
        }

        public BackfillStep(String description, String table, String lock, String schema, List<KeyColumn> key,
                            List<Assignment> assignments) {
            this(description, table, lock, schema, key, assignments, List.of());
        }

        /** Batched writes, whatever the statements: each batch is its own short transaction. */
        @Override
        @JsonIgnore
        public Declared effect() {
            return new Declared(TableEffect.BATCHED_WRITES, copies.isEmpty()
                    ? "UPDATE of every row in key order, one short transaction per batch"
                    : "every row copied in key order, one short transaction per batch");
        }
    }

    record KeyColumn(String name, String type) {}


    /** A statement run for one key range: {@code before} + the range predicate + {@code after}. */
    record RangeStatement(String before, String after) {}


    /**
     * column := expression; {@code onlyIfNull} keeps a value the writer supplied.
     *
     * @param reads the physical columns the expression reads: an UPDATE that changes none of them
     *              keeps the column's value (which the other version may have written); null when
     *              the assignment applies to every write
     */
    record Assignment(String column, String expression, boolean onlyIfNull, List<String> reads) {
        public Assignment(String column, String expression, boolean onlyIfNull) {
            this(column, expression, onlyIfNull, null);
        }
    }
}
