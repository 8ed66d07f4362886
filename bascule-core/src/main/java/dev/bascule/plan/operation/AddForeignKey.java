package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.plan.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * add_foreign_key: added NOT VALID at start, existing rows checked at complete.
 */
public final class AddForeignKey extends OperationPlanner<Operation.AddForeignKey> {

    public AddForeignKey(Operation.AddForeignKey op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.AddForeignKey fk = op;
        TableShape t = ctx.table(i, fk, "table", fk.table());
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < fk.columns().size(); c++) {
            columns.add(ctx.column(i, fk, "columns/" + c, t, fk.columns().get(c)));
        }
        columns.forEach(c -> ctx.builtOn.putIfAbsent(t.physical + "." + c, i + 1));
        ForeignKeyRef ref = ctx.physicalReference(i, fk, "references", fk.references());
        if (!ref.columns().isEmpty() && ref.columns().size() != columns.size()) {
            throw ctx.error(i, fk, "references/columns", "expected " + columns.size() + " referenced columns, found "
                    + ref.columns().size());
        }
        String name = fk.name().orElseGet(() -> Names.limited(t.physical, String.join("_", columns), "fkey"));
        ctx.newConstraintName(i, fk, fk.name().isPresent() ? "name" : "table", t, name);
        ctx.constraints().foreignKey(i, fk, fk.name().isPresent() ? "name" : "table", t, name, columns, ref, fk.onDelete());
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table) || op.references().table().equals(table);
    }

    @Override
    public Map<String, String> createdNames() {
        return op.name().map(n -> Map.of("name", n)).orElse(Map.of());
    }

    @Override
    public Optional<String> referencedTable() {
        return Optional.of(op.references().table());
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
