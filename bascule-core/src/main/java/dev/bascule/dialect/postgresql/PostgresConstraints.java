package dev.bascule.dialect.postgresql;

import dev.bascule.api.ForeignKeyRef;
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
    public String addForeignKeyNotValid(String schema, String table, String name, List<String> columns, ForeignKeyRef ref) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD CONSTRAINT " + quote(name) + " FOREIGN KEY ("
                + quoteAll(columns) + ") " + references(schema, ref) + " NOT VALID";
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
                                    Optional<String> where, Optional<String> method, IndexOptions options) {
        List<String> keys = new java.util.ArrayList<>();
        for (String c : columns) {
            String opclass = options.opclasses().get(c);
            keys.add(quote(c) + (opclass == null ? "" : " " + qualifiedName(opclass)));
        }
        List<String> storage = new java.util.ArrayList<>();
        options.storageParameters().forEach((k, v) -> storage.add(quote(k) + " = " + parameterValue(v)));
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + quote(name) + " ON "
                + qualify(schema, table) + method.map(m -> " USING " + m).orElse("")
                + " (" + String.join(", ", keys) + ")"
                + (options.include().isEmpty() ? "" : " INCLUDE (" + quoteAll(options.include()) + ")")
                + (storage.isEmpty() ? "" : " WITH (" + String.join(", ", storage) + ")")
                + where.map(w -> " WHERE " + w).orElse("");
    }

    /** {@code name} or {@code schema.name}, each part quoted. */
    private String qualifiedName(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? quote(name) : quote(name.substring(0, dot)) + "." + quote(name.substring(dot + 1));
    }

    /** A number or boolean as written (the reader checked it is one), any other word as a string literal. */
    private String parameterValue(String v) {
        return v.matches("-?[0-9]+(\\.[0-9]+)?|true|false") ? v : literal(v);
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
