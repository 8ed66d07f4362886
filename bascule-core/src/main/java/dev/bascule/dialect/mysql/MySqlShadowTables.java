package dev.bascule.dialect.mysql;

import dev.bascule.api.ColumnDef;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.OwnerMarker;
import dev.bascule.dialect.ShadowTables;
import dev.bascule.step.Step.RangeStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** alter_column on a server without transactional DDL: shadow columns swapped under LOCK TABLES, and shadow tables renamed into place. */
final class MySqlShadowTables extends MySqlRole implements ShadowTables {

    /**
     * The copy writes each row's own key: an AUTO_INCREMENT key of 0 (written under the application's
     * NO_AUTO_VALUE_ON_ZERO, gh-ost's autoinc-zero-value) must stay 0, not take the next number. A
     * trigger keeps the sql_mode it was made under. MariaDB only for now (SET STATEMENT): on MySQL a
     * key of 0 is numbered anew by the copy, and the row check refuses complete (exit 3, nothing changed).
     */
    private static final String KEEP_ZERO = "SET STATEMENT sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO') FOR ";

    private String keepZero() {
        return family() == MySqlFamily.MARIADB ? KEEP_ZERO : "";
    }

    MySqlShadowTables(Dialect dialect) {
        super(dialect);
    }

    /**
     * LOCK TABLES .. WRITE keeps every writer out from the ALTER to the dropping of the sync
     * triggers, which read the columns the ALTER drops and renames. The ALTER comes first: should
     * it fail, the triggers are still there when the table is unlocked, and no write reaches the
     * old column alone (to be lost with it). Cut off after it, the triggers left over fail every
     * write loudly (unknown column) until the next step, which drops them again, runs. The ALTER
     * is NOCOPY (dropping an index is not INSTANT; dropping and renaming columns is), so the lock
     * is held for milliseconds. CREATE VIEW is not allowed under LOCK TABLES: the version's views
     * are made again in a step after.
     */
    @Override
    public List<String> swapColumns(String schema, String table, List<String> dropTriggers, List<String> dropIndexes,
                                    List<ColumnSwap> columns, List<Renamed> indexRenames) {
        List<String> indexes = new ArrayList<>();
        dropIndexes.forEach(ix -> indexes.add("DROP INDEX IF EXISTS " + quote(ix)));
        List<String> alter = new ArrayList<>();
        columns.forEach(c -> alter.add("DROP COLUMN " + quote(c.old())));
        columns.forEach(c -> alter.add("RENAME COLUMN " + quote(c.shadow()) + " TO " + quote(c.finalName())));
        List<String> renames = new ArrayList<>();
        indexRenames.forEach(r -> renames.add("RENAME INDEX " + quote(r.from()) + " TO " + quote(r.to())));
        List<String> sql = new ArrayList<>();
        sql.add("LOCK TABLES " + qualify(schema, table) + " WRITE");
        sql.addAll(family().swapAlters(qualify(schema, table), indexes, alter, renames));
        sql.addAll(dropTriggers);
        sql.add("UNLOCK TABLES");
        return sql;
    }

    /**
     * CREATE TABLE .. LIKE copies columns, indexes and the AUTO_INCREMENT attribute (not triggers,
     * not foreign keys: the planner refuses tables that have them). The MODIFY copies an empty
     * table, so ALGORITHM=COPY costs nothing here.
     */
    @Override
    public List<String> createShadowTable(String schema, String table, String shadow, ColumnDef column,
                                          boolean autoIncrement, String collation) {
        return createShadowTable(schema, table, shadow, column, autoIncrement, collation, java.util.Optional.empty(), false);
    }

    /** The MODIFY of the empty copy also places the column: the copy's rows are then written in that order. */
    @Override
    public List<String> createShadowTable(String schema, String table, String shadow, ColumnDef column,
                                          boolean autoIncrement, String collation, java.util.Optional<String> after, boolean first) {
        // MODIFY restates the column: a text type keeps the column's collation unless it names its own
        boolean keepCollation = collation != null && STRING_TYPE.matcher(column.type().trim()).matches()
                && !column.type().toLowerCase(java.util.Locale.ROOT).matches(".*\\b(collate|character set|charset)\\b.*")
                && !column.type().toLowerCase(java.util.Locale.ROOT).matches(".*(binary|blob).*");
        return List.of("CREATE TABLE IF NOT EXISTS " + qualify(schema, shadow) + " LIKE " + qualify(schema, table),
                copyAutoIncrement(schema, table, shadow),
                "ALTER TABLE " + qualify(schema, shadow) + " MODIFY COLUMN " + quote(column.name()) + " " + column.type()
                        + (keepCollation ? " COLLATE " + collation : "")
                        + (column.nullable() ? " NULL" : " NOT NULL")
                        + column.defaultValue().map(d -> " DEFAULT (" + d + ")").orElse("")
                        + (autoIncrement ? " AUTO_INCREMENT" : "")
                        + column.comment().map(c -> " COMMENT " + literal(c)).orElse("")
                        + (first ? " FIRST" : after.map(a -> " AFTER " + quote(a)).orElse("")) + ", ALGORITHM=COPY");
    }

    @Override
    public List<String> createRebuiltTable(String schema, String table, String shadow, dev.bascule.dialect.TableRebuild rebuild) {
        return new MySqlTableRebuild(dialect).createRebuiltTable(schema, table, shadow, rebuild, copyAutoIncrement(schema, table, shadow));
    }

    /**
     * pt-online-schema-change's triggers: each write of the table is written to the shadow in the
     * writer's transaction, so the shadow never misses one; a key changed by an UPDATE moves the
     * row. An upsert, not REPLACE: no delete and insert for every write. No IGNORE anywhere: under
     * the strict sql_mode a value the new type cannot hold fails the write, never truncated.
     */
    @Override
    public List<String> createCopyTriggers(String schema, String table, String shadow, List<String> columns,
                                           List<String> key, String name, OwnerMarker marker) {
        String upsert = "INSERT INTO " + qualify(schema, shadow) + " (" + quoteAll(columns) + ") VALUES ("
                + columns.stream().map(c -> "NEW." + quote(c)).collect(Collectors.joining(", ")) + ")"
                + onDuplicateUpdate(qualify(schema, shadow), columns);
        String delete = "DELETE FROM " + qualify(schema, shadow) + " WHERE "
                + key.stream().map(k -> quote(k) + " <=> OLD." + quote(k)).collect(Collectors.joining(" AND "));
        String keyChanged = key.stream().map(k -> "NOT (NEW." + quote(k) + " <=> OLD." + quote(k) + ")")
                .collect(Collectors.joining(" OR "));
        String on = " ON " + qualify(schema, table) + " FOR EACH ROW ";
        String begin = "BEGIN " + markerComment(marker) + " ";
        // DELETE first, INSERT last: a row enters the shadow through the update trigger, the insert
        // trigger or the backfill (after all three), so its delete trigger is there before it, and an
        // inserted row's update trigger too; made the other way round, a row inserted between the
        // two would outlive its delete (gh-ost's events insert and delete within the same second)
        return List.of(
                keepZero() + "CREATE OR REPLACE TRIGGER " + qualify(schema, copyTrigger(name, "del")) + " AFTER DELETE" + on + begin
                        + delete + "; END",
                keepZero() + "CREATE OR REPLACE TRIGGER " + qualify(schema, copyTrigger(name, "upd")) + " AFTER UPDATE" + on
                        + begin + "IF " + keyChanged + " THEN " + delete + "; END IF; " + upsert + "; END",
                keepZero() + "CREATE OR REPLACE TRIGGER " + qualify(schema, copyTrigger(name, "ins")) + " AFTER INSERT" + on + begin
                        + upsert + "; END");
    }

    @Override
    public List<String> dropCopyTriggers(String schema, String name) {
        return List.of("DROP TRIGGER IF EXISTS " + qualify(schema, copyTrigger(name, "ins")),
                "DROP TRIGGER IF EXISTS " + qualify(schema, copyTrigger(name, "upd")),
                "DROP TRIGGER IF EXISTS " + qualify(schema, copyTrigger(name, "del")));
    }

    /**
     * Two statements: first a locking read of the range (a row written meanwhile waits for the
     * batch, and its trigger then writes the newer row over the copy), then the copy, an upsert:
     * a row a trigger wrote before the batch locked it is written again with the same values. The copy is an INSERT .. SELECT, which holds the
     * shadow's AUTO-INC lock to its end (innodb_autoinc_lock_mode 1): were it to wait for a row an
     * application writes, whose trigger waits for that AUTO-INC lock in turn, the two would
     * deadlock; with the range's rows locked first it finds them free. The locking read runs under
     * REPEATABLE READ ({@link MySqlCopy#backfillBatchSettings(java.time.Duration, List)}): it then
     * locks the gaps of the range too, so a key old code inserts into the range after it (one it
     * had deleted) waits for the batch instead of being met by the copy while it holds the AUTO-INC
     * lock its trigger waits for (1213 on the application's side, CI's modify-change-case).
     */
    private static final String LOCKING_READ = "DO (SELECT count(*) FROM (SELECT 1 FROM ";

    /** Whether {@code copy} is the locking read of {@link #shadowTableCopy}, a plan's stored text included. */
    static boolean isShadowTableCopy(RangeStatement copy) {
        return copy.before().startsWith(LOCKING_READ);
    }

    @Override
    public List<RangeStatement> shadowTableCopy(String schema, String table, String shadow, List<String> columns) {
        return List.of(new RangeStatement(LOCKING_READ + qualify(schema, table) + " WHERE ",
                        " LOCK IN SHARE MODE) AS bascule_locked)"),
                new RangeStatement(keepZero() + "INSERT INTO " + qualify(schema, shadow) + " (" + quoteAll(columns) + ") SELECT "
                        + quoteAll(columns) + " FROM " + qualify(schema, table) + " WHERE ",
                        " LOCK IN SHARE MODE" + onDuplicateUpdate(qualify(schema, shadow), columns)));
    }

    /**
     * Both counts and the anti-join in one SELECT: one read view, so writes going on (to both
     * tables at once, through the copy triggers) cannot make them disagree. A SELECT .. INTO, not
     * the condition of the IF: InnoDB reads the tables of any statement other than a SELECT (an
     * IF's or a SET's subquery included) with shared locks, which held every write to the table
     * for the whole check (5 to 9 s on 1 M rows under load); a SELECT reads its
     * snapshot and locks nothing.
     */
    @Override
    public String requireSameRows(String schema, String table, String shadow, String key) {
        String k = quote(key);
        return "BEGIN NOT ATOMIC DECLARE bascule_differ BOOLEAN; SELECT (SELECT count(*) FROM " + qualify(schema, table)
                + ") <> (SELECT count(*) FROM " + qualify(schema, shadow) + ") OR EXISTS (SELECT 1 FROM " + qualify(schema, table)
                + " AS bascule_t LEFT JOIN " + qualify(schema, shadow) + " AS bascule_s ON bascule_s." + k + " = bascule_t." + k
                + " WHERE bascule_s." + k + " IS NULL) INTO bascule_differ;"
                + " IF bascule_differ THEN SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = "
                + literal(("table " + shadow + " does not hold exactly the rows of " + table + " (a row missing, or two"
                + " rows the new type made one); nothing was changed: roll back").replace("`", "")) + "; END IF; END";
    }

    /** LIKE copies the AUTO_INCREMENT attribute, not the counter: keys once handed out stay used. */
    @Override
    public String copyAutoIncrement(String schema, String table, String shadow) {
        return "BEGIN NOT ATOMIC DECLARE n BIGINT UNSIGNED; SELECT AUTO_INCREMENT INTO n FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = " + literal(schema) + " AND TABLE_NAME = " + literal(table) + "; IF n IS NOT NULL THEN"
                + " EXECUTE IMMEDIATE CONCAT(" + literal("ALTER TABLE " + qualify(schema, shadow) + " AUTO_INCREMENT = ")
                + ", n); END IF; END";
    }

    @Override
    public String cutOver(String schema, String table, String shadow, String retired) {
        return "RENAME TABLE " + qualify(schema, table) + " TO " + qualify(schema, retired) + ", " + qualify(schema, shadow)
                + " TO " + qualify(schema, table);
    }

    static String copyTrigger(String name, String event) {
        return "_bascule_" + hash(name) + "_c" + event;
    }
}
