package dev.bascule.plan.operation;

import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.ConstraintDdl;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.List;
import java.util.Optional;

/** Constraints added NOT VALID at start and validated when complete begins. */
final class Constraints {
    private final PlanContext ctx;
    private final Dialect dialect;

    Constraints(PlanContext ctx) {
        this.ctx = ctx;
        this.dialect = ctx.dialect;
    }

    /**
     * A constraint added NOT VALID at start (new writes are checked at once), validated when
     * complete begins: before anything irreversible, so rows that break it refuse complete and
     * leave rollback possible. Validation runs before the contract renames anything.
     */
    AddedConstraint constraint(String table, String name, String statement) {
        return constraint(Stage.CONSTRAINTS, "add constraint " + name + " (NOT VALID)", table, name, statement);
    }

    AddedConstraint constraint(Stage stage, String description, String table, String name, String statement) {
        PlannedStep step = new PlannedStep(stage,
                new Step.SqlStep(description, table, ctx.lockBrief, List.of(statement),
                        dialect.checks().constraintExists(ctx.schema, table, name), true),
                List.of(ctx.sql("drop constraint " + name, table, ctx.lockBrief, dialect.constraints().dropConstraint(ctx.schema, table, name),
                        ctx.effects.dropConstraint(ConstraintDdl.ConstraintKind.CHECK))));
        Step validation = ctx.sql("validate " + name, table, ctx.lockValidate, dialect.constraints().validateConstraint(ctx.schema, table, name));
        ctx.start.add(step);
        ctx.validations.add(validation);
        return new AddedConstraint(step, validation);
    }

    /** A constraint added NOT VALID at start, and its validation at complete. */
    record AddedConstraint(PlannedStep step, Step validation) {}

    /**
     * A foreign key added without checking existing rows (NOT VALID; where the server has no NOT
     * VALID, with its checks off for that one statement), so new writes are checked at once; complete
     * checks the existing rows before anything irreversible, as {@link #constraint} does.
     */
    void foreignKey(int i, Operation op, String field, TableShape t, String name, List<String> columns,
                            ForeignKeyRef ref, Optional<String> onDelete) {
        String table = t.physical;
        boolean makesIndex = false;
        if (dialect.capabilities().foreignKeyMakesIndex()) {
            Catalog.Index same = ctx.catalog.indexes().get(name);
            if (same != null && same.table().equals(table)) {
                throw ctx.error(i, op, field, "table '" + t.logical + "' already has an index named '" + name + "'; the"
                        + " server names the index it makes for a foreign key after the constraint, and rollback drops"
                        + " that index: name the foreign key otherwise");
            }
            // InnoDB's foreign key names are per database, not per table
            ctx.catalog.tables().values().stream().filter(other -> other.foreignKeys().stream().anyMatch(fk -> fk.name().equals(name)))
                    .findFirst().ifPresent(other -> {
                        throw ctx.error(i, op, field, "a foreign key named '" + name + "' already exists on table '" + other.name()
                                + "'; foreign key names are per database here: name this one otherwise");
                    });
            // the server uses an index that starts with the key's columns, else makes one
            makesIndex = t.info == null || !(startsWith(t.info.primaryKey(), columns)
                    || t.info.indexDefs().stream().anyMatch(ix -> startsWith(ix.elements().stream()
                    .map(e -> e.replace("`", "").replace("\"", "")).toList(), columns)));
        }
        ctx.start.add(new PlannedStep(Stage.CONSTRAINTS,
                new Step.SqlStep("add constraint " + name + (dialect.capabilities().notValidConstraints() ? " (NOT VALID)"
                        : " (existing rows checked at complete)"), table, dialect.locks().addForeignKeyLock(),
                        List.of(dialect.constraints().addForeignKeyNotValid(ctx.schema, table, name, columns, ref.withOnDelete(onDelete))),
                        dialect.checks().constraintExists(ctx.schema, table, name), true).declaring(ctx.effects.foreignKeyAdd()),
                List.of(ctx.sql("drop constraint " + name, table, makesIndex ? ctx.lockOnlineIndex : ctx.lockBrief,
                        dialect.constraints().dropAddedForeignKey(ctx.schema, table, name, makesIndex), ctx.effects.foreignKeyDrop(makesIndex)))));
        ctx.validations.add(ctx.sql("validate " + name, table, ctx.lockValidate,
                dialect.constraints().validateForeignKey(ctx.schema, table, name, columns, ref.table(), ref.columns()),
                ctx.effects.foreignKeyValidation()));
    }

    static boolean startsWith(List<String> index, List<String> columns) {
        return index.size() >= columns.size() && index.subList(0, columns.size()).equals(columns);
    }
}
