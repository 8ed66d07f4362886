package dev.bascule.dialect;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What planning needs to know of one schema as it is now in the database: tables, columns, keys,
 * constraints and indexes. Read once per plan; planning never asks the database again.
 */
public record Catalog(String schema, Map<String, Table> tables, Map<String, Index> indexes) {

    public Catalog {
        tables = Map.copyOf(tables);
        indexes = Map.copyOf(indexes);
    }

    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /**
     * @param uniqueKeys the columns of each valid unique index on plain NOT NULL columns (no
     *                   expression, no WHERE): keys a backfill can walk when there is no primary key
     */
    public record Table(String name, List<Column> columns, List<String> primaryKey, Set<String> constraints,
                        Set<String> foreignKeysIn, List<List<String>> uniqueKeys) {
        public Table {
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
            constraints = Set.copyOf(constraints);
            foreignKeysIn = Set.copyOf(foreignKeysIn);
            uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
        }

        /** The primary key, else the narrowest unique NOT NULL key; empty when there is neither. */
        public List<String> walkKey() {
            if (!primaryKey.isEmpty()) {
                return primaryKey;
            }
            return uniqueKeys.stream().min(java.util.Comparator.comparingInt(List::size)).orElse(List.of());
        }

        public Optional<Column> column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst();
        }
    }

    /**
     * @param type       the type as the database prints it ({@code character varying(320)})
     * @param generated  an identity or generated column, which an UPDATE may not assign
     */
    public record Column(String name, String type, boolean nullable, String defaultExpression, boolean generated) {}

    /** @param constraint the constraint the index backs (a primary key or unique constraint), if any */
    public record Index(String name, String table, boolean valid, Optional<String> constraint) {}
}
