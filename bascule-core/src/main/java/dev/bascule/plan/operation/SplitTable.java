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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * split_table: new tables take some of a table's columns (see {@link #plan}).
 */
public final class SplitTable extends OperationPlanner<Operation.SplitTable> {

    public SplitTable(Operation.SplitTable op) {
        super(op);
    }

    /**
     * New tables take some of a table's columns: old code keeps writing the table and a trigger
     * copies its rows into the parts; new code writes the parts and a trigger on each copies back.
     * Complete drops the moved columns.
     */
    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.SplitTable st = op;
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, st, "from", st.from());
        if (t.created) {
            throw ctx.error(i, st, "from", "table '" + st.from() + "' is created by this same migration; create the parts instead");
        }
        ctx.requireKey(i, st, t);
        List<String> walkKey = t.info.walkKey();
        Set<String> keep = new HashSet<>(walkKey);
        List<List<String>> partColumns = new ArrayList<>();
        List<List<String>> partKeys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int p = 0; p < st.into().size(); p++) {
            Operation.TablePart part = st.into().get(p);
            String at = "into/" + p + "/";
            if (ctx.shape.containsKey(part.name()) || ctx.catalog.tables().containsKey(part.name()) || !names.add(part.name())) {
                throw ctx.error(i, st, at + "name", "table '" + part.name() + "' already exists");
            }
            List<String> columns = new ArrayList<>();
            for (int c = 0; c < part.columns().size(); c++) {
                columns.add(ctx.existingColumn(i, st, at + "columns/" + c, t, part.columns().get(c)));
            }
            List<String> key = new ArrayList<>();
            for (int c = 0; c < part.primaryKey().size(); c++) {
                String k = ctx.existingColumn(i, st, at + "primary_key/" + c, t, part.primaryKey().get(c));
                if (!columns.contains(k)) {
                    throw ctx.error(i, st, at + "primary_key/" + c, "primary key column '" + k + "' is not one of the part's columns");
                }
                key.add(k);
            }
            if (key.isEmpty()) {
                if (!columns.containsAll(walkKey)) {
                    throw ctx.error(i, st, at + "primary_key", "give the part a primary_key: it does not have all of '"
                            + st.from() + "''s key columns (" + String.join(", ", walkKey) + ")");
                }
                key.addAll(walkKey);
            }
            keep.addAll(key);
            partColumns.add(columns);
            partKeys.add(key);
        }
        String tag = Names.hash(ctx.migration.name());
        List<SyncTriggers.SplitPart> parts = new ArrayList<>();
        Set<String> movedAll = new HashSet<>();
        for (int p = 0; p < st.into().size(); p++) {
            String name = st.into().get(p).name();
            List<String> moved = partColumns.get(p).stream().filter(c -> !keep.contains(c)).toList();
            for (String c : moved) {
                if (!movedAll.add(c)) {
                    throw ctx.error(i, st, "into/" + p + "/columns", "column '" + c + "' is moved into two parts; a column"
                            + " other than a key can go to one part only");
                }
                Catalog.Column info = t.info.column(c).orElseThrow();
                if (!info.nullable() && info.defaultExpression() == null && !info.generated()) {
                    throw ctx.error(i, st, "into/" + p + "/columns", "column '" + c + "' is NOT NULL without a default: new"
                            + " code, which writes it to '" + name + "', could not insert rows into '" + st.from()
                            + "'; give it a default or make it nullable first");
                }
            }
            parts.add(new SyncTriggers.SplitPart(name, partColumns.get(p), partKeys.get(p), moved, new HashSet<>(partKeys.get(p))
                    .equals(new HashSet<>(walkKey)), Names.limited("copy", ctx.schema, name, tag)));
            List<String> partKey = partKeys.get(p);
            // a part's key comes from the split table's row, never from a default (a serial's sequence)
            List<ColumnDef> defs = partColumns.get(p).stream().map(c -> partKey.contains(c)
                    ? CopiedColumns.withoutDefault(CopiedColumns.copyOf(t.info.column(c).orElseThrow(), false)) : CopiedColumns.copyOf(t.info.column(c).orElseThrow(), null))
                    .toList();
            ctx.start.add(new PlannedStep(Stage.SCHEMA,
                    new Step.SqlStep("create table " + name + " (split from " + t.physical + ")", name, "none (new table)",
                            CreateTable.withComments(dialect, ctx.schema, new Operation.CreateTable(name, defs, partKeys.get(p), List.of())),
                            dialect.checks().tableExists(ctx.schema, name), true).declaring(ctx.effects.createTable()),
                    List.of(ctx.sql("drop table " + name, name, ctx.lockBrief, dialect.tables().dropTable(ctx.schema, name),
                            ctx.effects.dropTable()))));
            TableShape created = new TableShape(dialect, name, null, true);
            partColumns.get(p).forEach(created::addColumn);
            ctx.shape.put(name, created);
            ctx.byPhysical.put(name, created);
        }
        SyncTriggers.SplitSync sync = new SyncTriggers.SplitSync(ctx.schema, t.physical, ctx.functionSchema, ctx.copyTriggerName(),
                Names.limited("copy", ctx.schema, t.physical, tag), ctx.versionSchema, parts);
        // one table at a time, the parts (which new code writes) first: a trigger is dropped under
        // ACCESS EXCLUSIVE, and holding one table's while waiting for another's would deadlock with
        // new code's writes, which go from a part to the split table
        List<String> drops = new ArrayList<>();
        parts.forEach(part -> drops.addAll(dialect.triggers().dropSyncTrigger(ctx.schema, part.table(), ctx.copyTriggerName(), ctx.functionSchema,
                part.function())));
        drops.addAll(dialect.triggers().dropSyncTrigger(ctx.schema, t.physical, ctx.copyTriggerName(), ctx.functionSchema, sync.function()));
        Step drop = new Step.SqlStep("drop split triggers of " + t.physical, t.physical, "ACCESS EXCLUSIVE (brief, one table at a time)",
                drops, null, false).declaring(ctx.effects.triggers(drops));
        List<String> creates = dialect.triggers().createSplitSync(sync);
        ctx.start.add(new PlannedStep(Stage.TRIGGERS, new Step.SqlStep("split triggers of " + t.physical, t.physical,
                dialect.locks().trigger(), creates, null, true).declaring(ctx.effects.triggers(creates)), List.of(drop)));
        ctx.contractCleanup.add(drop);
        parts.forEach(part -> {
            ctx.backfill(t.physical).copies.add(dialect.copy().splitCopy(ctx.schema, t.physical, part));
            ctx.verification(t).add(new Verification.Mismatch("part " + part.table(), dialect.checks().splitMismatch(ctx.schema, part)));
        });
        t.columns.removeIf(m -> movedAll.contains(m.physical()));
        for (SyncTriggers.SplitPart part : parts) {
            part.moved().forEach(c -> ctx.drops().reownSequence(t, c, part.table()));
        }
        for (String c : movedAll.stream().sorted().toList()) {
            ctx.droppedColumns.add(t.physical + "." + c);
            ctx.retire(t, c);
            ctx.drops().dropOrDeprecateColumn(t.physical, c);
        }
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.from().equals(table);
    }

    @Override
    public Map<String, String> createdNames() {
        Map<String, String> names = new LinkedHashMap<>();
        for (int p = 0; p < op.into().size(); p++) {
            names.put("into/" + p + "/name", op.into().get(p).name());
        }
        return names;
    }

    @Override
    public void renames(VersionNames names) {
        names.takeApart(op.from());
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.from());
    }
}
