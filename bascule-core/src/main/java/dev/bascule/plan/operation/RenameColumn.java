package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * rename_column: the new version sees the new name at once; complete renames the column.
 */
public final class RenameColumn extends OperationPlanner<Operation.RenameColumn> {

    public RenameColumn(Operation.RenameColumn op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.RenameColumn rc = op;
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, rc, "table", rc.table());
        String physical = ctx.column(i, rc, "from", t, rc.from());
        if (t.logicalColumn(rc.to()).isPresent()) {
            throw ctx.error(i, rc, "to", "column '" + rc.to() + "' already exists in table '" + rc.table() + "'");
        }
        if (t.physicalColumns.contains(rc.to())) {
            throw ctx.error(i, rc, "to", "column '" + rc.to() + "' still exists in table '" + t.physical
                    + "' until this migration completes; choose another name");
        }
        t.columns.replaceAll(m -> m.physical().equals(physical) ? new ColumnMapping(physical, rc.to()) : m);
        ctx.retire(t, physical);
        String table = ctx.contractTable(t.physical);
        String now = ctx.contractColumn(t.physical, physical);
        Step rename = new Step.SqlStep("rename column " + table + "." + now + " to " + rc.to(), t.physical, ctx.lockBrief,
                List.of(dialect.tables().renameColumn(ctx.schema, table, now, rc.to())), dialect.checks().columnExists(ctx.schema, table, rc.to()), true);
        ctx.contract.add(rename);
        ctx.renamings.put(rename, new Renaming(t.physical, Map.of(physical, rc.to()), null));
        ctx.renameSteps.computeIfAbsent(t.physical + "." + physical, k -> new ArrayList<>()).add(rename);
        ctx.contractColumns.put(t.physical + "." + physical, rc.to());
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table);
    }

    @Override
    public Map<String, String> createdNames() {
        return Map.of("to", op.to());
    }

    @Override
    public void renames(VersionNames names) {
        names.renameColumn(op.table(), op.from(), op.to());
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
