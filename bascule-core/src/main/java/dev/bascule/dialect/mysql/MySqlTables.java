package dev.bascule.dialect.mysql;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.TableDdl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The MySQL family's DDL of databases, tables and columns, each ALTER naming its algorithm; invisible columns hide new ones from old code. */
final class MySqlTables extends MySqlRole implements TableDdl {

    private static final Pattern NUMBER_TYPE = Pattern.compile(
            "(?i)(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real)\\b.*");

    /**
     * Columns start adds (new ones, shadows) are INVISIBLE until complete shows them (MariaDB 10.3+,
     * MySQL 8.0.23+): old code's {@code SELECT *} does not see them, and its {@code INSERT INTO t
     * VALUES (..)} without a column list still matches the table's column count. The new version's
     * views name them, so new code sees them.
     */
    private static final String INVISIBLE = " INVISIBLE";

    MySqlTables(Dialect dialect) {
        super(dialect);
    }

    @Override
    public String typedNull(String type) {
        return "NULL";
    }

    @Override
    public String createTable(String schema, Operation.CreateTable t) {
        List<String> parts = new ArrayList<>();
        for (ColumnDef col : t.columns()) {
            StringBuilder sb = new StringBuilder(quote(col.name())).append(' ').append(col.type());
            if (col.generated().isPresent()) {
                // no NULL / NOT NULL here (error 1064): planning refuses nullable: false
                sb.append(" AS (").append(col.generated().get().expression()).append(')')
                        .append(col.generated().get().stored() ? " " + family().stored() : " VIRTUAL");
            } else {
                // a key's column is NOT NULL: MariaDB makes it so, MySQL refuses NULL there (error 1171)
                sb.append(col.nullable() && !t.primaryKey().contains(col.name()) ? " NULL" : " NOT NULL");
            }
            col.defaultValue().ifPresent(d -> sb.append(" DEFAULT (").append(d).append(')'));
            if (col.unique() && col.uniqueName().isEmpty()) {
                sb.append(" UNIQUE");
            }
            col.comment().ifPresent(c -> sb.append(" COMMENT ").append(literal(c)));
            // a CHECK written on its column is named after the column: a named one is the table's
            if (col.checkName().isEmpty()) {
                col.check().ifPresent(ck -> sb.append(" CHECK (").append(ck).append(')'));
            }
            parts.add(sb.toString());
        }
        if (!t.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + quoteAll(t.primaryKey()) + ")");
        }
        for (ColumnDef col : t.columns()) {
            col.uniqueName().ifPresent(n -> parts.add("CONSTRAINT " + quote(n) + " UNIQUE (" + quote(col.name()) + ")"));
            col.checkName().ifPresent(n -> parts.add("CONSTRAINT " + quote(n) + " CHECK (" + col.check().orElseThrow() + ")"));
        }
        for (ColumnDef col : t.columns()) {
            col.references().ifPresent(r -> parts.add(r.name().map(n -> "CONSTRAINT " + quote(n) + " ").orElse("")
                    + "FOREIGN KEY (" + quote(col.name()) + ") " + references(schema, r)));
        }
        for (Operation.TableConstraint k : t.constraints()) {
            if (k.check().isPresent()) {
                parts.add("CONSTRAINT " + quote(k.name()) + " CHECK (" + k.check().get() + ")");
            } else {
                parts.add("CONSTRAINT " + quote(k.name()) + " UNIQUE (" + quoteAll(k.unique()) + ")");
            }
        }
        return "CREATE TABLE IF NOT EXISTS " + qualify(schema, t.name()) + " (" + String.join(", ", parts)
                + ") ENGINE=InnoDB" + t.comment().map(c -> " COMMENT = " + literal(c)).orElse("");
    }

    /** Never planned: add_column of a generated column is refused here ({@code Capabilities#addGeneratedColumn}). */
    @Override
    public List<String> addGeneratedColumnToEmptyTable(String schema, String table, ColumnDef column) {
        throw notHere("add_column of a generated column");
    }

    /** CREATE TABLE holds them. */
    @Override
    public List<String> commentsOf(String schema, Operation.CreateTable table) {
        return List.of();
    }

    /** ADD COLUMN holds it. */
    @Override
    public List<String> commentOf(String schema, String table, ColumnDef column) {
        return List.of();
    }

    private String comment(ColumnDef column) {
        return column.comment().map(c -> " COMMENT " + literal(c)).orElse("");
    }

    @Override
    public String dropTable(String schema, String table) {
        return "DROP TABLE IF EXISTS " + qualify(schema, table);
    }

    /** Never reached: {@link dev.bascule.dialect.Capabilities#replicaIdentity()} is false, so plan refuses the operation. */
    @Override
    public String setReplicaIdentity(String schema, String table, dev.bascule.api.Operation.ReplicaIdentity identity,
                                     String index) {
        throw new IllegalStateException("MariaDB has no replica identity: set_replica_identity is refused at plan");
    }

    @Override
    public String renameTable(String schema, String from, String to) {
        return "ALTER TABLE " + qualify(schema, from) + " RENAME TO " + qualify(schema, to) + ", ALGORITHM=INSTANT";
    }

    @Override
    public String addColumn(String schema, String table, ColumnDef column, boolean withDefault) {
        if (column.generated().isPresent()) {
            // a VIRTUAL column, computed when read: instant (planning refuses a PERSISTENT one, which copies the table)
            return "ALTER TABLE " + qualify(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                    + column.type() + " AS (" + column.generated().get().expression() + ") VIRTUAL" + INVISIBLE
                    + comment(column) + ", ALGORITHM=INSTANT";
        }
        return "ALTER TABLE " + qualify(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + column.type() + " NULL" + (withDefault ? column.defaultValue().map(this::defaultClause).orElse("") : "")
                + INVISIBLE + comment(column) + ", ALGORITHM=INSTANT";
    }

    @Override
    public String setColumnDefault(String schema, String table, String column, String expression) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET DEFAULT (" + expression
                + "), ALGORITHM=INSTANT";
    }

    @Override
    public String dropColumn(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP COLUMN IF EXISTS " + quote(column) + ", ALGORITHM=INSTANT";
    }

    @Override
    public String renameColumn(String schema, String table, String from, String to) {
        return "ALTER TABLE " + qualify(schema, table) + " RENAME COLUMN " + quote(from) + " TO " + quote(to)
                + ", ALGORITHM=INSTANT";
    }

    /** MODIFY needs the whole definition; this form has only the name, so it is never used here. */
    @Override
    public String setNotNull(String schema, String table, String column) {
        throw notHere("SET NOT NULL without the column's definition");
    }

    /**
     * NOT NULL rebuilds the table, online: INPLACE with LOCK=NONE, which MariaDB allows when no
     * row holds a NULL (complete has checked first; a NULL written since makes it fail, nothing lost).
     */
    @Override
    public String setNotNull(String schema, String table, ColumnDef column) {
        // still invisible to old code until complete shows it (without a default it cannot be: error 4106)
        return "ALTER TABLE " + qualify(schema, table) + " MODIFY COLUMN " + quote(column.name()) + " " + column.type()
                + " NOT NULL" + column.defaultValue().map(d -> defaultClause(d) + INVISIBLE).orElse("")
                + comment(column) + ", ALGORITHM=INPLACE, LOCK=NONE";
    }

    @Override
    public String dropColumnDefault(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " DROP DEFAULT, ALGORITHM=INSTANT";
    }

    /**
     * No CAST: MariaDB's knows only a few target types. The value is converted by the assignment
     * to the typed column, under Bascule's strict sql_mode (which the triggers keep from their
     * creation), so a value that does not fit is an error, never silently truncated.
     */
    @Override
    public String cast(String expression, String type) {
        return "(" + expression + ")";
    }

    /** 0 for numbers, '' for strings; a date, an enum, a set have no value that stands for "not filled yet". */
    @Override
    public Optional<String> placeholderValue(String type) {
        String t = type.trim();
        return NUMBER_TYPE.matcher(t).matches() ? Optional.of("0")
                : STRING_TYPE.matcher(t).matches() ? Optional.of("''") : Optional.empty();
    }

    /**
     * Appending values keeps each stored value's number, so the server changes only the table's
     * metadata; INSTANT refuses anything more (a collation change, a wider storage size).
     */
    @Override
    public Optional<String> appendValues(String schema, String table, dev.bascule.dialect.Catalog.Column column, String type) {
        boolean namesCollation = type.toLowerCase(java.util.Locale.ROOT).matches(".*\\b(collate|character set|charset)\\b.*");
        return Optional.of("ALTER TABLE " + qualify(schema, table) + " MODIFY COLUMN " + quote(column.name()) + " " + type.strip()
                + (column.collation() != null && !namesCollation ? " COLLATE " + column.collation() : "")
                + (column.nullable() ? " NULL" : " NOT NULL")
                + (column.defaultExpression() == null ? "" : " DEFAULT (" + column.defaultExpression() + ")")
                + (column.comment() == null ? "" : " COMMENT " + literal(column.comment())) + ", ALGORITHM=INSTANT");
    }

    /** Both servers keep a column order and add a column anywhere at once (INSTANT). */
    @Override
    public Optional<String> columnOrderObstacle() {
        return Optional.empty();
    }

    /**
     * MySQL 8 moves an existing column only by rebuilding the table: its online ALTER copies every
     * row, and each replica replays it as one statement that holds its replication back for as long.
     */
    @Override
    public Optional<String> columnMoveObstacle() {
        return family() == MySqlFamily.MYSQL
                ? Optional.of("MySQL moves an existing column only by rebuilding the whole table (INSTANT adds a column anywhere,"
                        + " but moves none), and each replica would replay that rebuild as one long statement")
                : Optional.empty();
    }

    /**
     * MySQL 8: the column is added where it goes at start (INSTANT, still INVISIBLE, so old code's
     * positional INSERTs and SELECT * do not see it), since complete could not move it there.
     * MariaDB moves it when complete shows it, as {@link #revealColumn} does.
     */
    @Override
    public String placedAtStart(String addColumn, Optional<String> after, boolean first) {
        String tail = ", ALGORITHM=INSTANT";
        if (family() != MySqlFamily.MYSQL || (!first && after.isEmpty()) || !addColumn.endsWith(tail)) {
            return addColumn;
        }
        String place = first ? " FIRST" : " AFTER " + quote(after.get());
        return addColumn.substring(0, addColumn.length() - tail.length()) + place + tail;
    }

    /**
     * MODIFY restates the column as information_schema has it, without INVISIBLE, and moves it; MariaDB
     * has no ALTER COLUMN .. SET VISIBLE (MySQL 8 has), so a compound statement builds it; without the
     * default when that was a placeholder (an invisible NOT NULL column cannot lose it: error 4106). It does
     * nothing once the column is visible, so it may run again.
     */
    @Override
    public List<String> revealColumn(String schema, String table, String column, Optional<String> after, boolean first,
                                     boolean dropDefault) {
        if (family() == MySqlFamily.MYSQL) {
            // MySQL 8 has ALTER COLUMN .. SET VISIBLE (INSTANT, and nothing once visible). Moving a
            // column rebuilds the table there (INSTANT only adds one anywhere): it stays where it is
            List<String> reveal = new ArrayList<>();
            reveal.add("ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET VISIBLE, ALGORITHM=INSTANT");
            if (dropDefault) {
                reveal.add("ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " DROP DEFAULT, ALGORITHM=INSTANT");
            }
            return reveal;
        }
        return restated(schema, table, column, after, first, dropDefault, false);
    }

    /**
     * The column restated as {@link #revealColumn} does, visible or not (kept as it is), and moved;
     * MariaDB only ({@link #columnMoveObstacle} refuses a move on MySQL 8 at plan time).
     */
    @Override
    public List<String> moveColumn(String schema, String table, String column, Optional<String> after, boolean first) {
        return restated(schema, table, column, after, first, false, true);
    }

    /**
     * {@code move}: any column, restated whole (AUTO_INCREMENT, ON UPDATE, INVISIBLE and its own CHECK
     * kept, as {@link #commentOnColumn} does); else only a hidden one, shown.
     */
    private List<String> restated(String schema, String table, String column, Optional<String> after, boolean first,
                                  boolean dropDefault, boolean move) {
        String place = first ? " FIRST" : after.map(a -> " AFTER " + quote(a)).orElse("");
        // a generated column is restated with its expression, and without NULL or DEFAULT, which it cannot take
        // (its COLLATE before AS: after it, the statement would not parse)
        String generated = family().isGenerated("c");
        String def = family().columnDefault("c");
        return List.of("BEGIN NOT ATOMIC DECLARE d LONGTEXT; SELECT CONCAT(COLUMN_TYPE,"
                + " IF(" + generated + " = 'ALWAYS', CONCAT(IF(COLLATION_NAME IS NULL, '', CONCAT(' COLLATE ', COLLATION_NAME)),"
                + " ' AS (', GENERATION_EXPRESSION, ') ', IF(EXTRA LIKE '%STORED%', '" + family().stored() + "', 'VIRTUAL')),"
                + " CONCAT(IF(IS_NULLABLE = 'NO', ' NOT NULL', ' NULL'),"
                + (dropDefault ? "" : " IF(c.COLUMN_DEFAULT IS NULL, '', CONCAT(' DEFAULT (', " + def + ", ')')),")
                + " IF(COLLATION_NAME IS NULL, '', CONCAT(' COLLATE ', COLLATION_NAME)))),"
                // MODIFY without COMMENT would drop the column's comment
                + " IF(COLUMN_COMMENT = '', '', CONCAT(' COMMENT ', QUOTE(COLUMN_COMMENT)))"
                + (move ? ", IF(EXTRA LIKE '%auto_increment%', ' AUTO_INCREMENT', ''),"
                        + " IF(EXTRA LIKE '%on update %', CONCAT(' ON UPDATE ', SUBSTRING_INDEX(SUBSTRING(EXTRA, LOCATE('on update ', EXTRA) + 10), ' ', 1)), ''),"
                        + " IF(EXTRA LIKE '%INVISIBLE%', ' INVISIBLE', ''),"
                        + " IFNULL((SELECT CONCAT(' CHECK (', CHECK_CLAUSE, ')') FROM information_schema.CHECK_CONSTRAINTS k"
                        + " WHERE k.CONSTRAINT_SCHEMA = " + literal(schema) + " AND k.TABLE_NAME = " + literal(table)
                        + " AND k.LEVEL = 'Column' AND k.CONSTRAINT_NAME = " + literal(column) + "), '')" : "") + ")"
                + " INTO d FROM information_schema.COLUMNS c WHERE TABLE_SCHEMA = " + literal(schema) + " AND TABLE_NAME = "
                + literal(table) + " AND COLUMN_NAME = " + literal(column) + (move ? "" : " AND EXTRA LIKE '%INVISIBLE%'") + ";"
                + " IF d IS NOT NULL THEN EXECUTE IMMEDIATE CONCAT("
                + literal("ALTER TABLE " + qualify(schema, table) + " MODIFY COLUMN " + quote(column) + " ") + ", d, "
                + literal(place + ", ALGORITHM=INSTANT") + "); END IF; END");
    }

    /** ADD COLUMN .. NOT NULL DEFAULT .. is INSTANT on MariaDB; existing rows hold the default. */
    @Override
    public String addColumnAsDeclared(String schema, String table, ColumnDef column, boolean withDefault) {
        boolean withValue = withDefault && column.defaultValue().isPresent();
        return "ALTER TABLE " + qualify(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + column.type() + (column.nullable() ? " NULL" : " NOT NULL")
                + (withValue ? defaultClause(column.defaultValue().get()) : "")
                // an invisible NOT NULL column needs a default (error 4106); Bascule gives every such one a value
                + (column.nullable() || withValue ? INVISIBLE : "") + comment(column) + ", ALGORITHM=INSTANT";
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE DATABASE IF NOT EXISTS " + quote(schema);
    }

    /**
     * Planned beside every drop (the plan holds both contracts) but never run: complete refuses
     * {@code --deprecate} on this dialect before it begins. Should it run, it fails and changes nothing.
     */
    @Override
    public String deprecateColumn(String schema, String table, String column, String deprecatedName, String marker) {
        return refuseAtRunTime("complete --deprecate is not supported on MariaDB yet");
    }

    @Override
    public String deprecateTable(String schema, String table, String deprecatedName, String marker) {
        return refuseAtRunTime("complete --deprecate is not supported on MariaDB yet");
    }

    private String refuseAtRunTime(String reason) {
        return "BEGIN NOT ATOMIC SIGNAL SQLSTATE '0A000' SET MESSAGE_TEXT = " + literal(reason) + "; END";
    }

    /**
     * MariaDB has no COMMENT ON: MODIFY COLUMN restates the whole column, so a compound statement
     * builds it from information_schema as it is when it runs: type, collation, NULL, default,
     * AUTO_INCREMENT, ON UPDATE, INVISIBLE and the column's own CHECK (which a MODIFY without it
     * drops). ALGORITHM=INSTANT, LOCK=NONE: a restatement that would change the column so as to need
     * a rebuild fails rather than rebuild; {@link #columnCommentObstacle} refuses at plan time what it
     * cannot restate. A generated column is refused when it runs, too.
     */
    @Override
    public String commentOnColumn(String schema, String table, String column, String comment) {
        String text = comment == null ? "" : comment;
        // MySQL keeps a CHECK written on a column as the table's (named t_chk_n): MODIFY leaves it alone
        String columnCheck = family() == MySqlFamily.MYSQL ? "''"
                : "IFNULL((SELECT CONCAT(' CHECK (', CHECK_CLAUSE, ')') FROM information_schema.CHECK_CONSTRAINTS k"
                + " WHERE k.CONSTRAINT_SCHEMA = " + literal(schema) + " AND k.TABLE_NAME = " + literal(table)
                + " AND k.LEVEL = 'Column' AND k.CONSTRAINT_NAME = " + literal(column) + "), '')";
        return "BEGIN NOT ATOMIC DECLARE d LONGTEXT; SELECT CONCAT(COLUMN_TYPE, " + family().collateClause("c") + ","
                + " IF(IS_NULLABLE = 'NO', ' NOT NULL', ' NULL'), " + family().defaultClause("c") + ","
                + " IF(EXTRA LIKE '%auto_increment%', ' AUTO_INCREMENT', ''),"
                + " IF(EXTRA LIKE '%on update %', CONCAT(' ON UPDATE ', SUBSTRING_INDEX(SUBSTRING(EXTRA, LOCATE('on update ', EXTRA) + 10), ' ', 1)), ''),"
                + " IF(EXTRA LIKE '%INVISIBLE%', ' INVISIBLE', ''),"
                + " ' COMMENT ', QUOTE(" + literal(text) + "), " + columnCheck + ")"
                + " INTO d FROM information_schema.COLUMNS c WHERE TABLE_SCHEMA = " + literal(schema) + " AND TABLE_NAME = "
                + literal(table) + " AND COLUMN_NAME = " + literal(column) + " AND " + family().isGenerated("c") + " = 'NEVER';"
                + " IF d IS NULL THEN SIGNAL SQLSTATE '0A000' SET MESSAGE_TEXT = "
                + literal("column " + table + "." + column + " is missing or generated: its comment is not set") + "; END IF;"
                + " EXECUTE IMMEDIATE CONCAT(" + literal("ALTER TABLE " + qualify(schema, table) + " MODIFY COLUMN " + quote(column) + " ")
                + ", d, " + literal(", ALGORITHM=INSTANT, LOCK=NONE") + "); END";
    }

    /** A generated column's expression and a system-versioned column's period are not restated. */
    @Override
    public Optional<String> columnCommentObstacle(dev.bascule.dialect.Catalog.Column column) {
        return column.generated() && column.identity() == null
                ? Optional.of("it is a generated column, and MariaDB sets a column's comment by restating the whole column"
                        + " (MODIFY COLUMN), which Bascule does not do for a generation expression")
                : Optional.empty();
    }

    /** An empty comment is none. INSTANT: only the table's metadata changes. */
    @Override
    public String commentOnTable(String schema, String table, String comment) {
        return "ALTER TABLE " + qualify(schema, table) + " COMMENT = " + literal(comment == null ? "" : comment)
                + ", ALGORITHM=INSTANT, LOCK=NONE";
    }
}
