package dev.bascule.rehearsal;

import dev.bascule.dialect.SourceTable;
import dev.bascule.api.Operation;
import dev.bascule.plan.operation.OperationPlanners;
import dev.bascule.plan.operation.VersionNames;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names new code uses for the copied tables and their columns, by following the migration's
 * renames and drops. New-version clients need them to address the same rows through the version
 * schema's views. A table that a split or merge takes apart is left to old-version clients. Each
 * operation says what it does to the names (see {@code OperationPlanner#renames}).
 */
final class NewVersionNames implements VersionNames {
    /** @param columns logical name to physical name */
    record Shape(String physical, Map<String, String> columns) {}

    private final Map<String, Shape> byLogical = new LinkedHashMap<>();
    private final Set<String> uniqueAdded = new HashSet<>();

    NewVersionNames(Collection<SourceTable> tables, Collection<Operation> operations) {
        for (SourceTable t : tables) {
            Map<String, String> columns = new LinkedHashMap<>();
            t.columnNames().forEach(col -> columns.put(col, col));
            byLogical.put(t.name(), new Shape(t.name(), columns));
        }
        for (Operation op : operations) {
            OperationPlanners.of(op).renames(this);
        }
    }

    @Override
    public void renameTable(String from, String to) {
        Shape s = byLogical.remove(from);
        if (s != null) {
            byLogical.put(to, s);
        }
    }

    @Override
    public void dropTable(String name) {
        byLogical.remove(name);
    }

    @Override
    public void renameColumn(String table, String from, String to) {
        Shape s = byLogical.get(table);
        if (s != null && s.columns().containsKey(from)) {
            s.columns().put(to, s.columns().remove(from));
        }
    }

    @Override
    public void dropColumn(String table, String column) {
        Shape s = byLogical.get(table);
        if (s != null) {
            s.columns().remove(column);
        }
    }

    @Override
    public void takeApart(String table) {
        byLogical.remove(table);
    }

    @Override
    public void addUnique(String table) {
        uniqueAdded.add(physicalOf(table));
    }

    private String physicalOf(String logical) {
        Shape s = byLogical.get(logical);
        return s == null ? logical : s.physical();
    }

    /** New code's name for the physical table, and its columns; empty when new code no longer has it whole. */
    Optional<Map.Entry<String, Shape>> of(String physical) {
        return byLogical.entrySet().stream().filter(e -> e.getValue().physical().equals(physical)).findFirst();
    }

    /**
     * The migration makes a column of the table unique. Synthetic inserts copy an existing row, so
     * they would break that uniqueness where a real application's would not.
     */
    boolean addsUnique(String physical) {
        return uniqueAdded.contains(physical);
    }
}
