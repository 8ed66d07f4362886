package dev.bascule.dialect;

/** What the plan says each kind of statement locks on this server. */
public interface Locks {

    /** A catalog-only change of an existing table. */
    String brief();

    /** An index built or dropped while reads and writes go on. */
    String onlineIndex();

    /** Complete's check of existing rows. */
    String validate();

    /** A backfill batch. */
    String rows();

    /** Creating or dropping a sync trigger. */
    String trigger();

    /** NOT NULL set at complete. */
    String setNotNull();

    /** DROP TABLE at complete. */
    String dropTable();

    /** DROP COLUMN at complete. */
    String dropColumn();

    /** Setting a table's or a column's comment (metadata only). */
    default String comment() {
        return brief();
    }

    /** What the swap of alter_column's shadow columns holds. */
    default String swapLock() {
        return brief();
    }

    /** The lock dropping a constraint of {@code kind} takes. */
    default String dropConstraintLock(ConstraintDdl.ConstraintKind kind) {
        return brief();
    }

    /** The lock adding a foreign key (without checking existing rows) takes. */
    default String addForeignKeyLock() {
        return brief();
    }

    /** The labels of a server whose every catalog-only change takes the same brief lock (or {@code comment}, for a comment). */
    record LockLabels(String brief, String onlineIndex, String validate, String rows, String trigger, String setNotNull,
                      String dropTable, String dropColumn, String comment) implements Locks {
        /** A comment takes the brief lock too. */
        public LockLabels(String brief, String onlineIndex, String validate, String rows, String trigger, String setNotNull,
                          String dropTable, String dropColumn) {
            this(brief, onlineIndex, validate, rows, trigger, setNotNull, dropTable, dropColumn, brief);
        }
    }
}
