package dev.bascule.dialect.postgresql;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.dialect.RehearsalCatalog;
import dev.bascule.dialect.SourceTable;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the real tables from the catalog; reads only. The connection's {@code search_path} is set
 * to {@code pg_catalog} first, so that the definitions the server prints name every object outside
 * pg_catalog with its schema: a check calling {@code public.f()} still calls it from the copy.
 */
final class PostgresSourceTables implements RehearsalCatalog.SourceTables {
    private final Connection c;
    private final String schema;

    PostgresSourceTables(Connection c, String schema) throws SQLException {
        this.c = c;
        this.schema = schema;
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = pg_catalog");
        }
    }

    /** Which of {@code names} are ordinary tables of the schema; a partitioned one is refused. */
    @Override
    public Set<String> existing(Collection<String> names) throws SQLException {
        Set<String> found = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.relname, c.relkind FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ANY (?)")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(2);
                    if ("p".equals(kind)) {
                        throw new InvalidMigrationException("rehearse cannot copy the partitioned table " + rs.getString(1)
                                + " yet: rehearse on a copy made by hand (--schema) instead");
                    }
                    if ("r".equals(kind)) {
                        found.add(rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    /**
     * The tables to copy: those the migration touches, the tables whose foreign keys point at them
     * (an {@code alter_column} of a referenced key changes those too) and the tables they point at
     * (so that the copies' foreign keys hold). Further tables are left out: their foreign keys are
     * not copied, and the report says so.
     */
    @Override
    public Set<String> closure(Set<String> touched) throws SQLException {
        Set<String> all = new TreeSet<>(touched);
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ch.relname, pa.relname FROM pg_constraint co"
                + " JOIN pg_class ch ON ch.oid = co.conrelid JOIN pg_namespace chn ON chn.oid = ch.relnamespace"
                + " JOIN pg_class pa ON pa.oid = co.confrelid JOIN pg_namespace pan ON pan.oid = pa.relnamespace"
                + " WHERE co.contype = 'f' AND chn.nspname = ? AND pan.nspname = ? AND ch.relkind = 'r' AND pa.relkind = 'r'"
                + " AND (ch.relname = ANY (?) OR pa.relname = ANY (?))")) {
            Array names = c.createArrayOf("text", touched.toArray());
            ps.setString(1, schema);
            ps.setString(2, schema);
            ps.setArray(3, names);
            ps.setArray(4, names);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(rs.getString(1));
                    all.add(rs.getString(2));
                }
            }
        }
        return all;
    }

    @Override
    public SourceTable read(String table) throws SQLException {
        long oid = oid(table);
        return new SourceTable(table, estimatedRows(oid), columns(oid), key(oid), constraints(oid), indexes(oid, table),
                foreignKeys(oid), sequences(oid), identities(oid), triggers(oid), otherUniques(oid));
    }

    private long oid(String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new InvalidMigrationException("unknown table '" + table + "' in schema '" + schema + "'");
                }
                return rs.getLong(1);
            }
        }
    }

    private double estimatedRows(long oid) throws SQLException {
        List<String> v = strings("SELECT reltuples::text FROM pg_class WHERE oid = ?", oid);
        return Double.parseDouble(v.get(0));
    }

    private List<SourceTable.Column> columns(long oid) throws SQLException {
        List<SourceTable.Column> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname, attgenerated <> '' OR attidentity = 'a',"
                + " attgenerated <> '', atthasdef OR attidentity <> '' FROM pg_attribute"
                + " WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceTable.Column(rs.getString(1), !rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4)));
                }
            }
        }
        return out;
    }

    private List<String> key(long oid) throws SQLException {
        return strings("SELECT a.attname FROM pg_constraint co CROSS JOIN LATERAL unnest(co.conkey) WITH ORDINALITY k(attnum, ord)"
                + " JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum"
                + " WHERE co.conrelid = ? AND co.contype = 'p' ORDER BY k.ord", oid);
    }

    private List<SourceTable.Definition> constraints(long oid) throws SQLException {
        List<SourceTable.Definition> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = ? AND contype IN ('p', 'u', 'x', 'c') ORDER BY contype <> 'p', conname")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceTable.Definition(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** Valid indexes that back no constraint of the table, each without its {@code CREATE INDEX name ON table}. */
    private List<SourceTable.Definition> indexes(long oid, String table) throws SQLException {
        List<SourceTable.Definition> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ic.relname, i.indisunique, d.def, d.marker"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
                + " CROSS JOIN LATERAL (SELECT pg_get_indexdef(i.indexrelid) AS def,"
                + "   ' ON ' || quote_ident(?) || '.' || quote_ident(?) || ' ' AS marker) d"
                + " WHERE i.indrelid = ? AND i.indisvalid"
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid)"
                + " ORDER BY ic.relname")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setLong(3, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String def = rs.getString(3);
                    int at = def.indexOf(rs.getString(4));
                    if (at < 0) {
                        throw new IllegalStateException("unexpected definition of index " + rs.getString(1) + ": " + def);
                    }
                    out.add(new SourceTable.Definition(rs.getString(1), rs.getBoolean(2) ? "unique" : "index",
                            def.substring(at + rs.getString(4).length())));
                }
            }
        }
        return out;
    }

    private List<SourceTable.ForeignKey> foreignKeys(long oid) throws SQLException {
        List<SourceTable.ForeignKey> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT co.conname,"
                + " array(SELECT a.attname::text FROM unnest(co.conkey) WITH ORDINALITY k(n, o)"
                + "   JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.n ORDER BY k.o),"
                + " pn.nspname, p.relname,"
                + " array(SELECT a.attname::text FROM unnest(co.confkey) WITH ORDINALITY k(n, o)"
                + "   JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.n ORDER BY k.o),"
                + " co.confupdtype::text, co.confdeltype::text, co.confmatchtype::text, co.condeferrable, co.condeferred, co.convalidated"
                + " FROM pg_constraint co JOIN pg_class p ON p.oid = co.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace"
                + " WHERE co.conrelid = ? AND co.contype = 'f' ORDER BY co.conname")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceTable.ForeignKey(rs.getString(1), texts(rs.getArray(2)), rs.getString(3), rs.getString(4),
                            texts(rs.getArray(5)), rs.getString(6).charAt(0), rs.getString(7).charAt(0), rs.getString(8).charAt(0),
                            rs.getBoolean(9), rs.getBoolean(10), rs.getBoolean(11)));
                }
            }
        }
        return out;
    }

    /** Defaults that depend on a sequence: serial columns, and any default calling nextval on one. */
    private List<SourceTable.SequenceDefault> sequences(long oid) throws SQLException {
        List<SourceTable.SequenceDefault> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, s.relname, pg_get_expr(d.adbin, d.adrelid),"
                + " quote_literal(s.oid::regclass::text) || '::regclass',"
                + " EXISTS (SELECT 1 FROM pg_depend o WHERE o.classid = 'pg_class'::regclass AND o.objid = s.oid"
                + "   AND o.deptype = 'a' AND o.refobjid = d.adrelid AND o.refobjsubid = d.adnum),"
                + " format_type(q.seqtypid, NULL), q.seqincrement, q.seqmin, q.seqmax, q.seqstart, q.seqcycle"
                + " FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
                + " JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid"
                + "   AND dep.refclassid = 'pg_class'::regclass"
                + " JOIN pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'"
                + " JOIN pg_sequence q ON q.seqrelid = s.oid"
                + " WHERE d.adrelid = ? AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceTable.SequenceDefault(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                            rs.getBoolean(11)));
                }
            }
        }
        return out;
    }

    private List<String> identities(long oid) throws SQLException {
        return strings("SELECT attname FROM pg_attribute WHERE attrelid = ? AND attidentity <> '' AND NOT attisdropped ORDER BY attnum", oid);
    }

    private List<String> triggers(long oid) throws SQLException {
        return strings("SELECT tgname FROM pg_trigger WHERE tgrelid = ? AND NOT tgisinternal ORDER BY tgname", oid);
    }

    private int otherUniques(long oid) throws SQLException {
        return Integer.parseInt(strings("SELECT count(*)::text FROM pg_index WHERE indrelid = ? AND indisunique AND NOT indisprimary", oid).get(0));
    }

    private List<String> strings(String sql, long oid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<String> texts(Array array) throws SQLException {
        return List.copyOf(Arrays.asList((String[]) array.getArray()));
    }
}
