package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.model.Expressions;
import dev.bascule.plan.Names;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * create_constraint: a unique or check constraint over columns of an existing table, which new
 * code gets at start and old code never (pgroll's semantics). Each column is altered into a
 * shadow column by {@link AlterColumn} (its {@code up} and {@code down}, the sync trigger both ways,
 * the backfill, its indexes and constraints built again, the verification and the swap); the
 * constraint is made on the shadows: a CHECK added NOT VALID and validated when complete begins, a
 * unique index built CONCURRENTLY and made the constraint by the swap. A primary key is refused:
 * the table has one already, or no key the backfill could walk.
 */
public final class CreateConstraint extends OperationPlanner<Operation.CreateConstraint> {

    public CreateConstraint(Operation.CreateConstraint op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, op, "table", op.table());
        if (t.created) {
            throw ctx.error(i, op, "table", "table '" + op.table() + "' is created by this same migration; give the"
                    + " constraint in create_table");
        }
        if (op.type() == Operation.ConstraintType.PRIMARY_KEY) {
            throw ctx.error(i, op, "type", "create_constraint does not make a primary key: the table has one already, or"
                    + " no key the backfill could walk to copy the columns; build a unique index with create_index, then"
                    + " ADD PRIMARY KEY USING INDEX in a sql operation of a later migration");
        }
        String table = t.physical;
        ctx.newConstraintName(i, op, "name", t, op.name());
        String tmp = Names.limited("_bascule_new", op.name());
        if (op.type() == Operation.ConstraintType.UNIQUE
                && (ctx.catalog.indexes().containsKey(op.name()) || ctx.catalog.tables().containsKey(op.name()))) {
            throw ctx.error(i, op, "name", "an index or table named '" + op.name() + "' already exists; the unique key's"
                    + " index would take that name");
        }
        List<String> shadows = new ArrayList<>();
        for (int c = 0; c < op.columns().size(); c++) {
            String column = op.columns().get(c);
            String p = ctx.column(i, op, "columns/" + c, t, column);
            Operation.AlterColumn copy = new Operation.AlterColumn(op.table(), column, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(op.up().getOrDefault(column, dialect.quote(p))), Optional.ofNullable(op.down().get(column)));
            int index = c;
            new AlterColumn(copy, op, Optional.empty(), field -> switch (field) {
                case "table" -> field;
                case "up", "down" -> (field.equals("up") ? op.up() : op.down()).containsKey(column)
                        ? field + "/" + column : "columns/" + index;
                default -> "columns/" + index;
            }).plan(ctx, i);
            shadows.add(t.logicalColumn(column).orElseThrow().physical());
        }
        Alteration last = ctx.swaps.get(table).get(ctx.swaps.get(table).size() - 1);
        if (op.type() == Operation.ConstraintType.CHECK) {
            String expression = op.check().orElseThrow();
            ctx.checks().checkBodySafe(i, op, "check", expression);
            for (int c = 0; c < op.columns().size(); c++) {
                expression = Expressions.renameColumn(expression, op.columns().get(c), dialect.quote(shadows.get(c)));
            }
            ctx.constraints().constraint(table, tmp, dialect.constraints().addCheckNotValid(ctx.schema, table, tmp, expression));
            last.constraintRenames().add(new Rename(tmp, op.name()));
        } else {
            ctx.start.add(new PlannedStep(Stage.INDEXES,
                    ctx.indexBuild("build unique index " + tmp + " (new " + op.name() + ")", table, tmp,
                            dialect.constraints().createIndexOnline(ctx.schema, tmp, table, shadows, true, Optional.empty(), Optional.empty())),
                    List.of(ctx.indexDrop("drop index " + tmp, table, dialect.constraints().dropIndexOnline(ctx.schema, table, tmp)))));
            last.uniques().add(new Rename(tmp, op.name()));
        }
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
    public void renames(VersionNames names) {
        if (op.type() == Operation.ConstraintType.UNIQUE) {
            names.addUnique(op.table());
        }
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
