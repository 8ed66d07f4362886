package dev.bascule.api;

import java.util.Optional;

/**
 * A column as declared in a migration file. {@code defaultValue} and {@code check} are SQL
 * expressions, written by the migration's author and run as written; {@code comment} is the
 * column's comment, plain text (stored as a string literal, never run). {@code uniqueName} and
 * {@code checkName} name the column's unique and check constraints (the foreign key's name is in
 * {@link ForeignKeyRef#name}); empty, the server's or Bascule's usual name is used.
 */
public record ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                        boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                        Optional<String> comment, Optional<String> uniqueName, Optional<String> checkName) {

    public ColumnDef {
        if (uniqueName.isPresent() && !unique) {
            throw new IllegalArgumentException("a unique constraint's name without the constraint");
        }
        if (checkName.isPresent() && check.isEmpty()) {
            throw new IllegalArgumentException("a check constraint's name without the check");
        }
    }

    /** A column whose constraints have the usual names. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check,
                     Optional<String> comment) {
        this(name, type, nullable, defaultValue, unique, references, check, comment, Optional.empty(), Optional.empty());
    }

    /** A column without a comment. */
    public ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                     boolean unique, Optional<ForeignKeyRef> references, Optional<String> check) {
        this(name, type, nullable, defaultValue, unique, references, check, Optional.empty());
    }

    /** This column with {@code comment} (empty: none). */
    public ColumnDef withComment(Optional<String> comment) {
        return new ColumnDef(name, type, nullable, defaultValue, unique, references, check, comment, uniqueName, checkName);
    }

    /** This column with another type, nullability and foreign key, its other fields and its constraints' names kept. */
    public ColumnDef with(String type, boolean nullable, Optional<ForeignKeyRef> references) {
        return new ColumnDef(name, type, nullable, defaultValue, unique, references, check, comment, uniqueName, checkName);
    }

    /** Whether a constraint of the column has a name given in the file. */
    public boolean namesConstraints() {
        return uniqueName.isPresent() || checkName.isPresent() || references.flatMap(ForeignKeyRef::name).isPresent();
    }
}
