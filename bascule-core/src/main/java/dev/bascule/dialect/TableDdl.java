package dev.bascule.dialect;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;

import java.util.List;
import java.util.Optional;

/** The SQL text of changes to schemas, tables and columns. */
public interface TableDdl {

    /** A NULL of {@code type}, standing in for a column that does not exist yet. */
    default String typedNull(String type) {
        return "CAST(NULL AS " + type + ")";
    }

    /** SET NOT NULL on a column this migration added with {@code column}'s definition. */
    default String setNotNull(String schema, String table, ColumnDef column) {
        return setNotNull(schema, table, column.name());
    }

    /**
     * A column added NOT NULL at once (with a default: the column's own, or a
     * {@link #placeholderValue}), where no NOT VALID check can stand for NOT NULL until complete
     * and the server adds such a column without a rebuild.
     */
    default String addColumnAsDeclared(String schema, String table, ColumnDef column, boolean withDefault) {
        return addColumn(schema, table, column, withDefault);
    }

    /**
     * Statements that show a column start added hidden from old code (MariaDB: INVISIBLE), placed
     * {@code after} a column, {@code first}, or (neither) where it is; {@code dropDefault}: without
     * its (placeholder) default. None where a server has no invisible columns (old code names its columns).
     */
    List<String> revealColumn(String schema, String table, String column, Optional<String> after, boolean first,
                              boolean dropDefault);

    /**
     * The statement that gives a column of the MySQL family's {@code enum} or {@code set} type
     * {@code type}, the same values with more appended, in place and at once ({@code ALGORITHM=INSTANT}),
     * restating the rest of {@code column} (its collation when the type names none, nullability,
     * default, comment); empty on a server without such types.
     */
    Optional<String> appendValues(String schema, String table, Catalog.Column column, String type);

    /**
     * Statements that move a column {@code after} another or {@code first}, restating it as it is
     * when they run, without a rebuild (MySQL family: {@code MODIFY .. AFTER}, {@code ALGORITHM=INSTANT});
     * none where the server keeps no column order.
     */
    List<String> moveColumn(String schema, String table, String column, Optional<String> after, boolean first);

    /**
     * Why the server cannot place a column with add_column's or alter_column's {@code after} and
     * {@code first} without a rebuild (PostgreSQL has no column order), or empty where it can.
     */
    Optional<String> columnOrderObstacle();

    /**
     * Why the server cannot move an existing column (alter_column's {@code after} / {@code first})
     * without rebuilding the table, or empty where it can; {@link #columnOrderObstacle} by default.
     */
    default Optional<String> columnMoveObstacle() {
        return columnOrderObstacle();
    }

    /**
     * {@code addColumn}, a statement of {@link #addColumn} or {@link #addColumnAsDeclared}, adding
     * its column {@code after} a column or {@code first} where the server places a new column at
     * once but moves none later (MySQL 8: INSTANT adds a column anywhere, a move rebuilds the
     * table); else as it is (the column is placed when complete shows it).
     */
    default String placedAtStart(String addColumn, Optional<String> after, boolean first) {
        return addColumn;
    }

    /**
     * A value a NOT NULL column of {@code type} with no default of its own may hold until the
     * backfill and the sync triggers fill it: the default it is added with (old code's inserts, which
     * do not name it, must not fail before the triggers exist), dropped again at complete. Empty
     * where the column is added nullable instead.
     */
    Optional<String> placeholderValue(String type);

    String createTable(String schema, Operation.CreateTable table);

    String dropTable(String schema, String table);

    String renameTable(String schema, String from, String to);

    /**
     * Sets the table's replica identity; {@code index} names the index of {@code INDEX}. Only where
     * {@link Capabilities#replicaIdentity()}: planning refuses the operation elsewhere.
     */
    String setReplicaIdentity(String schema, String table, dev.bascule.api.Operation.ReplicaIdentity identity, String index);

    /** Adds a nullable column without constraints; constraints are added separately, NOT VALID. */
    String addColumn(String schema, String table, ColumnDef column, boolean withDefault);

    /**
     * Adds generated column {@code column} (with its NOT NULL, UNIQUE and CHECK) to a table that must
     * have no row: the statements lock the table, fail (naming the table) if a row is there, and add
     * the column, whose computing for every row is then free. Only where
     * {@link Capabilities#addGeneratedColumn()}: planning refuses it elsewhere.
     */
    List<String> addGeneratedColumnToEmptyTable(String schema, String table, ColumnDef column);

    String setColumnDefault(String schema, String table, String column, String expression);

    String dropColumn(String schema, String table, String column);

    String renameColumn(String schema, String table, String from, String to);

    String setNotNull(String schema, String table, String column);

    String dropColumnDefault(String schema, String table, String column);

    /** {@code expression} converted to {@code type} as an explicit cast. */
    default String cast(String expression, String type) {
        return "CAST((" + expression + ") AS " + type + ")";
    }

    String createSchema(String schema);

    /**
     * Renames a column complete would drop to {@code deprecatedName} and comments it with
     * {@code marker} plus the time: its values stay, and it no longer stands in new code's way. It
     * loses what DROP COLUMN would have dropped with it (the indexes and constraints that use it),
     * its default, NOT NULL, identity and generation expression, so rows written without it are
     * accepted. Does nothing when the column is gone.
     */
    String deprecateColumn(String schema, String table, String column, String deprecatedName, String marker);

    /**
     * Renames a table complete would drop to {@code deprecatedName} and comments it with
     * {@code marker} plus the time. Its foreign keys are dropped: they would refuse new code's
     * deletes of the rows they point at. Indexes and other constraints stay (no one writes the
     * table). Does nothing when the table is gone.
     */
    String deprecateTable(String schema, String table, String deprecatedName, String marker);

    /** Sets a column's comment; a null or empty {@code comment} removes it. */
    String commentOnColumn(String schema, String table, String column, String comment);

    /** Sets a table's comment; a null or empty {@code comment} removes it. */
    String commentOnTable(String schema, String table, String comment);

    /**
     * The statements that give a table {@link #createTable} made its comments, where CREATE TABLE
     * cannot hold them (PostgreSQL: COMMENT ON); none where it does.
     */
    default List<String> commentsOf(String schema, Operation.CreateTable table) {
        List<String> sql = new java.util.ArrayList<>();
        table.comment().ifPresent(c -> sql.add(commentOnTable(schema, table.name(), c)));
        table.columns().forEach(col -> sql.addAll(commentOf(schema, table.name(), col)));
        return sql;
    }

    /**
     * The statements that give a column {@link #addColumn} (or {@link #addColumnAsDeclared}) added
     * its comment, where ADD COLUMN cannot hold it; none where it does.
     */
    default List<String> commentOf(String schema, String table, ColumnDef column) {
        return column.comment().map(c -> List.of(commentOnColumn(schema, table, column.name(), c))).orElse(List.of());
    }

    /**
     * Why a comment cannot be set on {@code column} here without changing it, or empty. PostgreSQL's
     * COMMENT ON touches nothing else; a server that restates the column must be able to restate it whole.
     */
    default java.util.Optional<String> columnCommentObstacle(Catalog.Column column) {
        return java.util.Optional.empty();
    }
}
