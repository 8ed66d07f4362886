package dev.bascule.dialect;

import java.util.List;
import java.util.Optional;

/**
 * What rebuild_table changes on the empty shadow table before the copy: table options, and the
 * primary key. Every name was checked by the reader (words) and the planner (the keys exist).
 *
 * @param engine          the storage engine, or empty to keep the table's
 * @param charset         the character set every text column is converted to, or empty
 * @param collation       with {@code charset}, its collation, or empty for the charset's default
 * @param rowFormat       the row format, or empty to keep the table's
 * @param primaryKey      the new primary key's columns, or empty to keep the key
 * @param dropPrimaryKey  whether the table has a primary key that the new one replaces
 * @param dropIndex       a unique key the new primary key makes redundant (its columns are the key's)
 * @param previousKey     the name the old primary key's unique key takes, or empty
 * @param previousColumns the old primary key's columns
 */
public record TableRebuild(Optional<String> engine, Optional<String> charset, Optional<String> collation,
                           Optional<String> rowFormat, List<String> primaryKey, boolean dropPrimaryKey,
                           Optional<String> dropIndex, Optional<String> previousKey, List<String> previousColumns) {
    public TableRebuild {
        primaryKey = List.copyOf(primaryKey);
        previousColumns = List.copyOf(previousColumns);
    }
}
