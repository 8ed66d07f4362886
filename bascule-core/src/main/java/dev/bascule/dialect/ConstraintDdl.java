package dev.bascule.dialect;

import java.util.List;
import java.util.Optional;

/** The SQL text of changes to constraints and indexes, built online. */
public interface ConstraintDdl {

    String addCheckNotValid(String schema, String table, String name, String expression);

    String addForeignKeyNotValid(String schema, String table, String name, List<String> columns,
                                 String refTable, List<String> refColumns, Optional<String> onDelete);

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
     * Undoes {@link #addForeignKeyNotValid(String, String, String, List, String, List, Optional)}: the key, and
     * with {@code indexMadeForIt} the index the server made for it ({@link Capabilities#foreignKeyMakesIndex}).
     */
    default String dropAddedForeignKey(String schema, String table, String name, boolean indexMadeForIt) {
        return dropConstraint(schema, table, name);
    }

    String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                             Optional<String> where, Optional<String> method);

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
