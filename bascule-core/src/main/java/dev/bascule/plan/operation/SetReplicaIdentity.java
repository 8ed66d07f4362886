package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.Operation;
import dev.bascule.api.Operation.ReplicaIdentity;
import dev.bascule.dialect.Catalog;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.List;

/**
 * set_replica_identity: what logical replication carries of a changed row's old version. A
 * catalog-only ALTER TABLE under a brief lock at start (PostgreSQL takes ACCESS EXCLUSIVE for it,
 * but reads no row); rollback sets the identity the catalog had when the plan was made. Nothing is
 * left for complete: both versions see the same table.
 */
public final class SetReplicaIdentity extends OperationPlanner<Operation.SetReplicaIdentity> {

    public SetReplicaIdentity(Operation.SetReplicaIdentity op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        TableShape t = ctx.table(i, op, "table", op.table());
        String index = op.index().orElse(null);
        if (op.identity() == ReplicaIdentity.INDEX) {
            requireIdentityIndex(ctx, i, t, index);
        }
        // a table this migration creates has the default identity, and rollback drops it anyway
        Catalog.ReplicaIdentity before = t.info == null ? Catalog.ReplicaIdentity.DEFAULT : t.info.replicaIdentity();
        String set = ctx.dialect.tables().setReplicaIdentity(ctx.schema, t.physical, op.identity(), index);
        // an identity index dropped since it was set leaves relreplident 'i' with no index: NOTHING does the same
        ReplicaIdentity previous = before.type() == ReplicaIdentity.INDEX && before.index() == null
                ? ReplicaIdentity.NOTHING : before.type();
        String restore = ctx.dialect.tables().setReplicaIdentity(ctx.schema, t.physical, previous, before.index());
        ctx.start.add(new PlannedStep(Stage.SCHEMA,
                ctx.sql("set replica identity of " + op.table() + " to " + label(op.identity(), index), t.physical,
                        ctx.lockBrief, set, ctx.effects.replicaIdentity()),
                List.of(ctx.sql("set replica identity of " + op.table() + " back to " + label(previous, before.index()),
                        t.physical, ctx.lockBrief, restore, ctx.effects.replicaIdentity()))));
    }

    /**
     * PostgreSQL takes as identity only a valid unique index that is not partial, reads plain
     * columns, and only NOT NULL ones: refused here, with the field, rather than by start.
     */
    private void requireIdentityIndex(PlanContext ctx, int i, TableShape t, String index) {
        Catalog.Index found = ctx.catalog.indexes().get(index);
        if (found == null || t.info == null || !found.table().equals(t.physical)) {
            throw ctx.error(i, op, "identity/index", "index '" + index + "' does not exist on table '" + op.table()
                    + "' (an index this migration creates is built under another name until complete: set the"
                    + " identity in a later migration)");
        }
        Catalog.IndexDef def = t.info.indexDefs().stream().filter(d -> d.name().equals(index)).findFirst().orElse(null);
        if (def == null || !def.unique()) {
            throw ctx.error(i, op, "identity/index", "index '" + index + "' is not unique: a replica identity index"
                    + " must be unique, not partial, on NOT NULL columns");
        }
        if (def.predicate().isPresent()) {
            throw ctx.error(i, op, "identity/index", "index '" + index + "' is partial (WHERE " + def.predicate().get()
                    + "): a replica identity index must be unique, not partial, on NOT NULL columns");
        }
        if (!found.valid()) {
            throw ctx.error(i, op, "identity/index", "index '" + index + "' is not valid (a failed CREATE INDEX"
                    + " CONCURRENTLY): rebuild it first");
        }
        for (String column : def.columns().stream().sorted().toList()) {
            boolean nullable = t.info.column(column).map(Catalog.Column::nullable).orElse(true);
            if (nullable) {
                throw ctx.error(i, op, "identity/index", "index '" + index + "' is on column '" + column + "', which"
                        + " is nullable: a replica identity index must be unique, not partial, on NOT NULL columns");
            }
            if (t.altered.contains(column)) {
                throw ctx.error(i, op, "identity/index", "index '" + index + "' is on column '" + column + "', which"
                        + " this migration alters (complete swaps it for a new column): set the identity in a later"
                        + " migration");
            }
        }
    }

    private static String label(ReplicaIdentity identity, String index) {
        return identity == ReplicaIdentity.INDEX ? "index " + index : identity.label();
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
