package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.ConstraintDdl;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * rename_constraint: the constraint is renamed at start (catalog only, a brief lock under the
 * lock timeout, retried), renamed back by rollback; complete has nothing left to do. A unique key
 * or primary key is an index too, renamed with it. Where a server has no rename for the kind
 * (MariaDB: only a unique key, through RENAME INDEX), plan refuses it.
 */
public final class RenameConstraint extends OperationPlanner<Operation.RenameConstraint> {

    public RenameConstraint(Operation.RenameConstraint op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, op, "table", op.table());
        if (t.created) {
            throw ctx.error(i, op, "table", "table '" + op.table() + "' is created by this same migration; give the"
                    + " constraint its name there");
        }
        String from = t.constraintNamed(op.from()).orElseThrow(() -> ctx.error(i, op, "from", "table '" + op.table()
                + "' has no constraint '" + op.from() + "'"));
        if (!from.equals(op.from())) {
            throw ctx.error(i, op, "from", "constraint '" + op.from() + "' is renamed by this same migration; rename '"
                    + from + "' to '" + op.to() + "' there");
        }
        if (t.droppedConstraints.contains(from)) {
            throw ctx.error(i, op, "from", "constraint '" + from + "' is dropped by this same migration");
        }
        if (op.from().equals(op.to())) {
            throw ctx.error(i, op, "to", "the constraint is called '" + op.to() + "' already");
        }
        ctx.newConstraintName(i, op, "to", t, op.to());
        if (!t.altered.isEmpty()) {
            throw ctx.error(i, op, "table", "an alter_column of table '" + op.table() + "' earlier in this migration makes"
                    + " the column's constraints again under their old names at complete; rename the constraint in"
                    + " another migration");
        }
        ConstraintDdl.ConstraintKind kind = DropConstraint.constraintKind(t.info, from);
        dialect.constraints().renameConstraintRefusal(kind).ifPresent(why -> {
            throw ctx.error(i, op, "from", why);
        });
        if (kind == ConstraintDdl.ConstraintKind.UNIQUE || kind == ConstraintDdl.ConstraintKind.PRIMARY_KEY) {
            // the key's index takes the new name: PostgreSQL's index names are per schema, MariaDB's per table
            boolean perSchema = !dialect.capabilities().foreignKeyMakesIndex();
            String lower = op.to().toLowerCase(Locale.ROOT);
            boolean taken = perSchema ? ctx.catalog.indexes().containsKey(op.to()) || ctx.catalog.tables().containsKey(op.to())
                    : t.info.indexDefs().stream().anyMatch(ix -> ix.name().toLowerCase(Locale.ROOT).equals(lower));
            if (taken) {
                throw ctx.error(i, op, "to", "an index" + (perSchema ? " or table" : " of table '" + op.table() + "'")
                        + " named '" + op.to() + "' already exists; the key's index would take that name");
            }
        }
        String table = t.physical;
        String lock = ctx.lockBrief;
        Step rename = new Step.SqlStep("rename constraint " + table + "." + from + " to " + op.to(), table, lock,
                List.of(dialect.constraints().renameConstraint(ctx.schema, table, from, op.to(), kind)),
                dialect.checks().constraintExists(ctx.schema, table, op.to()), true).declaring(ctx.effects.renameConstraint());
        Step back = new Step.SqlStep("rename constraint " + table + "." + op.to() + " back to " + from, table, lock,
                List.of(dialect.constraints().renameConstraint(ctx.schema, table, op.to(), from, kind)),
                dialect.checks().constraintExists(ctx.schema, table, from), true).declaring(ctx.effects.renameConstraint());
        ctx.start.add(new PlannedStep(Stage.SCHEMA, rename, List.of(back)));
        t.renamedConstraints.put(op.to(), from);
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table);
    }

    @Override
    public Map<String, String> createdNames() {
        return Map.of("to", op.to());
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
