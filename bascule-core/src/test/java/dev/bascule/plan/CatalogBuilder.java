package dev.bascule.plan;

import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link Catalog} written by hand, as the dialect's readCatalog would read it from a server, so the
 * planner can be tested with no database: primary keys named as the server names them
 * ({@code PRIMARY} on MariaDB, {@code <table>_pkey} on PostgreSQL), index columns quoted by the
 * dialect, and each foreign key also recorded on the table it references.
 */
final class CatalogBuilder {
    private final Dialect dialect;
    private final String schema;
    private final Map<String, TableBuilder> tables = new LinkedHashMap<>();

    private CatalogBuilder(Dialect dialect, String schema) {
        this.dialect = dialect;
        this.schema = schema;
    }

    static CatalogBuilder of(Dialect dialect, String schema) {
        return new CatalogBuilder(dialect, schema);
    }

    CatalogBuilder table(String name, Consumer<TableBuilder> shape) {
        TableBuilder t = new TableBuilder(name);
        shape.accept(t);
        tables.put(name, t);
        return this;
    }

    Catalog build() {
        Map<String, List<Catalog.ForeignKey>> referencedBy = new LinkedHashMap<>();
        Map<String, Set<String>> foreignKeysIn = new LinkedHashMap<>();
        for (TableBuilder t : tables.values()) {
            for (Catalog.ForeignKey fk : t.foreignKeys) {
                referencedBy.computeIfAbsent(fk.refTable(), x -> new ArrayList<>()).add(fk);
                foreignKeysIn.computeIfAbsent(fk.refTable(), x -> new LinkedHashSet<>()).add(fk.table() + "." + fk.name());
            }
        }
        Map<String, Catalog.Table> built = new LinkedHashMap<>();
        Map<String, Catalog.Index> indexes = new LinkedHashMap<>();
        for (TableBuilder t : tables.values()) {
            Set<String> notNull = new LinkedHashSet<>();
            t.columns.stream().filter(c -> !c.nullable()).forEach(c -> notNull.add(c.name()));
            List<List<String>> uniqueKeys = t.indexDefs.stream()
                    .filter(ix -> ix.unique() && !"p".equals(ix.constraintType()) && notNull.containsAll(t.indexColumns.get(ix.name())))
                    .map(ix -> t.indexColumns.get(ix.name())).toList();
            built.put(t.name, new Catalog.Table(t.name, t.columns, t.primaryKey, t.constraints,
                    foreignKeysIn.getOrDefault(t.name, Set.of()), uniqueKeys, t.indexDefs, t.checks, t.foreignKeys,
                    referencedBy.getOrDefault(t.name, List.of()), Map.of(), false, Set.of(), t.replicaIdentity, t.comment));
            for (Catalog.IndexDef ix : t.indexDefs) {
                String key = mariaDb() && ix.name().equals("PRIMARY") ? t.name + ".PRIMARY" : ix.name();
                indexes.put(key, new Catalog.Index(ix.name(), t.name, true, ix.constraint()));
            }
        }
        return new Catalog(schema, built, indexes);
    }

    private boolean mariaDb() {
        return dialect instanceof MariaDbDialect;
    }

    /** One table: columns in order, then its keys, indexes and constraints. */
    final class TableBuilder {
        private final String name;
        private final List<Catalog.Column> columns = new ArrayList<>();
        private List<String> primaryKey = List.of();
        private final Set<String> constraints = new LinkedHashSet<>();
        private final List<Catalog.IndexDef> indexDefs = new ArrayList<>();
        private final Map<String, List<String>> indexColumns = new LinkedHashMap<>();
        private final List<Catalog.CheckDef> checks = new ArrayList<>();
        private final List<Catalog.ForeignKey> foreignKeys = new ArrayList<>();
        private Catalog.ReplicaIdentity replicaIdentity = Catalog.ReplicaIdentity.DEFAULT;

        private String comment;

        private TableBuilder(String name) {
            this.name = name;
        }

        /** A nullable column with no default, of {@code type} as the server prints it. */
        TableBuilder column(String column, String type) {
            columns.add(new Catalog.Column(column, type, true, null, false, null, null));
            return this;
        }

        /** A nullable column with a comment. */
        TableBuilder commented(String column, String type, String comment) {
            columns.add(new Catalog.Column(column, type, true, null, false, null, null, comment));
            return this;
        }

        /** A generated column (not an identity). */
        TableBuilder generated(String column, String type) {
            columns.add(new Catalog.Column(column, type, true, null, true, null, null));
            return this;
        }

        /** The table's comment. */
        TableBuilder comment(String comment) {
            this.comment = comment;
            return this;
        }

        /** A nullable column with default {@code expression}. */
        TableBuilder withDefault(String column, String type, String expression) {
            columns.add(new Catalog.Column(column, type, true, expression, false, null, null));
            return this;
        }

        TableBuilder notNull(String column, String type) {
            columns.add(new Catalog.Column(column, type, false, null, false, null, null));
            return this;
        }

        TableBuilder primaryKey(String... key) {
            primaryKey = List.of(key);
            String constraint = mariaDb() ? "PRIMARY" : name + "_pkey";
            constraints.add(constraint);
            addIndex(constraint, true, Optional.of(constraint), "p", key);
            return this;
        }

        TableBuilder index(String index, String... key) {
            addIndex(index, false, Optional.empty(), null, key);
            return this;
        }

        TableBuilder uniqueIndex(String index, String... key) {
            addIndex(index, true, Optional.empty(), null, key);
            return this;
        }

        /** A unique constraint (a unique key, on MariaDB) and its index, both called {@code constraint}. */
        TableBuilder uniqueKey(String constraint, String... key) {
            constraints.add(constraint);
            addIndex(constraint, true, Optional.of(constraint), "u", key);
            return this;
        }

        /** A unique index with a WHERE. */
        TableBuilder partialUniqueIndex(String index, String where, String... key) {
            List<String> elements = java.util.Arrays.stream(key).map(column -> dialect.quote(column)).toList();
            indexDefs.add(new Catalog.IndexDef(index, true, Optional.empty(), null, "btree", elements, List.of(),
                    Optional.of(where), Set.of(key), false));
            indexColumns.put(index, List.of(key));
            return this;
        }

        /** The table's replica identity as the catalog reads it; {@code index} null but for type INDEX. */
        TableBuilder replicaIdentity(dev.bascule.api.Operation.ReplicaIdentity type, String index) {
            replicaIdentity = new Catalog.ReplicaIdentity(type, index);
            return this;
        }

        TableBuilder check(String constraint, String expression, String... reads) {
            constraints.add(constraint);
            checks.add(new Catalog.CheckDef(constraint, expression, Set.of(reads)));
            return this;
        }

        TableBuilder foreignKey(String constraint, List<String> key, String refTable, List<String> refKey) {
            constraints.add(constraint);
            foreignKeys.add(new Catalog.ForeignKey(constraint, schema, name, key, schema, refTable, refKey, "NO ACTION",
                    "NO ACTION", false, ""));
            return this;
        }

        private void addIndex(String index, boolean unique, Optional<String> constraint, String constraintType, String... key) {
            List<String> elements = java.util.Arrays.stream(key).map(column -> dialect.quote(column)).toList();
            indexDefs.add(new Catalog.IndexDef(index, unique, constraint, constraintType, "btree", elements, List.of(),
                    Optional.empty(), Set.of(key), false));
            indexColumns.put(index, List.of(key));
        }
    }
}
