package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.ConstraintDdl;

import java.util.Optional;
import java.util.Set;

/**
 * drop_constraint: dropped at complete.
 */
public final class DropConstraint extends OperationPlanner<Operation.DropConstraint> {

    public DropConstraint(Operation.DropConstraint op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.DropConstraint dc = op;
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, dc, "table", dc.table());
        // a constraint rename_constraint renamed earlier in the migration is dropped by its new name
        String catalogName = t.constraintNamed(dc.name()).orElseThrow(() ->
                ctx.error(i, dc, "name", "table '" + dc.table() + "' has no constraint '" + dc.name() + "'"));
        ConstraintDdl.ConstraintKind kind = constraintKind(t.info, catalogName);
        t.droppedConstraints.add(dc.name());
        dialect.constraints().dropConstraintRefusal(kind).ifPresent(why -> {
            throw ctx.error(i, dc, "name", why);
        });
        ctx.contract.add(ctx.sql("drop constraint " + dc.name(), t.physical, dialect.locks().dropConstraintLock(kind),
                dialect.constraints().dropConstraint(ctx.schema, ctx.contractTable(t.physical), dc.name(), kind), ctx.effects.dropConstraint(kind)));
    }

    /** What constraint {@code name} of {@code info} is. */
    static ConstraintDdl.ConstraintKind constraintKind(Catalog.Table info, String name) {
        if (info.foreignKeys().stream().anyMatch(fk -> fk.name().equals(name))) {
            return ConstraintDdl.ConstraintKind.FOREIGN_KEY;
        }
        Optional<Catalog.CheckDef> check = info.checks().stream().filter(ck -> ck.name().equals(name)).findFirst();
        if (check.isPresent()) {
            // MariaDB names a CHECK written on a column after its column, and it belongs to the column's definition
            return info.column(name).isPresent() && check.get().columns().equals(Set.of(name))
                    ? ConstraintDdl.ConstraintKind.COLUMN_CHECK : ConstraintDdl.ConstraintKind.CHECK;
        }
        return name.equals("PRIMARY") && !info.primaryKey().isEmpty() ? ConstraintDdl.ConstraintKind.PRIMARY_KEY
                : ConstraintDdl.ConstraintKind.UNIQUE;
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
