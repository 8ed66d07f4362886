package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;

import java.util.Map;

/**
 * add_check: added NOT VALID at start, existing rows checked at complete.
 */
public final class AddCheck extends OperationPlanner<Operation.AddCheck> {

    public AddCheck(Operation.AddCheck op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.AddCheck ck = op;
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, ck, "table", ck.table());
        ctx.addedChecks.add(new AddedCheck(i, ck, t.physical));
        ctx.newConstraintName(i, ck, "name", t, ck.name());
        if (t.info == null) {
            ctx.checks().checkBodySafe(i, ck, "expression", ck.expression()); // a table created by this migration: start's DDL will tell
        } else {
            // over the table as start leaves it: the columns earlier operations add are there by then
            ctx.checks().compileOverRow(i, ck, "expression", ck.expression(), ctx.checks().rowOf(i, t), true);
        }
        ctx.constraints().constraint(t.physical, ck.name(), dialect.constraints().addCheckNotValid(ctx.schema, t.physical, ck.name(), ck.expression()));
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table);
    }

    @Override
    public Map<String, String> createdNames() {
        return Map.of("name", op.name());
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
