package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;

/**
 * What alter_column refuses without transactional DDL, where the swap is one ALTER under LOCK
 * TABLES that must not copy the table.
 */
final class LockedSwapRefusals {
    private final PlanContext ctx;
    private final Dialect dialect;

    LockedSwapRefusals(PlanContext ctx) {
        this.ctx = ctx;
        this.dialect = ctx.dialect;
    }

    /**
     * Without transactional DDL the swap is one ALTER under LOCK TABLES, which must not copy the
     * table: what would need a rebuild or a constraint checked under a copy is refused.
     */
    void refuse(int i, Operation.AlterColumn ac, TableShape t, String p, Catalog.Column old) {
        String on = dialect.name() + ": ";
        for (Catalog.CheckDef check : t.info.checks()) {
            if (check.columns().contains(p)) {
                throw ctx.error(i, ac, "column", on + "check '" + check.name() + "' uses column '" + ac.column() + "': adding"
                        + " it again on the new column would check every row under a table copy; drop it first");
            }
        }
        for (Catalog.ForeignKey fk : t.info.foreignKeys()) {
            if (fk.columns().contains(p)) {
                throw ctx.error(i, ac, "column", on + "foreign key '" + fk.name() + "' uses column '" + ac.column()
                        + "': drop it first, alter the column, then add it again");
            }
        }
        for (Catalog.ForeignKey fk : t.info.referencedBy()) {
            if (fk.refColumns().contains(p)) {
                throw ctx.error(i, ac, "column", on + "foreign key '" + fk.name() + "' of table '" + fk.table() + "' points at"
                        + " column '" + ac.column() + "': drop it first, alter the column, then add it again");
            }
        }
        for (Catalog.IndexDef index : t.info.indexDefs()) {
            if (index.columns().contains(p) && !"btree".equalsIgnoreCase(index.method())) {
                throw ctx.error(i, ac, "column", on + "index '" + index.name() + "' on column '" + ac.column() + "' is "
                        + index.method() + ", which cannot be built online; drop it first");
            }
        }
    }
}
