package dev.bascule.lint;

import dev.bascule.sql.SqlSyntax;

import java.util.Locale;
import java.util.Optional;

/**
 * The unsafe patterns lint reports, each with why it hurts and what to do instead, for each dialect it
 * applies to. A concept both dialects share (dropping a column, a missing lock timeout, a 32-bit key) is one
 * rule with one id, so that a suppression comment means the same everywhere, and a text per dialect.
 */
public enum Rule {
    INDEX_NOT_CONCURRENT(pg(Severity.ERROR, "CREATE INDEX without CONCURRENTLY blocks writes to the table for the whole build",
            "CREATE INDEX CONCURRENTLY, or Bascule's create_index"),
            my(Severity.WARNING, "CREATE INDEX or ADD INDEX without LOCK=NONE: where the build cannot run online (a table that is"
                    + " not InnoDB, an index type that needs a lock) the server silently takes a lock that blocks writes for the whole build",
                    "CREATE INDEX ... ALGORITHM=INPLACE LOCK=NONE (MariaDB: NOCOPY), so that the server refuses instead of"
                    + " blocking, or Bascule's create_index")),
    DROP_INDEX_NOT_CONCURRENT(pg(Severity.ERROR, "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table",
            "DROP INDEX CONCURRENTLY, or Bascule's drop_index"), null),
    CONCURRENT_IN_TRANSACTION(pg(Severity.ERROR, "a CONCURRENTLY statement fails inside a transaction block",
            "run it on its own, outside a transaction (Flyway: executeInTransaction=false; Liquibase: runInTransaction:false)"), null),
    FOREIGN_KEY_NOT_VALID(pg(Severity.ERROR, "adding a foreign key checks every row while holding SHARE ROW EXCLUSIVE on both tables",
            "ADD ... NOT VALID, then VALIDATE CONSTRAINT in a later step, or Bascule's add_foreign_key"), null),
    CHECK_NOT_VALID(pg(Severity.ERROR, "adding a CHECK constraint scans the table under ACCESS EXCLUSIVE",
            "ADD ... NOT VALID, then VALIDATE CONSTRAINT, or Bascule's add_check"), null),
    SET_NOT_NULL(pg(Severity.ERROR, "SET NOT NULL scans the table under ACCESS EXCLUSIVE",
            "CHECK (col IS NOT NULL) NOT VALID, VALIDATE, then SET NOT NULL, or Bascule's alter_column with nullable: false"), null),
    UNIQUE_CONSTRAINT(pg(Severity.ERROR, "adding a UNIQUE or PRIMARY KEY constraint builds its index under ACCESS EXCLUSIVE",
            "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX, or Bascule's alter_column with unique: true"), null),
    COLUMN_TYPE_CHANGE(pg(Severity.ERROR, "changing a column's type rewrites the table under ACCESS EXCLUSIVE and breaks old code",
            "Bascule's alter_column (a shadow column, backfilled, swapped in)"),
            my(Severity.ERROR, "MODIFY or CHANGE restates the column: when its type, length or character set changes, the server"
                    + " copies the table with writes blocked (ALGORITHM=COPY, LOCK=SHARED) and old code may break; lint cannot see"
                    + " the old definition", "Bascule's alter_column (a shadow column, backfilled, swapped in), or"
                    + " pt-online-schema-change / gh-ost; for a change the server does online (nullability, default, a VARCHAR"
                    + " longer within the same length byte) state ALGORITHM=INPLACE, LOCK=NONE (or INSTANT): it then refuses a copy")),
    VOLATILE_DEFAULT(pg(Severity.ERROR, "a column added with a volatile default (before PostgreSQL 11: any default), a serial or"
            + " identity type, or GENERATED ALWAYS AS (...) STORED rewrites the table under ACCESS EXCLUSIVE",
            "add the column without the default, set it for new rows, backfill in batches: Bascule's add_column with up"), null),
    NOT_NULL_WITHOUT_DEFAULT(pg(Severity.ERROR, "a NOT NULL column without a default cannot be added to a table with rows, and old"
            + " code's inserts fail", "Bascule's add_column with nullable: false and up (or a default)"),
            my(Severity.ERROR, "a NOT NULL column without a DEFAULT makes old code's INSERTs that do not name it fail (strict mode:"
                    + " \"Field doesn't have a default value\")", "Bascule's add_column with nullable: false and up (or a DEFAULT)")),
    RENAME_COLUMN(pg(Severity.ERROR, "renaming a column breaks old code still running",
            "Bascule's rename_column (each version sees its name until complete)"),
            my(Severity.ERROR, "renaming a column (RENAME COLUMN, or CHANGE to another name) breaks old code still running",
                    "Bascule's rename_column (each version sees its name until complete)")),
    RENAME_TABLE(pg(Severity.ERROR, "renaming a table breaks old code still running",
            "Bascule's rename_table (each version sees its name until complete)"),
            my(Severity.ERROR, "renaming a table (RENAME TABLE, ALTER TABLE ... RENAME) breaks old code still running",
                    "Bascule's rename_table (each version sees its name until complete)")),
    DROP_COLUMN(pg(Severity.ERROR, "dropping a column breaks old code still reading or writing it",
            "Bascule's drop_column (hidden from the new version first, dropped at complete behind gates)"),
            my(Severity.ERROR, "dropping a column breaks old code still reading or writing it (and before MySQL 8.0.29 or"
                    + " MariaDB 10.4 it rebuilds the table)",
                    "Bascule's drop_column (hidden from the new version first, dropped at complete behind gates)")),
    DROP_TABLE(pg(Severity.ERROR, "dropping a table breaks old code still using it",
            "Bascule's drop_table (hidden from the new version first, dropped at complete behind gates)"),
            my(Severity.ERROR, "dropping a table breaks old code still using it",
                    "Bascule's drop_table (hidden from the new version first, dropped at complete behind gates)")),
    DROP_DATABASE(pg(Severity.ERROR, "dropping a database cannot be undone", "do it by hand, never in a migration"),
            my(Severity.ERROR, "dropping a database (a schema, in MySQL) cannot be undone", "do it by hand, never in a migration")),
    TRUNCATE_CASCADE(pg(Severity.ERROR, "TRUNCATE ... CASCADE empties every table that references this one",
            "delete the rows you mean, in batches, naming each table"), null),
    DROP_NOT_NULL(pg(Severity.WARNING, "after DROP NOT NULL, new rows may hold NULL where old code expects a value",
            "Bascule's alter_column with nullable: true and a down expression for old code"), null),
    VACUUM_FULL(pg(Severity.ERROR, "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE", "plain VACUUM, or pg_repack"), null),
    CLUSTER(pg(Severity.ERROR, "CLUSTER rewrites the table under ACCESS EXCLUSIVE", "pg_repack"), null),
    REINDEX_NOT_CONCURRENT(pg(Severity.ERROR, "REINDEX without CONCURRENTLY blocks writes (and reads through the index)",
            "REINDEX ... CONCURRENTLY"), null),
    LOCK_TIMEOUT_MISSING(pg(Severity.WARNING, "a statement that takes ACCESS EXCLUSIVE runs without lock_timeout: queued behind a"
            + " long transaction, it blocks every query on the table", "SET lock_timeout = '250ms' first, and retry (Bascule does both)"),
            my(Severity.WARNING, "a DDL statement runs without lock_wait_timeout: it waits for the table's metadata lock behind any"
                    + " open transaction, and every query on the table queues behind it (the default wait is a year in MySQL, a day in"
                    + " MariaDB)", "SET SESSION lock_wait_timeout = 5 first (MariaDB also: ALTER TABLE t WAIT 5 ...), and retry"
                    + " (Bascule does both)")),
    STATEMENT_TIMEOUT_MISSING(pg(Severity.WARNING, "statements on existing tables run without statement_timeout",
            "SET statement_timeout first"), null),
    UNBATCHED_UPDATE(pg(Severity.WARNING, "an UPDATE of every row in one transaction holds row locks on all of them and bloats the table",
            "update in batches by key, or Bascule's add_column / alter_column with up (a throttled, resumable backfill)"),
            my(Severity.WARNING, "an UPDATE or DELETE of every row in one statement locks them all until it commits, and replicas"
                    + " apply it as one long event", "batches by key range with LIMIT, each its own transaction (pt-archiver for"
                    + " deletes), or Bascule's add_column / alter_column with up (a throttled, resumable backfill)")),
    INT_PRIMARY_KEY(pg(Severity.WARNING, "a 32-bit primary key, serial or identity column runs out at 2 147 483 647 (smallint:"
            + " 32 767), and widening it later rewrites the table", "bigint GENERATED ALWAYS AS IDENTITY"),
            my(Severity.WARNING, "a 32-bit (or smaller) AUTO_INCREMENT or primary key runs out at 2 147 483 647 (4 294 967 295"
                    + " unsigned), and widening it later copies the table", "BIGINT (UNSIGNED) AUTO_INCREMENT")),
    JSON_TYPE(pg(Severity.WARNING, "json keeps the text as written and has no equality or indexing", "jsonb"), null),
    CHAR_TYPE(pg(Severity.WARNING, "char(n) pads with spaces and is no faster than text", "text or varchar(n)"), null),
    TIMESTAMP_WITHOUT_TIME_ZONE(pg(Severity.WARNING, "timestamp without time zone loses the offset of the values it stores",
            "timestamp with time zone (timestamptz)"), null),
    DETACH_PARTITION_NOT_CONCURRENT(pg(Severity.ERROR, "DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the"
            + " partitioned table: every query on it waits", "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+),"
            + " on its own outside a transaction; if it is interrupted, DETACH PARTITION ... FINALIZE"), null),
    ALTER_DOMAIN_CONSTRAINT(pg(Severity.ERROR, "ALTER DOMAIN ... ADD CONSTRAINT (or SET NOT NULL) checks every column of every"
            + " table that uses the domain, each under a lock that blocks writes", "ADD CONSTRAINT ... NOT VALID, then VALIDATE"
            + " CONSTRAINT; or a CHECK constraint on each table (NOT VALID, then VALIDATE), Bascule's add_check"), null),
    CREATE_DOMAIN_CONSTRAINT(pg(Severity.WARNING, "a domain with a constraint cannot be changed online later: altering the"
            + " constraint checks every column that uses the domain", "a domain without constraints, and CHECK constraints on the"
            + " tables (Bascule's add_check)"), null),
    UNCOMMITTED_TRANSACTION(pg(Severity.ERROR, "BEGIN without COMMIT or ROLLBACK before the end of the file: what the tool runs"
            + " next joins the open transaction, or it is rolled back when the connection closes", "end every BEGIN with COMMIT"),
            my(Severity.ERROR, "START TRANSACTION (or BEGIN) without COMMIT or ROLLBACK before the end of the file: what the tool"
                    + " runs next joins the open transaction, or it is rolled back when the connection closes", "end every START"
                    + " TRANSACTION with COMMIT (DDL commits on its own: keep it out of the transaction)")),
    NESTED_TRANSACTION(pg(Severity.ERROR, "BEGIN inside a transaction does not nest (PostgreSQL warns and ignores it): the first"
            + " COMMIT ends the outer transaction and what follows runs outside it", "one BEGIN ... COMMIT; with Flyway (a"
            + " transaction per file) or Liquibase (per changeset) no BEGIN at all"),
            my(Severity.ERROR, "START TRANSACTION (or BEGIN) inside a transaction commits the open one first: what ran"
                    + " before it can no longer be rolled back with what follows", "one START TRANSACTION ... COMMIT; none in a file"
                    + " that Flyway or Liquibase runs in a transaction")),
    NOT_RETRYABLE(pg(Severity.WARNING, "run statement by statement, a script that fails half way cannot be run again: this"
            + " statement fails the second time (the object already exists, or is gone)", "IF NOT EXISTS / IF EXISTS (DROP"
            + " CONSTRAINT IF EXISTS before ADD CONSTRAINT), or run the script in one transaction"), null),
    ENUM_VALUE_ORDER(pg(Severity.WARNING, "ADD VALUE without BEFORE or AFTER appends the value at the end of the enum: ORDER BY"
            + " and comparisons on the column sort it after every existing value", "state the position: ADD VALUE 'v' BEFORE"
            + " 'existing' (or AFTER); append only when the last place is meant"), null),
    IDENTIFIER_TOO_LONG(pg(Severity.ERROR, "an identifier longer than 63 bytes is silently truncated: the object gets another"
            + " name than the one written, and two long names may become one", "a name of at most 63 bytes"), null),
    DUPLICATE_COLUMN(pg(Severity.ERROR, "a column assigned or declared twice in one statement (UPDATE ... SET, INSERT column"
            + " list, CREATE TABLE, CREATE VIEW): PostgreSQL refuses the statement and the migration stops there",
            "name each column once"),
            my(Severity.ERROR, "a column named twice in an INSERT column list (error 1110) or a CREATE TABLE (error 1060): the"
                    + " statement fails and the migration stops there", "name each column once")),
    RENAME_OBJECT(pg(Severity.ERROR, "renaming a schema, type, enum value, view, sequence, function or domain breaks old code"
            + " still using the old name", "create the new object beside the old one and drop the old one once no code uses it"
            + " (for views: a view of the new name over the same query)"), null),

    // MySQL and MariaDB only

    ALTER_ALGORITHM_MISSING(null, my(Severity.WARNING, "ALTER TABLE without ALGORITHM=INSTANT, or ALGORITHM=INPLACE with LOCK=NONE:"
            + " where the change cannot be done online, the server silently copies the table or locks it instead of refusing",
            "state ALGORITHM=INSTANT (on MySQL without a LOCK clause), else ALGORITHM=INPLACE, LOCK=NONE: the server then refuses"
                    + " rather than blocks, and you choose another way (Bascule's operations, pt-online-schema-change, gh-ost)")),
    ALTER_COPY_OR_LOCK(null, my(Severity.ERROR, "ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE blocks writes (SHARED) or every query"
            + " (EXCLUSIVE) on the table for the whole statement", "ALGORITHM=INSTANT, or INPLACE with LOCK=NONE; what the server"
            + " cannot do online: Bascule's operations, or pt-online-schema-change / gh-ost")),
    ADD_COLUMN_POSITION(null, my(Severity.WARNING, "a column added FIRST or AFTER another is instant only from MySQL 8.0.29 and"
            + " MariaDB 10.4; on older servers it rebuilds the table", "add it at the end, or state ALGORITHM=INSTANT so that an older"
            + " server refuses")),
    ENUM_CHANGE(null, my(Severity.ERROR, "changing an ENUM or SET other than by appending values at its end copies the table with"
            + " writes blocked, and old code may write values the new list lacks", "append new values at the end with"
            + " ALGORITHM=INSTANT (the server refuses anything else); to remove or reorder values, Bascule's alter_column")),
    FOREIGN_KEY_COPY(null, my(Severity.ERROR, "with foreign_key_checks=1, ADD FOREIGN KEY copies the table (ALGORITHM=COPY) with"
            + " writes blocked while it checks every row", "check for orphan rows yourself, then SET foreign_key_checks = 0;"
            + " ALTER TABLE ... ADD FOREIGN KEY ..., ALGORITHM=INPLACE, LOCK=NONE; SET foreign_key_checks = 1; or Bascule's"
            + " add_foreign_key")),
    FOREIGN_KEY_CHECKS_OFF(null, my(Severity.WARNING, "SET foreign_key_checks = 0 is never turned back on: later statements on this"
            + " connection (Flyway runs every migration on one) write rows that no foreign key checks",
            "SET foreign_key_checks = 1 right after the statement that needs it off")),
    PRIMARY_KEY_CHANGE(null, my(Severity.ERROR, "adding or dropping a primary key rebuilds the whole table (DROP PRIMARY KEY alone"
            + " copies it with writes blocked), and replicas lag for as long as it runs", "Bascule's rebuild_table with"
            + " primary_key (a copy in throttled chunks, swapped in with RENAME TABLE), pt-online-schema-change or gh-ost")),
    TABLE_REBUILD(null, my(Severity.WARNING, "OPTIMIZE TABLE, ALTER TABLE ... FORCE or ENGINE=... rebuild the whole table: a table"
            + " with a FULLTEXT index is copied with writes blocked, and replicas lag for as long as it runs",
            "Bascule's rebuild_table (a copy in throttled chunks, swapped in with RENAME TABLE), pt-online-schema-change"
                    + " --alter 'ENGINE=InnoDB' or gh-ost; or leave the table as it is")),
    TRUNCATE_TABLE(null, my(Severity.ERROR, "TRUNCATE empties the table at once, cannot be rolled back (it commits) and waits for an"
            + " exclusive metadata lock", "DELETE the rows you mean in batches with LIMIT; to retire the table, Bascule's drop_table")),
    FULLTEXT_SPATIAL_INDEX(null, my(Severity.ERROR, "a FULLTEXT or SPATIAL index cannot be built with LOCK=NONE: writes wait for the"
            + " whole build (the first FULLTEXT index also rebuilds the table)", "pt-online-schema-change or gh-ost")),
    CONVERT_CHARSET(null, my(Severity.ERROR, "CONVERT TO CHARACTER SET rewrites every text column: MySQL copies the table with writes"
            + " blocked (MariaDB converts utf8mb3 to utf8mb4 instantly only when no column changes type or is indexed)",
            "Bascule's rebuild_table with charset, pt-online-schema-change or gh-ost, or column by column with Bascule's"
                    + " alter_column")),
    UTF8MB3(null, my(Severity.WARNING, "utf8 is utf8mb3: at most 3 bytes a character, no emoji or other characters outside the"
            + " Basic Multilingual Plane; converting later rewrites the table", "CHARACTER SET utf8mb4 (with a utf8mb4_ collation)"));

    public enum Severity { ERROR, WARNING }

    /** What a rule says in one dialect. */
    public record Text(Severity severity, String problem, String instead) {}

    private final Text postgresql;
    private final Text mysql;

    Rule(Text postgresql, Text mysql) {
        this.postgresql = postgresql;
        this.mysql = mysql;
    }

    private static Text pg(Severity severity, String problem, String instead) {
        return new Text(severity, problem, instead);
    }

    private static Text my(Severity severity, String problem, String instead) {
        return new Text(severity, problem, instead);
    }

    /** The rule's name in reports and suppression comments: {@code set-not-null}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The rule's text in {@code dialect}, empty when the rule does not apply there. */
    public Optional<Text> text(SqlSyntax dialect) {
        return Optional.ofNullable(dialect == SqlSyntax.MYSQL ? mysql : postgresql);
    }

    /** The text of the first dialect the rule applies to, PostgreSQL first; a finding has its own dialect's text. */
    private Text text() {
        return postgresql != null ? postgresql : mysql;
    }

    public Severity severity() {
        return text().severity();
    }

    public String problem() {
        return text().problem();
    }

    public String instead() {
        return text().instead();
    }
}
