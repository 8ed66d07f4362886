package dev.bascule.plan.operation;

import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.VersionViews;
import dev.bascule.dialect.ConstraintDdl;
import dev.bascule.step.Step.Declared;
import dev.bascule.step.Step.TableName;
import dev.bascule.step.TableEffect;

import java.util.List;

/**
 * The effect on its table of each kind of step the operations make, on the server the plan is
 * for, declared with the step: the operation knows what it asked the server to do, so plan does
 * not read Bascule's own statements again. PostgreSQL's rules are those its documentation of
 * ALTER TABLE, CREATE INDEX and SET NOT NULL states; on MySQL/MariaDB every ALTER Bascule writes
 * names its algorithm, and the server refuses it rather than copy the table, so the algorithm
 * says the effect.
 */
final class StepEffects {
    private static final String DICTIONARY = "data dictionary only";
    private static final String INSTANT = "ALGORITHM=INSTANT: metadata only";
    private static final String INPLACE_DROP = "ALGORITHM=INPLACE, LOCK=NONE: the index is dropped without a copy";

    private static final java.util.regex.Pattern SERIAL = java.util.regex.Pattern.compile("(small|big)?serial[248]?\\b");

    private final boolean postgres;

    /** MySQL drops a foreign key and renames an index INPLACE (metadata only), where MariaDB does it INSTANT. */
    private final boolean mysql;

    StepEffects(String dialect, String server) {
        this.postgres = "postgresql".equals(dialect);
        this.mysql = "MySQL".equals(server);
    }

    /** An index built while reads and writes go on. */
    Declared indexBuild() {
        return postgres ? scan("CREATE INDEX CONCURRENTLY reads every row (twice); writes go on")
                : scan("ALGORITHM=INPLACE, LOCK=NONE: the index is built from a scan while reads and writes go on");
    }

    /** An index dropped while reads and writes go on. */
    Declared indexDrop() {
        return catalog(postgres ? "DROP removes catalog entries and files; it reads no row" : INPLACE_DROP);
    }

    /** Only PostgreSQL has a replica identity: MariaDB's plan refuses the operation. */
    Declared replicaIdentity() {
        return catalog("REPLICA only changes the catalog"); // as the statement reader says it
    }

    Declared createTable() {
        return catalog(postgres ? "creates an empty table" : DICTIONARY);
    }

    Declared dropTable() {
        return catalog(postgres ? "DROP removes catalog entries and files; it reads no row" : DICTIONARY);
    }

    Declared dropColumn() {
        return catalog(postgres ? "DROP COLUMN only changes the catalog" : INSTANT);
    }

    /** On MariaDB a UNIQUE constraint is its index, dropped in place; the others go instantly. */
    Declared dropConstraint(ConstraintDdl.ConstraintKind kind) {
        return catalog(postgres ? "DROP CONSTRAINT only changes the catalog"
                : kind == ConstraintDdl.ConstraintKind.UNIQUE || (mysql && kind == ConstraintDdl.ConstraintKind.FOREIGN_KEY)
                ? INPLACE_DROP : INSTANT);
    }

    /** A foreign key dropped on rollback; on MariaDB with the index made for it, if one was. */
    Declared foreignKeyDrop(boolean withIndex) {
        return catalog(postgres ? "DROP CONSTRAINT only changes the catalog" : withIndex || mysql ? INPLACE_DROP : INSTANT);
    }

    /**
     * A foreign key added for new writes only: NOT VALID on PostgreSQL; on MariaDB with the checks
     * off, and an index built for it.
     */
    Declared foreignKeyAdd() {
        return postgres ? catalog("FOREIGN KEY ... NOT VALID: only new writes are checked")
                : scan("ALGORITHM=INPLACE, LOCK=NONE, foreign_key_checks=0: existing rows are not checked; an index on"
                + " the key's columns is built from a scan when none starts with them");
    }

    /** The existing rows checked against a foreign key: PostgreSQL's VALIDATE, MariaDB's query for a row that breaks it. */
    Declared foreignKeyValidation() {
        return scan(postgres ? "VALIDATE CONSTRAINT reads every row; writes go on"
                : "a read of the rows, looking for one that breaks the check");
    }

    /**
     * A column added nullable, with its default in the statement only when it is a constant (any
     * other is set after it, for new rows), so no row is read or written. A serial or generated
     * column, which fills every row, is left to be read from its statement.
     *
     * @param statements the ADD COLUMN and, for a default that is not a constant, the SET DEFAULT after it
     */
    Declared addColumn(String type, boolean constantDefault, List<String> statements) {
        if (!postgres) {
            return catalog(INSTANT);
        }
        String t = type.strip().toLowerCase(java.util.Locale.ROOT);
        if (SERIAL.matcher(t).lookingAt() || t.contains("generated")) {
            return null;
        }
        return catalog(statements.size() > 1 ? statements(statements)
                : "ADD COLUMN" + (constantDefault ? " with a non-volatile default" : "") + " only changes the catalog");
    }

    /** MariaDB's columns added INVISIBLE, shown to every query: the catalog only. PostgreSQL hides none. */
    Declared reveal() {
        return postgres ? null : catalog(INSTANT);
    }

    /** A table's or a column's comment: metadata only (MariaDB: a MODIFY that only changes it, INSTANT). */
    Declared comment() {
        return catalog(postgres ? "COMMENT ON only changes the catalog" : INSTANT);
    }

    /** RENAME CONSTRAINT (PostgreSQL), RENAME INDEX of a unique key (MariaDB, INSTANT). */
    Declared renameConstraint() {
        return catalog(postgres ? "RENAME only changes the catalog" : INSTANT);
    }

    Declared renameTable() {
        return catalog(postgres ? "RENAME only changes the catalog" : INSTANT);
    }

    /** A UNIQUE constraint over an index built before (PostgreSQL; MariaDB builds the constraint as the index). */
    Declared uniqueUsingIndex() {
        return catalog("UNIQUE USING INDEX takes over an index already built");
    }

    /** Triggers dropped, and placeholder defaults with them (MariaDB: each ALTER instantly). */
    Declared triggersAndDefaults(List<String> statements, boolean defaults) {
        return catalog(postgres ? statements(statements) : defaults ? INSTANT : DICTIONARY);
    }

    /** Triggers and their functions made or dropped: the catalog only. */
    Declared triggers(List<String> statements) {
        return catalog(postgres ? statements(statements) : DICTIONARY);
    }

    /**
     * A version schema made again: its views and its read marker, dropped first if there, then
     * created and filled (rows written only into a table the step creates).
     */
    Declared versionSchema(String versionSchema, List<String> statements) {
        return postgres ? new Declared(TableEffect.CATALOG, statements(statements), null,
                List.of(readMarker(versionSchema))) : catalog(DICTIONARY);
    }

    /** A version schema dropped with its views and read marker, the one table it works on. */
    Declared versionSchemaDrop(String versionSchema, List<String> statements) {
        return postgres ? new Declared(TableEffect.CATALOG, statements(statements), readMarker(versionSchema),
                List.of(readMarker(versionSchema))) : catalog(DICTIONARY);
    }

    /** Views made again (MariaDB's after renames): the catalog only. */
    Declared views(List<String> statements) {
        return catalog(postgres ? statements(statements) : DICTIONARY);
    }

    private static TableName readMarker(String versionSchema) {
        return new TableName(versionSchema, VersionViews.READ_MARKER);
    }

    /** What plan says of several statements of which none reads a row. */
    private static String statements(List<String> statements) {
        return statements.size() + " statements, none reads a row";
    }

    private static Declared catalog(String reason) {
        return new Declared(TableEffect.CATALOG, reason);
    }

    private static Declared scan(String reason) {
        return new Declared(TableEffect.SCAN, reason);
    }
}
