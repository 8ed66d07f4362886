package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.step.Step;

import java.util.List;
import java.util.Optional;

/**
 * alter_column's {@code after} / {@code first} (MySQL family; gh-ost's reorder-columns): the column
 * is moved at the very end of complete, with the columns add_column shows, once old code (which may
 * insert by position) is gone; restated as it is then, so after a swap it has its new type.
 * Nothing happens at start, so rollback has nothing to undo.
 */
final class ColumnMove {
    private ColumnMove() {}

    /** Adds the move of column {@code p} (physical) of {@code t}, checked, to complete's last steps. */
    static void plan(PlanContext ctx, int i, Operation source, Operation.AlterColumn ac, TableShape t, String p) {
        String field = ac.first() ? "first" : "after";
        ctx.dialect.tables().columnOrderObstacle().ifPresent(why -> {
            throw ctx.error(i, source, field, why + ": '" + field + "' is refused here; remove it (queries name the columns"
                    + " they want)");
        });
        ctx.dialect.tables().columnMoveObstacle().ifPresent(why -> {
            throw ctx.error(i, source, field, why + ": '" + field + "' on alter_column is refused here; remove it (queries"
                    + " name the columns they want), or place a new column with add_column's '" + field + "' (at once here)"
                    + " and move the data to it (drop_column with 'down', add_column with 'up'); to reorder the table"
                    + " itself, use a table-copying tool such as gh-ost or pt-online-schema-change");
        });
        Optional<String> after = Optional.empty();
        if (ac.after().isPresent()) {
            String a = ctx.column(i, source, "after", t, ac.after().get());
            if (a.equals(p)) {
                throw ctx.error(i, source, "after", "a column cannot follow itself");
            }
            boolean dropped = ctx.migration.operations().stream().anyMatch(o -> o instanceof Operation.DropColumn dc
                    && dc.table().equals(ac.table()) && dc.column().equals(ac.after().get()));
            if (dropped) {
                throw ctx.error(i, source, "after", "column '" + ac.after().get() + "' is dropped by this migration; place the"
                        + " column after another one");
            }
            after = Optional.of(ctx.contractColumn(t.physical, a));
        }
        String table = ctx.contractTable(t.physical);
        String column = ctx.contractColumn(t.physical, p);
        List<String> move = ctx.dialect.tables().moveColumn(ctx.schema, table, column, after, ac.first());
        ctx.reveals.add(new Step.SqlStep("move column " + table + "." + column + (ac.first() ? " first" : " after "
                + after.orElse("")), t.physical, ctx.lockBrief, move, null, true).declaring(ctx.effects.reveal()));
    }

    /** Whether {@code ac} gives nothing but the position. */
    static boolean only(Operation.AlterColumn ac) {
        return ac.positioned() && ac.type().isEmpty() && ac.nullable().isEmpty() && !ac.defaultChanges() && ac.check().isEmpty()
                && ac.unique().isEmpty() && ac.references().isEmpty() && ac.up().isEmpty() && ac.down().isEmpty()
                && ac.comment().isEmpty();
    }
}
