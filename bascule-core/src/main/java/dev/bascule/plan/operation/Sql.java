package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.List;

/**
 * sql: run as written at start, its {@code down} on rollback.
 */
public final class Sql extends OperationPlanner<Operation.Sql> {

    public Sql(Operation.Sql op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.Sql s = op;
        List<Step> undo = s.down().map(d -> List.<Step>of(new Step.SqlStep("sql (down) of operation " + (i + 1), null,
                "as written", List.of(d), null, false))).orElse(List.of());
        if (s.down().isEmpty()) {
            ctx.notes.add("operation " + (i + 1) + " (sql) has no 'down': rollback cannot undo it");
        }
        if (!s.online()) {
            ctx.notes.add("operation " + (i + 1) + " (sql) runs as written; it is not marked online and may take long locks");
        }
        ctx.start.add(new PlannedStep(Stage.SCHEMA, new Step.SqlStep("sql of operation " + (i + 1), null, "as written",
                List.of(s.up()), null, false), undo, false));
    }

    /** Its SQL may name any table. */
    @Override
    public boolean names(String table, Catalog catalog) {
        return true;
    }
}
