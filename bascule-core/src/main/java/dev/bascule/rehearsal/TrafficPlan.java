package dev.bascule.rehearsal;

import dev.bascule.dialect.RehearsalCatalog;
import dev.bascule.dialect.SourceTable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which statements the synthetic clients of each version run on which copied table. */
final class TrafficPlan {
    /** Keys each client picks from, per table: enough to spread writes, few enough to load at once. */
    private static final int KEYS = 1_000;

    private final String scratch;
    private final List<SourceTable> tables;
    private final RehearsalCatalog catalog;
    private final NewVersionNames names;
    private final Set<String> notes = new java.util.LinkedHashSet<>(); // old and new traffic reach the same conclusions

    TrafficPlan(String scratch, List<SourceTable> tables, NewVersionNames names, RehearsalCatalog catalog) {
        this.catalog = catalog;
        this.scratch = scratch;
        this.tables = tables;
        this.names = names;
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /** Old code: the physical tables, as they were before start. Loads the sample keys (run it before start). */
    List<TrafficTarget> old(Connection c) throws SQLException {
        List<TrafficTarget> out = new ArrayList<>();
        for (SourceTable t : tables) {
            if (t.key().isEmpty()) {
                notes.add("no synthetic traffic on " + t.name() + ": it has no primary key to address rows by");
                continue;
            }
            List<String> updatable = t.insertableColumns().stream().filter(col -> !t.key().contains(col)).toList();
            out.add(TrafficTarget.of(t.name(), t.key(), updatable,
                    inserts(t) ? Optional.of(updatable) : Optional.empty(), keys(c, t)));
        }
        return out;
    }

    /** New code: the views of the version schema, under the names the migration gives the tables and columns. */
    List<TrafficTarget> neu(Connection c, String versionSchema, List<TrafficTarget> old) throws SQLException {
        List<TrafficTarget> out = new ArrayList<>();
        for (SourceTable t : tables) {
            Optional<TrafficTarget> before = old.stream().filter(o -> o.table().equals(t.name())).findFirst();
            var named = names.of(t.name());
            if (before.isEmpty() || named.isEmpty()) {
                if (before.isPresent()) {
                    notes.add("no new-version traffic on " + t.name() + ": new code does not have it whole");
                }
                continue;
            }
            String view = named.get().getKey();
            Map<String, String> columns = named.get().getValue().columns();
            List<String> viewColumns = catalog.viewColumns(c, versionSchema, view);
            List<String> key = t.key().stream().map(k -> logical(columns, k)).toList();
            if (viewColumns.isEmpty() || key.contains(null) || !viewColumns.containsAll(key)) {
                notes.add("no new-version traffic on " + t.name() + ": its key is not in view " + versionSchema + "." + view);
                continue;
            }
            // columns the physical table generates cannot be written; columns new code added can
            Set<String> generated = Set.copyOf(columns.entrySet().stream().filter(e -> t.generated(e.getValue()))
                    .map(Map.Entry::getKey).toList());
            List<String> writable = viewColumns.stream().filter(col -> !key.contains(col) && !generated.contains(col)).toList();
            out.add(TrafficTarget.of(view, key, writable, inserts(t) ? Optional.of(writable) : Optional.empty(),
                    before.get().keys()));
        }
        return out;
    }

    private static String logical(Map<String, String> columns, String physical) {
        return columns.entrySet().stream().filter(e -> e.getValue().equals(physical)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /**
     * A synthetic insert copies a row under a new key, so only where the table makes its keys and
     * no other column is, or is about to be, unique.
     */
    private boolean inserts(SourceTable t) {
        if (!t.keyGenerated()) {
            notes.add("no synthetic inserts into " + t.name() + ": its key has no default to make new keys");
            return false;
        }
        if (t.otherUniques() > 0 || names.addsUnique(t.name())) {
            notes.add("no synthetic inserts into " + t.name() + ": a unique column would refuse the copies of rows they insert");
            return false;
        }
        return true;
    }

    private List<Object[]> keys(Connection c, SourceTable t) throws SQLException {
        String cols = String.join(", ", t.key().stream().map(ScratchCopy::q).toList());
        List<Object[]> keys = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + cols + " FROM "
                + ScratchCopy.q(scratch) + "." + ScratchCopy.q(t.name()) + " LIMIT " + KEYS)) {
            while (rs.next()) {
                Object[] key = new Object[t.key().size()];
                for (int i = 0; i < key.length; i++) {
                    key[i] = rs.getObject(i + 1);
                }
                keys.add(key);
            }
        }
        return keys;
    }
}
