package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.CatalogReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads PostgreSQL's catalog (pg_catalog) and statistics of a schema. */
final class PostgresCatalog extends PostgresRole implements CatalogReader {

    PostgresCatalog(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public Optional<TableEstimate> estimateTable(Connection c, String schema, String table) throws SQLException {
        // reltuples is -1 until the first ANALYZE or VACUUM; a partitioned table's rows and bytes
        // are its leaf partitions'
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT CASE WHEN cl.relkind = 'r' THEN cl.reltuples ELSE (SELECT CASE WHEN bool_or(l.reltuples < 0)"
                        + "  THEN -1 ELSE coalesce(sum(l.reltuples), 0) END FROM pg_partition_tree(cl.oid) p"
                        + "  JOIN pg_class l ON l.oid = p.relid WHERE p.isleaf) END,"
                        + " CASE WHEN cl.relkind = 'r' THEN pg_total_relation_size(cl.oid) ELSE (SELECT"
                        + "  coalesce(sum(pg_total_relation_size(p.relid)), 0) FROM pg_partition_tree(cl.oid) p WHERE p.isleaf) END"
                        + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " WHERE n.nspname = ? AND cl.relname = ? AND cl.relkind IN ('r', 'p')")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double rows = rs.getDouble(1);
                return Optional.of(new TableEstimate(schema, table, rows < 0 ? null : Math.round(rows), rs.getLong(2)));
            }
        }
    }

    /**
     * Parse and Describe only, never Execute (pgjdbc's {@code getMetaData} on the extended protocol).
     * Under {@code preferQueryMode=simple} pgjdbc would run the query to describe it, so a plan
     * refuses to check there. pgjdbc also splits a text at {@code ;} before the server sees it, so a
     * second statement is refused here as the server refuses it in one Parse. A {@code ?} outside
     * literals is an operator (jsonb) to PostgreSQL but a parameter to pgjdbc: doubled, pgjdbc sends
     * it as one.
     */
    @Override
    public int describedColumns(Connection c, String query) throws SQLException {
        if (c.isWrapperFor(org.postgresql.PGConnection.class)
                && c.unwrap(org.postgresql.PGConnection.class).getPreferQueryMode() == org.postgresql.jdbc.PreferQueryMode.SIMPLE) {
            throw new dev.bascule.api.BasculeException("plan checks expressions with the extended query protocol, which runs nothing;"
                    + " remove preferQueryMode=simple from the JDBC URL");
        }
        for (dev.bascule.sql.SqlLexer.Token t : dev.bascule.sql.SqlLexer.tokens(query, 1)) {
            if (t.kind() == dev.bascule.sql.SqlLexer.Kind.SYMBOL && t.text().equals(";")) {
                // pgjdbc splits at ';' and would describe each part (running none): one statement is expected
                throw new SQLException("syntax error at or near \";\": one statement expected", "42601");
            }
        }
        return CatalogReader.super.describedColumns(c, dialect.copy().preparedText(query));
    }

    @Override
    public boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public Set<String> volatileFunctions(Connection c, Collection<String> names) throws SQLException {
        if (names.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT proname FROM pg_catalog.pg_proc"
                + " WHERE provolatile = 'v' AND proname = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public Boolean indexValid(Connection c, String schema, String table, String index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    @Override
    public long statisticsRows(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, qualify(schema, table));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(1) > 0) {
                    return rs.getLong(1);
                }
            }
        }
        return -1;
    }

    /** Each table's replica identity: relreplident, and for 'i' the index marked indisreplident (none if it is gone). */
    private static Map<String, Catalog.ReplicaIdentity> replicaIdentities(Connection c, String schema) throws SQLException {
        Map<String, Catalog.ReplicaIdentity> identities = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.relname, cl.relreplident, (SELECT ic.relname FROM pg_index i"
                + " JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = cl.oid AND i.indisreplident)"
                + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                + " WHERE n.nspname = ? AND cl.relkind IN ('r', 'p')")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dev.bascule.api.Operation.ReplicaIdentity type = switch (rs.getString(2)) {
                        case "f" -> dev.bascule.api.Operation.ReplicaIdentity.FULL;
                        case "n" -> dev.bascule.api.Operation.ReplicaIdentity.NOTHING;
                        case "i" -> dev.bascule.api.Operation.ReplicaIdentity.INDEX;
                        default -> dev.bascule.api.Operation.ReplicaIdentity.DEFAULT;
                    };
                    identities.put(rs.getString(1), new Catalog.ReplicaIdentity(type, rs.getString(3)));
                }
            }
        }
        return identities;
    }

    @Override
    public Catalog readCatalog(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.Column>> columns = new LinkedHashMap<>();
        Map<String, String> tableComments = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                        + " pg_get_expr(d.adbin, d.adrelid), (a.attidentity <> '' OR a.attgenerated <> ''),"
                        + " CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END,"
                        + " (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co"
                        + "  JOIN pg_namespace cn ON cn.oid = co.collnamespace JOIN pg_type ty ON ty.oid = a.atttypid"
                        + "  WHERE co.oid = a.attcollation AND a.attcollation <> ty.typcollation),"
                        + " col_description(cl.oid, a.attnum), obj_description(cl.oid, 'pg_class')"
                        + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped"
                        + " LEFT JOIN pg_attrdef d ON d.adrelid = cl.oid AND d.adnum = a.attnum"
                        + " WHERE n.nspname = ? AND cl.relkind IN ('r', 'p') ORDER BY cl.relname, a.attnum")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.Column(
                            rs.getString(2), rs.getString(3), !rs.getBoolean(4), rs.getString(5), rs.getBoolean(6),
                            rs.getString(7), rs.getString(8), rs.getString(9)));
                    tableComments.put(rs.getString(1), rs.getString(10));
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
        Map<String, List<Catalog.IndexDef>> indexDefs = PostgresSchemaObjects.indexDefinitions(c, schema);
        Map<String, List<Catalog.CheckDef>> checks = PostgresSchemaObjects.checks(c, schema);
        Map<String, List<Catalog.ForeignKey>> foreignKeys = new HashMap<>();
        Map<String, List<Catalog.ForeignKey>> referencedBy = new HashMap<>();
        for (Catalog.ForeignKey fk : PostgresSchemaObjects.foreignKeys(c, schema)) {
            if (fk.schema().equals(schema)) {
                foreignKeys.computeIfAbsent(fk.table(), t -> new ArrayList<>()).add(fk);
            }
            if (fk.refSchema().equals(schema)) {
                referencedBy.computeIfAbsent(fk.refTable(), t -> new ArrayList<>()).add(fk);
            }
        }
        Map<String, Map<String, Catalog.OwnedSequence>> sequences = PostgresSchemaObjects.ownedSequences(c, schema);
        Set<String> partitioned = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.relname FROM pg_class cl JOIN pg_namespace n"
                + " ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relkind = 'p'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) partitioned.add(rs.getString(1));
            }
        }
        Map<String, Set<String>> triggers = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.relname, t.tgname FROM pg_trigger t JOIN pg_class cl"
                + " ON cl.oid = t.tgrelid JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ?"
                + " AND NOT t.tgisinternal AND t.tgname NOT LIKE '\\_bascule%'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) triggers.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        Map<String, Catalog.ReplicaIdentity> identities = replicaIdentities(c, schema);
        Map<String, Catalog.Table> tables = new LinkedHashMap<>();
        columns.forEach((name, cols) -> tables.put(name, new Catalog.Table(name, cols,
                primaryKeys.getOrDefault(name, List.of()), constraints.getOrDefault(name, Set.of()),
                foreignKeysIn.getOrDefault(name, Set.of()), uniqueKeys.getOrDefault(name, List.of()),
                indexDefs.getOrDefault(name, List.of()), checks.getOrDefault(name, List.of()),
                foreignKeys.getOrDefault(name, List.of()), referencedBy.getOrDefault(name, List.of()),
                sequences.getOrDefault(name, Map.of()), partitioned.contains(name), triggers.getOrDefault(name, Set.of()),
                identities.getOrDefault(name, Catalog.ReplicaIdentity.DEFAULT), tableComments.get(name))));

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

    @Override
    public Map<String, String> schemaComments(Connection c, String prefix) throws SQLException {
        Map<String, String> comments = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT nspname, coalesce(obj_description(oid, 'pg_namespace'), '')"
                + " FROM pg_namespace WHERE left(nspname, length(?)) = ?")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    comments.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return comments;
    }

    /** A trigger's definition is its function's source, where the marker is, and the function's schema. */
    @Override
    public List<NamedTrigger> basculeTriggers(Connection c, String schema) throws SQLException {
        List<NamedTrigger> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.relname, g.tgname, p.prosrc, n.nspname FROM pg_trigger g"
                + " JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace s ON s.oid = t.relnamespace"
                + " JOIN pg_proc p ON p.oid = g.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE s.nspname = ? AND NOT g.tgisinternal AND g.tgname LIKE '\\_bascule%' ORDER BY 1, 2")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new NamedTrigger(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return triggers;
    }

    @Override
    public Map<String, String> functions(Connection c, String schema, String nameSuffix) throws SQLException {
        Map<String, String> functions = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT p.proname, coalesce(p.prosrc, '') FROM pg_proc p"
                + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND right(p.proname, length(?)) = ?")) {
            ps.setString(1, schema);
            ps.setString(2, nameSuffix);
            ps.setString(3, nameSuffix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    functions.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return functions;
    }

    @Override
    public List<CommentedObject> commentedObjects(Connection c, String schema, String prefix) throws SQLException {
        String like = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%";
        List<CommentedObject> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.relname, NULL::text, obj_description(cl.oid, 'pg_class') FROM pg_class cl"
                        + " JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " WHERE n.nspname = ? AND cl.relkind IN ('r', 'p') AND cl.relname LIKE ?"
                        + " UNION ALL"
                        + " SELECT cl.relname, a.attname, col_description(cl.oid, a.attnum) FROM pg_attribute a"
                        + " JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace"
                        + " WHERE n.nspname = ? AND cl.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
                        + " AND a.attname LIKE ? ORDER BY 1, 2 NULLS FIRST")) {
            ps.setString(1, schema);
            ps.setString(2, like);
            ps.setString(3, schema);
            ps.setString(4, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CommentedObject(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** Exactly: PostgreSQL folds only unquoted names, and Bascule quotes every one. */
    @Override
    public boolean sameColumnName(String a, String b) {
        return a.equals(b);
    }

    /** PostgreSQL folds unquoted names to lower case and keeps quoted ones. */
    @Override
    public boolean mayRead(String expression, String column) {
        return !dev.bascule.model.Expressions.renameColumn(expression, column, "\"\"").equals(expression);
    }

    @Override
    public String renameIndexElement(String element, String from, String to) {
        return dev.bascule.model.Expressions.renameColumn(element, from, quote(to));
    }

    @Override
    public List<String> tableUses(Connection c, String schema, String table, Collection<String> droppedWithIt,
                                  String versionSchema, String previousViews) throws SQLException {
        String qualified = qualified(schema, table);
        List<String> uses = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 'foreign key ' || conname || ' of ' || conrelid::regclass FROM pg_constraint"
                        + " WHERE contype = 'f' AND confrelid = to_regclass(?) AND conrelid <> confrelid"
                        // a table the same migration drops goes first, with its foreign keys
                        + " AND conrelid <> ALL (SELECT to_regclass(quote_ident(?) || '.' || quote_ident(t)) FROM unnest(?::text[]) t)"
                        + " UNION ALL"
                        + " SELECT DISTINCT 'view ' || v.oid::regclass FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid"
                        + " JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace"
                        + " WHERE d.refobjid = to_regclass(?) AND v.oid <> d.refobjid AND n.nspname NOT IN (?, ?)"
                        + " UNION ALL"
                        // a SQL-standard body (BEGIN ATOMIC) records what it uses; a PL/pgSQL body does not
                        + " SELECT DISTINCT 'function ' || d.objid::regprocedure FROM pg_depend d"
                        + " WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_class'::regclass"
                        + " AND d.refobjid = to_regclass(?)")) {
            ps.setString(1, qualified);
            ps.setString(2, schema);
            ps.setArray(3, c.createArrayOf("text", droppedWithIt.toArray()));
            ps.setString(4, qualified);
            ps.setString(5, versionSchema);
            ps.setString(6, previousViews);
            ps.setString(7, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uses.add(rs.getString(1));
                }
            }
        }
        return uses;
    }

    @Override
    public List<String> columnUses(Connection c, String schema, String table, String column, String versionSchema,
                                   String previousViews, boolean keysMoved) throws SQLException {
        String qualified = qualified(schema, table);
        List<String> uses = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "WITH col AS (SELECT attrelid, attnum FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)"
                        + " SELECT DISTINCT 'view ' || quote_ident(n.nspname) || '.' || quote_ident(v.relname) FROM col JOIN pg_depend d ON d.refobjid = col.attrelid"
                        + " AND d.refobjsubid = col.attnum JOIN pg_rewrite r ON r.oid = d.objid"
                        + " JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace"
                        + " WHERE v.oid <> col.attrelid AND n.nspname NOT IN (?, ?)"
                        + " UNION ALL"
                        // what DROP COLUMN would refuse: a column trigger, a policy, another column's generation expression
                        + " SELECT pg_describe_object(d.classid, d.objid, d.objsubid) FROM col JOIN pg_depend d"
                        + " ON d.refclassid = 'pg_class'::regclass AND d.refobjid = col.attrelid AND d.refobjsubid = col.attnum"
                        + " WHERE d.classid IN ('pg_trigger'::regclass, 'pg_policy'::regclass, 'pg_proc'::regclass)"
                        + " OR (d.classid = 'pg_attrdef'::regclass AND NOT EXISTS (SELECT 1 FROM pg_attrdef ad"
                        + "  WHERE ad.oid = d.objid AND ad.adnum = col.attnum))"
                        + " UNION ALL"
                        + " SELECT 'foreign key ' || co.conname || ' of ' || co.conrelid::regclass FROM col JOIN pg_constraint co"
                        + " ON co.contype = 'f' AND co.confrelid = col.attrelid AND col.attnum = ANY (co.confkey)"
                        + " WHERE NOT ? AND co.conrelid <> co.confrelid")) {
            ps.setString(1, qualified);
            ps.setString(2, column);
            ps.setString(3, versionSchema);
            ps.setString(4, previousViews);
            ps.setBoolean(5, keysMoved);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uses.add(rs.getString(1));
                }
            }
        }
        return uses;
    }

    /** A name to_regclass reads back exactly, whatever case or characters it has. */
    static String qualified(String schema, String table) {
        return '"' + schema.replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"") + '"';
    }
}
