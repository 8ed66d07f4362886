package dev.bascule.lint;

import java.util.Locale;

/** The unsafe patterns lint reports, each with why it hurts and what to do instead. */
public enum Rule {
    INDEX_NOT_CONCURRENT(Severity.ERROR, "CREATE INDEX without CONCURRENTLY blocks writes to the table for the whole build",
            "CREATE INDEX CONCURRENTLY, or Bascule's create_index"),
    DROP_INDEX_NOT_CONCURRENT(Severity.ERROR, "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table",
            "DROP INDEX CONCURRENTLY, or Bascule's drop_index"),
    CONCURRENT_IN_TRANSACTION(Severity.ERROR, "a CONCURRENTLY statement fails inside a transaction block",
            "run it on its own, outside a transaction (Flyway: executeInTransaction=false; Liquibase: runInTransaction:false)"),
    FOREIGN_KEY_NOT_VALID(Severity.ERROR, "adding a foreign key checks every row while holding SHARE ROW EXCLUSIVE on both tables",
            "ADD ... NOT VALID, then VALIDATE CONSTRAINT in a later step, or Bascule's add_foreign_key"),
    CHECK_NOT_VALID(Severity.ERROR, "adding a CHECK constraint scans the table under ACCESS EXCLUSIVE",
            "ADD ... NOT VALID, then VALIDATE CONSTRAINT, or Bascule's add_check"),
    SET_NOT_NULL(Severity.ERROR, "SET NOT NULL scans the table under ACCESS EXCLUSIVE",
            "CHECK (col IS NOT NULL) NOT VALID, VALIDATE, then SET NOT NULL, or Bascule's alter_column with nullable: false"),
    UNIQUE_CONSTRAINT(Severity.ERROR, "adding a UNIQUE or PRIMARY KEY constraint builds its index under ACCESS EXCLUSIVE",
            "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX, or Bascule's alter_column with unique: true"),
    COLUMN_TYPE_CHANGE(Severity.ERROR, "changing a column's type rewrites the table under ACCESS EXCLUSIVE and breaks old code",
            "Bascule's alter_column (a shadow column, backfilled, swapped in)"),
    VOLATILE_DEFAULT(Severity.ERROR, "a column added with a volatile default rewrites the table under ACCESS EXCLUSIVE",
            "add the column without the default, set it for new rows, backfill in batches: Bascule's add_column with up"),
    NOT_NULL_WITHOUT_DEFAULT(Severity.ERROR, "a NOT NULL column without a default cannot be added to a table with rows, and old code's inserts fail",
            "Bascule's add_column with nullable: false and up (or a default)"),
    RENAME_COLUMN(Severity.ERROR, "renaming a column breaks old code still running",
            "Bascule's rename_column (each version sees its name until complete)"),
    RENAME_TABLE(Severity.ERROR, "renaming a table breaks old code still running",
            "Bascule's rename_table (each version sees its name until complete)"),
    DROP_COLUMN(Severity.ERROR, "dropping a column breaks old code still reading or writing it",
            "Bascule's drop_column (hidden from the new version first, dropped at complete behind gates)"),
    DROP_TABLE(Severity.ERROR, "dropping a table breaks old code still using it",
            "Bascule's drop_table (hidden from the new version first, dropped at complete behind gates)"),
    DROP_DATABASE(Severity.ERROR, "dropping a database cannot be undone", "do it by hand, never in a migration"),
    TRUNCATE_CASCADE(Severity.ERROR, "TRUNCATE ... CASCADE empties every table that references this one",
            "delete the rows you mean, in batches, naming each table"),
    DROP_NOT_NULL(Severity.WARNING, "after DROP NOT NULL, new rows may hold NULL where old code expects a value",
            "Bascule's alter_column with nullable: true and a down expression for old code"),
    VACUUM_FULL(Severity.ERROR, "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE",
            "plain VACUUM, or pg_repack"),
    CLUSTER(Severity.ERROR, "CLUSTER rewrites the table under ACCESS EXCLUSIVE", "pg_repack"),
    REINDEX_NOT_CONCURRENT(Severity.ERROR, "REINDEX without CONCURRENTLY blocks writes (and reads through the index)",
            "REINDEX ... CONCURRENTLY"),
    LOCK_TIMEOUT_MISSING(Severity.WARNING, "a statement that takes ACCESS EXCLUSIVE runs without lock_timeout: queued behind a long"
            + " transaction, it blocks every query on the table", "SET lock_timeout = '250ms' first, and retry (Bascule does both)"),
    STATEMENT_TIMEOUT_MISSING(Severity.WARNING, "statements on existing tables run without statement_timeout",
            "SET statement_timeout first"),
    UNBATCHED_UPDATE(Severity.WARNING, "an UPDATE of every row in one transaction holds row locks on all of them and bloats the table",
            "update in batches by key, or Bascule's add_column / alter_column with up (a throttled, resumable backfill)"),
    INT_PRIMARY_KEY(Severity.WARNING, "a 32-bit primary key runs out at 2 147 483 647 rows", "bigint GENERATED ALWAYS AS IDENTITY"),
    JSON_TYPE(Severity.WARNING, "json keeps the text as written and has no equality or indexing", "jsonb"),
    CHAR_TYPE(Severity.WARNING, "char(n) pads with spaces and is no faster than text", "text or varchar(n)"),
    TIMESTAMP_WITHOUT_TIME_ZONE(Severity.WARNING, "timestamp without time zone loses the offset of the values it stores",
            "timestamp with time zone (timestamptz)");

    public enum Severity { ERROR, WARNING }

    private final Severity severity;
    private final String problem;
    private final String instead;

    Rule(Severity severity, String problem, String instead) {
        this.severity = severity;
        this.problem = problem;
        this.instead = instead;
    }

    /** The rule's name in reports and suppression comments: {@code set-not-null}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Severity severity() {
        return severity;
    }

    public String problem() {
        return problem;
    }

    public String instead() {
        return instead;
    }
}
