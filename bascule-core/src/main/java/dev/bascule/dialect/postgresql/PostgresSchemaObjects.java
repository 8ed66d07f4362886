package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.Catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The parts of a schema's catalog read apart from its tables and columns: indexes, checks, foreign keys, owned sequences. */
final class PostgresSchemaObjects {

    static final int INDOPTION_DESC = 1;

    static final int INDOPTION_NULLS_FIRST = 2;

    static final Map<String, String> FK_ACTIONS = Map.of("a", "NO ACTION", "r", "RESTRICT", "c", "CASCADE",
            "n", "SET NULL", "d", "SET DEFAULT");

    private PostgresSchemaObjects() {}

    static Map<String, List<Catalog.IndexDef>> indexDefinitions(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.IndexDef>> defs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tc.relname, ic.relname, i.indisunique, co.conname, co.contype, am.amname, i.indnkeyatts,"
                        + " pg_get_expr(i.indpred, i.indrelid),"
                        + " array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) k ORDER BY k),"
                        + " i.indoption::int2[], i.indnullsnotdistinct,"
                        + " array(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND (a.attnum = ANY (i.indkey::int2[])"
                        + "   OR a.attnum IN (SELECT d.refobjsubid FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
                        + "   AND d.objid = i.indexrelid AND d.refobjid = i.indrelid AND d.refobjsubid > 0)))"
                        + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid"
                        + " JOIN pg_namespace n ON n.oid = tc.relnamespace JOIN pg_am am ON am.oid = ic.relam"
                        + " LEFT JOIN pg_constraint co ON co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x')"
                        + " WHERE n.nspname = ? AND i.indisvalid ORDER BY ic.relname")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int keys = rs.getInt(7);
                    String[] all = (String[]) rs.getArray(9).getArray();
                    Object[] options = (Object[]) rs.getArray(10).getArray();
                    List<String> elements = new ArrayList<>();
                    for (int k = 0; k < keys; k++) {
                        int option = ((Number) options[k]).intValue();
                        boolean desc = (option & INDOPTION_DESC) != 0;
                        boolean nullsFirst = (option & INDOPTION_NULLS_FIRST) != 0;
                        elements.add(all[k] + (desc ? " DESC" : "") + (desc && !nullsFirst ? " NULLS LAST" : "")
                                + (!desc && nullsFirst ? " NULLS FIRST" : ""));
                    }
                    List<String> include = List.of(all).subList(keys, all.length);
                    defs.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.IndexDef(
                            rs.getString(2), rs.getBoolean(3), Optional.ofNullable(rs.getString(4)),
                            rs.getString(5), rs.getString(6), elements, include, Optional.ofNullable(rs.getString(8)),
                            Set.of((String[]) rs.getArray(12).getArray()), rs.getBoolean(11)));
                }
            }
        }
        return defs;
    }

    static Map<String, List<Catalog.CheckDef>> checks(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.CheckDef>> checks = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, co.conname, pg_get_expr(co.conbin, co.conrelid),"
                        + " array(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = co.conrelid AND a.attnum = ANY (co.conkey))"
                        + " FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid"
                        + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ? AND co.contype = 'c'"
                        + " ORDER BY co.conname")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checks.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.CheckDef(
                            rs.getString(2), rs.getString(3), Set.of((String[]) rs.getArray(4).getArray())));
                }
            }
        }
        return checks;
    }

    /** Foreign keys from or to a table of {@code schema}. */
    static List<Catalog.ForeignKey> foreignKeys(Connection c, String schema) throws SQLException {
        List<Catalog.ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT co.conname, n.nspname, cl.relname,"
                        + " (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)"
                        + "  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum),"
                        + " rn.nspname, rc.relname,"
                        + " (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(co.confkey) WITH ORDINALITY k(attnum, ord)"
                        + "  JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum),"
                        + " co.confupdtype, co.confdeltype, co.confmatchtype, co.condeferrable, co.condeferred"
                        + " FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " JOIN pg_class rc ON rc.oid = co.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
                        + " WHERE co.contype = 'f' AND (n.nspname = ? OR rn.nspname = ?) ORDER BY co.conname")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Catalog.ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3),
                            List.of((String[]) rs.getArray(4).getArray()), rs.getString(5), rs.getString(6),
                            List.of((String[]) rs.getArray(7).getArray()), FK_ACTIONS.get(rs.getString(8)),
                            FK_ACTIONS.get(rs.getString(9)), "f".equals(rs.getString(10)),
                            !rs.getBoolean(11) ? "" : rs.getBoolean(12) ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE"));
                }
            }
        }
        return keys;
    }

    /** Sequences owned by a column (serial or identity), by table and column. */
    static Map<String, Map<String, Catalog.OwnedSequence>> ownedSequences(Connection c, String schema) throws SQLException {
        Map<String, Map<String, Catalog.OwnedSequence>> owned = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT t.relname, a.attname, sn.nspname, s.relname, format_type(sq.seqtypid, NULL), d.deptype = 'i'"
                        + " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
                        + " JOIN pg_namespace sn ON sn.oid = s.relnamespace JOIN pg_sequence sq ON sq.seqrelid = s.oid"
                        + " JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
                        + " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
                        + " AND d.deptype IN ('a', 'i') AND n.nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owned.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2),
                            new Catalog.OwnedSequence(rs.getString(3), rs.getString(4), rs.getString(5),
                                    rs.getBoolean(6) ? "identity" : null));
                }
            }
        }
        return owned;
    }
}
