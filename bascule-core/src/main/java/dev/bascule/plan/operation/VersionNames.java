package dev.bascule.plan.operation;

/**
 * The names new code uses for the tables and columns that exist before a migration, as its
 * operations change them one after the other (see {@link OperationPlanner#renames}).
 */
public interface VersionNames {
    void renameTable(String from, String to);

    void dropTable(String name);

    void renameColumn(String table, String from, String to);

    void dropColumn(String table, String column);

    /** A split or merge takes the table apart: new code no longer has it whole. */
    void takeApart(String table);

    /** The operation makes a column of the table unique. */
    void addUnique(String table);
}
