package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;

import java.util.Optional;

/**
 * drop_index: dropped online at complete.
 */
public final class DropIndex extends OperationPlanner<Operation.DropIndex> {

    public DropIndex(Operation.DropIndex op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.DropIndex di = op;
        Dialect dialect = ctx.dialect;
        Catalog.Index index = ctx.catalog.indexes().get(di.name());
        if (index == null) {
            throw ctx.error(i, di, "name", "index '" + di.name() + "' does not exist in schema '" + ctx.schema + "'");
        }
        if (index.constraint().isPresent()) {
            throw ctx.error(i, di, "name", "index '" + di.name() + "' backs constraint '" + index.constraint().get()
                    + "'; use drop_constraint");
        }
        ctx.contract.add(ctx.indexDrop("drop index " + di.name(), index.table(),
                dialect.constraints().dropIndexOnline(ctx.schema, ctx.contractTable(index.table()), di.name())));
        ctx.droppedIndexes.add(di.name());
    }

    /** An index that is not there may be on any table. */
    @Override
    public boolean names(String table, Catalog catalog) {
        return Optional.ofNullable(catalog.indexes().get(op.name())).map(ix -> ix.table().equals(table)).orElse(true);
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Optional.ofNullable(catalog.indexes().get(op.name())).map(ix -> Set.of(ix.table())).orElse(Set.of());
    }
}
