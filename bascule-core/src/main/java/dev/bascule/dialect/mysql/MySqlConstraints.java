package dev.bascule.dialect.mysql;

import dev.bascule.api.ForeignKeyRef;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.ConstraintDdl;
import dev.bascule.dialect.Dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The MySQL family's constraints and online indexes (ALGORITHM=INPLACE, LOCK=NONE). */
final class MySqlConstraints extends MySqlRole implements ConstraintDdl {

    MySqlConstraints(Dialect dialect) {
        super(dialect);
    }

    /** ADD CONSTRAINT .. CHECK needs ALGORITHM=COPY here: add_check is refused at plan time. */
    @Override
    public String addCheckNotValid(String schema, String table, String name, String expression) {
        throw notHere("CHECK NOT VALID");
    }

    /**
     * MariaDB's NOT VALID: with foreign_key_checks=0 the existing rows are not checked (and the ALTER
     * may run INPLACE, LOCK=NONE; with the checks on it is refused, error 1846), while every write
     * from then on is. SET STATEMENT turns the checks off for this statement alone: the server
     * restores them after it whether it succeeds or fails, so no connection is left with them off.
     */
    @Override
    public String addForeignKeyNotValid(String schema, String table, String name, List<String> columns, ForeignKeyRef ref) {
        return "SET STATEMENT foreign_key_checks = 0 FOR ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT "
                + quote(name) + " FOREIGN KEY (" + quoteAll(columns) + ") " + references(schema, ref)
                + ", ALGORITHM=INPLACE, LOCK=NONE";
    }

    /**
     * There is nothing to VALIDATE: the key has checked every write since start. What it did not
     * check, the rows that were there, a read looks at (an anti-join on the referenced key's index,
     * rows with a NULL in the key left out as MATCH SIMPLE does), and the first orphan refuses
     * complete with its key.
     */
    @Override
    public String validateForeignKey(String schema, String table, String name, List<String> columns, String refTable,
                                     List<String> refColumns) {
        String child = quote("c");
        String parent = quote("p");
        List<String> on = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            on.add(parent + "." + quote(refColumns.get(i)) + " = " + child + "." + quote(columns.get(i)));
        }
        String notNull = columns.stream().map(col -> child + "." + quote(col) + " IS NOT NULL").collect(Collectors.joining(" AND "));
        String key = "CONCAT_WS(', ', " + columns.stream().map(col -> child + "." + quote(col)).collect(Collectors.joining(", ")) + ")";
        String what = ("foreign key " + name + " of table " + table + ": an existing row with (" + String.join(", ", columns)
                + ") = (").replace("`", "");
        String target = (") has no match in " + refTable + " (" + String.join(", ", refColumns) + ")").replace("`", "");
        return "BEGIN NOT ATOMIC DECLARE k TEXT DEFAULT (SELECT " + key + " FROM " + qualify(schema, table) + " " + child
                + " LEFT JOIN " + qualify(schema, refTable) + " " + parent + " ON " + String.join(" AND ", on)
                + " WHERE " + notNull + " AND " + parent + "." + quote(refColumns.get(0)) + " IS NULL LIMIT 1);"
                + " DECLARE m TEXT; IF k IS NOT NULL THEN SET m = CONCAT(" + literal(what) + ", LEFT(k, 100), "
                + literal(target) + "); SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = m; END IF; END";
    }

    /** Never planned: a foreign key is checked by {@link #validateForeignKey}, and add_check is refused. */
    @Override
    public String validateConstraint(String schema, String table, String name) {
        throw notHere("VALIDATE CONSTRAINT");
    }

    /** Every drop the plan makes names the kind (each has its own statement here). */
    @Override
    public String dropConstraint(String schema, String table, String name) {
        throw notHere("DROP CONSTRAINT without the constraint's kind");
    }

    /**
     * A foreign key and a CHECK go with ALGORITHM=INSTANT (the catalog only); a UNIQUE constraint is
     * its index, dropped INPLACE without a copy. The index a foreign key used stays (drop_index drops it).
     */
    @Override
    public String dropConstraint(String schema, String table, String name, ConstraintKind kind) {
        return switch (kind) {
            case FOREIGN_KEY -> "ALTER TABLE " + qualify(schema, table) + " DROP FOREIGN KEY IF EXISTS " + quote(name)
                    + ", " + family().dropForeignKeyAlgorithm();
            case CHECK -> "ALTER TABLE " + qualify(schema, table) + " DROP CONSTRAINT IF EXISTS " + quote(name)
                    + ", ALGORITHM=INSTANT";
            case UNIQUE -> dropIndexOnline(schema, table, name);
            case COLUMN_CHECK, PRIMARY_KEY -> throw notHere("dropping a " + kind);
        };
    }

    @Override
    public Optional<String> dropConstraintRefusal(ConstraintKind kind) {
        return switch (kind) {
            case PRIMARY_KEY -> Optional.of("MariaDB drops a primary key only by rebuilding the table under a lock"
                    + " (ALGORITHM=COPY, or INPLACE without LOCK=NONE); refused");
            case COLUMN_CHECK -> Optional.of("on MariaDB this CHECK is written on its column and named after it:"
                    + " DROP CONSTRAINT does not reach it, and MODIFY COLUMN without it copies the table"
                    + " (ALGORITHM=COPY); refused");
            default -> Optional.empty();
        };
    }

    /**
     * The key, and the index InnoDB made for it when no index started with its columns (named like
     * the constraint), in one statement: INPLACE, LOCK=NONE as dropping an index needs.
     */
    @Override
    public String dropAddedForeignKey(String schema, String table, String name, boolean indexMadeForIt) {
        return indexMadeForIt
                ? "ALTER TABLE " + qualify(schema, table) + " DROP FOREIGN KEY IF EXISTS " + quote(name)
                        + ", DROP INDEX IF EXISTS " + quote(name) + ", ALGORITHM=INPLACE, LOCK=NONE"
                : dropConstraint(schema, table, name, ConstraintKind.FOREIGN_KEY);
    }

    @Override
    public String addUniqueUsingIndex(String schema, String table, String name, String index) {
        throw notHere("ADD CONSTRAINT .. UNIQUE USING INDEX");
    }

    @Override
    public String addForeignKeyNotValid(Catalog.ForeignKey key) {
        throw notHere("FOREIGN KEY NOT VALID");
    }

    @Override
    public String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                                    Optional<String> where, Optional<String> method, IndexOptions options) {
        if (!options.isEmpty()) {
            throw notHere("an index with operator classes, INCLUDE columns or storage parameters");
        }
        // a UNIQUE index built INPLACE fails on a duplicate written meanwhile: no row is dropped (gh-ost's INSERT IGNORE pitfall)
        return "ALTER TABLE " + qualify(schema, table) + " ADD " + (unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                + quote(name) + " (" + quoteAll(columns) + "), ALGORITHM=INPLACE, LOCK=NONE";
    }

    @Override
    public String dropIndexOnline(String schema, String table, String name) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP INDEX IF EXISTS " + quote(name) + ", ALGORITHM=INPLACE, LOCK=NONE";
    }

    /** alter_column's copy of an index on the shadow column: elements come quoted from {@link #readCatalog}. */
    @Override
    public String rebuildIndexOnline(String schema, String name, String table, boolean unique, String method,
                                     List<String> elements, List<String> include, Optional<String> where,
                                     boolean nullsNotDistinct) {
        if (!include.isEmpty() || where.isPresent() || !"btree".equalsIgnoreCase(method)) {
            throw notHere("an index with INCLUDE, WHERE or a method other than btree");
        }
        return "ALTER TABLE " + qualify(schema, table) + " ADD " + (unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                + quote(name) + " (" + String.join(", ", elements) + "), ALGORITHM=INPLACE, LOCK=NONE";
    }

    @Override
    public String renameIndex(String schema, String from, String to) {
        throw notHere("alter_column's index rename");
    }

    @Override
    public String addPrimaryKeyUsingIndex(String schema, String table, String name, String index) {
        throw notHere("alter_column's primary key swap");
    }

    @Override
    public String renameConstraint(String schema, String table, String from, String to) {
        throw notHere("alter_column's constraint rename");
    }

    /** A unique key is an index: RENAME INDEX changes the data dictionary only (ALGORITHM=INSTANT). */
    @Override
    public String renameConstraint(String schema, String table, String from, String to, ConstraintKind kind) {
        if (kind != ConstraintKind.UNIQUE) {
            throw new IllegalStateException(renameConstraintRefusal(kind).orElseThrow());
        }
        return "ALTER TABLE " + qualify(schema, table) + " RENAME INDEX " + quote(from) + " TO " + quote(to)
                + ", ALGORITHM=INSTANT, LOCK=NONE";
    }

    @Override
    public Optional<String> renameConstraintRefusal(ConstraintKind kind) {
        return switch (kind) {
            case UNIQUE -> Optional.empty();
            case PRIMARY_KEY -> Optional.of("MariaDB names every primary key PRIMARY; it cannot be renamed");
            case FOREIGN_KEY -> Optional.of("MariaDB has no statement that renames a foreign key: it would be dropped and"
                    + " added again, and adding it checks every row under a lock or not at all; refused (drop it and"
                    + " add it under the new name with add_foreign_key)");
            case CHECK, COLUMN_CHECK -> Optional.of("MariaDB has no statement that renames a CHECK constraint: adding it"
                    + " again copies the table (ALGORITHM=COPY); refused");
        };
    }
}
