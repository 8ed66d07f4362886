package dev.bascule.plan.operation;

import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.VersionViews.ColumnMapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A table as the new version sees it, and the physical table behind it. */
final class TableShape {
    private final Dialect dialect;
    final String physical;
    final Catalog.Table info;
    final boolean created;
    String logical;
    final List<ColumnMapping> columns = new ArrayList<>();
    final Set<String> physicalColumns = new LinkedHashSet<>();
    /** Old and shadow columns of alter_column operations. */
    final Set<String> altered = new HashSet<>();
    /** Types of the columns this migration adds, which the catalog does not know yet. */
    final Map<String, String> addedTypes = new HashMap<>();
    /** Constraints rename_constraint renames at start: new name to the catalog's name. */
    final Map<String, String> renamedConstraints = new HashMap<>();
    /** Constraints drop_constraint drops at complete, by the name they have then. */
    final Set<String> droppedConstraints = new HashSet<>();

    /** @param info the table in the catalog, or null for a table this migration creates */
    TableShape(Dialect dialect, String physical, Catalog.Table info, boolean created) {
        this.dialect = dialect;
        this.physical = physical;
        this.logical = physical;
        this.info = info;
        this.created = created;
    }

    /** A column both versions see under its physical name. */
    void addColumn(String name) {
        columns.add(new ColumnMapping(name, name));
        physicalColumns.add(name);
    }

    /**
     * The catalog's name of the table's constraint that is called {@code name} once start has run
     * the renames before this operation; empty when there is none (never was, or renamed away).
     */
    Optional<String> constraintNamed(String name) {
        if (renamedConstraints.containsKey(name)) {
            return Optional.of(renamedConstraints.get(name));
        }
        if (info == null || !info.constraints().contains(name) || renamedConstraints.containsValue(name)) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    Optional<ColumnMapping> logicalColumn(String name) {
        // as the server matches names (MariaDB: case-insensitively), the exact spelling first
        return columns.stream().filter(m -> m.logical().equals(name)).findFirst()
                .or(() -> columns.stream().filter(m -> dialect.catalog().sameColumnName(m.logical(), name)).findFirst());
    }
}
