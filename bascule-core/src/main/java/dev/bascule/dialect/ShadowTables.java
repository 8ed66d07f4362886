package dev.bascule.dialect;

import dev.bascule.api.ColumnDef;
import dev.bascule.step.Step.RangeStatement;

import java.util.List;

/**
 * Where DDL is not transactional: alter_column by shadow columns swapped under a table lock, and by a
 * shadow table copied and renamed into place. A server with transactional DDL has none
 * ({@link Dialect#shadows()} is empty): it swaps columns in one transaction.
 */
public interface ShadowTables {

    /**
     * Where DDL is not transactional, the swap of alter_column's shadow columns for the old ones,
     * as statements run in order: the table is locked against writers, one ALTER drops the old
     * columns and their indexes and gives the shadows and their indexes the old names, the sync
     * triggers are dropped, then the table is unlocked. No writer ever sees the table between two
     * of them.
     *
     * @param dropTriggers  the statements dropping the table's sync triggers
     * @param dropIndexes   the indexes on the old columns
     * @param columns       old column to shadow, with the name the shadow takes
     * @param indexRenames  the shadows' indexes, from their temporary names to the old ones
     */
    List<String> swapColumns(String schema, String table, List<String> dropTriggers, List<String> dropIndexes,
                             List<ColumnSwap> columns, List<Renamed> indexRenames);

    /**
     * Where a column cannot get a shadow column (a primary key's, an AUTO_INCREMENT's): an empty
     * copy of the table with the column of its new type. Each statement may run again.
     */
    List<String> createShadowTable(String schema, String table, String shadow, ColumnDef column,
                                   boolean autoIncrement, String collation);

    /**
     * {@link #createShadowTable}, the column also placed {@code after} another or {@code first}
     * (neither: where it is) in the copy, for a move the server could make only by rebuilding the table.
     */
    List<String> createShadowTable(String schema, String table, String shadow, ColumnDef column,
                                   boolean autoIncrement, String collation, java.util.Optional<String> after, boolean first);

    /**
     * rebuild_table: an empty copy of the table with {@code rebuild}'s options and keys. Each
     * statement may run again: the copy is made anew (nothing is written to it before the copy
     * triggers, which come after).
     */
    List<String> createRebuiltTable(String schema, String table, String shadow, TableRebuild rebuild);

    /**
     * A check, run before complete changes anything, that {@code shadow} has exactly {@code table}'s
     * rows by {@code key}: the same count, no key missing. It fails with SQLSTATE 23000 otherwise.
     */
    String requireSameRows(String schema, String table, String shadow, String key);

    /** Gives {@code shadow} the AUTO_INCREMENT counter {@code table} has now. */
    String copyAutoIncrement(String schema, String table, String shadow);

    /** AFTER INSERT, UPDATE and DELETE triggers copying each write of {@code table} into {@code shadow}. */
    List<String> createCopyTriggers(String schema, String table, String shadow, List<String> columns,
                                    List<String> key, String name, OwnerMarker marker);

    /** Drops {@link #createCopyTriggers}' triggers, from whichever table holds them now. */
    List<String> dropCopyTriggers(String schema, String name);

    /** The backfill's copy of one key range of {@code table} into {@code shadow}, which keeps a newer row. */
    List<RangeStatement> shadowTableCopy(String schema, String table, String shadow, List<String> columns);

    /** Gives {@code table}'s name to {@code shadow} and {@code retired}'s to {@code table}, in one atomic statement. */
    String cutOver(String schema, String table, String shadow, String retired);

    /** An old column, the shadow that replaces it, and the name the shadow takes. */
    record ColumnSwap(String old, String shadow, String finalName) {}

    /** An object's temporary name and the name it takes. */
    record Renamed(String from, String to) {}
}
