package dev.bascule.dialect.postgresql;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** PostgreSQL 15 and later: version views use {@code security_invoker}, sync triggers {@code CREATE OR REPLACE TRIGGER}. */
public final class PostgresDialect implements Dialect {

    /** Dollar-quote tag of generated function bodies; expressions containing it are refused at plan time. */
    public static final String BODY_TAG = "$bascule_fn$";

    @Override
    public String name() { return "postgresql"; }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public boolean isLockTimeout(String sqlState) {
        return "55P03".equals(sqlState);
    }

    @Override
    public String setLockTimeout(long millis) {
        return "SET lock_timeout = " + Math.max(0, millis);
    }

    @Override
    public Catalog readCatalog(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                        + " pg_get_expr(d.adbin, d.adrelid), (a.attidentity <> '' OR a.attgenerated <> '')"
                        + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped"
                        + " LEFT JOIN pg_attrdef d ON d.adrelid = cl.oid AND d.adnum = a.attnum"
                        + " WHERE n.nspname = ? AND cl.relkind IN ('r', 'p') ORDER BY cl.relname, a.attnum")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.Column(
                            rs.getString(2), rs.getString(3), !rs.getBoolean(4), rs.getString(5), rs.getBoolean(6)));
                }
            }
        }
        Map<String, List<String>> primaryKeys = new HashMap<>();
        Map<String, Set<String>> constraints = new HashMap<>();
        Map<String, Set<String>> foreignKeysIn = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, co.conname, co.contype, n.nspname = ?,"
                        + " (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)"
                        + "  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum),"
                        + " rn.nspname, rc.relname"
                        + " FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid"
                        + " JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " LEFT JOIN pg_class rc ON rc.oid = co.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
                        + " WHERE n.nspname = ? OR (co.contype = 'f' AND rn.nspname = ?)")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            ps.setString(3, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String name = rs.getString(2);
                    String type = rs.getString(3);
                    boolean ours = rs.getBoolean(4);
                    if ("f".equals(type) && schema.equals(rs.getString(6))) {
                        foreignKeysIn.computeIfAbsent(rs.getString(7), t -> new HashSet<>()).add(table + "." + name);
                    }
                    if (ours) {
                        constraints.computeIfAbsent(table, t -> new HashSet<>()).add(name);
                        if ("p".equals(type)) {
                            primaryKeys.put(table, List.of((String[]) rs.getArray(5).getArray()));
                        }
                    }
                }
            }
        }
        Map<String, List<List<String>>> uniqueKeys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tc.relname, array_agg(a.attname ORDER BY k.ord) FROM pg_index i"
                        + " JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace n ON n.oid = tc.relnamespace"
                        + " CROSS JOIN unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
                        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                        + " WHERE n.nspname = ? AND i.indisunique AND i.indisvalid AND NOT i.indisprimary"
                        + " AND i.indpred IS NULL AND i.indexprs IS NULL"
                        + " GROUP BY tc.relname, i.indexrelid HAVING bool_and(a.attnotnull)")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uniqueKeys.computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                            .add(List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        Map<String, Catalog.Table> tables = new LinkedHashMap<>();
        columns.forEach((name, cols) -> tables.put(name, new Catalog.Table(name, cols,
                primaryKeys.getOrDefault(name, List.of()), constraints.getOrDefault(name, Set.of()),
                foreignKeysIn.getOrDefault(name, Set.of()), uniqueKeys.getOrDefault(name, List.of()))));

        Map<String, Catalog.Index> indexes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT ic.relname, tc.relname, i.indisvalid, co.conname FROM pg_index i"
                        + " JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid"
                        + " JOIN pg_namespace n ON n.oid = ic.relnamespace"
                        + " LEFT JOIN pg_constraint co ON co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x')"
                        + " WHERE n.nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.put(rs.getString(1), new Catalog.Index(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                            Optional.ofNullable(rs.getString(4))));
                }
            }
        }
        return new Catalog(schema, tables, indexes);
    }

    // ---- tables and columns -------------------------------------------------------------

    @Override
    public String createTable(String schema, Operation.CreateTable t) {
        List<String> parts = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            StringBuilder sb = new StringBuilder(quote(c.name())).append(' ').append(c.type());
            c.defaultValue().ifPresent(d -> sb.append(" DEFAULT ").append(d));
            if (!c.nullable()) sb.append(" NOT NULL");
            if (c.unique()) sb.append(" UNIQUE");
            c.check().ifPresent(ch -> sb.append(" CHECK (").append(ch).append(')'));
            c.references().ifPresent(r -> {
                sb.append(" REFERENCES ").append(qualify(schema, r.table()));
                if (!r.columns().isEmpty()) sb.append(" (").append(quoteAll(r.columns())).append(')');
                r.onDelete().ifPresent(od -> sb.append(" ON DELETE ").append(od));
            });
            parts.add(sb.toString());
        }
        if (!t.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + quoteAll(t.primaryKey()) + ")");
        }
        for (Operation.TableConstraint tc : t.constraints()) {
            parts.add("CONSTRAINT " + quote(tc.name()) + tc.check().map(ch -> " CHECK (" + ch + ")")
                    .orElseGet(() -> " UNIQUE (" + quoteAll(tc.unique()) + ")"));
        }
        return "CREATE TABLE " + qualify(schema, t.name()) + " (" + String.join(", ", parts) + ")";
    }

    @Override
    public String dropTable(String schema, String table) {
        return "DROP TABLE IF EXISTS " + qualify(schema, table);
    }

    @Override
    public String renameTable(String schema, String from, String to) {
        return "ALTER TABLE " + qualify(schema, from) + " RENAME TO " + quote(to);
    }

    @Override
    public String addColumn(String schema, String table, ColumnDef column, boolean withDefault) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + column.type() + (withDefault ? column.defaultValue().map(d -> " DEFAULT " + d).orElse("") : "");
    }

    @Override
    public String setColumnDefault(String schema, String table, String column, String expression) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET DEFAULT " + expression;
    }

    @Override
    public String dropColumn(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP COLUMN IF EXISTS " + quote(column);
    }

    @Override
    public String renameColumn(String schema, String table, String from, String to) {
        return "ALTER TABLE " + qualify(schema, table) + " RENAME COLUMN " + quote(from) + " TO " + quote(to);
    }

    @Override
    public String setNotNull(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET NOT NULL";
    }

    // ---- constraints ---------------------------------------------------------------------

    @Override
    public String addCheckNotValid(String schema, String table, String name, String expression) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name)
                + " CHECK (" + expression + ") NOT VALID";
    }

    @Override
    public String addForeignKeyNotValid(String schema, String table, String name, List<String> columns,
                                        String refTable, List<String> refColumns, Optional<String> onDelete) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " FOREIGN KEY ("
                + quoteAll(columns) + ") REFERENCES " + qualify(schema, refTable)
                + (refColumns.isEmpty() ? "" : " (" + quoteAll(refColumns) + ")")
                + onDelete.map(od -> " ON DELETE " + od).orElse("") + " NOT VALID";
    }

    @Override
    public String validateConstraint(String schema, String table, String name) {
        return "ALTER TABLE " + qualify(schema, table) + " VALIDATE CONSTRAINT " + quote(name);
    }

    @Override
    public String dropConstraint(String schema, String table, String name) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP CONSTRAINT IF EXISTS " + quote(name);
    }

    @Override
    public String addUniqueUsingIndex(String schema, String table, String name, String index) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " UNIQUE USING INDEX "
                + quote(index);
    }

    // ---- indexes -------------------------------------------------------------------------

    @Override
    public String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                                    Optional<String> where, Optional<String> method) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + quote(name) + " ON "
                + qualify(schema, table) + method.map(m -> " USING " + m).orElse("")
                + " (" + quoteAll(columns) + ")" + where.map(w -> " WHERE " + w).orElse("");
    }

    @Override
    public String dropIndexOnline(String schema, String name) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + qualify(schema, name);
    }

    // ---- versions and sync ---------------------------------------------------------------

    @Override
    public String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    @Override
    public String dropSchemaCascade(String schema) {
        return "DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE";
    }

    @Override
    public String createVersionView(String versionSchema, String view, String schema, String table,
                                    List<ColumnMapping> columns) {
        String select = columns.stream()
                .map(c -> c.physical().equals(c.logical()) ? quote(c.physical()) : quote(c.physical()) + " AS " + quote(c.logical()))
                .collect(Collectors.joining(", "));
        return "CREATE OR REPLACE VIEW " + qualify(versionSchema, view) + " WITH (security_invoker = true) AS SELECT "
                + select + " FROM " + qualify(schema, table);
    }

    @Override
    public List<String> createSyncTrigger(SyncTrigger t) {
        StringBuilder body = new StringBuilder();
        body.append("CREATE OR REPLACE FUNCTION ").append(qualify(t.functionSchema(), t.functionName()))
                .append("() RETURNS trigger LANGUAGE plpgsql AS ").append(BODY_TAG).append('\n')
                // expressions name columns; a variable of the same name must win over a column of a subquery
                .append("#variable_conflict use_variable\n")
                .append("DECLARE\n");
        for (ColumnMapping v : t.variables()) {
            body.append("  ").append(quote(v.logical())).append(' ').append(qualify(t.schema(), t.table())).append('.')
                    .append(quote(v.physical())).append("%TYPE := NEW.").append(quote(v.physical())).append(";\n");
        }
        // The writer's version: an explicit bascule.version setting, else the first schema of its search_path.
        body.append("  bascule_writer text := coalesce(nullif(current_setting('bascule.version', true), ''),"
                + " (current_schemas(false))[1]);\n");
        body.append("BEGIN\n  IF bascule_writer = ").append(literal(t.newVersionSchema())).append(" THEN\n");
        appendAssignments(body, t.downAssign());
        body.append("  ELSE\n");
        appendAssignments(body, t.upAssign());
        body.append("  END IF;\n  RETURN NEW;\nEND\n").append(BODY_TAG);
        String trigger = "CREATE OR REPLACE TRIGGER " + quote(t.triggerName()) + " BEFORE INSERT OR UPDATE ON "
                + qualify(t.schema(), t.table()) + " FOR EACH ROW"
                // the backfill assigns the new values itself; skipping the function keeps it fast
                + " WHEN (current_setting('bascule.backfill', true) IS DISTINCT FROM 'on')"
                + " EXECUTE FUNCTION " + qualify(t.functionSchema(), t.functionName()) + "()";
        return List.of(body.toString(), trigger);
    }

    private void appendAssignments(StringBuilder body, List<Assignment> assignments) {
        if (assignments.isEmpty()) {
            body.append("    NULL;\n");
        }
        for (Assignment a : assignments) {
            body.append("    ");
            if (a.onlyIfNull()) {
                body.append("IF NEW.").append(quote(a.column())).append(" IS NULL THEN ");
            }
            body.append("NEW.").append(quote(a.column())).append(" := (").append(a.expression()).append(");");
            if (a.onlyIfNull()) {
                body.append(" END IF;");
            }
            body.append('\n');
        }
    }

    @Override
    public List<String> dropSyncTrigger(String schema, String table, String triggerName, String functionSchema,
                                        String functionName) {
        return List.of("DROP TRIGGER IF EXISTS " + quote(triggerName) + " ON " + qualify(schema, table),
                "DROP FUNCTION IF EXISTS " + qualify(functionSchema, functionName) + "()");
    }

    // ---- guards --------------------------------------------------------------------------

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

    private String quoteAll(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }
}
