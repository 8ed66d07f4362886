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
     * @param uniqueKeys   the columns of each valid unique index on plain NOT NULL columns (no
     *                     expression, no WHERE): keys a backfill can walk when there is no primary key
     * @param indexDefs    every index of the table, as much as is needed to build it again
     * @param checks       check constraints
     * @param foreignKeys  foreign keys of this table
     * @param referencedBy foreign keys of other tables (or this one) that point at this table
     * @param sequences    sequences owned by a column (serial columns), by column name
     * @param partitioned  a partitioned table, on which indexes cannot be built CONCURRENTLY
     * @param triggers     the names of the table's triggers that are not Bascule's own
     * @param replicaIdentity what logical replication carries of a changed row's old version
     * @param comment      the table's comment, null when it has none
     */
    public record Table(String name, List<Column> columns, List<String> primaryKey, Set<String> constraints,
                        Set<String> foreignKeysIn, List<List<String>> uniqueKeys, List<IndexDef> indexDefs,
                        List<CheckDef> checks, List<ForeignKey> foreignKeys, List<ForeignKey> referencedBy,
                        Map<String, OwnedSequence> sequences, boolean partitioned, Set<String> triggers,
                        ReplicaIdentity replicaIdentity, String comment) {
        /** A table with the default replica identity (its primary key), or on a server that has none, and no comment. */
        public Table(String name, List<Column> columns, List<String> primaryKey, Set<String> constraints,
                     Set<String> foreignKeysIn, List<List<String>> uniqueKeys, List<IndexDef> indexDefs,
                     List<CheckDef> checks, List<ForeignKey> foreignKeys, List<ForeignKey> referencedBy,
                     Map<String, OwnedSequence> sequences, boolean partitioned, Set<String> triggers) {
            this(name, columns, primaryKey, constraints, foreignKeysIn, uniqueKeys, indexDefs, checks, foreignKeys,
                    referencedBy, sequences, partitioned, triggers, ReplicaIdentity.DEFAULT, null);
        }

        public Table {
            triggers = Set.copyOf(triggers);
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
            constraints = Set.copyOf(constraints);
            foreignKeysIn = Set.copyOf(foreignKeysIn);
            uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
            indexDefs = List.copyOf(indexDefs);
            checks = List.copyOf(checks);
            foreignKeys = List.copyOf(foreignKeys);
            referencedBy = List.copyOf(referencedBy);
            sequences = Map.copyOf(sequences);
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
     * @param identity   {@code ALWAYS} or {@code BY DEFAULT} for an identity column, else null
     * @param collation  the column's collation as SQL ({@code "de-x-icu"}) when it is not its type's default, else null
     * @param comment    the column's comment, null when it has none
     */
    public record Column(String name, String type, boolean nullable, String defaultExpression, boolean generated,
                         String identity, String collation, String comment) {
        /** A column without a comment. */
        public Column(String name, String type, boolean nullable, String defaultExpression, boolean generated,
                      String identity, String collation) {
            this(name, type, nullable, defaultExpression, generated, identity, collation, null);
        }
    }

    /**
     * An index as the catalog prints it.
     *
     * @param constraintType p (primary key), u (unique) or x (exclusion) when the index backs a constraint
     * @param elements       each key column or expression as SQL, with DESC / NULLS FIRST where set
     *                       (operator classes and collations are not kept: a rebuilt index uses the defaults)
     * @param include        INCLUDE columns
     * @param columns        every column the index reads: keys, expressions, INCLUDE and WHERE
     */
    public record IndexDef(String name, boolean unique, Optional<String> constraint, String constraintType,
                           String method, List<String> elements, List<String> include, Optional<String> predicate,
                           Set<String> columns, boolean nullsNotDistinct) {
        public IndexDef {
            elements = List.copyOf(elements);
            include = List.copyOf(include);
            columns = Set.copyOf(columns);
        }
    }

    /** @param columns the columns the expression reads */
    public record CheckDef(String name, String expression, Set<String> columns) {
        public CheckDef {
            columns = Set.copyOf(columns);
        }
    }

    /**
     * @param onUpdate  the action as SQL (NO ACTION, CASCADE, ...)
     * @param onDelete  the action as SQL
     * @param matchFull MATCH FULL rather than the default MATCH SIMPLE
     * @param deferrable "" or the DEFERRABLE clause as SQL
     */
    public record ForeignKey(String name, String schema, String table, List<String> columns, String refSchema,
                             String refTable, List<String> refColumns, String onUpdate, String onDelete,
                             boolean matchFull, String deferrable) {
        public ForeignKey {
            columns = List.copyOf(columns);
            refColumns = List.copyOf(refColumns);
        }
    }

    /**
     * A sequence owned by a column; {@code type} is its data type (integer for a serial);
     * {@code identity} is non-null for an identity column's own sequence.
     */
    public record OwnedSequence(String schema, String name, String type, String identity) {}

    /**
     * A table's replica identity (PostgreSQL's {@code pg_class.relreplident}).
     *
     * @param index for {@link dev.bascule.api.Operation.ReplicaIdentity#INDEX}, the index marked
     *              {@code indisreplident}; null otherwise, and when that index is gone
     */
    public record ReplicaIdentity(dev.bascule.api.Operation.ReplicaIdentity type, String index) {
        public static final ReplicaIdentity DEFAULT = new ReplicaIdentity(dev.bascule.api.Operation.ReplicaIdentity.DEFAULT, null);
    }

    /** @param constraint the constraint the index backs (a primary key or unique constraint), if any */
    public record Index(String name, String table, boolean valid, Optional<String> constraint) {}
}
