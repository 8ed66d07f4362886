package dev.bascule.api;

import java.util.Optional;

/**
 * A column as declared in a migration file. {@code defaultValue} and {@code check} are SQL
 * expressions, written by the migration's author and run as written.
 */
public record ColumnDef(String name, String type, boolean nullable, Optional<String> defaultValue,
                        boolean unique, Optional<ForeignKeyRef> references, Optional<String> check) {
}
