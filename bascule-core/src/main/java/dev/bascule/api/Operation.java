package dev.bascule.api;

import java.util.List;
import java.util.Optional;

/**
 * One schema change of a migration. Table and column names are the names the change's author
 * sees: a name introduced by an earlier operation of the same migration (a rename, a new column)
 * can be used by a later one.
 */
public sealed interface Operation {

    /**
     * Which operation this is. Each record returns its own constant, and the planner maps every
     * constant to the class that plans it in a {@code switch} with no {@code default}: a record
     * added here without a constant does not compile, nor does a constant without its planner class.
     */
    Kind operationKind();

    /** The operation's name as written in migration files, e.g. {@code add_column}. */
    default String kind() {
        return operationKind().label();
    }

    /** The kinds of operation, by the name migration files give them. */
    enum Kind {
        CREATE_TABLE, DROP_TABLE, RENAME_TABLE, ADD_COLUMN, DROP_COLUMN, RENAME_COLUMN, ALTER_COLUMN, CREATE_INDEX,
        DROP_INDEX, ADD_FOREIGN_KEY, ADD_CHECK, DROP_CONSTRAINT, SPLIT_TABLE, MERGE_TABLES, SQL,
        SET_REPLICA_IDENTITY, SET_COMMENT, RENAME_CONSTRAINT, CREATE_CONSTRAINT, REBUILD_TABLE;

        /** As migration files spell it: {@code add_column}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code comment} is the table's comment; {@code primaryKeyName} the primary key's name (empty:
     * the server's usual one).
     */
    record CreateTable(String name, List<ColumnDef> columns, List<String> primaryKey,
                       List<TableConstraint> constraints, Optional<String> comment, Optional<String> primaryKeyName)
            implements Operation {
        public CreateTable {
            if (primaryKeyName.isPresent() && primaryKey.isEmpty()) {
                throw new IllegalArgumentException("a primary key's name without the primary key");
            }
        }

        /** A table whose primary key has the usual name. */
        public CreateTable(String name, List<ColumnDef> columns, List<String> primaryKey,
                           List<TableConstraint> constraints, Optional<String> comment) {
            this(name, columns, primaryKey, constraints, comment, Optional.empty());
        }

        /** A table without a comment. */
        public CreateTable(String name, List<ColumnDef> columns, List<String> primaryKey, List<TableConstraint> constraints) {
            this(name, columns, primaryKey, constraints, Optional.empty());
        }

        public Kind operationKind() { return Kind.CREATE_TABLE; }
    }

    record DropTable(String name) implements Operation {
        public Kind operationKind() { return Kind.DROP_TABLE; }
    }

    record RenameTable(String from, String to) implements Operation {
        public Kind operationKind() { return Kind.RENAME_TABLE; }
    }

    /**
     * {@code up} computes the new column from the row's existing columns, for old rows and old writers.
     * {@code after} or {@code first} place the column (MySQL family: {@code AFTER col}, {@code FIRST});
     * neither, it comes last.
     */
    record AddColumn(String table, ColumnDef column, Optional<String> up, Optional<String> after, boolean first)
            implements Operation {
        public AddColumn {
            if (first && after.isPresent()) {
                throw new IllegalArgumentException("a column goes either first or after another, not both");
            }
        }

        /** A column added last. */
        public AddColumn(String table, ColumnDef column, Optional<String> up) {
            this(table, column, up, Optional.empty(), false);
        }

        /** Whether the file places the column. */
        public boolean positioned() { return first || after.isPresent(); }

        public Kind operationKind() { return Kind.ADD_COLUMN; }
    }

    /**
     * A copy of the whole table with new table options or a new primary key, swapped in at complete
     * (MySQL family: a shadow table, copy triggers, a backfill in key order, one RENAME TABLE).
     * Every option is optional; none rebuilds the table as it is (reclaiming space, as
     * {@code ENGINE=InnoDB}). {@code primaryKey}: the new primary key's columns, which a unique key of
     * NOT NULL columns holds today; the old primary key stays a unique key named {@code previousKeyName}.
     */
    record RebuildTable(String table, Optional<String> engine, Optional<String> charset, Optional<String> collation,
                        Optional<String> rowFormat, List<String> primaryKey, Optional<String> previousKeyName)
            implements Operation {
        public RebuildTable {
            primaryKey = List.copyOf(primaryKey);
            if (collation.isPresent() && charset.isEmpty()) {
                throw new IllegalArgumentException("a collation without its character set");
            }
            if (previousKeyName.isPresent() && primaryKey.isEmpty()) {
                throw new IllegalArgumentException("previous_key_name without a new primary key");
            }
        }

        public Kind operationKind() { return Kind.REBUILD_TABLE; }
    }

    /** {@code down} fills the dropped column for rows written by new code, which no longer sees it. */
    record DropColumn(String table, String column, Optional<String> down) implements Operation {
        public Kind operationKind() { return Kind.DROP_COLUMN; }
    }

    record RenameColumn(String table, String from, String to) implements Operation {
        public Kind operationKind() { return Kind.RENAME_COLUMN; }
    }

    /**
     * {@code defaultValue} is the column's new default; {@code dropDefault} ({@code default: null}
     * in a file) says the column has none in the new version. Neither: the default is kept.
     * {@code comment}: the new column's comment (a present empty string: none); absent, the new column
     * keeps the old one's. {@code uniqueName} and {@code checkName} name the unique and check
     * constraints it adds (empty: the usual names); the foreign key's is {@link ForeignKeyRef#name}.
     */
    record AlterColumn(String table, String column, Optional<String> type, Optional<Boolean> nullable,
                       Optional<String> defaultValue, Optional<String> check, Optional<Boolean> unique,
                       Optional<ForeignKeyRef> references, Optional<String> up, Optional<String> down,
                       boolean dropDefault, Optional<String> comment, Optional<String> uniqueName,
                       Optional<String> checkName, Optional<String> after, boolean first)
            implements Operation {
        public AlterColumn {
            if (first && after.isPresent()) {
                throw new IllegalArgumentException("a column goes either first or after another, not both");
            }
            if (dropDefault && defaultValue.isPresent()) {
                throw new IllegalArgumentException("alter_column either sets a default or drops it, not both");
            }
            if (uniqueName.isPresent() && !unique.orElse(false)) {
                throw new IllegalArgumentException("a unique constraint's name without unique: true");
            }
            if (checkName.isPresent() && check.isEmpty()) {
                throw new IllegalArgumentException("a check constraint's name without the check");
            }
        }

        /** An alter_column that leaves the column where it is. */
        public AlterColumn(String table, String column, Optional<String> type, Optional<Boolean> nullable,
                           Optional<String> defaultValue, Optional<String> check, Optional<Boolean> unique,
                           Optional<ForeignKeyRef> references, Optional<String> up, Optional<String> down,
                           boolean dropDefault, Optional<String> comment, Optional<String> uniqueName,
                           Optional<String> checkName) {
            this(table, column, type, nullable, defaultValue, check, unique, references, up, down, dropDefault, comment,
                    uniqueName, checkName, Optional.empty(), false);
        }

        /** Whether the file moves the column ({@code after} or {@code first}, MySQL family). */
        public boolean positioned() { return first || after.isPresent(); }

        /** An alter_column whose new constraints have the usual names. */
        public AlterColumn(String table, String column, Optional<String> type, Optional<Boolean> nullable,
                           Optional<String> defaultValue, Optional<String> check, Optional<Boolean> unique,
                           Optional<ForeignKeyRef> references, Optional<String> up, Optional<String> down,
                           boolean dropDefault, Optional<String> comment) {
            this(table, column, type, nullable, defaultValue, check, unique, references, up, down, dropDefault, comment,
                    Optional.empty(), Optional.empty());
        }

        /** An alter_column that keeps the column's default unless it gives a new one, and its comment. */
        public AlterColumn(String table, String column, Optional<String> type, Optional<Boolean> nullable,
                           Optional<String> defaultValue, Optional<String> check, Optional<Boolean> unique,
                           Optional<ForeignKeyRef> references, Optional<String> up, Optional<String> down) {
            this(table, column, type, nullable, defaultValue, check, unique, references, up, down, false);
        }

        /** An alter_column that keeps the column's comment. */
        public AlterColumn(String table, String column, Optional<String> type, Optional<Boolean> nullable,
                           Optional<String> defaultValue, Optional<String> check, Optional<Boolean> unique,
                           Optional<ForeignKeyRef> references, Optional<String> up, Optional<String> down,
                           boolean dropDefault) {
            this(table, column, type, nullable, defaultValue, check, unique, references, up, down, dropDefault,
                    Optional.empty());
        }

        /** Whether the default changes: a new one, or none. */
        public boolean defaultChanges() { return defaultValue.isPresent() || dropDefault; }

        public Kind operationKind() { return Kind.ALTER_COLUMN; }
    }

    /**
     * {@code opclasses}: the operator class of each column that has one, by column name;
     * {@code include}: columns stored in the index but not keys of it (INCLUDE); {@code storageParameters}:
     * the index's storage parameters (WITH), each value a number, {@code true}/{@code false} or a word.
     */
    record CreateIndex(String name, String table, List<String> columns, boolean unique,
                       Optional<String> where, Optional<String> method, List<String> include,
                       java.util.Map<String, String> opclasses, java.util.Map<String, String> storageParameters)
            implements Operation {
        /** A plain index: no operator classes, INCLUDE columns or storage parameters. */
        public CreateIndex(String name, String table, List<String> columns, boolean unique,
                           Optional<String> where, Optional<String> method) {
            this(name, table, columns, unique, where, method, List.of(), java.util.Map.of(), java.util.Map.of());
        }

        /** Whether the index has options beyond its columns, method and predicate. */
        public boolean hasOptions() {
            return !include.isEmpty() || !opclasses.isEmpty() || !storageParameters.isEmpty();
        }

        public Kind operationKind() { return Kind.CREATE_INDEX; }
    }

    record DropIndex(String name) implements Operation {
        public Kind operationKind() { return Kind.DROP_INDEX; }
    }

    record AddForeignKey(String table, Optional<String> name, List<String> columns, ForeignKeyRef references,
                         Optional<String> onDelete) implements Operation {
        public Kind operationKind() { return Kind.ADD_FOREIGN_KEY; }
    }

    record AddCheck(String table, String name, String expression) implements Operation {
        public Kind operationKind() { return Kind.ADD_CHECK; }
    }

    /**
     * Drops constraint {@code name} at complete. With {@code up} or {@code down}, the new version
     * sees a copy of the constraint's column without it from start on: {@code up} computes the copy
     * from old code's value, {@code down} the old column (which keeps the constraint) from new code's.
     */
    record DropConstraint(String table, String name, Optional<String> up, Optional<String> down) implements Operation {
        /** Dropped at complete; both versions keep the constraint until then. */
        public DropConstraint(String table, String name) {
            this(table, name, Optional.empty(), Optional.empty());
        }

        /** Whether the new version gets the column without the constraint at start. */
        public boolean duplicates() { return up.isPresent() || down.isPresent(); }

        public Kind operationKind() { return Kind.DROP_CONSTRAINT; }
    }

    /** Renames constraint {@code from} of {@code table} to {@code to}: at start, and back at rollback. */
    record RenameConstraint(String table, String from, String to) implements Operation {
        public Kind operationKind() { return Kind.RENAME_CONSTRAINT; }
    }

    record SplitTable(String from, List<TablePart> into) implements Operation {
        public Kind operationKind() { return Kind.SPLIT_TABLE; }
    }

    record MergeTables(List<String> from, TablePart into) implements Operation {
        public Kind operationKind() { return Kind.MERGE_TABLES; }
    }

    /**
     * Raw SQL, run as written. {@code online} says the author vouches that it takes no long lock.
     * {@code onComplete} runs {@code up} at complete instead of start (then there is no {@code down}:
     * nothing ran before complete, and nothing rolls back after it).
     */
    record Sql(String up, Optional<String> down, boolean online, boolean onComplete) implements Operation {
        /** Run at start. */
        public Sql(String up, Optional<String> down, boolean online) {
            this(up, down, online, false);
        }

        public Kind operationKind() { return Kind.SQL; }
    }

    /** What a table's changes carry to logical replication of its old row: {@code ALTER TABLE .. REPLICA IDENTITY}. */
    enum ReplicaIdentity {
        DEFAULT, FULL, NOTHING, INDEX;

        /** As migration files spell it: {@code full}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code index} names the unique index of {@link ReplicaIdentity#INDEX}; empty for the other types. */
    record SetReplicaIdentity(String table, ReplicaIdentity identity, Optional<String> index) implements Operation {
        public Kind operationKind() { return Kind.SET_REPLICA_IDENTITY; }
    }

    /**
     * Sets the comment of a table ({@code column} empty) or of one of its columns; an empty
     * {@code comment} removes it. Metadata only: applied at start, put back by rollback.
     */
    record SetComment(String table, Optional<String> column, Optional<String> comment) implements Operation {
        public Kind operationKind() { return Kind.SET_COMMENT; }
    }

    /** The kinds of constraint create_constraint makes. */
    enum ConstraintType {
        UNIQUE, CHECK, PRIMARY_KEY;

        /** As migration files spell it: {@code primary_key}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A constraint over {@code columns} of an existing table, which new code gets at once and old
     * code never: each column is copied (its {@code up} expression, default the column, over the old
     * names; {@code down} back, over the new version's names), the constraint is made on the copies
     * (NOT VALID, or its unique index built online), and complete swaps them in. {@code check} is the
     * expression of a {@link ConstraintType#CHECK}, over the new version's names.
     */
    record CreateConstraint(String table, String name, ConstraintType type, List<String> columns, Optional<String> check,
                            java.util.Map<String, String> up, java.util.Map<String, String> down) implements Operation {
        public CreateConstraint {
            up = java.util.Map.copyOf(up);
            down = java.util.Map.copyOf(down);
            columns = List.copyOf(columns);
            if (check.isPresent() != (type == ConstraintType.CHECK)) {
                throw new IllegalArgumentException("a check constraint, and only one, has a check expression");
            }
        }

        public Kind operationKind() { return Kind.CREATE_CONSTRAINT; }
    }

    /** A target table of split_table / merge_tables. */
    record TablePart(String name, List<String> columns, List<String> primaryKey) {}

    /** A named table constraint of create_table. */
    record TableConstraint(String name, Optional<String> check, List<String> unique) {}
}
