package dev.bascule.dialect.mysql;

import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.dialect.Dialect;
import dev.bascule.sql.SqlSyntax;
import dev.bascule.sql.SqlLexer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads a MySQL-family catalog (information_schema) of a database, and the server's rules for names. */
final class MySqlCatalog extends MySqlRole implements CatalogReader {

    private static final Pattern DELIMITER_WORD = Pattern.compile("(?i)\\bdelimiter\\b");

    MySqlCatalog(Dialect dialect) {
        super(dialect);
    }

    @Override
    public boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** MariaDB keeps "no comment" as an empty one. */
    private static String noneIfEmpty(String comment) {
        return comment == null || comment.isEmpty() ? null : comment;
    }

    /** Column names are case-insensitive on MariaDB and MySQL, whatever the server's lower_case_table_names. */
    @Override
    public boolean sameColumnName(String a, String b) {
        return a.equalsIgnoreCase(b);
    }

    @Override
    public Catalog readCatalog(Connection c, String schema) throws SQLException {
        Map<String, List<Catalog.Column>> columns = new LinkedHashMap<>();
        Map<String, String> tableComments = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE,"
                + " " + family().columnDefault("c") + ", " + family().isGenerated("c") + ", c.EXTRA, c.COLLATION_NAME, c.COLUMN_COMMENT, t.TABLE_COMMENT"
                + " FROM information_schema.COLUMNS c"
                + " JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME"
                + " WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String def = rs.getString(5);
                    columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Catalog.Column(rs.getString(2),
                            rs.getString(3), "YES".equals(rs.getString(4)), def == null || def.equals("NULL") ? null : def,
                            "ALWAYS".equals(rs.getString(6)), autoIncrement(rs.getString(7)), rs.getString(8),
                            noneIfEmpty(rs.getString(9))));
                    tableComments.put(rs.getString(1), noneIfEmpty(rs.getString(10)));
                }
            }
        }
        // indexes, column by column in key order
        record IndexColumn(String table, String index, boolean unique, String column, String element, String type) {}
        List<IndexColumn> indexColumns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART,"
                + " COLLATION, INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(4);
                    String subPart = rs.getString(5);
                    String element = quote(column) + (subPart == null ? "" : "(" + Integer.parseInt(subPart) + ")")
                            + ("D".equals(rs.getString(6)) ? " DESC" : "");
                    indexColumns.add(new IndexColumn(rs.getString(1), rs.getString(2), rs.getInt(3) == 0, column, element,
                            rs.getString(7)));
                }
            }
        }
        Map<String, Set<String>> constraints = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    constraints.computeIfAbsent(rs.getString(1), t -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
        }
        Map<String, Set<String>> triggers = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME NOT LIKE '\\_bascule%'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.computeIfAbsent(rs.getString(1), t -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
        }
        Map<String, List<Catalog.ForeignKey>> foreignKeys = new LinkedHashMap<>();
        Map<String, List<Catalog.ForeignKey>> referencedBy = new LinkedHashMap<>();
        Map<String, Set<String>> foreignKeysIn = new LinkedHashMap<>();
        for (Catalog.ForeignKey fk : foreignKeys(c, schema)) {
            if (fk.schema().equals(schema)) {
                foreignKeys.computeIfAbsent(fk.table(), t -> new ArrayList<>()).add(fk);
            }
            if (fk.refSchema().equals(schema)) {
                referencedBy.computeIfAbsent(fk.refTable(), t -> new ArrayList<>()).add(fk);
                foreignKeysIn.computeIfAbsent(fk.refTable(), t -> new LinkedHashSet<>()).add(fk.table() + "." + fk.name());
            }
        }
        Map<String, List<Catalog.CheckDef>> checks = checks(family(), c, schema, columns);
        Map<String, Catalog.Table> tables = new LinkedHashMap<>();
        Map<String, Catalog.Index> indexes = new LinkedHashMap<>();
        for (Map.Entry<String, List<Catalog.Column>> e : columns.entrySet()) {
            String table = e.getKey();
            Map<String, List<String>> byIndex = new LinkedHashMap<>();
            Map<String, List<String>> elements = new LinkedHashMap<>();
            Map<String, Boolean> unique = new LinkedHashMap<>();
            Map<String, String> method = new LinkedHashMap<>();
            indexColumns.stream().filter(ic -> ic.table().equals(table)).forEach(ic -> {
                byIndex.computeIfAbsent(ic.index(), k -> new ArrayList<>()).add(ic.column());
                elements.computeIfAbsent(ic.index(), k -> new ArrayList<>()).add(ic.element());
                unique.put(ic.index(), ic.unique());
                method.put(ic.index(), ic.type().toLowerCase(java.util.Locale.ROOT));
            });
            // alter_column builds each index on an altered column again on its shadow
            List<Catalog.IndexDef> indexDefs = byIndex.keySet().stream().map(ix -> new Catalog.IndexDef(ix, unique.get(ix),
                    ix.equals("PRIMARY") ? Optional.of("PRIMARY") : Optional.empty(), ix.equals("PRIMARY") ? "p" : null,
                    method.get(ix), elements.get(ix), List.of(), Optional.empty(), Set.copyOf(byIndex.get(ix)), false)).toList();
            List<String> primaryKey = byIndex.getOrDefault("PRIMARY", List.of());
            Set<String> notNull = e.getValue().stream().filter(col -> !col.nullable()).map(Catalog.Column::name)
                    .collect(Collectors.toSet());
            List<List<String>> uniqueKeys = byIndex.entrySet().stream()
                    .filter(ix -> !ix.getKey().equals("PRIMARY") && unique.get(ix.getKey()) && notNull.containsAll(ix.getValue()))
                    .map(Map.Entry::getValue).toList();
            tables.put(table, new Catalog.Table(table, e.getValue(), primaryKey, constraints.getOrDefault(table, Set.of()),
                    foreignKeysIn.getOrDefault(table, Set.of()), uniqueKeys, indexDefs,
                    checks.getOrDefault(table, List.of()), foreignKeys.getOrDefault(table, List.of()),
                    referencedBy.getOrDefault(table, List.of()), Map.of(), false, triggers.getOrDefault(table, Set.of()),
                    Catalog.ReplicaIdentity.DEFAULT, tableComments.get(table)));
            // index names are per table here; the first table's index of a name is the one drop_index finds
            byIndex.keySet().forEach(ix -> indexes.putIfAbsent(ix.equals("PRIMARY") ? table + ".PRIMARY" : ix,
                    new Catalog.Index(ix, table, true, ix.equals("PRIMARY") ? Optional.of("PRIMARY") : Optional.empty())));
        }
        return new Catalog(schema, tables, indexes);
    }

    /** AUTO_INCREMENT stands for an identity: its counter belongs to the table, not to a sequence. */
    private static String autoIncrement(String extra) {
        return extra != null && extra.toLowerCase(java.util.Locale.ROOT).contains("auto_increment") ? "auto_increment" : null;
    }

    /**
     * Foreign keys of the schema's tables and those pointing at them, column by column in key
     * order. MariaDB has MATCH SIMPLE only (MATCH_OPTION 'NONE') and nothing deferrable.
     */
    private static List<Catalog.ForeignKey> foreignKeys(Connection c, String schema) throws SQLException {
        record KeyColumn(String schema, String table, String name, String column, String refSchema, String refTable,
                         String refColumn, String onUpdate, String onDelete) {}
        Map<String, List<KeyColumn>> byKey = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME,"
                + " k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE"
                + " FROM information_schema.REFERENTIAL_CONSTRAINTS r JOIN information_schema.KEY_COLUMN_USAGE k"
                + " ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME"
                + " AND k.TABLE_NAME = r.TABLE_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL"
                + " WHERE r.CONSTRAINT_SCHEMA = ? OR r.UNIQUE_CONSTRAINT_SCHEMA = ?"
                + " ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KeyColumn k = new KeyColumn(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
                    byKey.computeIfAbsent(k.schema() + "." + k.table() + "." + k.name(), x -> new ArrayList<>()).add(k);
                }
            }
        }
        List<Catalog.ForeignKey> keys = new ArrayList<>();
        for (List<KeyColumn> key : byKey.values()) {
            KeyColumn k = key.get(0);
            keys.add(new Catalog.ForeignKey(k.name(), k.schema(), k.table(), key.stream().map(KeyColumn::column).toList(),
                    k.refSchema(), k.refTable(), key.stream().map(KeyColumn::refColumn).toList(), k.onUpdate(), k.onDelete(),
                    false, ""));
        }
        return keys;
    }

    /**
     * CHECK constraints by table, with the columns their expression names (MariaDB prints every
     * column name in backticks). A CHECK written on a column is named after the column.
     */
    private static Map<String, List<Catalog.CheckDef>> checks(MySqlFamily family, Connection c, String schema,
                                                              Map<String, List<Catalog.Column>> columns) throws SQLException {
        Map<String, List<Catalog.CheckDef>> checks = new LinkedHashMap<>();
        Pattern quoted = Pattern.compile("`((?:[^`]|``)+)`");
        try (PreparedStatement ps = c.prepareStatement(family.checkConstraints())) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String clause = rs.getString(3);
                    Set<String> known = columns.getOrDefault(table, List.of()).stream().map(Catalog.Column::name)
                            .collect(Collectors.toSet());
                    Set<String> read = new LinkedHashSet<>();
                    java.util.regex.Matcher m = quoted.matcher(clause);
                    while (m.find()) {
                        String name = m.group(1).replace("``", "`");
                        if (known.contains(name)) {
                            read.add(name);
                        }
                    }
                    checks.computeIfAbsent(table, t -> new ArrayList<>()).add(new Catalog.CheckDef(rs.getString(2), clause, read));
                }
            }
        }
        return checks;
    }

    @Override
    public Optional<TableEstimate> estimateTable(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long rows = rs.getLong(1);
                Long estimate = rs.wasNull() ? null : rows;
                return Optional.of(new TableEstimate(schema, table, estimate, rs.getLong(2)));
            }
        }
    }

    /** An index element as {@link #readCatalog} writes it: a quoted column, maybe a prefix length and DESC. */
    @Override
    public String renameIndexElement(String element, String from, String to) {
        return element.startsWith(quote(from)) ? quote(to) + element.substring(quote(from).length()) : element;
    }

    @Override
    public Map<String, String> schemaComments(Connection c, String prefix) throws SQLException {
        Map<String, String> comments = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.SCHEMA_NAME, " + family().schemaMarker("s")
                + " FROM information_schema.SCHEMATA s WHERE LEFT(SCHEMA_NAME, CHAR_LENGTH(?)) = ?")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    comments.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
                }
            }
        }
        return comments;
    }

    /** A trigger's definition is its body, where Bascule writes its marker as a comment. */
    @Override
    public List<NamedTrigger> basculeTriggers(Connection c, String schema) throws SQLException {
        List<NamedTrigger> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_STATEMENT"
                + " FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME LIKE '\\_bascule%' ORDER BY 1, 2")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new NamedTrigger(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return triggers;
    }

    /**
     * Column names are case-insensitive here, quoted (backticks) or not; strings and comments are
     * read as the lint's MySQL lexer reads them. A word, quoted name or digit-led name equal to the
     * column, ignoring case, counts. That lexer takes a line starting with DELIMITER for the
     * client's command: an expression naming such a word is assumed to read every column.
     */
    @Override
    public boolean mayRead(String expression, String column) {
        if (DELIMITER_WORD.matcher(expression).find()) {
            return true;
        }
        return SqlLexer.tokens(expression, 1, SqlSyntax.MYSQL).stream()
                .anyMatch(t -> (t.kind() == SqlLexer.Kind.WORD || t.kind() == SqlLexer.Kind.QUOTED
                        || t.kind() == SqlLexer.Kind.NUMBER) && t.text().equalsIgnoreCase(column));
    }

    @Override
    public List<CommentedObject> commentedObjects(Connection connection, String schema, String prefix) {
        return List.of(); // nothing is ever deprecated here
    }

    /** InnoDB has no invalid index: a build that fails leaves nothing behind. */
    @Override
    public Boolean indexValid(Connection c, String schema, String table, String index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Boolean.TRUE : null;
            }
        }
    }

    @Override
    public long statisticsRows(Connection c, String schema, String table) throws SQLException {
        return estimateTable(c, schema, table).map(e -> e.rows() == null ? -1L : e.rows()).orElse(-1L);
    }

    /** None: a trigger here carries its body itself. */
    @Override
    public Map<String, String> functions(Connection c, String schema, String nameSuffix) {
        return Map.of();
    }

    /** Never asked: the no_references gate reads PostgreSQL's catalog, and is not among this server's gates. */
    @Override
    public List<String> tableUses(Connection c, String schema, String table, Collection<String> droppedWithIt,
                                  String versionSchema, String previousViews) {
        throw notHere("the no_references gate");
    }

    /** Never asked, as {@link #tableUses}. */
    @Override
    public List<String> columnUses(Connection c, String schema, String table, String column, String versionSchema,
                                   String previousViews, boolean keysMoved) {
        throw notHere("the no_references gate");
    }
}
