package dev.bascule.dialect;

import dev.bascule.dialect.SyncTriggers.MergeSync;
import dev.bascule.dialect.SyncTriggers.SplitPart;
import dev.bascule.dialect.VersionViews.ColumnMapping;

import java.util.List;

/** Queries that change nothing: a step's guards, complete's and verify's checks, plan-time checks of types and expressions. */
public interface Checks {

    /**
     * Statements that bound a plan-time expression check, run in its transaction (which is rolled
     * back); {@code schema} is where the expression's names resolve.
     */
    List<String> expressionCheckSettings(String schema);

    /** {@code query}, made to give up quickly on a busy server, for a plan-time check. */
    default String boundedCheck(String query) {
        return query;
    }

    /**
     * A query that changes nothing and fails unless {@code type} is a type the server knows and
     * nothing more: with a syntax error ({@link #isSyntaxError}) when it is not even shaped as one.
     */
    default String typeCheck(String type) {
        return "SELECT CAST(NULL AS " + type + ")";
    }

    /**
     * A statement that fails with an SQLSTATE of class 23 when a row of {@code table} has NULL in
     * {@code column}: complete's check before it sets NOT NULL, without NOT VALID constraints.
     */
    String requireNoNulls(String schema, String table, String column);

    /** True for a row ({@code bascule_row}) of the split table whose part row is missing or differs. */
    String splitMismatch(String schema, SplitPart part);

    /** True for a row ({@code bascule_row}) of merged table {@code source} whose merged row is missing or differs. */
    String mergeMismatch(MergeSync merge, int source);

    String tableExists(String schema, String table);

    /** A query of one boolean: whether {@code table} has a row (it reads one at most). */
    String hasRows(String schema, String table);

    String columnExists(String schema, String table, String column);

    String constraintExists(String schema, String table, String name);

    String columnIsNotNull(String schema, String table, String column);

    default String columnAbsent(String schema, String table, String column) {
        return "SELECT NOT (" + columnExists(schema, table, column) + ")";
    }

    /**
     * A predicate over the row {@code bascule_row}, true when neither direction of an
     * alter_column holds: the new column is not {@code up} of the row as old code sees it, and the
     * old column is not {@code down} of the row as new code sees it.
     */
    String rowMismatch(String newColumn, String upValue, List<ColumnMapping> oldScope, String oldColumn,
                       String downValue, List<ColumnMapping> newScope);

    /** A query returning true when {@code schema} has a table, view or sequence named {@code name}. */
    String relationExists(String schema, String name);
}
