package dev.bascule.dialect.mysql;

import dev.bascule.dialect.Checks;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.SyncTriggers.MergeSync;
import dev.bascule.dialect.SyncTriggers.SplitPart;
import dev.bascule.dialect.VersionViews.ColumnMapping;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The MySQL family's guards and checks. */
final class MySqlChecks extends MySqlRole implements Checks {

    /** A type as written in DDL: a name of words, an optional (n) or (p,s), optional attributes. */
    private static final Pattern TYPE = Pattern.compile(
            "(?i)[a-z][a-z0-9_]*( [a-z][a-z0-9_]*)*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?( (unsigned|signed|zerofill))*"
                    + "( character set [a-z0-9_]+)?( collate [a-z0-9_]+)?");

    MySqlChecks(Dialect dialect) {
        super(dialect);
    }

    /** A query would be MariaDB's own ({@code SET STATEMENT .. FOR}): the bounds hold for that statement only. */
    @Override
    public List<String> expressionCheckSettings(String schema) {
        return List.of();
    }

    @Override
    public String boundedCheck(String query) {
        return family().boundedCheck(query);
    }

    /**
     * MariaDB's CAST knows a handful of types only (CHAR, SIGNED, DECIMAL, ...), so the type is
     * given to a variable declared in a block that does nothing else: the parser resolves the name
     * (error 4161 for one it does not know, bigserial say) and refuses column attributes (UNIQUE,
     * NOT NULL, a DEFAULT: the block's own DEFAULT NULL follows the type) as a syntax error.
     * Nothing is created, not even a temporary table. SERIAL is a column shorthand (BIGINT
     * UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE) no variable can have: checked as its type.
     */
    @Override
    public String typeCheck(String type) {
        if (!TYPE.matcher(type.strip()).matches()) {
            throw new IllegalArgumentException("not a valid type: '" + type + "'");
        }
        String declared = type.strip().equalsIgnoreCase("serial") ? "bigint unsigned" : type.strip();
        return family().typeCheck(declared);
    }

    /** A quoted string (no backslash, quotes doubled) or a number: a constant whose conversion runs nothing else. */
    private static final Pattern CONSTANT = Pattern.compile("'(?:[^'\\\\]|'')*'|[+-]?\\d+(\\.\\d*)?([eE][+-]?\\d+)?");

    /**
     * A variable of the column's type declared with the constant for its default, in a block that
     * does nothing else: the assignment converts the value as a column's default is checked, under
     * Bascule's strict sql_mode (NO_ZERO_IN_DATE, NO_ZERO_DATE), where preparing a SELECT of it
     * evaluates nothing. Only a plain constant is run so: nothing is called, nothing is created.
     */
    @Override
    public java.util.Optional<String> constantDefaultCheck(String type, String value) {
        // on MySQL a block runs only in a procedure, which would be DDL: start's own DDL checks the value there
        if (family() == MySqlFamily.MYSQL || !TYPE.matcher(type.strip()).matches() || type.strip().equalsIgnoreCase("serial")
                || !CONSTANT.matcher(value.strip()).matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("BEGIN NOT ATOMIC DECLARE bascule_default_check " + type.strip() + " DEFAULT "
                + value.strip() + "; END");
    }

    /** MariaDB runs compound statements outside a routine (BEGIN NOT ATOMIC); on MySQL 8 MySqlStatements makes it a procedure. */
    @Override
    public String requireNoNulls(String schema, String table, String column) {
        return "BEGIN NOT ATOMIC IF EXISTS (SELECT 1 FROM " + qualify(schema, table) + " WHERE " + quote(column)
                + " IS NULL LIMIT 1) THEN SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = "
                + literal(("column " + table + "." + column + " has a NULL in an existing row; it cannot be set NOT NULL")
                        .replace("`", "")) + "; END IF; END";
    }

    @Override
    public String splitMismatch(String schema, SplitPart p) {
        String part = qualify(schema, p.table()) + " AS bascule_part WHERE " + p.key().stream()
                .map(k -> "bascule_part." + quote(k) + " = bascule_row." + quote(k)).collect(Collectors.joining(" AND "));
        List<String> compared = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
        String equal = compared.isEmpty() ? "" : " AND " + row("bascule_part", compared) + " <=> " + row("bascule_row", compared);
        // a row new code wrote without its part row yet has nothing in the moved columns
        String hasValues = p.moved().isEmpty() ? "FALSE"
                : p.moved().stream().map(c -> "bascule_row." + quote(c) + " IS NOT NULL").collect(Collectors.joining(" OR "));
        return p.key().stream().map(k -> "bascule_row." + quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                + " AND NOT EXISTS (SELECT 1 FROM " + part + equal + ") AND (EXISTS (SELECT 1 FROM " + part + ") OR " + hasValues + ")";
    }

    @Override
    public String mergeMismatch(MergeSync m, int source) {
        List<String> columns = m.sources().get(source).columns();
        String equal = columns.isEmpty() ? "" : " AND " + row("bascule_into", columns) + " <=> " + row("bascule_row", columns);
        String missing = "NOT EXISTS (SELECT 1 FROM " + qualify(m.schema(), m.into()) + " AS bascule_into WHERE "
                + joinOn("bascule_into", "bascule_row", m.key()) + equal + ")";
        if (source == 0) {
            return missing;
        }
        // a joined row counts only where the first table has the key: the merge keeps only those
        return "EXISTS (SELECT 1 FROM " + qualify(m.schema(), m.sources().get(0).table()) + " AS bascule_s0 WHERE "
                + joinOn("bascule_s0", "bascule_row", m.key()) + ") AND " + missing;
    }

    /**
     * No derived table may read the outer row here (no LATERAL), so each expression is evaluated
     * on the row itself: old code's names are the table's own; in {@code down} the new version's
     * names are replaced by the physical columns they stand for.
     */
    @Override
    public String rowMismatch(String newColumn, String upValue, List<ColumnMapping> oldScope, String oldColumn,
                              String downValue, List<ColumnMapping> newScope) {
        String down = downValue;
        for (ColumnMapping m : newScope) {
            if (!m.logical().equals(m.physical())) {
                down = dev.bascule.model.Expressions.renameColumn(down, m.logical(), "bascule_row." + quote(m.physical()));
            }
        }
        return "NOT (bascule_row." + quote(newColumn) + " <=> " + upValue + " OR bascule_row." + quote(oldColumn)
                + " <=> " + down + ")";
    }

    @Override
    public String hasRows(String schema, String table) {
        return "SELECT EXISTS (SELECT 1 FROM " + qualify(schema, table) + ")";
    }

    @Override
    public String tableExists(String schema, String table) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(table) + " AND TABLE_TYPE = 'BASE TABLE')";
    }

    @Override
    public String columnExists(String schema, String table, String column) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(table) + " AND COLUMN_NAME = " + literal(column) + ")";
    }

    @Override
    public String constraintExists(String schema, String table, String name) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(table) + " AND CONSTRAINT_NAME = " + literal(name) + ")";
    }

    @Override
    public String columnIsNotNull(String schema, String table, String column) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(table) + " AND COLUMN_NAME = " + literal(column) + " AND IS_NULLABLE = 'NO')";
    }

    @Override
    public String columnAbsent(String schema, String table, String column) {
        return "SELECT NOT " + columnExists(schema, table, column).substring("SELECT ".length());
    }

    /** Tables, views and sequences are all in TABLES here. */
    @Override
    public String relationExists(String schema, String name) {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(schema)
                + " AND TABLE_NAME = " + literal(name) + ")";
    }
}
