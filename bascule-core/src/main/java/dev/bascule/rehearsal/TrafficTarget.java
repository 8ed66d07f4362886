package dev.bascule.rehearsal;

import java.util.List;
import java.util.Optional;

/**
 * What a synthetic client of one version does to one table: read a row by key, write a row by key
 * (each column set to itself: the row is locked, written and goes through the sync triggers without
 * its meaning changing), and insert a copy of a row under a new key when the table makes its own
 * keys. Statements name the table unqualified: the client's search_path picks the version.
 *
 * @param keys the keys of rows in the sample, each in key-column order
 */
record TrafficTarget(String table, String select, Optional<String> update, Optional<String> insert, List<Object[]> keys) {

    static TrafficTarget of(String table, List<String> key, List<String> updatable, Optional<List<String>> insertable,
                            List<Object[]> keys) {
        String name = ScratchCopy.q(table);
        String where = " WHERE " + String.join(" AND ", key.stream().map(k -> ScratchCopy.q(k) + " = ?").toList());
        String select = "SELECT * FROM " + name + where;
        Optional<String> update = updatable.isEmpty() ? Optional.empty()
                : Optional.of("UPDATE " + name + " SET " + String.join(", ", updatable.stream()
                .map(col -> ScratchCopy.q(col) + " = " + ScratchCopy.q(col)).toList()) + where);
        Optional<String> insert = insertable.filter(cols -> !cols.isEmpty()).map(cols -> {
            String list = String.join(", ", cols.stream().map(ScratchCopy::q).toList());
            return "INSERT INTO " + name + " (" + list + ") SELECT " + list + " FROM " + name + where;
        });
        return new TrafficTarget(table, select, update, insert, List.copyOf(keys));
    }
}
