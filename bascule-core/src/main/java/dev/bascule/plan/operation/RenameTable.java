package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.step.Step;

import java.util.List;
import java.util.Map;

/**
 * rename_table: the new version sees the new name at once; complete renames the table.
 */
public final class RenameTable extends OperationPlanner<Operation.RenameTable> {

    public RenameTable(Operation.RenameTable op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.RenameTable rt = op;
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, rt, "from", rt.from());
        if (ctx.shape.containsKey(rt.to()) || (ctx.catalog.tables().containsKey(rt.to()) && !ctx.droppedTables.contains(rt.to()))) {
            throw ctx.error(i, rt, "to", "table '" + rt.to() + "' already exists");
        }
        ctx.shape.remove(rt.from());
        ctx.retire(t, null);
        t.logical = rt.to();
        ctx.shape.put(rt.to(), t);
        String now = ctx.contractTable(t.physical);
        Step rename = new Step.SqlStep("rename table " + now + " to " + rt.to(), t.physical, ctx.lockBrief,
                List.of(dialect.tables().renameTable(ctx.schema, now, rt.to())), dialect.checks().tableExists(ctx.schema, rt.to()), true)
                .declaring(ctx.effects.renameTable());
        ctx.contract.add(rename);
        ctx.renamings.put(rename, new Renaming(t.physical, Map.of(), rt.to()));
        ctx.contractTables.put(t.physical, rt.to());
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.from().equals(table);
    }

    @Override
    public Map<String, String> createdNames() {
        return Map.of("to", op.to());
    }

    @Override
    public void renames(VersionNames names) {
        names.renameTable(op.from(), op.to());
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.from());
    }
}
