package dev.bascule.rehearsal;

import dev.bascule.api.Operation;
import dev.bascule.dialect.SourceTable;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names new code uses for the copied tables and their columns, by following the migration's
 * renames and drops. New-version clients need them to address the same rows through the version
 * schema's views. A table that a split or merge takes apart is left to old-version clients.
 */
final class NewVersionNames {
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
            apply(op);
        }
    }

    private void apply(Operation op) {
        if (op instanceof Operation.RenameTable r) {
            Shape s = byLogical.remove(r.from());
            if (s != null) {
                byLogical.put(r.to(), s);
            }
        } else if (op instanceof Operation.DropTable d) {
            byLogical.remove(d.name());
        } else if (op instanceof Operation.RenameColumn r) {
            Shape s = byLogical.get(r.table());
            if (s != null && s.columns().containsKey(r.from())) {
                s.columns().put(r.to(), s.columns().remove(r.from()));
            }
        } else if (op instanceof Operation.DropColumn d) {
            Shape s = byLogical.get(d.table());
            if (s != null) {
                s.columns().remove(d.column());
            }
        } else if (op instanceof Operation.SplitTable s) {
            byLogical.remove(s.from());
        } else if (op instanceof Operation.MergeTables m) {
            m.from().forEach(byLogical::remove);
        } else if (op instanceof Operation.CreateIndex i && i.unique()) {
            uniqueAdded.add(physicalOf(i.table()));
        } else if (op instanceof Operation.AddColumn a && a.column().unique()) {
            uniqueAdded.add(physicalOf(a.table()));
        } else if (op instanceof Operation.AlterColumn a && a.unique().orElse(false)) {
            uniqueAdded.add(physicalOf(a.table()));
        }
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
