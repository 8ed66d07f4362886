package dev.bascule.dialect;

import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.step.Step.Assignment;

import java.util.List;

/** The triggers that keep old and new columns, split tables and merged tables in step while both versions run. */
public interface SyncTriggers {

    /** The function and trigger that keep old and new columns of one table in sync. */
    List<String> createSyncTrigger(SyncTrigger trigger);

    List<String> dropSyncTrigger(String schema, String table, String triggerName, String functionSchema,
                                 String functionName);

    /**
     * {@code statements} (which drop a table's sync triggers, change its columns and make the
     * triggers again) with the table's writers held out from the first to the last; only where DDL
     * is not transactional.
     */
    default List<String> heldAround(String schema, String table, List<String> statements) {
        throw new UnsupportedOperationException("DDL is transactional here: a transaction holds the table");
    }

    /** The functions and triggers that keep a split table and its parts in step. */
    List<String> createSplitSync(SplitSync split);

    /** The functions and triggers that keep merged tables and their merge in step. */
    List<String> createMergeSync(MergeSync merge);

    /**
     * @param oldVariables names visible to {@code up} expressions (the row as old code sees it),
     *                     each bound to a physical column of the row
     * @param newVariables names visible to {@code down} expressions (the row as new code sees it)
     * @param upAssign     applied to writes from sessions on an older version
     * @param downAssign   applied to writes from sessions on the new version
     */
    record SyncTrigger(String schema, String table, String triggerName, String functionSchema, String functionName,
                       String newVersionSchema, List<ColumnMapping> oldVariables, List<ColumnMapping> newVariables,
                       List<Assignment> upAssign, List<Assignment> downAssign) {}

    /**
     * @param from       the table split
     * @param trigger    the name of the copy triggers on every table involved
     * @param function   the function of the trigger on {@code from}
     */
    record SplitSync(String schema, String from, String functionSchema, String trigger, String function,
                     String newVersionSchema, List<SplitPart> parts) {}

    /**
     * @param key      the part's primary key; the rows of {@code from} with that key share the part row
     * @param moved    the part's columns that leave {@code from} at complete
     * @param oneToOne the key is {@code from}'s own key: a deleted row takes its part row along
     * @param function the function of the trigger on this part
     */
    record SplitPart(String table, List<String> columns, List<String> key, List<String> moved, boolean oneToOne,
                     String function) {}

    /**
     * @param key     the merged table's primary key, a unique key of every source
     * @param sources the first is the table whose rows the merged table has (the others are joined to it)
     */
    record MergeSync(String schema, String into, List<String> key, String functionSchema, String trigger, String function,
                     String newVersionSchema, List<MergeSource> sources) {}

    /** @param columns the source's columns that the merged table keeps, key excluded */
    record MergeSource(String table, List<String> columns, String function) {}
}
