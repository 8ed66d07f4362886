package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.List;

/**
 * sql: run as written at start, its {@code down} on rollback. With {@code on_complete: true} it runs
 * at complete instead, as a contract step in file order: after the sync triggers and the previous
 * version schema are gone and the altered columns swapped, after the contract steps of the operations
 * before it (renames, drops), so it sees the tables as complete leaves them. Nothing of it runs at
 * start, so rollback (before complete) has nothing to undo; the reader refuses a {@code down}.
 */
public final class Sql extends OperationPlanner<Operation.Sql> {

    public Sql(Operation.Sql op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.Sql s = op;
        if (s.onComplete()) {
            ctx.notes.add("operation " + (i + 1) + " (sql) runs at complete, after what complete does for the operations"
                    + " before it; start and rollback run nothing of it");
            if (!s.online()) {
                ctx.notes.add("operation " + (i + 1) + " (sql) runs as written; it is not marked online and may take long locks");
            }
            ctx.contract.add(new Step.SqlStep("sql of operation " + (i + 1) + " (on complete)", null, "as written",
                    List.of(s.up()), null, false));
            return;
        }
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

    /** What the text changes is not read here: plan and rehearse read sql text on their own. */
    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of();
    }
}
