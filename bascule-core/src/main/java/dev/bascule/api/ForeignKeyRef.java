package dev.bascule.api;

import java.util.List;
import java.util.Optional;

/**
 * The referenced side of a foreign key, and what the key does: {@code onDelete} and {@code onUpdate}
 * are actions as SQL ({@code CASCADE}, {@code SET NULL}, ..., empty: the server's NO ACTION);
 * {@code matchType} is {@code SIMPLE} or {@code FULL} (empty: SIMPLE). {@code name} is the foreign
 * key's own name, where a column's {@code references} gives one; empty, the usual name is used.
 */
public record ForeignKeyRef(String table, List<String> columns, Optional<String> onDelete, Optional<String> onUpdate,
                            Optional<String> matchType, Optional<String> name) {

    /** A key with the usual name and the server's ON UPDATE and MATCH (NO ACTION, SIMPLE). */
    public ForeignKeyRef(String table, List<String> columns, Optional<String> onDelete) {
        this(table, columns, onDelete, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A key with the usual name. */
    public ForeignKeyRef(String table, List<String> columns, Optional<String> onDelete, Optional<String> onUpdate,
                         Optional<String> matchType) {
        this(table, columns, onDelete, onUpdate, matchType, Optional.empty());
    }

    /** The same key pointing at {@code table} and {@code columns} (physical names), its actions, match type and name kept. */
    public ForeignKeyRef to(String table, List<String> columns) {
        return new ForeignKeyRef(table, columns, onDelete, onUpdate, matchType, name);
    }

    /** The same key with {@code onDelete}, where it is given beside the reference (add_foreign_key). */
    public ForeignKeyRef withOnDelete(Optional<String> onDelete) {
        return new ForeignKeyRef(table, columns, onDelete, onUpdate, matchType, name);
    }

    /** Whether the key is MATCH FULL: a key with some columns NULL and others not is refused. */
    public boolean matchFull() {
        return matchType.filter("FULL"::equals).isPresent();
    }
}
