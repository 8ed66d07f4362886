package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;

/**
 * drop_table: the table leaves the new version at once and is dropped (or deprecated) at complete.
 */
public final class DropTable extends OperationPlanner<Operation.DropTable> {

    public DropTable(Operation.DropTable op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.DropTable dt = op;
        TableShape t = ctx.table(i, dt, "name", dt.name());
        if (t.created) {
            throw ctx.error(i, dt, "name", "table '" + dt.name() + "' is created by this same migration");
        }
        ctx.shape.remove(dt.name());
        ctx.droppedTables.add(t.physical);
        ctx.retire(t, null);
        ctx.drops().dropOrDeprecateTable(t.physical);
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.name().equals(table);
    }

    @Override
    public void renames(VersionNames names) {
        names.dropTable(op.name());
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.name());
    }
}
