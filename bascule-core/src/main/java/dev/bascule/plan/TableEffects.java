package dev.bascule.plan;

import dev.bascule.step.TableEffect;

import dev.bascule.step.Step;
import dev.bascule.dialect.Dialect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each step of a plan does to the rows of its table: catalog only, a scan, batched writes, a
 * rewrite. The operation that made a step declares it ({@link Step#effect()}); the statements of a
 * {@code sql} operation, and the steps of plans stored before steps declared their effect, are read
 * by {@link StatementEffects}, whose rules and reasons are the same.
 */
public final class TableEffects {

    /** A table by schema and name, as the database spells them (unquoted). */
    public record TableRef(String schema, String name) {}

    /**
     * @param table  the table the costliest statement works on, or null when it works on none
     * @param reason why, in a few words, for the plan's output
     */
    public record Effect(TableEffect kind, TableRef table, String reason) {}

    private final String schema;
    private final StatementEffects statements;
    private final Map<Step, Effect> effects;
    private final Set<TableRef> tables;
    private final StatementEffects.Walk afterAll;

    private TableEffects(String schema, StatementEffects statements, Map<Step, Effect> effects, Set<TableRef> tables,
                         StatementEffects.Walk afterAll) {
        this.schema = schema;
        this.statements = statements;
        this.effects = effects;
        this.tables = tables;
        this.afterAll = afterAll;
    }

    /**
     * Classifies every step in the order the phases run them, so that a SET NOT NULL after the
     * validation of a {@code CHECK (c IS NOT NULL)} is known to spare the scan.
     */
    public static TableEffects of(Plan plan, Dialect dialect) {
        Map<Step, Effect> effects = new IdentityHashMap<>();
        Set<TableRef> tables = new LinkedHashSet<>();
        StatementEffects.Walk walk = new StatementEffects.Walk();
        TableEffects result = new TableEffects(plan.schema(),
                new StatementEffects(plan.schema(), "postgresql".equals(dialect.name())),
                Collections.unmodifiableMap(effects), Collections.unmodifiableSet(tables), walk);
        List<Step> ordered = new ArrayList<>();
        plan.start().forEach(p -> ordered.add(p.action()));
        ordered.addAll(plan.validations());
        ordered.addAll(plan.complete());
        ordered.addAll(plan.rollback());
        for (Step step : ordered) {
            effects.put(step, result.classify(step, walk, tables));
        }
        return result;
    }

    /** The step's effect; a step not of the plan is classified as if it ran after all of the plan's. */
    public Effect of(Step step) {
        Effect known = effects.get(step);
        return known != null ? known : classify(step, afterAll.copy(), new HashSet<>());
    }

    /** Every table a step of the plan works on, in the order the plan first touches them. */
    public Set<TableRef> tables() {
        return tables;
    }

    private Effect classify(Step step, StatementEffects.Walk walk, Set<TableRef> tables) {
        walk.setNotNullInStep.clear();
        walk.createdInStep.clear();
        TableRef own = step.table() == null ? null : new TableRef(stepSchema(step), step.table());
        if (own != null) {
            tables.add(own);
        }
        Step.Declared declared = step.effect();
        if (declared != null) {
            declared.touches().forEach(t -> tables.add(new TableRef(t.schema(), t.name())));
            return new Effect(declared.kind(), declared.on() == null ? own
                    : new TableRef(declared.on().schema(), declared.on().name()), declared.reason());
        }
        return statements.read(step, own, walk, tables);
    }

    private String stepSchema(Step step) {
        if (step instanceof Step.BackfillStep b) return b.schema();
        if (step instanceof Step.IndexBuildStep i) return i.schema();
        return schema;
    }
}
