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

    /**
     * Adds the move of column {@code p} (physical) of {@code t}, checked, to complete's last steps;
     * or, where the server moves a column only by rebuilding the table (MySQL 8), plans the whole
     * alter_column as a copy into a shadow table with the column placed, and returns true: nothing
     * of {@code ac} is left to plan.
     */
    static boolean plan(PlanContext ctx, int i, Operation source, Operation.AlterColumn ac, TableShape t, String p,
                        dev.bascule.dialect.Catalog.Column old) {
        String field = ac.first() ? "first" : "after";
        ctx.dialect.tables().columnOrderObstacle().ifPresent(why -> {
            throw ctx.error(i, source, field, why + ": '" + field + "' is refused here; remove it (queries name the columns"
                    + " they want)");
        });
        Optional<String> after = Optional.empty();
        Optional<String> physicalAfter = Optional.empty();
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
            physicalAfter = Optional.of(a);
            after = Optional.of(ctx.contractColumn(t.physical, a));
        }
        Optional<String> rebuild = ctx.dialect.tables().columnMoveObstacle();
        if (rebuild.isPresent()) {
            if (ctx.dialect.shadows().isEmpty() || !(source instanceof Operation.AlterColumn)) {
                throw ctx.error(i, source, field, rebuild.get() + ": '" + field + "' is refused here; remove it (queries name"
                        + " the columns they want)");
            }
            new ShadowTableCopy(ctx).planMove(i, ac, t, p, old, physicalAfter, rebuild.get());
            return true;
        }
        String table = ctx.contractTable(t.physical);
        String column = ctx.contractColumn(t.physical, p);
        List<String> move = ctx.dialect.tables().moveColumn(ctx.schema, table, column, after, ac.first());
        ctx.reveals.add(new Step.SqlStep("move column " + table + "." + column + (ac.first() ? " first" : " after "
                + after.orElse("")), t.physical, ctx.lockBrief, move, null, true).declaring(ctx.effects.reveal()));
        return only(ac);
    }

    /** Whether {@code ac} gives nothing but the position. */
    static boolean only(Operation.AlterColumn ac) {
        return ac.positioned() && ac.type().isEmpty() && ac.nullable().isEmpty() && !ac.defaultChanges() && ac.check().isEmpty()
                && ac.unique().isEmpty() && ac.references().isEmpty() && ac.up().isEmpty() && ac.down().isEmpty()
                && ac.comment().isEmpty();
    }
}
