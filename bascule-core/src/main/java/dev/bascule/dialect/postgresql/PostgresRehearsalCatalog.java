package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.RehearsalCatalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the rehearsal promises not to touch, as comparable text: the real tables' columns,
 * constraints, indexes and triggers, and the real state schema's tables and migration rows. Taken
 * before and after; any difference fails the rehearsal.
 */
final class PostgresRehearsalCatalog implements RehearsalCatalog {

    /** Reads with {@code search_path} set to {@code pg_catalog}, so that printed definitions name every other object with its schema. */
    @Override
    public SourceTables sourceTables(Connection c, String schema) throws SQLException {
        return new PostgresSourceTables(c, schema);
    }

    @Override
    public List<String> snapshot(Connection c, String schema, Collection<String> tables, String stateSchema) throws SQLException {
        List<String> out = new ArrayList<>();
        Object names = c.createArrayOf("text", tables.toArray());
        rows(c, out, "column", "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
                + " || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
                + " WHERE n.nspname = ? AND c.relname = ANY (?) ORDER BY c.relname, a.attnum", schema, names);
        rows(c, out, "constraint", "SELECT cl.relname || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid)"
                + " || CASE WHEN co.convalidated THEN '' ELSE ' NOT VALID' END"
                + " FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace"
                + " WHERE n.nspname = ? AND cl.relname = ANY (?) ORDER BY 1", schema, names);
        rows(c, out, "index", "SELECT pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END"
                + " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = ? AND t.relname = ANY (?) ORDER BY 1", schema, names);
        rows(c, out, "trigger", "SELECT pg_get_triggerdef(tg.oid) FROM pg_trigger tg JOIN pg_class t ON t.oid = tg.tgrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND t.relname = ANY (?)"
                + " AND NOT tg.tgisinternal ORDER BY 1", schema, names);
        rows(c, out, "state relation", "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? ORDER BY 1", stateSchema);
        if (!out.stream().filter(l -> l.startsWith("state relation: ")).toList().isEmpty()
                && out.contains("state relation: migrations")) {
            rows(c, out, "state migrations", "SELECT count(*) || ' rows, last id ' || coalesce(max(id)::text, '-') FROM "
                    + PostgresRole.quoteName(stateSchema) + ".migrations");
        }
        return out;
    }

    private static void rows(Connection c, List<String> out, String kind, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(kind + ": " + rs.getString(1));
                }
            }
        }
    }

    @Override
    public List<String> viewColumns(Connection c, String schema, String view) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_attribute a JOIN pg_class v ON v.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = v.relnamespace WHERE n.nspname = ? AND v.relname = ? AND a.attnum > 0"
                + " AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, schema);
            ps.setString(2, view);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
