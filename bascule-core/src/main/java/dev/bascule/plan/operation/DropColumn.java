package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.step.Step.Assignment;

import java.util.Optional;

/**
 * drop_column: the column leaves the new version at once; old code's writes keep it filled ({@code
 * down}) until complete drops it.
 */
public final class DropColumn extends OperationPlanner<Operation.DropColumn> {

    public DropColumn(Operation.DropColumn op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.DropColumn dc = op;
        TableShape t = ctx.table(i, dc, "table", dc.table());
        String physical = ctx.column(i, dc, "column", t, dc.column());
        if (t.info != null && t.info.primaryKey().contains(physical)) {
            throw ctx.error(i, dc, "column", "column '" + dc.column() + "' is part of the primary key of '" + dc.table() + "'");
        }
        if (t.altered.contains(physical)) {
            throw ctx.error(i, dc, "column", "column '" + dc.column() + "' is altered by this same migration; drop it in a"
                    + " migration of its own");
        }
        Optional<Catalog.Column> info = t.info == null ? Optional.empty() : t.info.column(physical);
        if (dc.down().isEmpty() && info.isPresent() && !info.get().nullable() && info.get().defaultExpression() == null
                && !info.get().generated()) {
            throw ctx.error(i, dc, "column", "column '" + dc.column() + "' is NOT NULL without a default: new code,"
                    + " which no longer sees it, could not insert rows; give 'down' to fill it");
        }
        if (ColumnReplacement.laterAdd(ctx, i, dc).isPresent()) {
            // the add_column after it plans both, as one alter_column of the column
            dc.down().ifPresent(down -> ctx.checks().checkBodySafe(i, dc, "down", down));
            return;
        }
        dc.down().ifPresent(down -> {
            ctx.checks().checkBodySafe(i, dc, "down", down);
            ctx.sync(t.physical).down.add(new Assignment(physical, down, false));
            ctx.downChecks.add(new DownCheck(MigrationSource.fieldPath(i, dc.kind(), "down"), t, down));
        });
        t.columns.removeIf(m -> m.physical().equals(physical));
        ctx.droppedColumns.add(t.physical + "." + physical);
        ctx.retire(t, physical);
        ctx.drops().dropOrDeprecateColumn(t.physical, physical);
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table);
    }

    @Override
    public void renames(VersionNames names) {
        names.dropColumn(op.table(), op.column());
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
