package dev.bascule.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything rollback must restore and bad input must not touch, as comparable text: schemas,
 * tables, columns with types, defaults and nullability, constraints with validity, indexes with
 * validity, triggers, views, functions, and a checksum of every table's data.
 */
public final class CatalogSnapshot {
    private CatalogSnapshot() {}

    /** @param schema the base schema; version schemas {@code schema_*} and {@code stateSchema}'s functions are included */
    public static List<String> take(Connection c, String schema, String stateSchema) throws SQLException {
        List<String> out = catalog(c, schema, stateSchema);
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r','p') ORDER BY 1")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) tables.add(rs.getString(1));
            }
        }
        for (String t : tables) {
            String q = "\"" + schema + "\".\"" + t + "\"";
            rows(c, out, "data " + t, "SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '-')"
                    + " FROM " + q + " x");
        }
        return out;
    }

    /** {@link #take} without the data: what rollback must restore where rows were written meanwhile. */
    public static List<String> catalog(Connection c, String schema, String stateSchema) throws SQLException {
        List<String> out = new ArrayList<>();
        String like = schema.replace("_", "\\_") + "\\_%";
        rows(c, out, "schema", "SELECT nspname FROM pg_namespace WHERE nspname = ? OR nspname LIKE ? ORDER BY 1", schema, like);
        rows(c, out, "column", "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
                + " || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
                + " WHERE n.nspname = ? AND c.relkind IN ('r','p') ORDER BY c.relname, a.attnum", schema);
        rows(c, out, "constraint", "SELECT cl.relname || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid)"
                + " || CASE WHEN co.convalidated THEN '' ELSE ' (not validated)' END"
                + " FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace"
                + " WHERE n.nspname = ? ORDER BY 1", schema);
        rows(c, out, "index", "SELECT pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END"
                + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? ORDER BY 1", schema);
        rows(c, out, "trigger", "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND NOT t.tgisinternal ORDER BY 1", schema);
        rows(c, out, "view", "SELECT n.nspname || '.' || c.relname || ' ' || pg_get_viewdef(c.oid)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'v' AND (n.nspname = ? OR n.nspname LIKE ?) ORDER BY 1", schema, like);
        rows(c, out, "function", "SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname IN (?, ?) ORDER BY 1", schema, stateSchema);
        return out;
    }

    private static void rows(Connection c, List<String> out, String kind, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(kind + ": " + rs.getString(1));
            }
        }
    }
}
