package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.Checks;
import dev.bascule.dialect.SyncTriggers.MergeSync;
import dev.bascule.dialect.SyncTriggers.SplitPart;
import dev.bascule.dialect.VersionViews.ColumnMapping;

import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL's guards and checks. */
final class PostgresChecks extends PostgresRole implements Checks {

    PostgresChecks(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public String typeCheck(String type) {
        if (dev.bascule.api.Identifiers.isEnumOrSet(type)) {
            throw new IllegalArgumentException("'" + type.strip().split("\\s*\\(", 2)[0] + "(..)' is a MariaDB and MySQL type;"
                    + " PostgreSQL's enums are named types: create one with CREATE TYPE name AS ENUM (..) in a sql operation"
                    + " before, and give its name as the type");
        }
        return "SELECT CAST(NULL AS " + castable(type) + ")";
    }

    @Override
    public List<String> expressionCheckSettings(String schema) {
        return List.of("SET LOCAL statement_timeout = 5000", "SET LOCAL lock_timeout = 1000",
                "SET LOCAL search_path = " + quote(schema)); // as the expression will run
    }

    @Override
    public String requireNoNulls(String schema, String table, String column) {
        throw new UnsupportedOperationException("PostgreSQL validates a NOT VALID check instead");
    }

    @Override
    public String splitMismatch(String schema, SplitPart p) {
        String part = qualify(schema, p.table()) + " AS bascule_part WHERE " + row("bascule_part", p.key()) + " = " + row("bascule_row", p.key());
        List<String> compared = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
        String equal = compared.isEmpty() ? "" : " AND " + row("bascule_part", compared) + " IS NOT DISTINCT FROM " + row("bascule_row", compared);
        // a row new code wrote without its part row yet has nothing in the moved columns
        String hasValues = p.moved().isEmpty() ? "FALSE"
                : p.moved().stream().map(c -> "bascule_row." + quote(c) + " IS NOT NULL").collect(Collectors.joining(" OR "));
        return p.key().stream().map(k -> "bascule_row." + quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                + " AND NOT EXISTS (SELECT 1 FROM " + part + equal + ") AND (EXISTS (SELECT 1 FROM " + part + ") OR " + hasValues + ")";
    }

    @Override
    public String mergeMismatch(MergeSync m, int source) {
        List<String> columns = m.sources().get(source).columns();
        String equal = columns.isEmpty() ? "" : " AND " + row("bascule_into", columns) + " IS NOT DISTINCT FROM " + row("bascule_row", columns);
        String missing = "NOT EXISTS (SELECT 1 FROM " + qualify(m.schema(), m.into()) + " AS bascule_into WHERE "
                + row("bascule_into", m.key()) + " = " + row("bascule_row", m.key()) + equal + ")";
        if (source == 0) {
            return missing;
        }
        // a joined row counts only where the first table has the key: the merge keeps only those
        return "EXISTS (SELECT 1 FROM " + qualify(m.schema(), m.sources().get(0).table()) + " AS bascule_s0 WHERE "
                + row("bascule_s0", m.key()) + " = " + row("bascule_row", m.key()) + ") AND " + missing;
    }

    @Override
    public String hasRows(String schema, String table) {
        return "SELECT EXISTS (SELECT 1 FROM " + qualify(schema, table) + ")";
    }

    @Override
    public String tableExists(String schema, String table) {
        // a table, not a view or index of that name: a rename guard must not skip on one
        return "SELECT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass(" + literal(qualify(schema, table))
                + ") AND relkind IN ('r', 'p'))";
    }

    @Override
    public String columnExists(String schema, String table, String column) {
        return "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(" + literal(qualify(schema, table))
                + ") AND attname = " + literal(column) + " AND NOT attisdropped)";
    }

    @Override
    public String constraintExists(String schema, String table, String name) {
        return "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(" + literal(qualify(schema, table))
                + ") AND conname = " + literal(name) + ")";
    }

    @Override
    public String columnIsNotNull(String schema, String table, String column) {
        return "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(" + literal(qualify(schema, table))
                + ") AND attname = " + literal(column) + " AND attnotnull)";
    }

    @Override
    public String rowMismatch(String newColumn, String upValue, List<ColumnMapping> oldScope, String oldColumn,
                              String downValue, List<ColumnMapping> newScope) {
        // each expression is evaluated over a one-row derived table naming the row's columns as
        // its version does; the outer row is visible to it as bascule_row
        return "NOT (bascule_row." + quote(newColumn) + " IS NOT DISTINCT FROM (SELECT " + upValue + " FROM " + rowAs(oldScope, "bascule_old")
                + ") OR bascule_row." + quote(oldColumn) + " IS NOT DISTINCT FROM (SELECT " + downValue + " FROM "
                + rowAs(newScope, "bascule_new") + "))";
    }

    @Override
    public String relationExists(String schema, String name) {
        return "SELECT to_regclass(" + literal(qualify(schema, name)) + ") IS NOT NULL";
    }
}
