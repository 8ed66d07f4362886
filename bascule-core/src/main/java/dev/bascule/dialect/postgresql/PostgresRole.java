package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.VersionViews.ColumnMapping;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What every PostgreSQL role shares: quoting through the dialect, and small SQL fragments. */
abstract class PostgresRole {

    static final String BODY_TAG = PostgresDialect.BODY_TAG;

    /**
     * serial, bigserial and smallserial are shorthands CREATE TABLE and ADD COLUMN expand (an
     * integer column with a sequence), not types a cast knows: checked as their integer type.
     */
    static final Map<String, String> SERIALS = Map.of("smallserial", "smallint", "serial2", "smallint",
            "serial", "integer", "serial4", "integer", "bigserial", "bigint", "serial8", "bigint");

    final PostgresDialect dialect;

    PostgresRole(PostgresDialect dialect) {
        this.dialect = dialect;
    }

    String quote(String identifier) {
        return dialect.quote(identifier);
    }

    /** Double quotes, doubled inside. */
    static String quoteName(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    String literal(String value) {
        return dialect.literal(value);
    }

    /** {@code REFERENCES t (c) MATCH .. ON UPDATE .. ON DELETE ..}; the actions are checked words (the reader's). */
    String references(String schema, dev.bascule.api.ForeignKeyRef r) {
        return "REFERENCES " + qualify(schema, r.table())
                + (r.columns().isEmpty() ? "" : " (" + quoteAll(r.columns()) + ")")
                + (r.matchFull() ? " MATCH FULL" : "")
                + r.onUpdate().map(a -> " ON UPDATE " + action(a)).orElse("")
                + r.onDelete().map(a -> " ON DELETE " + action(a)).orElse("");
    }

    static String action(String a) {
        String norm = a.strip().toUpperCase(java.util.Locale.ROOT);
        if (!List.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT").contains(norm)) {
            throw new IllegalArgumentException("not a foreign key action: " + a);
        }
        return norm;
    }

    String qualify(String schema, String name) {
        return dialect.qualify(schema, name);
    }

    static String castable(String type) {
        return SERIALS.getOrDefault(type.strip().toLowerCase(java.util.Locale.ROOT), type);
    }

    String fields(String record, List<String> columns) {
        return columns.stream().map(c -> record + "." + quote(c)).collect(Collectors.joining(", "));
    }

    String row(String record, List<String> columns) {
        return "(" + fields(record, columns) + ")";
    }

    String rowAs(List<ColumnMapping> scope, String alias) {
        return "(SELECT " + scope.stream().map(m -> "bascule_row." + quote(m.physical()) + " AS " + quote(m.logical()))
                .collect(Collectors.joining(", ")) + ") AS " + alias;
    }

    String quoteAll(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /** INSERT ... ON CONFLICT (key) DO UPDATE the {@code update} columns (DO NOTHING when there are none). */
    String onConflict(List<String> key, List<String> update) {
        return " ON CONFLICT (" + quoteAll(key) + ") DO " + (update.isEmpty() ? "NOTHING"
                : "UPDATE SET " + update.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", ")));
    }

    /**
     * A generated statement whose body Bascule wrote between the first and the last {@link
     * #BODY_TAG}, dollar-quoted with a tag the body does not hold. The body holds the migration's
     * expressions, and a string literal in one may hold {@code $bascule_fn$}: with a fixed tag it
     * would end the body there and run the rest of the literal as SQL.
     */
    static String retagged(String sql) {
        int open = sql.indexOf(BODY_TAG);
        int close = sql.lastIndexOf(BODY_TAG);
        String inner = sql.substring(open + BODY_TAG.length(), close);
        String tag = BODY_TAG;
        for (int n = 1; (inner + tag).indexOf(tag) != inner.length(); n++) {
            tag = "$bascule_fn" + n + "$";
        }
        return sql.substring(0, open) + tag + inner + tag + sql.substring(close + BODY_TAG.length());
    }
}
