package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * set_comment: a table's or a column's comment, set at start (metadata only: no row is read or
 * written, old code is not affected); rollback puts the old comment back, complete has nothing left to do.
 */
public final class SetComment extends OperationPlanner<Operation.SetComment> {

    public SetComment(Operation.SetComment op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        plan(ctx, i, op, op.table(), op.column(), op.comment());
    }

    /**
     * Also alter_column's with only a comment ({@code source} is the operation errors name), which
     * needs no shadow column.
     */
    static void plan(PlanContext ctx, int i, Operation source, String tableName, Optional<String> columnName,
                     Optional<String> comment) {
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, source, "table", tableName);
        if (t.created) {
            throw ctx.error(i, source, "table", "table '" + tableName + "' is created by this same migration; give its"
                    + (columnName.isPresent() ? " columns' comments" : " comment") + " in create_table");
        }
        String table = t.physical;
        String text = comment.orElse(null);
        String set;
        String back;
        String description;
        if (columnName.isPresent()) {
            String p = ctx.column(i, source, "column", t, columnName.get());
            Catalog.Column old = t.info.column(p).orElseThrow(() -> ctx.error(i, source, "column", "column '"
                    + columnName.get() + "' is added by this same migration; give its comment in add_column"));
            if (t.altered.contains(p)) {
                throw ctx.error(i, source, "column", "column '" + columnName.get() + "' is altered by this migration; give"
                        + " its comment in that alter_column");
            }
            dialect.tables().columnCommentObstacle(old).ifPresent(why -> {
                throw ctx.error(i, source, "column", "the comment of column '" + columnName.get() + "' cannot be set on "
                        + dialect.capabilities().server() + ": " + why);
            });
            ctx.commentsSet.put(table + "." + p, comment);
            set = dialect.tables().commentOnColumn(ctx.schema, table, p, text);
            back = dialect.tables().commentOnColumn(ctx.schema, table, p, old.comment());
            description = table + "." + p;
        } else {
            set = dialect.tables().commentOnTable(ctx.schema, table, text);
            back = dialect.tables().commentOnTable(ctx.schema, table, t.info.comment());
            description = table;
        }
        String lock = dialect.locks().comment();
        ctx.start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep((text == null ? "remove comment of " : "set comment of ") + description, table, lock,
                        List.of(set), null, true).declaring(ctx.effects.comment()),
                List.of(ctx.sql("restore comment of " + description, table, lock, back, ctx.effects.comment()))));
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table);
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
