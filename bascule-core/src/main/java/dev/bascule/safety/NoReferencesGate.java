package dev.bascule.safety;

import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Plan;
import dev.bascule.step.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table or column about to be dropped must not be the target of a foreign key or used by a view
 * other than Bascule's version views (which complete drops first): the drop would fail halfway
 * through complete, or take the view with it.
 */
final class NoReferencesGate implements Gate {
    private final Dialect dialect;

    NoReferencesGate(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String name() {
        return "no_references";
    }

    @Override
    public Optional<String> check(Input in) throws SQLException {
        Connection c = in.connection();
        Plan plan = in.plan();
        List<String> found = new ArrayList<>();
        // the previous version's views are Bascule's, unless old code used the base schema itself
        String previousViews = plan.previousVersionSchema().equals(plan.schema()) ? plan.versionSchema()
                : plan.previousVersionSchema();
        for (String table : plan.droppedTables()) {
            for (String use : dialect.catalog().tableUses(c, plan.schema(), table, plan.droppedTables(), plan.versionSchema(),
                    previousViews)) {
                found.add(table + " is used by " + use);
            }
        }
        for (String dropped : plan.droppedColumns()) {
            String table = dropped.substring(0, dropped.indexOf('.'));
            String column = dropped.substring(dropped.indexOf('.') + 1);
            // an altered column's incoming foreign keys are moved by the swap itself; the others are in the way
            boolean keysMoved = plan.complete().stream().anyMatch(step -> swaps(step, table));
            for (String use : dialect.catalog().columnUses(c, plan.schema(), table, column, plan.versionSchema(),
                    previousViews, keysMoved)) {
                found.add("column " + dropped + " is used by " + use);
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", found));
    }

    /**
     * Whether {@code step} is the swap of {@code table}'s altered columns: its own, or the one of
     * the tables whose foreign keys link altered columns ("swap altered columns of a, b together ...").
     */
    private static boolean swaps(Step step, String table) {
        String prefix = "swap altered columns of ";
        String d = step.description();
        if (d.equals(prefix + table)) {
            return true;
        }
        int together = d.indexOf(" together (");
        return d.startsWith(prefix) && together > 0
                && List.of(d.substring(prefix.length(), together).split(", ")).contains(table);
    }
}
