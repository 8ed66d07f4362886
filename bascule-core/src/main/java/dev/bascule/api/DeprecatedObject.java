package dev.bascule.api;

import java.time.OffsetDateTime;

/**
 * A table or column that {@code complete --deprecate} kept instead of dropping.
 *
 * @param table          the table it is in now: for a column, its table's current name; for a
 *                       table, its deprecated name
 * @param deprecatedName the name it has now ({@code _bascule_deprecated_...})
 * @param originalName   the name it had, which restore gives back
 * @param originalTable  for a column, the name of its table when it was deprecated; for a table,
 *                       its original name
 * @param migration      the migration whose complete deprecated it
 * @param comment        the user's comment it had before the marker took its place, which restore
 *                       gives back; null when it had none
 */
public record DeprecatedObject(Kind kind, String schema, String table, String deprecatedName, String originalName,
                               String originalTable, String migration, OffsetDateTime deprecatedAt, String comment) {

    /** An object that had no comment of its own. */
    public DeprecatedObject(Kind kind, String schema, String table, String deprecatedName, String originalName,
                            String originalTable, String migration, OffsetDateTime deprecatedAt) {
        this(kind, schema, table, deprecatedName, originalName, originalTable, migration, deprecatedAt, null);
    }

    public enum Kind { TABLE, COLUMN }

    /** "column users._bascule_deprecated_1a2b3c4d_flag (was flag)", for messages. */
    public String describe() {
        return kind == Kind.TABLE
                ? "table " + deprecatedName + " (was " + originalName + ")"
                : "column " + table + "." + deprecatedName + " (was " + originalName + ")";
    }
}
