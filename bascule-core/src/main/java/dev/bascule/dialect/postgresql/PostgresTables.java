package dev.bascule.dialect.postgresql;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.TableDdl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** PostgreSQL's DDL of schemas, tables and columns, and of deprecation. */
final class PostgresTables extends PostgresRole implements TableDdl {

    PostgresTables(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public String typedNull(String type) {
        return "CAST(NULL AS " + castable(type) + ")";
    }

    @Override
    public String createTable(String schema, Operation.CreateTable t) {
        List<String> parts = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            StringBuilder sb = new StringBuilder(quote(c.name())).append(' ').append(c.type());
            c.generated().ifPresent(g -> sb.append(generatedAs(g)));
            c.defaultValue().ifPresent(d -> sb.append(" DEFAULT ").append(d));
            if (!c.nullable()) sb.append(" NOT NULL");
            if (c.unique()) sb.append(named(c.uniqueName())).append(" UNIQUE");
            c.check().ifPresent(ch -> sb.append(named(c.checkName())).append(" CHECK (").append(ch).append(')'));
            c.references().ifPresent(r -> sb.append(named(r.name())).append(' ').append(references(schema, r)));
            parts.add(sb.toString());
        }
        if (!t.primaryKey().isEmpty()) {
            parts.add(t.primaryKeyName().map(n -> "CONSTRAINT " + quote(n) + " ").orElse("")
                    + "PRIMARY KEY (" + quoteAll(t.primaryKey()) + ")");
        }
        for (Operation.TableConstraint tc : t.constraints()) {
            parts.add("CONSTRAINT " + quote(tc.name()) + tc.check().map(ch -> " CHECK (" + ch + ")")
                    .orElseGet(() -> " UNIQUE (" + quoteAll(tc.unique()) + ")"));
        }
        return "CREATE TABLE " + qualify(schema, t.name()) + " (" + String.join(", ", parts) + ")";
    }

    /** " CONSTRAINT name" before a constraint the file names; nothing (the server's usual name) otherwise. */
    private String named(java.util.Optional<String> name) {
        return name.map(n -> " CONSTRAINT " + quote(n)).orElse("");
    }

    @Override
    public String dropTable(String schema, String table) {
        return "DROP TABLE IF EXISTS " + qualify(schema, table);
    }

    @Override
    public String renameTable(String schema, String from, String to) {
        return "ALTER TABLE " + qualify(schema, from) + " RENAME TO " + quote(to);
    }

    @Override
    public String setReplicaIdentity(String schema, String table, dev.bascule.api.Operation.ReplicaIdentity identity,
                                     String index) {
        String to = switch (identity) {
            case DEFAULT -> "DEFAULT";
            case FULL -> "FULL";
            case NOTHING -> "NOTHING";
            case INDEX -> "USING INDEX " + quote(index);
        };
        return "ALTER TABLE " + qualify(schema, table) + " REPLICA IDENTITY " + to;
    }

    @Override
    public String addColumn(String schema, String table, ColumnDef column, boolean withDefault) {
        return "ALTER TABLE " + qualify(schema, table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + column.type() + (withDefault ? column.defaultValue().map(d -> " DEFAULT " + d).orElse("") : "");
    }

    /** PostgreSQL 15's only kind: computed on write and stored (planning refuses a virtual one). */
    private static String generatedAs(ColumnDef.Generated g) {
        return " GENERATED ALWAYS AS (" + g.expression() + ") STORED";
    }

    /**
     * The table locked as ADD COLUMN would lock it anyway (ACCESS EXCLUSIVE, under the lock timeout),
     * then a look for a row under that lock, then the column: its rewrite of an empty table is free.
     */
    @Override
    public List<String> addGeneratedColumnToEmptyTable(String schema, String table, ColumnDef c) {
        String t = qualify(schema, table);
        String message = ("table " + table + " has rows: adding stored generated column " + c.name() + " would compute it"
                + " for every row under an ACCESS EXCLUSIVE lock (a table rewrite); add a plain column with up instead");
        String column = quote(c.name()) + " " + c.type() + generatedAs(c.generated().orElseThrow())
                + (c.nullable() ? "" : " NOT NULL") + (c.unique() ? named(c.uniqueName()) + " UNIQUE" : "")
                + c.check().map(ch -> named(c.checkName()) + " CHECK (" + ch + ")").orElse("");
        return List.of("LOCK TABLE " + t + " IN ACCESS EXCLUSIVE MODE",
                retagged("DO " + BODY_TAG + "\nBEGIN\n  IF EXISTS (SELECT FROM " + t + ") THEN\n    RAISE EXCEPTION USING"
                        + " ERRCODE = '55000', MESSAGE = " + literal(message) + ";\n  END IF;\nEND\n" + BODY_TAG),
                "ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS " + column);
    }

    @Override
    public String setColumnDefault(String schema, String table, String column, String expression) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET DEFAULT " + expression;
    }

    @Override
    public String dropColumn(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " DROP COLUMN IF EXISTS " + quote(column);
    }

    @Override
    public String renameColumn(String schema, String table, String from, String to) {
        return "ALTER TABLE " + qualify(schema, table) + " RENAME COLUMN " + quote(from) + " TO " + quote(to);
    }

    @Override
    public String setNotNull(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " SET NOT NULL";
    }

    @Override
    public String dropColumnDefault(String schema, String table, String column) {
        return "ALTER TABLE " + qualify(schema, table) + " ALTER COLUMN " + quote(column) + " DROP DEFAULT";
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    @Override
    public String deprecateColumn(String schema, String table, String column, String deprecatedName, String marker) {
        String t = qualify(schema, table);
        String alter = "ALTER TABLE " + t + " ALTER COLUMN " + quote(column);
        // PL/pgSQL substitutes no variables in utility statements, so the names below cannot meet them
        return retagged("DO " + BODY_TAG + "\nDECLARE\n  bascule_rel regclass := to_regclass(" + literal(t) + ");\n"
                + "  bascule_att int2;\n  bascule_r record;\nBEGIN\n"
                + "  SELECT attnum INTO bascule_att FROM pg_attribute WHERE attrelid = bascule_rel AND attname = "
                + literal(column) + " AND NOT attisdropped;\n"
                + "  IF bascule_att IS NULL THEN\n    RETURN; -- deprecated or dropped already\n  END IF;\n"
                // what DROP COLUMN would drop with it: constraints on it (their indexes go with them) ...
                + "  FOR bascule_r IN SELECT conname FROM pg_constraint WHERE conrelid = bascule_rel AND bascule_att = ANY (conkey) LOOP\n"
                + "    EXECUTE " + literal("ALTER TABLE " + t + " DROP CONSTRAINT ") + " || quote_ident(bascule_r.conname);\n"
                + "  END LOOP;\n"
                // ... and indexes that use it, as a key, in an expression or in the predicate
                + "  FOR bascule_r IN SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name"
                + " FROM pg_depend d JOIN pg_index i ON i.indexrelid = d.objid JOIN pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classid = 'pg_class'::regclass"
                + " AND d.refclassid = 'pg_class'::regclass AND d.refobjid = bascule_rel AND d.refobjsubid = bascule_att"
                + " AND i.indrelid = bascule_rel LOOP\n"
                + "    EXECUTE 'DROP INDEX ' || bascule_r.name;\n"
                + "  END LOOP;\n"
                + "  " + alter + " DROP IDENTITY IF EXISTS;\n"
                + "  " + alter + " DROP EXPRESSION IF EXISTS;\n"
                + "  " + alter + " DROP DEFAULT, ALTER COLUMN " + quote(column) + " DROP NOT NULL;\n"
                + "  ALTER TABLE " + t + " RENAME COLUMN " + quote(column) + " TO " + quote(deprecatedName) + ";\n"
                + "  EXECUTE " + literal("COMMENT ON COLUMN " + t + "." + quote(deprecatedName) + " IS ") + " || "
                + stamped(marker, "col_description(bascule_rel, bascule_att)") + ";\nEND\n" + BODY_TAG);
    }

    @Override
    public String deprecateTable(String schema, String table, String deprecatedName, String marker) {
        String t = qualify(schema, table);
        return retagged("DO " + BODY_TAG + "\nDECLARE\n  bascule_rel regclass;\n  bascule_r record;\nBEGIN\n"
                + "  SELECT oid INTO bascule_rel FROM pg_class WHERE oid = to_regclass(" + literal(t) + ") AND relkind IN ('r', 'p');\n"
                + "  IF bascule_rel IS NULL THEN\n    RETURN; -- deprecated or dropped already\n  END IF;\n"
                + "  FOR bascule_r IN SELECT conname FROM pg_constraint WHERE conrelid = bascule_rel AND contype = 'f' LOOP\n"
                + "    EXECUTE " + literal("ALTER TABLE " + t + " DROP CONSTRAINT ") + " || quote_ident(bascule_r.conname);\n"
                + "  END LOOP;\n"
                + "  ALTER TABLE " + t + " RENAME TO " + quote(deprecatedName) + ";\n"
                + "  EXECUTE " + literal("COMMENT ON TABLE " + qualify(schema, deprecatedName) + " IS ") + " || "
                + stamped(marker, "obj_description(bascule_rel, 'pg_class')") + ";\nEND\n" + BODY_TAG);
    }

    /**
     * The marker with the time of the deprecating transaction and the object's own comment before
     * it ({@code previousComment}, SQL; null when none), as an SQL string literal expression. The key
     * is DeprecationMarker's COMMENT, which reads it (the dialect may not name that package).
     */
    private String stamped(String marker, String previousComment) {
        return "quote_literal(jsonb_set(jsonb_set(" + literal(marker) + "::jsonb, '{deprecated_at}', to_jsonb(now())), '{"
                + "comment}', COALESCE(to_jsonb(" + previousComment + "), 'null'::jsonb))::text)";
    }

    @Override
    public String commentOnColumn(String schema, String table, String column, String comment) {
        return "COMMENT ON COLUMN " + qualify(schema, table) + "." + quote(column) + " IS "
                + (comment == null || comment.isEmpty() ? "NULL" : literal(comment));
    }

    @Override
    public String commentOnTable(String schema, String table, String comment) {
        return "COMMENT ON TABLE " + qualify(schema, table) + " IS " + (comment == null || comment.isEmpty() ? "NULL" : literal(comment));
    }

    /** None: a NOT NULL column is added nullable, with a NOT VALID check standing for NOT NULL until complete. */
    @Override
    public Optional<String> placeholderValue(String type) {
        return Optional.empty();
    }

    /** None: PostgreSQL has no invisible columns, and old code names its columns. */
    @Override
    public Optional<String> appendValues(String schema, String table, dev.bascule.dialect.Catalog.Column column, String type) {
        return Optional.empty();
    }

    @Override
    public List<String> moveColumn(String schema, String table, String column, Optional<String> after, boolean first) {
        return List.of();
    }

    @Override
    public Optional<String> columnOrderObstacle() {
        return Optional.of("PostgreSQL has no column order");
    }

    @Override
    public List<String> revealColumn(String schema, String table, String column, Optional<String> after, boolean first,
                                     boolean dropDefault) {
        return List.of();
    }
}
