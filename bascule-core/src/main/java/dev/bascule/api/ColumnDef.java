package dev.bascule.api;

import java.util.Optional;

/**
 * A column as declared in a migration file. {@code defaultValue} and {@code check} are SQL
 * expressions, written by the migration's author and run as written; {@code comment} is the
 * column's comment, plain text (stored as a string literal, never run).
 */
public record ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                        boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                        Optional<String> comment) {

    /** A column without a comment. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check) {
        this(name, type, nullable, defaultValue, unique, references, check, Optional.empty());
    }

    /** This column with {@code comment} (empty: none). */
    public ColumnDef withComment(Optional<String> comment) {
        return new ColumnDef(name, type, nullable, defaultValue, unique, references, check, comment);
    }
}
