package dev.bascule.plan.operation;

import dev.bascule.api.ContractMode;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.ShadowTables;
import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The contract steps that swap altered columns in for the old ones. */
final class ColumnSwaps {
    private final PlanContext ctx;
    private final Dialect dialect;

    ColumnSwaps(PlanContext ctx) {
        this.ctx = ctx;
        this.dialect = ctx.dialect;
    }

    /**
     * The swap of a table's altered columns, in one transaction: no writer ever sees the table
     * with an old column gone and the new one not yet in its place, nor the sync trigger running
     * against a dropped column. Then the foreign keys that pointed at the old columns, put back
     * NOT VALID in the swap, are validated.
     */
    List<Step> swapSteps(String table, List<Alteration> alterations, ContractMode mode) {
        TableShape t = ctx.byPhysical.get(table);
        Map<String, Catalog.ForeignKey> incoming = new LinkedHashMap<>();
        alterations.forEach(a -> a.incoming().stream().filter(fk -> !ctx.pairs.contains(fk))
                .forEach(fk -> incoming.putIfAbsent(fk.schema() + "." + fk.table() + "." + fk.name(), fk)));
        // the referencing tables are locked before this one, in the order their writers lock them
        // (a row of theirs, then the referenced row), so the swap cannot deadlock with them
        List<String> sql = new ArrayList<>();
        incoming.values().forEach(fk -> sql.add(dialect.constraints().dropConstraint(fk.schema(), fk.table(), fk.name())));
        sql.addAll(dialect.triggers().dropSyncTrigger(ctx.schema, table, ctx.triggerName(), ctx.functionSchema, ctx.functionName(table)));
        Map<String, String> finalNames = new HashMap<>();
        for (int n = 0; n < alterations.size(); n++) {
            Alteration a = alterations.get(n);
            String key = "identity_" + n;
            String finalName = finalName(t, a);
            finalNames.put(a.column(), finalName);
            a.primaryKey().ifPresent(pk -> sql.add(dialect.constraints().dropConstraint(ctx.schema, table, pk.to())));
            if (a.identity().isPresent()) {
                // the identity's sequence goes with the old column: the new one is made an identity
                // going on from the sequence's next value
                Catalog.OwnedSequence seq = a.sequence().orElseThrow();
                sql.add(dialect.tables().dropColumnDefault(ctx.schema, table, a.shadow()));
                sql.add(dialect.sequences().orElseThrow().rememberNextValue(key, seq.schema(), seq.name()));
            } else {
                a.sequence().ifPresent(seq -> {
                    sql.add(dialect.sequences().orElseThrow().setSequenceOwner(seq.schema(), seq.name(), ctx.schema, table, a.shadow()));
                    if (INTEGER_WIDTH.containsKey(a.newType()) && INTEGER_WIDTH.containsKey(seq.type())
                            && INTEGER_WIDTH.get(a.newType()) > INTEGER_WIDTH.get(seq.type())) {
                        sql.add(dialect.sequences().orElseThrow().setSequenceType(seq.schema(), seq.name(), a.newType()));
                    }
                });
            }
            // deprecated, the old column also loses its indexes and constraints here, before the
            // shadow's take their names
            sql.add(mode == ContractMode.DEPRECATE ? ctx.drops().deprecateColumn(table, a.column())
                    : dialect.tables().dropColumn(ctx.schema, table, a.column()));
            sql.add(dialect.tables().renameColumn(ctx.schema, table, a.shadow(), finalName));
            if (a.notNullCheck() != null) {
                sql.add(dialect.tables().setNotNull(ctx.schema, table, finalName));
                sql.add(dialect.constraints().dropConstraint(ctx.schema, table, a.notNullCheck()));
            }
            if (a.identity().isPresent()) {
                sql.addAll(dialect.sequences().orElseThrow().addIdentityFromRemembered(key, ctx.schema, table, finalName, a.identity().get()));
            }
            a.primaryKey().ifPresent(pk -> sql.add(dialect.constraints().addPrimaryKeyUsingIndex(ctx.schema, table, pk.to(), pk.from())));
            a.uniques().forEach(u -> sql.add(dialect.constraints().addUniqueUsingIndex(ctx.schema, table, u.to(), u.from())));
            a.indexRenames().forEach(r -> sql.add(dialect.constraints().renameIndex(ctx.schema, r.from(), r.to())));
            a.constraintRenames().forEach(r -> sql.add(dialect.constraints().renameConstraint(ctx.schema, table, r.from(), r.to())));
        }
        for (Catalog.ForeignKey fk : incoming.values()) {
            boolean self = fk.schema().equals(ctx.schema) && fk.table().equals(table);
            sql.add(dialect.constraints().addForeignKeyNotValid(new Catalog.ForeignKey(fk.name(), fk.schema(), fk.table(),
                    self ? fk.columns().stream().map(c -> finalNames.getOrDefault(c, c)).toList() : fk.columns(),
                    fk.refSchema(), fk.refTable(), fk.refColumns().stream().map(c -> finalNames.getOrDefault(c, c)).toList(),
                    fk.onUpdate(), fk.onDelete(), fk.matchFull(), fk.deferrable())));
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.SqlStep("swap altered columns of " + table, table,
                ctx.lockBrief + (incoming.isEmpty() ? "" : "; brief on the tables whose foreign keys point at it"), sql,
                dialect.checks().columnAbsent(ctx.schema, table, alterations.get(0).shadow()), true));
        incoming.values().forEach(fk -> steps.add(ctx.sql("validate " + fk.name(), fk.table(), ctx.lockValidate,
                dialect.constraints().validateConstraint(fk.schema(), fk.table(), fk.name()))));
        return steps;
    }

    /**
     * The swaps of tables that paired foreign keys link, as one transaction: the old keys (between
     * the old columns) are dropped first, whatever order the tables come in, then each table swaps
     * as on its own, its key on the shadow taking the old key's name; the keys end linking the new
     * columns, and no transaction sees one table swapped and the other not. The transaction locks
     * all the group's tables first, in an order that writers of parent rows and of child rows both
     * get through (see {@code Sessions#lockTogether}).
     */
    List<Step> swapGroup(List<String> group, ContractMode mode) {
        if (group.size() == 1) {
            return swapSteps(group.get(0), ctx.swaps.get(group.get(0)), mode);
        }
        List<String> sql = new ArrayList<>();
        ctx.pairs.from(group).forEach(fk -> sql.add(dialect.constraints().dropConstraint(fk.schema(), fk.table(), fk.name())));
        List<String> locks = new ArrayList<>();
        List<Step> after = new ArrayList<>();
        for (String table : group) {
            List<Step> steps = swapSteps(table, ctx.swaps.get(table), mode);
            Step.SqlStep swap = (Step.SqlStep) steps.get(0);
            sql.addAll(swap.statements());
            locks.add(table + ": " + swap.lock());
            after.addAll(steps.subList(1, steps.size()));
        }
        String first = group.get(0);
        List<Step> all = new ArrayList<>();
        // the group commits or not as a whole: the first table's shadow tells whether it did
        all.add(new Step.SqlStep("swap altered columns of " + String.join(", ", group) + " together (foreign keys "
                + ctx.pairs.from(group).stream().map(Catalog.ForeignKey::name).collect(java.util.stream.Collectors.joining(", "))
                + " link them)", first, String.join("; ", locks), sql,
                dialect.checks().columnAbsent(ctx.schema, first, ctx.swaps.get(first).get(0).shadow()), true)
                .lockingTogether(new Step.GroupLock(group.stream().map(t -> new Step.TableName(ctx.schema, t)).toList(),
                        group.stream().filter(t -> ctx.pairs.from(group).stream().anyMatch(fk -> fk.refTable().equals(t)))
                                .map(t -> new Step.TableName(ctx.schema, t)).toList())));
        all.addAll(after);
        return all;
    }

    /**
     * Without transactional DDL: NOT NULL set online first (the sync triggers still run), then one
     * ALTER under LOCK TABLES drops the old columns and their indexes and renames the shadows and
     * theirs (see {@link ShadowTables#swapColumns}); the version's views are made again right after.
     */
    List<Step> swapStepsLocked(String table, List<Alteration> alterations) {
        TableShape t = ctx.byPhysical.get(table);
        List<Step> steps = new ArrayList<>();
        for (Alteration a : alterations) {
            if (a.notNullLater() != null) {
                steps.add(new Step.SqlStep("set " + table + "." + a.shadow() + " not null", table, dialect.locks().setNotNull(),
                        List.of(dialect.tables().setNotNull(ctx.schema, table, a.notNullLater())),
                        dialect.checks().columnIsNotNull(ctx.schema, table, a.shadow()), true));
            }
        }
        List<String> dropIndexes = t.info.indexDefs().stream()
                .filter(ix -> alterations.stream().anyMatch(a -> ix.columns().contains(a.column())))
                .map(Catalog.IndexDef::name).toList();
        List<ShadowTables.ColumnSwap> columns = alterations.stream().map(a -> new ShadowTables.ColumnSwap(a.column(), a.shadow(),
                finalName(t, a))).toList();
        List<ShadowTables.Renamed> indexes = alterations.stream()
                .flatMap(a -> java.util.stream.Stream.concat(a.indexRenames().stream(), a.uniques().stream()))
                .map(r -> new ShadowTables.Renamed(r.from(), r.to())).toList();
        List<String> dropTriggers = dialect.triggers().dropSyncTrigger(ctx.schema, table, ctx.triggerName(), ctx.functionSchema, ctx.functionName(table));
        List<String> swapSql = new ArrayList<>(dialect.shadows().orElseThrow().swapColumns(ctx.schema, table, dropTriggers, dropIndexes, columns, indexes));
        // still under the swap's lock (before its UNLOCK TABLES), each new column is shown where the old
        // one stood, as a plain ALTER .. MODIFY would leave it: old code never sees the table without it
        swapSql.addAll(swapSql.size() - 1, revealInPlace(t, alterations));
        Step swap = new Step.SqlStep("swap altered columns of " + table, table, dialect.locks().swapLock(), swapSql,
                dialect.checks().columnAbsent(ctx.schema, table, alterations.get(0).shadow()), false);
        steps.add(swap);
        Map<String, String> swapped = new LinkedHashMap<>();
        alterations.forEach(a -> swapped.put(a.shadow(), finalName(t, a)));
        ctx.renamings.put(swap, new Renaming(table, swapped, null));
        ctx.columnDrops.put(swap, alterations.stream().map(Alteration::column).toList());
        // a swap cut off after its ALTER is skipped by a rerun: the columns are shown again at the end
        // (where they are; nothing once they are visible)
        alterations.forEach(a -> {
            List<String> reveal = dialect.tables().revealColumn(ctx.schema, ctx.contractTable(table), contractName(t, a), Optional.empty(),
                    false, false);
            Step again = new Step.SqlStep("show column " + table + "." + finalName(t, a) + " to every query (again)",
                    table, ctx.lockBrief, reveal, null, false).declaring(ctx.effects.reveal());
            if (!reveal.isEmpty() && !ctx.reveals.contains(again)) { // planned once for each contract mode
                ctx.reveals.add(again);
            }
        });
        // again, on its own: the swap is skipped once the shadow is gone, even when it was cut off
        // before its triggers were dropped; and a placeholder default goes (each statement may rerun)
        List<String> after = new ArrayList<>(dropTriggers);
        alterations.stream().filter(Alteration::placeholderDefault)
                .forEach(a -> after.add(dialect.tables().dropColumnDefault(ctx.schema, table, finalName(t, a))));
        Step drops = new Step.SqlStep("drop sync triggers and placeholder defaults of " + table, table,
                dialect.locks().trigger(), after, null, false)
                .declaring(ctx.effects.triggersAndDefaults(after, after.size() > dropTriggers.size()));
        ctx.triggerDropsAfterSwap.put(drops, table);
        steps.add(drops);
        return steps;
    }

    /**
     * The statements that show each swapped-in column, in the table's column order, after the column
     * that stood before its old one (by that column's name right after the swap), or first.
     */
    List<String> revealInPlace(TableShape t, List<Alteration> alterations) {
        List<String> names = t.info.columns().stream().map(Catalog.Column::name).toList();
        Map<String, String> afterSwap = new HashMap<>();
        alterations.forEach(a -> afterSwap.put(a.column(), finalName(t, a)));
        List<String> sql = new ArrayList<>();
        alterations.stream().sorted(java.util.Comparator.comparingInt(a -> names.indexOf(a.column()))).forEach(a -> {
            int at = names.indexOf(a.column());
            // the shadows themselves are not where a column stood
            int before = at - 1;
            while (before >= 0 && names.get(before).startsWith("_bascule_")) {
                before--;
            }
            Optional<String> after = before < 0 ? Optional.empty()
                    : Optional.of(afterSwap.getOrDefault(names.get(before), names.get(before)));
            sql.addAll(dialect.tables().revealColumn(ctx.schema, t.physical, finalName(t, a), after, before < 0, false));
        });
        return sql;
    }

    /** The name a swapped-in column has once complete has run its renames too. */
    String contractName(TableShape t, Alteration a) {
        return ctx.contractColumns.getOrDefault(t.physical + "." + a.shadow(), finalName(t, a));
    }

    /** The name an altered column has when complete swaps its shadow in: the new version's. */
    static String finalName(TableShape t, Alteration a) {
        return t.columns.stream().filter(m -> m.physical().equals(a.shadow())).map(ColumnMapping::logical)
                .findFirst().orElseThrow();
    }

    static final Map<String, Integer> INTEGER_WIDTH = Map.of("smallint", 2, "int2", 2, "integer", 4, "int", 4,
            "int4", 4, "bigint", 8, "int8", 8);
}
