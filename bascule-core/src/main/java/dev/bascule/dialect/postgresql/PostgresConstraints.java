package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.ConstraintDdl;

import java.util.List;
import java.util.Optional;

/** PostgreSQL's constraints (NOT VALID, then validated) and indexes (CONCURRENTLY). */
final class PostgresConstraints extends PostgresRole implements ConstraintDdl {

    PostgresConstraints(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public String addCheckNotValid(String schema, String table, String name, String expression) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name)
                + " CHECK (" + expression + ") NOT VALID";
    }

    @Override
    public String addForeignKeyNotValid(String schema, String table, String name, List<String> columns,
                                        String refTable, List<String> refColumns, Optional<String> onDelete) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " FOREIGN KEY ("
                + quoteAll(columns) + ") REFERENCES " + qualify(schema, refTable)
                + (refColumns.isEmpty() ? "" : " (" + quoteAll(refColumns) + ")")
                + onDelete.map(od -> " ON DELETE " + od).orElse("") + " NOT VALID";
    }

    @Override
    public String validateConstraint(String schema, String table, String name) {
        return "ALTER TABLE " + qualify(schema, table) + " VALIDATE CONSTRAINT " + quote(name);
    }

    @Override
    public String dropConstraint(String schema, String table, String name) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP CONSTRAINT IF EXISTS " + quote(name);
    }

    @Override
    public String addUniqueUsingIndex(String schema, String table, String name, String index) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " UNIQUE USING INDEX "
                + quote(index);
    }

    @Override
    public String createIndexOnline(String schema, String name, String table, List<String> columns, boolean unique,
                                    Optional<String> where, Optional<String> method) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + quote(name) + " ON "
                + qualify(schema, table) + method.map(m -> " USING " + m).orElse("")
                + " (" + quoteAll(columns) + ")" + where.map(w -> " WHERE " + w).orElse("");
    }

    @Override
    public String dropIndexOnline(String schema, String table, String name) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + qualify(schema, name);
    }

    @Override
    public String rebuildIndexOnline(String schema, String name, String table, boolean unique, String method,
                                     List<String> elements, List<String> include, Optional<String> where,
                                     boolean nullsNotDistinct) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + quote(name) + " ON "
                + qualify(schema, table) + " USING " + method + " (" + String.join(", ", elements) + ")"
                + (include.isEmpty() ? "" : " INCLUDE (" + String.join(", ", include) + ")")
                + (nullsNotDistinct ? " NULLS NOT DISTINCT" : "")
                + where.map(w -> " WHERE " + w).orElse("");
    }

    @Override
    public String renameIndex(String schema, String from, String to) {
        return "ALTER INDEX " + qualify(schema, from) + " RENAME TO " + quote(to);
    }

    @Override
    public String addPrimaryKeyUsingIndex(String schema, String table, String name, String index) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " PRIMARY KEY USING INDEX "
                + quote(index);
    }

    @Override
    public String renameConstraint(String schema, String table, String from, String to) {
        return "ALTER TABLE " + qualify(schema, table) + " RENAME CONSTRAINT " + quote(from) + " TO " + quote(to);
    }

    @Override
    public String addForeignKeyNotValid(Catalog.ForeignKey k) {
        return "ALTER TABLE " + qualify(k.schema(), k.table()) + " ADD CONSTRAINT " + quote(k.name()) + " FOREIGN KEY ("
                + quoteAll(k.columns()) + ") REFERENCES " + qualify(k.refSchema(), k.refTable()) + " ("
                + quoteAll(k.refColumns()) + ")" + (k.matchFull() ? " MATCH FULL" : "")
                + " ON UPDATE " + k.onUpdate() + " ON DELETE " + k.onDelete() + k.deferrable() + " NOT VALID";
    }
}
