package dev.bascule.dialect;

import java.util.List;
import java.util.Optional;

/** The SQL text of changes to constraints and indexes, built online. */
public interface ConstraintDdl {

    String addCheckNotValid(String schema, String table, String name, String expression);

    /**
     * Adds a foreign key from {@code columns} to {@code ref} (its table and columns the physical
     * ones; empty columns: the referenced table's primary key) with its actions and match type, not
     * checking the existing rows. MATCH FULL only where {@link Capabilities#foreignKeyMatchFull()}.
     */
    String addForeignKeyNotValid(String schema, String table, String name, List<String> columns,
                                 dev.bascule.api.ForeignKeyRef ref);

    String validateConstraint(String schema, String table, String name);

    String dropConstraint(String schema, String table, String name);

    String addUniqueUsingIndex(String schema, String table, String name, String index);

    /** What a constraint is: servers without a DROP CONSTRAINT for every kind (MariaDB) drop each its own way. */
    enum ConstraintKind { FOREIGN_KEY, UNIQUE, CHECK, COLUMN_CHECK, PRIMARY_KEY }

    /** Drops constraint {@code name}, a {@code kind}; where one statement drops every kind, that one. */
    default String dropConstraint(String schema, String table, String name, ConstraintKind kind) {
        return dropConstraint(schema, table, name);
    }

    /**
     * Renames constraint {@code from}, a {@code kind}, of {@code table} to {@code to} (rename_constraint),
     * changing the catalog only; where one statement renames every kind, that one.
     */
    default String renameConstraint(String schema, String table, String from, String to, ConstraintKind kind) {
        return renameConstraint(schema, table, from, to);
    }

    /** Why a constraint of {@code kind} cannot be renamed here (catalog only), or empty when it can. */
    default Optional<String> renameConstraintRefusal(ConstraintKind kind) {
        return Optional.empty();
    }

    /** Why a constraint of {@code kind} cannot be dropped online here, or empty when it can. */
    default Optional<String> dropConstraintRefusal(ConstraintKind kind) {
        return Optional.empty();
    }

    /**
     * Complete's check of the existing rows against a foreign key added without checking them: a
     * statement failing with an SQLSTATE of class 23 (naming the constraint and a key) when a row's
     * key, none of its columns NULL (MATCH SIMPLE), has no match.
     */
    default String validateForeignKey(String schema, String table, String name, List<String> columns, String refTable,
                                      List<String> refColumns) {
        return validateConstraint(schema, table, name);
    }

    /**
     * Undoes {@link #addForeignKeyNotValid(String, String, String, List, dev.bascule.api.ForeignKeyRef)}: the key, and
     * with {@code indexMadeForIt} the index the server made for it ({@link Capabilities#foreignKeyMakesIndex}).
     */
    default String dropAddedForeignKey(String schema, String table, String name, boolean indexMadeForIt) {
        return dropConstraint(schema, table, name);
    }

    /** A plain index built online: {@link #createIndexOnline(String, String, String, List, boolean, Optional, Optional, IndexOptions)} without options. */
    default String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                                     Optional<String> where, Optional<String> method) {
        return createIndexOnline(schema, name, table, columns, unique, where, method, IndexOptions.NONE);
    }

    /**
     * An index built online with {@code options}; options other than {@link IndexOptions#NONE} only
     * where {@link Capabilities#indexOptions()}: planning refuses them elsewhere.
     */
    String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                             Optional<String> where, Optional<String> method, IndexOptions options);

    /**
     * What an index has beyond its key columns: {@code opclasses}, the operator class of each key
     * column that has one (by column); {@code include}, columns stored beside the keys; and
     * {@code storageParameters}, each value a number, {@code true}/{@code false} or a word.
     */
    record IndexOptions(java.util.Map<String, String> opclasses, List<String> include,
                        java.util.Map<String, String> storageParameters) {
        public static final IndexOptions NONE = new IndexOptions(java.util.Map.of(), List.of(), java.util.Map.of());

        public boolean isEmpty() {
            return opclasses.isEmpty() && include.isEmpty() && storageParameters.isEmpty();
        }
    }

    /** @param table the index's table: MySQL and MariaDB name indexes per table */
    String dropIndexOnline(String schema, String table, String name);

    /**
     * An index built online from elements the catalog printed ({@link Catalog.IndexDef}), so
     * expressions, orderings and INCLUDE columns carry over.
     */
    String rebuildIndexOnline(String schema, String name, String table, boolean unique, String method,
                              List<String> elements, List<String> include, Optional<String> where,
                              boolean nullsNotDistinct);

    String renameIndex(String schema, String from, String to);

    String addPrimaryKeyUsingIndex(String schema, String table, String name, String index);

    String renameConstraint(String schema, String table, String from, String to);

    /** {@code key} added again, NOT VALID, as it was (actions and match type included). */
    String addForeignKeyNotValid(Catalog.ForeignKey key);
}
