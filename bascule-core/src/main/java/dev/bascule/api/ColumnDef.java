package dev.bascule.api;

import java.util.Optional;

/**
 * A column as declared in a migration file. {@code defaultValue} and {@code check} are SQL
 * expressions, written by the migration's author and run as written; {@code comment} is the
 * column's comment, plain text (stored as a string literal, never run). {@code uniqueName} and
 * {@code checkName} name the column's unique and check constraints (the foreign key's name is in
 * {@link ForeignKeyRef#name}); empty, the server's or Bascule's usual name is used. {@code generated},
 * when present, makes the column computed by the server from the other columns of its row.
 */
public record ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                        boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                        Optional<String> comment, Optional<String> uniqueName, Optional<String> checkName,
                        Optional<Generated> generated) {

    /**
     * A generated column's expression (SQL over the other columns of its row, run as written) and
     * whether its values are stored ({@code GENERATED ALWAYS AS (..) STORED}, MariaDB's PERSISTENT)
     * or computed when read (VIRTUAL).
     */
    public record Generated(String expression, boolean stored) {}

    public ColumnDef {
        if (uniqueName.isPresent() && !unique) {
            throw new IllegalArgumentException("a unique constraint's name without the constraint");
        }
        if (checkName.isPresent() && check.isEmpty()) {
            throw new IllegalArgumentException("a check constraint's name without the check");
        }
    }

    /** A column the server does not generate. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                     Optional<String> comment, Optional<String> uniqueName, Optional<String> checkName) {
        this(name, type, nullable, defaultValue, unique, references, check, comment, uniqueName, checkName, Optional.empty());
    }

    /** A column whose constraints have the usual names. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                     Optional<String> comment, Optional<Generated> generated) {
        this(name, type, nullable, defaultValue, unique, references, check, comment, Optional.empty(), Optional.empty(),
                generated);
    }

    /** A column whose constraints have the usual names, not generated. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                     Optional<String> comment) {
        this(name, type, nullable, defaultValue, unique, references, check, comment, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** A column without a comment. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check) {
        this(name, type, nullable, defaultValue, unique, references, check, Optional.empty());
    }

    /** This column with {@code comment} (empty: none). */
    public ColumnDef withComment(Optional<String> comment) {
        return new ColumnDef(name, type, nullable, defaultValue, unique, references, check, comment, uniqueName, checkName,
                generated);
    }

    /** This column generated as {@code generated} says (empty: not generated). */
    public ColumnDef withGenerated(Optional<Generated> generated) {
        return new ColumnDef(name, type, nullable, defaultValue, unique, references, check, comment, uniqueName, checkName,
                generated);
    }

    /**
     * This column with another type, nullability and foreign key, its other fields (generated
     * expression included) and its constraints' names kept.
     */
    public ColumnDef with(String type, boolean nullable, Optional<ForeignKeyRef> references) {
        return new ColumnDef(name, type, nullable, defaultValue, unique, references, check, comment, uniqueName, checkName,
                generated);
    }

    /** Whether a constraint of the column has a name given in the file. */
    public boolean namesConstraints() {
        return uniqueName.isPresent() || checkName.isPresent() || references.flatMap(ForeignKeyRef::name).isPresent();
    }
}
