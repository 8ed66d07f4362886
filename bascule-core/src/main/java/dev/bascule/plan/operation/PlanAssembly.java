package dev.bascule.plan.operation;

import dev.bascule.api.ContractMode;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.SyncTriggers;
import dev.bascule.step.Step.Assignment;
import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.model.Expressions;
import dev.bascule.plan.ExpressionCheck;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;
import dev.bascule.plan.Verification;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the context the operations were planned into into a {@link Plan}. */
final class PlanAssembly {
    private final PlanContext ctx;
    private final Dialect dialect;
    private final ColumnSwaps columnSwaps;

    PlanAssembly(PlanContext ctx) {
        this.ctx = ctx;
        this.dialect = ctx.dialect;
        this.columnSwaps = new ColumnSwaps(ctx);
    }

    /**
     * The plan of the operations planned into the context: what spans operations is checked and
     * added now (checks that name altered columns, renames a swap supersedes, row verifications,
     * paired foreign keys, sync triggers, backfills, the version's views, the contract's order).
     */
    Plan plan() {
        for (AddedCheck check : ctx.addedChecks) {
            for (Alteration a : ctx.swaps.getOrDefault(check.table(), List.of())) {
                if (!Expressions.renameColumn(check.op().expression(), a.column(), "\"\"").equals(check.op().expression())) {
                    throw ctx.error(check.index(), check.op(), "expression", "the expression names column '" + a.column()
                            + "', which this migration alters; give the check as the alter_column's 'check' instead");
                }
            }
        }
        ctx.swaps.forEach((table, alterations) -> alterations.forEach(a -> {
            ctx.supersededRenames.addAll(ctx.renameSteps.getOrDefault(table + "." + a.column(), List.of()));
            ctx.supersededRenames.addAll(ctx.renameSteps.getOrDefault(table + "." + a.shadow(), List.of()));
        }));
        ctx.swaps.forEach((table, alterations) -> {
            TableShape t = ctx.byPhysical.get(table);
            for (Alteration a : alterations) {
                String logical = t.columns.stream().filter(m -> m.physical().equals(a.shadow())).map(ColumnMapping::logical)
                        .findFirst().orElseThrow();
                String oldType = t.info == null ? null : t.info.column(a.column()).map(Catalog.Column::type).orElse(null);
                ctx.verification(t).add(new Verification.Mismatch("column " + logical, dialect.checks().rowMismatch(a.shadow(),
                        TextComparison.comparable(dialect.name(), oldType, a.newType(), a.upValue()), oldScope(t),
                        a.column(), TextComparison.comparable(dialect.name(), oldType, a.newType(), a.downValue()),
                        newScope(t))));
            }
        });
        pairForeignKeys();
        addDownChecks();
        addSyncTriggers();
        addBackfills();
        addViews();
        List<PlannedStep> ordered = new ArrayList<>(ctx.start);
        ordered.sort(Comparator.comparing(PlannedStep::stage)); // stable: file order within a stage
        // both contracts are planned now, one for one, so the stored plan holds whichever complete
        // chooses: the choice is recorded when it begins, and a rerun reads it back (see Plan.contract)
        return LaxDdl.of(dialect.name(), ctx.catalog).apply(new Plan(ctx.migration.name(), ctx.schema, ctx.versionSchema,
                ctx.previousVersionSchema, ordered, ctx.validations, contractWithCleanup(ContractMode.DROP), ctx.droppedTables, ctx.notes,
                ctx.verifications, ctx.droppedColumns, ctx.droppedIndexes, ctx.retiredNames.stream().distinct().toList(),
                contractWithCleanup(ContractMode.DEPRECATE), null));
    }

    /**
     * A foreign key on an altered column whose referenced column is altered too references the
     * referenced table's shadow instead: it is added once the backfills have filled both shadows
     * and the unique index on the referenced shadow is built (after the indexes), NOT VALID, and
     * validated at complete before the swap; the tables then swap together (see {@link ColumnSwaps#swapGroup}).
     */
    private void pairForeignKeys() {
        for (ShadowForeignKey s : ctx.shadowForeignKeys) {
            Catalog.ForeignKey key = s.onShadow();
            Map<String, String> shadows = new HashMap<>();
            if (key.refSchema().equals(ctx.schema)) {
                ctx.swaps.getOrDefault(key.refTable(), List.of()).forEach(a -> shadows.put(a.column(), a.shadow()));
            }
            if (key.refColumns().stream().noneMatch(shadows::containsKey)) {
                continue;
            }
            ctx.start.remove(s.added().step());
            ctx.validations.remove(s.added().validation());
            Catalog.ForeignKey paired = new Catalog.ForeignKey(key.name(), key.schema(), key.table(), key.columns(),
                    key.refSchema(), key.refTable(), key.refColumns().stream().map(c -> shadows.getOrDefault(c, c)).toList(),
                    key.onUpdate(), key.onDelete(), key.matchFull(), key.deferrable());
            ctx.constraints().constraint(Stage.INDEXES, "add constraint " + key.name() + " (NOT VALID) to the new columns of "
                    + key.refTable(), key.table(), key.name(), dialect.constraints().addForeignKeyNotValid(paired));
            ctx.pairs.add(s.original());
        }
    }

    // ---- generated parts -----------------------------------------------------------------

    /**
     * {@code down} reads the row as new code sees it: it is compiled against the new version's
     * columns, a column this migration adds standing in as a typed NULL.
     */
    private void addDownChecks() {
        for (DownCheck d : ctx.downChecks) {
            TableShape t = d.table();
            if (t.info == null) {
                continue;
            }
            List<String> columns = new ArrayList<>();
            for (ColumnMapping m : newScope(t)) {
                columns.add((t.info.column(m.physical()).isPresent() ? dialect.quote(m.physical())
                        : dialect.tables().typedNull(t.addedTypes.get(m.physical()))) + " AS " + dialect.quote(m.logical()));
            }
            ctx.expressionChecks.add(new ExpressionCheck(d.path(), "SELECT (" + d.expression() + ") FROM (SELECT "
                    + String.join(", ", columns) + " FROM " + dialect.qualify(ctx.schema, t.physical) + ") AS bascule_new LIMIT 0"));
        }
    }

    /** The row as old code sees it: every physical column under its own name. */
    private static List<ColumnMapping> oldScope(TableShape t) {
        return t.physicalColumns.stream().map(c -> new ColumnMapping(c, c)).toList();
    }

    /**
     * The row as new code sees it: the new version's names, and the physical names no new name
     * hides (so a {@code down} may also name a column by what it is called in the table).
     */
    private static List<ColumnMapping> newScope(TableShape t) {
        Map<String, ColumnMapping> scope = new LinkedHashMap<>();
        t.columns.forEach(m -> scope.put(m.logical(), m));
        t.physicalColumns.forEach(c -> scope.putIfAbsent(c, new ColumnMapping(c, c)));
        return List.copyOf(scope.values());
    }

    private void addSyncTriggers() {
        ctx.sync.forEach((table, parts) -> {
            TableShape t = ctx.byPhysical.get(table);
            Step drop = dropSyncTrigger(table, table);
            SyncTriggers.SyncTrigger trigger = new SyncTriggers.SyncTrigger(ctx.schema, table, ctx.triggerName(),
                    ctx.functionSchema, ctx.functionName(table), ctx.versionSchema, oldScope(t), newScope(t),
                    onChange(parts.up, oldScope(t)), onChange(parts.down, newScope(t)));
            ctx.syncTriggers.put(table, trigger);
            List<String> create = dialect.triggers().createSyncTrigger(trigger);
            ctx.start.add(new PlannedStep(Stage.TRIGGERS,
                    new Step.SqlStep("sync trigger on " + table, table, dialect.locks().trigger(), create, null, true)
                            .declaring(ctx.effects.triggers(create)),
                    List.of(drop)));
            // the same step undoes it on rollback and removes it first thing in complete, before any
            // rename; a table whose columns are swapped drops it in the swap's own transaction.
            // Without transactional DDL it lives through complete instead (see keepSyncTriggers)
            if (!ctx.swaps.containsKey(table) && dialect.capabilities().transactionalDdl()) {
                ctx.contractCleanup.add(drop);
            }
        });
    }

    /**
     * Each assignment limited to the writes that change a column its expression reads: a write
     * that leaves them alone (an UPDATE of another column) must not overwrite a value the other
     * version wrote with one recomputed from a lossy round trip (a varchar(50) value sent to a
     * varchar(5) column and back). Fills of a default apply to every write.
     */
    private List<Assignment> onChange(List<Assignment> assignments, List<ColumnMapping> scope) {
        return assignments.stream().map(a -> a.onlyIfNull() ? a : new Assignment(a.column(), a.expression(), false,
                scope.stream().filter(m -> dialect.catalog().mayRead(a.expression(), m.logical()))
                        .map(ColumnMapping::physical).distinct().toList())).toList();
    }

    private Step dropSyncTrigger(String table, String currentName) {
        List<String> drop = dialect.triggers().dropSyncTrigger(ctx.schema, currentName, ctx.triggerName(), ctx.functionSchema,
                ctx.functionName(table));
        return new Step.SqlStep("drop sync trigger on " + table, table, dialect.locks().trigger(), drop, null, true)
                .declaring(ctx.effects.triggers(drop));
    }

    private void addBackfills() {
        ctx.backfill.forEach((table, parts) -> {
            Catalog.Table info = ctx.byPhysical.get(table).info;
            List<Step.KeyColumn> key = info.walkKey().stream()
                    .map(k -> new Step.KeyColumn(k, info.column(k).orElseThrow().type())).toList();
            ctx.start.add(new PlannedStep(Stage.BACKFILL, new Step.BackfillStep("backfill " + table, table, ctx.lockRows, ctx.schema,
                    key, parts.assignments, parts.copies), List.of()));
        });
    }

    private void addViews() {
        List<String> statements = new ArrayList<>();
        List<String> views = List.copyOf(ctx.shape.keySet());
        statements.addAll(dialect.views().replaceVersionSchema(ctx.versionSchema, ctx.owner(), views));
        statements.addAll(dialect.views().createReadMarker(ctx.versionSchema));
        ctx.shape.forEach((logical, t) -> statements.add(
                dialect.views().createVersionView(ctx.versionSchema, logical, ctx.schema, t.physical, t.columns)));
        List<String> drop = dialect.views().dropVersionSchema(ctx.versionSchema, ctx.owner(), views);
        ctx.start.add(new PlannedStep(Stage.VIEWS, new Step.SqlStep("create version schema " + ctx.versionSchema, null,
                "none on tables", statements, null, true).declaring(ctx.effects.versionSchema(ctx.versionSchema, statements)),
                List.of(new Step.SqlStep("drop version schema " + ctx.versionSchema, null, "none on tables", drop, null, true)
                        .declaring(ctx.effects.versionSchemaDrop(ctx.versionSchema, drop)))));
    }

    private List<Step> contractWithCleanup(ContractMode mode) {
        List<Step> all = new ArrayList<>(ctx.contractCleanup);
        if (!ctx.previousVersionSchema.equals(ctx.schema)) {
            // no marker check: a previous version made by an earlier release carries none
            List<String> drop = dialect.views().dropVersionSchema(ctx.previousVersionSchema, null, ctx.previousViews);
            all.add(new Step.SqlStep("drop previous version schema " + ctx.previousVersionSchema, null, "none on tables",
                    drop, null, true).declaring(ctx.effects.versionSchemaDrop(ctx.previousVersionSchema, drop)));
        }
        // swaps come before every other contract step: those name tables and columns as they are
        // after the swap, and nothing but the swap reads the old columns
        if (dialect.capabilities().transactionalDdl()) {
            ctx.pairs.swapGroups(ctx.swaps.keySet()).forEach(group -> all.addAll(columnSwaps.swapGroup(group, mode)));
        } else {
            ctx.swaps.forEach((table, alterations) -> all.addAll(columnSwaps.swapStepsLocked(table, alterations)));
        }
        ctx.contract.stream().filter(step -> !ctx.supersededRenames.contains(step))
                .map(step -> mode == ContractMode.DEPRECATE ? ctx.deprecations.getOrDefault(step, step) : step)
                .forEach(all::add);
        List<Step> lastTriggerDrops = dialect.capabilities().transactionalDdl() ? List.of() : keepSyncTriggers(all);
        if (!dialect.capabilities().viewsFollowRenames() && (!ctx.contractTables.isEmpty() || !ctx.contractColumns.isEmpty() || !ctx.swaps.isEmpty()
                || !ctx.shadowTables.isEmpty())) {
            // right after the last rename, not at the end: a step after it (a NOT NULL that rebuilds
            // the table) may take long, and the new version's views are broken until this runs
            int lastRename = -1;
            for (int k = 0; k < all.size(); k++) {
                if (all.get(k).description().startsWith("rename ") || all.get(k).description().startsWith("swap ")) {
                    lastRename = k;
                }
            }
            all.add(lastRename < 0 ? all.size() : lastRename + 1, viewsAfterRenames());
            holdViewsThroughRenames(all);
        }
        all.addAll(ctx.reveals);
        all.addAll(lastTriggerDrops);
        return all;
    }

    /**
     * Without transactional DDL (MariaDB), each table's sync triggers live through complete, to its
     * end: a row old code still writes to the base table meanwhile gets {@code up}'s value (and one
     * new code writes, {@code down}'s), never an added column's placeholder default. A step that
     * renames or drops columns the triggers read drops them and makes them again over the names it
     * leaves, under the same {@code LOCK TABLES .. WRITE} (writers wait through the three; DROP and
     * CREATE TRIGGER are allowed on a write-locked table); an assignment whose column or inputs it
     * drops goes with them. Cut off after its ALTER, such a step is skipped by a rerun with the
     * triggers dropped and not made again: rows then take the placeholder, as before, but no write
     * fails. An {@code sql} step of complete, which may change anything, has them dropped before it.
     * Returns the steps that drop the triggers left, to run after every other step.
     */
    private List<Step> keepSyncTriggers(List<Step> all) {
        List<Step> last = new ArrayList<>();
        ctx.syncTriggers.forEach((table, start) -> {
            Map<String, String> names = new HashMap<>();
            java.util.Set<String> dropped = new java.util.HashSet<>();
            String tableNow = table;
            List<String> drop = dialect.triggers().dropSyncTrigger(ctx.schema, table, ctx.triggerName(), ctx.functionSchema,
                    ctx.functionName(table));
            java.util.Optional<SyncTriggers.SyncTrigger> now = java.util.Optional.of(start);
            for (int k = 0; k < all.size() && now.isPresent(); k++) {
                if (!(all.get(k) instanceof Step.SqlStep step)) {
                    continue;
                }
                if (step.table() == null && step.description().startsWith("sql of operation ")) {
                    // a statement as written may change what the triggers read: they go before it, as they used to
                    all.add(k, dropSyncTrigger(table, tableNow));
                    now = java.util.Optional.empty();
                    break;
                }
                if (table.equals(ctx.triggerDropsAfterSwap.get(step))) {
                    // a rerun's safety net after a swap: the triggers are made again (CREATE OR REPLACE) rather than dropped
                    List<String> statements = new ArrayList<>(oneLine(dialect.triggers().createSyncTrigger(now.get())));
                    step.statements().stream().filter(st -> !drop.contains(st)).forEach(statements::add);
                    replace(all, k, step, statements);
                    continue;
                }
                Renaming r = ctx.renamings.get(step);
                List<String> drops = ctx.columnDrops.get(step);
                if (!(r != null && r.table().equals(table)) && !(drops != null && table.equals(step.table()))) {
                    continue;
                }
                String before = tableNow;
                if (r != null) {
                    names.putAll(r.columns());
                    if (r.tableTo() != null) {
                        tableNow = r.tableTo();
                    }
                }
                if (drops != null) {
                    dropped.addAll(drops);
                }
                now = reshaped(start, tableNow, names, dropped);
                List<String> create = now.map(t -> oneLine(dialect.triggers().createSyncTrigger(t))).orElse(List.of());
                List<String> statements = new ArrayList<>();
                if (step.statements().get(0).startsWith("LOCK TABLES ")) {
                    // a swap: its triggers are dropped under its lock after its ALTER; made again there too
                    statements.addAll(step.statements());
                    statements.addAll(statements.lastIndexOf("UNLOCK TABLES"), create);
                } else if (r != null && r.tableTo() != null) {
                    // a table's rename: its view's lock holds the table through it (see holdViewsThroughRenames)
                    statements.addAll(drop);
                    statements.addAll(step.statements());
                    statements.addAll(create);
                } else {
                    List<String> change = new ArrayList<>(drop);
                    change.addAll(step.statements());
                    change.addAll(create);
                    statements.addAll(dialect.triggers().heldAround(ctx.schema, before, change));
                }
                replace(all, k, step, statements);
            }
            if (now.isPresent()) {
                last.add(dropSyncTrigger(table, tableNow));
            }
        });
        return last;
    }

    private void replace(List<Step> all, int k, Step.SqlStep step, List<String> statements) {
        Step.SqlStep replaced = new Step.SqlStep(step.description(), step.table(), step.lock(), statements, step.skipIf(),
                false, step.concurrent(), null, step.lockedTogether());
        all.set(k, replaced);
        Renaming r = ctx.renamings.get(step);
        if (r != null) {
            ctx.renamings.put(replaced, r);
        }
    }

    /** A trigger's statement on one line: a step holding a view through a change keeps each statement on a line of its own. */
    private static List<String> oneLine(List<String> statements) {
        return statements.stream().map(st -> st.replace("\n", " ")).toList();
    }

    /**
     * The sync trigger over the table's columns as they are named now ({@code names}: original
     * physical name to the current one), without the columns dropped and the assignments that
     * write or read them; empty when no assignment is left.
     */
    private java.util.Optional<SyncTriggers.SyncTrigger> reshaped(SyncTriggers.SyncTrigger t, String table, Map<String, String> names,
                                                                java.util.Set<String> dropped) {
        List<String> oldGone = t.oldVariables().stream().filter(m -> dropped.contains(m.physical())).map(ColumnMapping::logical).toList();
        List<String> newGone = t.newVariables().stream().filter(m -> dropped.contains(m.physical())).map(ColumnMapping::logical).toList();
        List<Assignment> up = keep(t.upAssign(), oldGone, names, dropped);
        List<Assignment> down = keep(t.downAssign(), newGone, names, dropped);
        if (up.isEmpty() && down.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SyncTriggers.SyncTrigger(t.schema(), table, t.triggerName(), t.functionSchema(), t.functionName(),
                t.newVersionSchema(), renamed(t.oldVariables(), names, dropped), renamed(t.newVariables(), names, dropped), up, down));
    }

    private static List<ColumnMapping> renamed(List<ColumnMapping> variables, Map<String, String> names, java.util.Set<String> dropped) {
        return variables.stream().filter(m -> !dropped.contains(m.physical()))
                .map(m -> new ColumnMapping(names.getOrDefault(m.physical(), m.physical()), m.logical())).toList();
    }

    private List<Assignment> keep(List<Assignment> assignments, List<String> gone, Map<String, String> names, java.util.Set<String> dropped) {
        return assignments.stream()
                .filter(a -> !dropped.contains(a.column()) && gone.stream().noneMatch(g -> dialect.catalog().mayRead(a.expression(), g)))
                .map(a -> new Assignment(names.getOrDefault(a.column(), a.column()), a.expression(), a.onlyIfNull(),
                        a.reads() == null ? null : a.reads().stream().filter(c -> !dropped.contains(c))
                                .map(c -> names.getOrDefault(c, c)).toList()))
                .toList();
    }

    /**
     * Each step that renames a table or columns re-creates the table's view in the new version
     * with it, as the dialect makes sure no query sees the view name what is gone (MariaDB: the
     * view waits, locked, through the rename; see {@link VersionViews#holdingView}). The views of the
     * step after the last rename are made again all the same: a rerun skips a rename step whose
     * effect is there, even when it was cut off before its view.
     */
    private void holdViewsThroughRenames(List<Step> all) {
        Map<String, String> tableNow = new HashMap<>();
        Map<String, String> columnNow = new HashMap<>();
        for (int k = 0; k < all.size(); k++) {
            Renaming r = ctx.renamings.get(all.get(k));
            if (r == null || !(all.get(k) instanceof Step.SqlStep step)) {
                continue;
            }
            String before = tableNow.getOrDefault(r.table(), r.table());
            if (r.tableTo() != null) {
                tableNow.put(r.table(), r.tableTo());
            }
            r.columns().forEach((physical, to) -> columnNow.put(r.table() + "." + physical, to));
            TableShape t = ctx.byPhysical.get(r.table());
            if (t == null || ctx.shape.get(t.logical) != t) {
                continue;
            }
            String view = dialect.views().createVersionView(ctx.versionSchema, t.logical, ctx.schema, tableNow.getOrDefault(r.table(), r.table()),
                    t.columns.stream().map(m -> new ColumnMapping(columnNow.getOrDefault(r.table() + "." + m.physical(),
                            m.physical()), m.logical())).toList());
            all.set(k, new Step.SqlStep(step.description(), step.table(), step.lock() + "; queries through the new version's"
                    + " view of it wait too, until the view is made again over the new names",
                    dialect.views().holdingView(ctx.schema, before, step.statements(), ctx.versionSchema, t.logical, view), step.skipIf(), false));
        }
    }

    /**
     * The new version's views again, over the names the contract gave the tables and columns: a
     * MySQL/MariaDB view names them, and a rename leaves it pointing at nothing. Between the renames
     * and this step, which follows the last of them, a query through the new version fails;
     * docs/guides/mariadb.md says so.
     */
    private Step viewsAfterRenames() {
        List<String> statements = new ArrayList<>();
        ctx.shape.forEach((logical, t) -> statements.add(dialect.views().createVersionView(ctx.versionSchema, logical, ctx.schema,
                ctx.contractTable(t.physical), t.columns.stream()
                        .map(m -> new ColumnMapping(swappedIn(t.physical, m.physical())
                                ? m.logical() : ctx.contractColumn(t.physical, m.physical()), m.logical())).toList())));
        return new Step.SqlStep("re-create the views of " + ctx.versionSchema + " over the renamed tables and columns", null,
                "none on tables", statements, null, true).declaring(ctx.effects.views(statements));
    }

    /** Whether {@code physical} is a shadow column that complete swaps in under its new version's name. */
    private boolean swappedIn(String table, String physical) {
        return ctx.swaps.getOrDefault(table, List.of()).stream().anyMatch(a -> a.shadow().equals(physical));
    }
}
