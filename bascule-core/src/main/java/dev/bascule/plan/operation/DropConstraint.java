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
        if (dc.duplicates()) {
            duplicate(ctx, i, t, catalogName, kind);
            return;
        }
        dialect.constraints().dropConstraintRefusal(kind).ifPresent(why -> {
            throw ctx.error(i, dc, "name", why);
        });
        ctx.contract.add(ctx.sql("drop constraint " + dc.name(), t.physical, dialect.locks().dropConstraintLock(kind),
                dialect.constraints().dropConstraint(ctx.schema, ctx.contractTable(t.physical), dc.name(), kind), ctx.effects.dropConstraint(kind)));
    }

    /**
     * up/down: the constraint's column is altered into a shadow column that has every index and
     * constraint of the column but this one (alter_column's machinery: sync triggers both ways,
     * backfill, verification, the swap at complete); the old column, which keeps the constraint
     * for old code, is dropped by the swap, and the constraint with it.
     */
    private void duplicate(PlanContext ctx, int i, TableShape t, String name, ConstraintDdl.ConstraintKind kind) {
        Operation.DropConstraint dc = op;
        if (kind == ConstraintDdl.ConstraintKind.PRIMARY_KEY) {
            throw ctx.error(i, dc, "up", "'up'/'down' copy the constraint's column without it, and a primary key column"
                    + " keeps its key; drop the primary key without them");
        }
        Set<String> columns = switch (kind) {
            case FOREIGN_KEY -> t.info.foreignKeys().stream().filter(fk -> fk.name().equals(name)).findFirst()
                    .map(fk -> Set.copyOf(fk.columns())).orElseThrow();
            case CHECK, COLUMN_CHECK -> t.info.checks().stream().filter(ck -> ck.name().equals(name)).findFirst()
                    .map(Catalog.CheckDef::columns).orElseThrow();
            default -> t.info.indexDefs().stream().filter(ix -> ix.constraint().map(name::equals).orElse(false)).findFirst()
                    .map(Catalog.IndexDef::columns).orElse(Set.of());
        };
        if (columns.size() != 1) {
            throw ctx.error(i, dc, dc.up().isPresent() ? "up" : "down", "constraint '" + dc.name() + "' uses "
                    + (columns.isEmpty() ? "no column Bascule can tell" : columns.size() + " columns " + columns)
                    + "; 'up'/'down' copy one column without the constraint: drop it without them");
        }
        String physical = columns.iterator().next();
        String logical = t.columns.stream().filter(m -> m.physical().equals(physical)).map(m -> m.logical()).findFirst()
                .orElseThrow(() -> ctx.error(i, dc, "name", "the column of constraint '" + dc.name() + "' is dropped by this"
                        + " same migration"));
        Operation.AlterColumn copy = new Operation.AlterColumn(dc.table(), logical, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(dc.up().orElse(ctx.dialect.quote(physical))), dc.down());
        new AlterColumn(copy, dc, Optional.of(name), field -> switch (field) {
            case "table" -> field;
            case "up" -> dc.up().isPresent() ? field : "name";
            case "down" -> dc.down().isPresent() ? field : "name";
            default -> "name";
        }).plan(ctx, i);
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
        boolean primaryKey = name.equals("PRIMARY") && !info.primaryKey().isEmpty() // MariaDB's
                || info.indexDefs().stream().anyMatch(ix -> "p".equals(ix.constraintType()) && ix.constraint().map(name::equals).orElse(false));
        return primaryKey ? ConstraintDdl.ConstraintKind.PRIMARY_KEY : ConstraintDdl.ConstraintKind.UNIQUE;
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
