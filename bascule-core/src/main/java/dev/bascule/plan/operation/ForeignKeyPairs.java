package dev.bascule.plan.operation;

import dev.bascule.dialect.Catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The foreign keys whose referencing and referenced columns one migration alters both (an int key
 * made bigint with the columns that point at it). The referencing table's shadow column gets its
 * key to the referenced table's shadow at start, so the old key links the old columns and the new
 * one the new columns; at complete, the tables such keys link swap in one transaction, so the key
 * never links an old column to a new one.
 */
final class ForeignKeyPairs {
    /** By schema.table.name of the key as it is in the catalog. */
    private final Map<String, Catalog.ForeignKey> paired = new LinkedHashMap<>();

    void add(Catalog.ForeignKey original) {
        paired.put(key(original), original);
    }

    boolean contains(Catalog.ForeignKey fk) {
        return paired.containsKey(key(fk));
    }

    /** The paired keys that start from one of {@code tables} (physical, in the migration's schema). */
    List<Catalog.ForeignKey> from(Collection<String> tables) {
        return paired.values().stream().filter(fk -> tables.contains(fk.table())).toList();
    }

    /**
     * The altered tables in groups that swap together, each group where its first table comes in
     * {@code tables}: a group is every table that paired keys link, directly or not, referencing
     * tables before the tables they reference, in the order a writer of a referencing table locks
     * them (its row, then the referenced row); the swap takes its exclusive locks in this order,
     * after SHARE locks on the referenced tables (see {@code Sessions#lockTogether}).
     */
    List<List<String>> swapGroups(Collection<String> tables) {
        Map<String, Set<String>> linked = new LinkedHashMap<>();
        tables.forEach(t -> linked.put(t, new LinkedHashSet<>(Set.of(t))));
        for (Catalog.ForeignKey fk : paired.values()) {
            Set<String> a = linked.get(fk.table());
            Set<String> b = linked.get(fk.refTable());
            if (a != null && b != null && a != b) {
                a.addAll(b);
                a.forEach(t -> linked.put(t, a));
            }
        }
        List<List<String>> groups = new ArrayList<>();
        Set<Set<String>> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (String t : tables) {
            Set<String> group = linked.get(t);
            if (seen.add(group)) {
                groups.add(referencingFirst(tables.stream().filter(group::contains).toList()));
            }
        }
        return groups;
    }

    /** {@code group} with each table before the tables its paired keys reference (file order otherwise, and in a cycle). */
    private List<String> referencingFirst(List<String> group) {
        List<String> ordered = new ArrayList<>();
        List<String> left = new ArrayList<>(group);
        while (!left.isEmpty()) {
            String next = left.stream().filter(t -> paired.values().stream().noneMatch(fk -> fk.refTable().equals(t)
                    && left.contains(fk.table()) && !fk.table().equals(t))).findFirst().orElse(left.get(0));
            ordered.add(next);
            left.remove(next);
        }
        return ordered;
    }

    private static String key(Catalog.ForeignKey fk) {
        return fk.schema() + "." + fk.table() + "." + fk.name();
    }
}
