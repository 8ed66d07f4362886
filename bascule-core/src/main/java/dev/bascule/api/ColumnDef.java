package dev.bascule.api;

import java.util.Optional;

/**
 * A column as declared in a migration file. {@code defaultValue} and {@code check} are SQL
 * expressions, written by the migration's author and run as written; {@code comment} is the
 * column's comment, plain text (stored as a string literal, never run); {@code generated}, when
 * present, makes the column computed by the server from the other columns of its row.
 */
public record ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                        boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                        Optional<String> comment, Optional<Generated> generated) {

    /**
     * A generated column's expression (SQL over the other columns of its row, run as written) and
     * whether its values are stored ({@code GENERATED ALWAYS AS (..) STORED}, MariaDB's PERSISTENT)
     * or computed when read (VIRTUAL).
     */
    public record Generated(String expression, boolean stored) {}

    /** A column without a comment. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check) {
        this(name, type, nullable, defaultValue, unique, references, check, Optional.empty());
    }

    /** A column the server does not generate. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                     Optional<String> comment) {
        this(name, type, nullable, defaultValue, unique, references, check, comment, Optional.empty());
    }

    /** This column with {@code comment} (empty: none). */
    public ColumnDef withComment(Optional<String> comment) {
        return new ColumnDef(name, type, nullable, defaultValue, unique, references, check, comment, generated);
    }

    /** This column generated as {@code generated} says (empty: not generated). */
    public ColumnDef withGenerated(Optional<Generated> generated) {
        return new ColumnDef(name, type, nullable, defaultValue, unique, references, check, comment, generated);
    }
}
