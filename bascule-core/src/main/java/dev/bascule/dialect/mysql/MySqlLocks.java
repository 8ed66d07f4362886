package dev.bascule.dialect.mysql;

import dev.bascule.dialect.ConstraintDdl.ConstraintKind;
import dev.bascule.dialect.Locks.LockLabels;
import dev.bascule.dialect.Locks;

/** What the plan says each kind of statement locks on a MySQL-family server (metadata locks, online algorithms). */
final class MySqlLocks implements Locks {
    private final MariaDbDialect dialect;

    MySqlLocks(MariaDbDialect dialect) {
        this.dialect = dialect;
    }

    /** The checks are off for the ALTER alone (SET STATEMENT): the session's foreign_key_checks never changes. */
    private static final String ADD_FOREIGN_KEY_LOCK = "ALGORITHM=INPLACE, LOCK=NONE with foreign_key_checks=0 for this"
            + " statement only (existing rows are not checked, complete checks them; an index on the key's columns is"
            + " built online when none starts with them; exclusive metadata lock briefly at start and end)";

    private static final LockLabels LOCKS = new LockLabels(
            "metadata lock, brief (ALGORITHM=INSTANT: no copy, no scan)",
            "ALGORITHM=INPLACE, LOCK=NONE (reads and writes go on; exclusive metadata lock briefly at start and end)",
            "none (a read of the rows, looking for one that breaks the constraint: a NULL, a key with no match)",
            "InnoDB row locks, one batch at a time",
            "metadata lock, brief (CREATE/DROP TRIGGER)",
            "ALGORITHM=INPLACE, LOCK=NONE (the table is rebuilt online; exclusive metadata lock briefly at start and end)",
            "metadata lock, brief (DROP TABLE)",
            "metadata lock, brief (ALGORITHM=INSTANT: no copy, no scan)");

    @Override
    public String brief() {
        return LOCKS.brief();
    }

    @Override
    public String onlineIndex() {
        return LOCKS.onlineIndex();
    }

    @Override
    public String validate() {
        return LOCKS.validate();
    }

    @Override
    public String rows() {
        return LOCKS.rows();
    }

    @Override
    public String trigger() {
        return LOCKS.trigger();
    }

    @Override
    public String setNotNull() {
        return LOCKS.setNotNull();
    }

    @Override
    public String dropTable() {
        return LOCKS.dropTable();
    }

    @Override
    public String dropColumn() {
        return LOCKS.dropColumn();
    }

    @Override
    public String addForeignKeyLock() {
        return ADD_FOREIGN_KEY_LOCK;
    }

    @Override
    public String dropConstraintLock(ConstraintKind kind) {
        // MySQL drops a foreign key INPLACE (it refuses INSTANT there)
        return kind == ConstraintKind.UNIQUE || (kind == ConstraintKind.FOREIGN_KEY && dialect.family() == MySqlFamily.MYSQL)
                ? LOCKS.onlineIndex() : LOCKS.brief();
    }

    @Override
    public String swapLock() {
        return "LOCK TABLES .. WRITE for milliseconds: reads and writes wait while the triggers are dropped and an"
                + " ALTER .. ALGORITHM=NOCOPY drops and renames columns (no copy, no scan)";
    }
}
