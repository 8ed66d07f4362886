package dev.bascule.plan.operation;

import dev.bascule.api.DeprecatedObject;
import dev.bascule.deprecation.DeprecationMarker;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.deprecation.DeprecatedName;
import dev.bascule.step.Step;

import java.util.List;

/** The contract steps that drop a table or column, and those complete --deprecate runs in their place. */
final class ContractDrops {
    private final PlanContext ctx;
    private final Dialect dialect;

    ContractDrops(PlanContext ctx) {
        this.ctx = ctx;
        this.dialect = ctx.dialect;
    }

    /** DROP TABLE at complete, or with --deprecate a rename that keeps the rows. */
    void dropOrDeprecateTable(String physical) {
        String table = ctx.contractTable(physical);
        Step drop = ctx.sql("drop table " + physical, physical, dialect.locks().dropTable(), dialect.tables().dropTable(ctx.schema, table),
                ctx.effects.dropTable());
        String deprecated = DeprecatedName.of(ctx.migration.name(), table);
        ctx.contract.add(drop);
        ctx.deprecations.put(drop, new Step.SqlStep("deprecate table " + table + " as " + deprecated, physical,
                "ACCESS EXCLUSIVE (brief, no scan)", List.of(dialect.tables().deprecateTable(ctx.schema, table, deprecated,
                DeprecationMarker.json(DeprecatedObject.Kind.TABLE, table, table, ctx.migration.name()))),
                dialect.checks().tableExists(ctx.schema, deprecated), true));
    }

    /** DROP COLUMN at complete, or with --deprecate a rename that keeps the values. */
    void dropOrDeprecateColumn(String physicalTable, String physical) {
        String table = ctx.contractTable(physicalTable);
        String column = ctx.contractColumn(physicalTable, physical);
        Step drop = ctx.sql("drop column " + table + "." + column, physicalTable, dialect.locks().dropColumn(),
                dialect.tables().dropColumn(ctx.schema, table, column), ctx.effects.dropColumn());
        ctx.contract.add(drop);
        Step deprecate = deprecateColumnStep(table, column, physicalTable);
        ctx.deprecations.put(drop, deprecate);
        ctx.columnDrops.put(drop, List.of(physical));
        ctx.columnDrops.put(deprecate, List.of(physical));
    }

    Step deprecateColumnStep(String table, String column, String physicalTable) {
        String deprecated = DeprecatedName.of(ctx.migration.name(), column);
        return new Step.SqlStep("deprecate column " + table + "." + column + " as " + deprecated, physicalTable,
                "ACCESS EXCLUSIVE (brief, no scan)", List.of(deprecateColumn(table, column)),
                dialect.checks().columnExists(ctx.schema, table, deprecated), true);
    }

    String deprecateColumn(String table, String column) {
        return dialect.tables().deprecateColumn(ctx.schema, table, column, DeprecatedName.of(ctx.migration.name(), column),
                DeprecationMarker.json(DeprecatedObject.Kind.COLUMN, table, column, ctx.migration.name()));
    }

    /**
     * A serial column's sequence, whose default a new table copied, goes to the new table's column
     * before complete drops the old one (which would take the sequence with it).
     */
    void reownSequence(TableShape from, String column, String to) {
        Catalog.OwnedSequence seq = from.info.sequences().get(column);
        if (seq != null && seq.identity() == null) {
            ctx.contract.add(ctx.sql("sequence " + seq.name() + " to " + to + "." + column, to, "none on tables",
                    dialect.sequences().orElseThrow().setSequenceOwner(seq.schema(), seq.name(), ctx.schema, to, column)));
        }
    }
}
