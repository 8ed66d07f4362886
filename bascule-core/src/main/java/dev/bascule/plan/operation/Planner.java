package dev.bascule.plan.operation;

import dev.bascule.plan.ExpressionCheck;
import dev.bascule.plan.VolatileCalls;
import dev.bascule.plan.Plan;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.api.Identifiers;
import dev.bascule.plan.operation.OperationPlanners;
import dev.bascule.plan.operation.PlanContext;
import dev.bascule.plan.operation.ReservedNames;

import java.util.List;

/**
 * Turns a migration into a {@link Plan} against the live catalog. Operations see the schema as
 * the operations before them left it (the new version's names); each is resolved to the physical
 * tables and columns it touches, which do not change until complete. Each kind of operation is
 * planned by its own class (see {@link OperationPlanners}) into a shared {@link PlanContext}.
 */
public final class Planner {
    private final Dialect dialect;
    private final Migration migration;
    private final PlanContext ctx;

    /**
     * @param functionSchema        where generated trigger functions live (the state schema)
     * @param previousVersionSchema the version old code uses now
     */
    public Planner(Dialect dialect, Catalog catalog, Migration migration, String functionSchema,
                   String previousVersionSchema) {
        this.dialect = dialect;
        this.migration = migration;
        this.ctx = new PlanContext(dialect, catalog, migration, functionSchema, previousVersionSchema);
    }

    /** Queries that must compile for the plan to be valid; run them before starting. */
    /** The up and down expressions the verified gate computes again (see {@link VolatileCalls}). */
    public List<VolatileCalls.Candidate> recomputed() {
        return ctx.recomputed();
    }

    public List<ExpressionCheck> expressionChecks() {
        return ctx.expressionChecks();
    }

    /** Tables that must have no row for the plan to stand, by the field that needs it; plan looks before start. */
    public java.util.Map<String, String> mustBeEmpty() {
        return ctx.mustBeEmpty();
    }

    public Plan plan() {
        String versionSchema = ctx.versionSchema();
        if (versionSchema.length() > Identifiers.MAX_LENGTH) {
            throw InvalidMigrationException.at(migration.source(), "/name", "the version schema name '" + versionSchema
                    + "' is longer than " + Identifiers.MAX_LENGTH + " characters; choose a shorter migration name");
        }
        List<Operation> ops = migration.operations();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            int index = i;
            var planner = OperationPlanners.of(op);
            planner.createdNames().forEach((field, name) -> {
                if (ReservedNames.reserved(name)) {
                    throw error(index, op, field, "'" + name + "' starts with '" + ReservedNames.PREFIX + "', which Bascule"
                            + " keeps for its own tables, columns, indexes and triggers; choose another name");
                }
            });
            dialect.capabilities().refusal(op).ifPresent(reason -> {
                throw error(index, op, "", reason);
            });
            dialect.capabilities().note(op).ifPresent(note -> ctx.note("operation " + (index + 1) + " (" + op.kind() + "): " + note));
            planner.plan(ctx, i);
        }
        return ctx.plan();
    }

    private InvalidMigrationException error(int i, Operation op, String field, String message) {
        return InvalidMigrationException.at(migration.source(), MigrationSource.fieldPath(i, op.kind(), field), message);
    }
}
