package dev.bascule.api;

import java.util.List;
import java.util.Optional;

/**
 * The referenced side of a foreign key. {@code name} is the foreign key's own name, where a
 * column's {@code references} gives one; empty, the usual name is used.
 */
public record ForeignKeyRef(String table, List<String> columns, Optional<String> onDelete, Optional<String> name) {

    /** A foreign key with the usual name. */
    public ForeignKeyRef(String table, List<String> columns, Optional<String> onDelete) {
        this(table, columns, onDelete, Optional.empty());
    }

    /** The same key pointing at {@code table} and {@code columns} (physical names), its action and name kept. */
    public ForeignKeyRef to(String table, List<String> columns) {
        return new ForeignKeyRef(table, columns, onDelete, name);
    }
}
