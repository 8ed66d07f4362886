package dev.bascule.api;

import java.util.List;
import java.util.Optional;

/**
 * One schema change of a migration. Table and column names are the names the change's author
 * sees: a name introduced by an earlier operation of the same migration (a rename, a new column)
 * can be used by a later one.
 */
public sealed interface Operation {

    /** The operation's name as written in migration files, e.g. {@code add_column}. */
    String kind();

    record CreateTable(String name, List<ColumnDef> columns, List<String> primaryKey,
                       List<TableConstraint> constraints) implements Operation {
        public String kind() { return "create_table"; }
    }

    record DropTable(String name) implements Operation {
        public String kind() { return "drop_table"; }
    }

    record RenameTable(String from, String to) implements Operation {
        public String kind() { return "rename_table"; }
    }

    /** {@code up} computes the new column from the row's existing columns, for old rows and old writers. */
    record AddColumn(String table, ColumnDef column, Optional<String> up) implements Operation {
        public String kind() { return "add_column"; }
    }

    /** {@code down} fills the dropped column for rows written by new code, which no longer sees it. */
    record DropColumn(String table, String column, Optional<String> down) implements Operation {
        public String kind() { return "drop_column"; }
    }

    record RenameColumn(String table, String from, String to) implements Operation {
        public String kind() { return "rename_column"; }
    }

    record AlterColumn(String table, String column, Optional<String> type, Optional<Boolean> nullable,
                       Optional<String> defaultValue, Optional<String> check, Optional<Boolean> unique,
                       Optional<ForeignKeyRef> references, Optional<String> up, Optional<String> down)
            implements Operation {
        public String kind() { return "alter_column"; }
    }

    record CreateIndex(String name, String table, List<String> columns, boolean unique,
                       Optional<String> where, Optional<String> method) implements Operation {
        public String kind() { return "create_index"; }
    }

    record DropIndex(String name) implements Operation {
        public String kind() { return "drop_index"; }
    }

    record AddForeignKey(String table, Optional<String> name, List<String> columns, ForeignKeyRef references,
                         Optional<String> onDelete) implements Operation {
        public String kind() { return "add_foreign_key"; }
    }

    record AddCheck(String table, String name, String expression) implements Operation {
        public String kind() { return "add_check"; }
    }

    record DropConstraint(String table, String name) implements Operation {
        public String kind() { return "drop_constraint"; }
    }

    record SplitTable(String from, List<TablePart> into) implements Operation {
        public String kind() { return "split_table"; }
    }

    record MergeTables(List<String> from, TablePart into) implements Operation {
        public String kind() { return "merge_tables"; }
    }

    /** Raw SQL, run as written. {@code online} says the author vouches that it takes no long lock. */
    record Sql(String up, Optional<String> down, boolean online) implements Operation {
        public String kind() { return "sql"; }
    }

    /** A target table of split_table / merge_tables. */
    record TablePart(String name, List<String> columns, List<String> primaryKey) {}

    /** A named table constraint of create_table. */
    record TableConstraint(String name, Optional<String> check, List<String> unique) {}
}
