package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.ConstraintDdl;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * create_index: built online at start.
 */
public final class CreateIndex extends OperationPlanner<Operation.CreateIndex> {

    public CreateIndex(Operation.CreateIndex op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.CreateIndex ci = op;
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, ci, "table", ci.table());
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < ci.columns().size(); c++) {
            columns.add(ctx.column(i, ci, "columns/" + c, t, ci.columns().get(c)));
        }
        List<String> include = new ArrayList<>();
        for (int c = 0; c < ci.include().size(); c++) {
            include.add(ctx.column(i, ci, "include/" + c, t, ci.include().get(c)));
        }
        Map<String, String> opclasses = new LinkedHashMap<>();
        for (int c = 0; c < ci.columns().size(); c++) {
            String opclass = ci.opclasses().get(ci.columns().get(c));
            if (opclass != null) {
                opclasses.put(columns.get(c), opclass);
            }
        }
        ConstraintDdl.IndexOptions options = new ConstraintDdl.IndexOptions(opclasses, include, ci.storageParameters());
        columns.forEach(c -> ctx.builtOn.putIfAbsent(t.physical + "." + c, i + 1));
        include.forEach(c -> ctx.builtOn.putIfAbsent(t.physical + "." + c, i + 1));
        Catalog.Index existing = ctx.catalog.indexes().get(ci.name());
        if (existing != null && existing.valid()) {
            throw ctx.error(i, ci, "name", "index '" + ci.name() + "' already exists");
        }
        if (existing != null) {
            ctx.notes.add("index " + ci.name() + " exists but is invalid (an interrupted build); start drops and rebuilds it");
        }
        ci.where().ifPresent(w -> ctx.checks().checkExpression(i, ci, "where", w));
        ctx.start.add(new PlannedStep(Stage.INDEXES,
                ctx.indexBuild("build index " + ci.name(), t.physical, ci.name(),
                        dialect.constraints().createIndexOnline(ctx.schema, ci.name(), t.physical, columns, ci.unique(), ci.where(), ci.method(),
                                options)),
                List.of(ctx.indexDrop("drop index " + ci.name(), t.physical, dialect.constraints().dropIndexOnline(ctx.schema, t.physical, ci.name())))));
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
        if (op.unique()) {
            names.addUnique(op.table());
        }
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
