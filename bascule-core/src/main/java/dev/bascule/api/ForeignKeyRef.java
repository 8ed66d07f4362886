package dev.bascule.api;

import java.util.List;
import java.util.Optional;

/**
 * The referenced side of a foreign key, and what the key does: {@code onDelete} and {@code onUpdate}
 * are actions as SQL ({@code CASCADE}, {@code SET NULL}, ..., empty: the server's NO ACTION);
 * {@code matchType} is {@code SIMPLE} or {@code FULL} (empty: SIMPLE).
 */
public record ForeignKeyRef(String table, List<String> columns, Optional<String> onDelete, Optional<String> onUpdate,
                            Optional<String> matchType) {

    /** A key with the server's ON UPDATE and MATCH (NO ACTION, SIMPLE). */
    public ForeignKeyRef(String table, List<String> columns, Optional<String> onDelete) {
        this(table, columns, onDelete, Optional.empty(), Optional.empty());
    }

    /** The same key to {@code table} ({@code columns}): where it points, once names are resolved. */
    public ForeignKeyRef to(String table, List<String> columns) {
        return new ForeignKeyRef(table, columns, onDelete, onUpdate, matchType);
    }

    /** The same key with {@code onDelete}, where it is given beside the reference (add_foreign_key). */
    public ForeignKeyRef withOnDelete(Optional<String> onDelete) {
        return new ForeignKeyRef(table, columns, onDelete, onUpdate, matchType);
    }

    /** Whether the key is MATCH FULL: a key with some columns NULL and others not is refused. */
    public boolean matchFull() {
        return matchType.filter("FULL"::equals).isPresent();
    }
}
