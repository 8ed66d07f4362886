package dev.bascule.plan.operation;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.SyncTriggers;
import dev.bascule.plan.Names;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;
import dev.bascule.plan.Verification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * merge_tables: one new table joins tables that share a key (see {@link #plan}).
 */
public final class MergeTables extends OperationPlanner<Operation.MergeTables> {

    public MergeTables(Operation.MergeTables op) {
        super(op);
    }

    /**
     * One new table joins tables that share a key: its rows are the first table's, with the others'
     * columns where they have a row of that key. Old code writes the sources and new code the
     * merged table, triggers copying each way. Complete drops the sources.
     */
    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.MergeTables mt = op;
        Dialect dialect = ctx.dialect;
        List<TableShape> sources = new ArrayList<>();
        for (int k = 0; k < mt.from().size(); k++) {
            TableShape t = ctx.table(i, mt, "from/" + k, mt.from().get(k));
            if (t.created || sources.contains(t)) {
                throw ctx.error(i, mt, "from/" + k, t.created ? "table '" + t.logical + "' is created by this same migration"
                        : "table '" + t.logical + "' is listed twice");
            }
            sources.add(t);
        }
        Operation.TablePart into = mt.into();
        if (ctx.shape.containsKey(into.name()) || ctx.catalog.tables().containsKey(into.name())) {
            throw ctx.error(i, mt, "into/name", "table '" + into.name() + "' already exists");
        }
        TableShape first = sources.get(0);
        ctx.requireKey(i, mt, first);
        List<String> key = into.primaryKey().isEmpty() ? first.info.primaryKey() : into.primaryKey();
        if (key.isEmpty()) {
            throw ctx.error(i, mt, "into/primary_key", "table '" + first.logical + "' has no primary key; give into.primary_key");
        }
        for (int k = 0; k < sources.size(); k++) {
            TableShape t = sources.get(k);
            for (String c : key) {
                ctx.existingColumn(i, mt, "into/primary_key", t, c);
            }
            Set<String> keySet = Set.copyOf(key);
            boolean unique = Set.copyOf(t.info.primaryKey()).equals(keySet)
                    || t.info.uniqueKeys().stream().anyMatch(u -> Set.copyOf(u).equals(keySet));
            if (!unique) {
                throw ctx.error(i, mt, "from/" + k, "table '" + t.logical + "' has no primary or unique key on ("
                        + String.join(", ", key) + "), the key merge_tables joins the tables on");
            }
        }
        List<List<String>> kept = new ArrayList<>();
        sources.forEach(t -> kept.add(new ArrayList<>()));
        List<ColumnDef> defs = new ArrayList<>();
        key.forEach(k -> defs.add(CopiedColumns.copyOf(first.info.column(k).orElseThrow(), false)));
        for (int c = 0; c < into.columns().size(); c++) {
            String name = into.columns().get(c);
            if (key.contains(name)) {
                continue;
            }
            List<Integer> owners = new ArrayList<>();
            for (int k = 0; k < sources.size(); k++) {
                if (sources.get(k).logicalColumn(name).isPresent()) owners.add(k);
            }
            if (owners.size() != 1) {
                throw ctx.error(i, mt, "into/columns/" + c, owners.isEmpty() ? "no table of 'from' has a column '" + name + "'"
                        : "column '" + name + "' is in more than one table of 'from'; rename it in all but one first");
            }
            int owner = owners.get(0);
            String physical = ctx.existingColumn(i, mt, "into/columns/" + c, sources.get(owner), name);
            kept.get(owner).add(physical);
            // a joined table may have no row for a key: its columns are nullable in the merge
            defs.add(CopiedColumns.copyOf(sources.get(owner).info.column(physical).orElseThrow(), owner == 0 ? null : true));
        }
        for (int k = 0; k < sources.size(); k++) {
            TableShape t = sources.get(k);
            for (Catalog.Column col : t.info.columns()) {
                if (!key.contains(col.name()) && !kept.get(k).contains(col.name()) && !col.nullable()
                        && col.defaultExpression() == null && !col.generated()) {
                    throw ctx.error(i, mt, "into/columns", "column '" + col.name() + "' of '" + t.logical + "' is NOT NULL"
                            + " without a default and not kept: new code, which writes the merged table, could not insert"
                            + " rows into '" + t.logical + "'; keep it, or give it a default first");
                }
            }
        }
        String tag = Names.hash(ctx.migration.name());
        List<SyncTriggers.MergeSource> mergeSources = new ArrayList<>();
        for (int k = 0; k < sources.size(); k++) {
            mergeSources.add(new SyncTriggers.MergeSource(sources.get(k).physical, kept.get(k),
                    Names.limited("copy", ctx.schema, sources.get(k).physical, tag)));
        }
        SyncTriggers.MergeSync merge = new SyncTriggers.MergeSync(ctx.schema, into.name(), key, ctx.functionSchema, ctx.copyTriggerName(),
                Names.limited("copy", ctx.schema, into.name(), tag), ctx.versionSchema, mergeSources);
        ctx.start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("create table " + into.name() + " (merge of " + String.join(", ", mt.from()) + ")",
                        into.name(), "none (new table)",
                        CreateTable.withComments(dialect, ctx.schema, new Operation.CreateTable(into.name(), defs, key, List.of())),
                        dialect.checks().tableExists(ctx.schema, into.name()), true).declaring(ctx.effects.createTable()),
                List.of(ctx.sql("drop table " + into.name(), into.name(), ctx.lockBrief, dialect.tables().dropTable(ctx.schema, into.name()),
                        ctx.effects.dropTable()))));
        // one table at a time, the merged table (which new code writes) first: see splitTable
        List<String> drops = new ArrayList<>(dialect.triggers().dropSyncTrigger(ctx.schema, into.name(), ctx.copyTriggerName(), ctx.functionSchema,
                merge.function()));
        mergeSources.forEach(m -> drops.addAll(dialect.triggers().dropSyncTrigger(ctx.schema, m.table(), ctx.copyTriggerName(), ctx.functionSchema,
                m.function())));
        Step drop = new Step.SqlStep("drop merge triggers of " + into.name(), into.name(), "ACCESS EXCLUSIVE (brief, one table at a time)",
                drops, null, false).declaring(ctx.effects.triggers(drops));
        List<String> creates = dialect.triggers().createMergeSync(merge);
        ctx.start.add(new PlannedStep(Stage.TRIGGERS, new Step.SqlStep("merge triggers of " + into.name(), into.name(),
                dialect.locks().trigger(), creates, null, true).declaring(ctx.effects.triggers(creates)), List.of(drop)));
        ctx.contractCleanup.add(drop);
        ctx.backfill(first.physical).copies.add(dialect.copy().mergeCopy(merge));
        for (int k = 0; k < sources.size(); k++) {
            TableShape t = sources.get(k);
            ctx.requireKey(i, mt, t);
            ctx.verification(t).add(new Verification.Mismatch("merged into " + into.name(), dialect.checks().mergeMismatch(merge, k)));
        }
        TableShape created = new TableShape(dialect, into.name(), null, true);
        defs.forEach(d -> created.addColumn(d.name()));
        ctx.shape.put(into.name(), created);
        ctx.byPhysical.put(into.name(), created);
        for (int k = 0; k < sources.size(); k++) {
            for (String c : k == 0 ? CopiedColumns.concat(key, kept.get(0)) : kept.get(k)) {
                ctx.drops().reownSequence(sources.get(k), c, into.name());
            }
        }
        for (int k = sources.size() - 1; k >= 0; k--) { // joined tables first: they may point at the first
            TableShape t = sources.get(k);
            ctx.shape.remove(t.logical);
            ctx.droppedTables.add(t.physical);
            ctx.retire(t, null);
            ctx.drops().dropOrDeprecateTable(t.physical);
        }
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.from().contains(table);
    }

    @Override
    public Map<String, String> createdNames() {
        return Map.of("into/name", op.into().name());
    }

    @Override
    public void renames(VersionNames names) {
        op.from().forEach(names::takeApart);
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.copyOf(op.from());
    }
}
