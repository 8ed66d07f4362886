package dev.bascule.api;

import java.util.Optional;

/**
 * What {@code restore} gives back its name: a deprecated table by its original name, or a
 * deprecated column by its table's current name and its own original name.
 *
 * @param migration the migration that deprecated it, when the same name was deprecated more than once
 */
public record RestoreTarget(String table, Optional<String> column, Optional<String> migration) {

    public static RestoreTarget table(String table) {
        return new RestoreTarget(table, Optional.empty(), Optional.empty());
    }

    public static RestoreTarget column(String table, String column) {
        return new RestoreTarget(table, Optional.of(column), Optional.empty());
    }

    public RestoreTarget deprecatedBy(String migration) {
        return new RestoreTarget(table, column, Optional.of(migration));
    }

    public String describe() {
        return column.map(c -> "column " + table + "." + c).orElse("table " + table);
    }
}
