package dev.bascule;

import dev.bascule.api.PlanView;
import dev.bascule.backfill.BatchStatements;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.plan.TableEffects;
import dev.bascule.plan.TableEffects.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A plan as the facade shows it: each step with its lock, its effect on its table and its SQL. */
final class PlanViews {
    private final Dialect dialect;
    private final TableEffects effects;
    private final Map<TableRef, CatalogReader.TableEstimate> estimates;

    private PlanViews(Dialect dialect, TableEffects effects, Map<TableRef, CatalogReader.TableEstimate> estimates) {
        this.dialect = dialect;
        this.effects = effects;
        this.estimates = estimates;
    }

    static PlanView of(Plan plan, Dialect dialect, TableEffects effects, Map<TableRef, CatalogReader.TableEstimate> estimates) {
        PlanViews views = new PlanViews(dialect, effects, estimates);
        List<PlanView.Step> start = new ArrayList<>();
        for (PlannedStep p : plan.start()) {
            start.add(views.step(p.stage().name().toLowerCase(Locale.ROOT), p.action()));
        }
        return new PlanView(plan.migration(), plan.schema(), plan.versionSchema(), plan.previousVersionSchema(),
                effects.tables().stream().map(views::table).toList(), start,
                plan.validations().stream().map(s -> views.step(null, s)).toList(),
                plan.complete().stream().map(s -> views.step(null, s)).toList(),
                plan.rollback().stream().map(s -> views.step(null, s)).toList(),
                plan.droppedTables(), plan.notes());
    }

    private PlanView.Table table(TableRef t) {
        CatalogReader.TableEstimate e = estimates.get(t);
        return e == null ? new PlanView.Table(t.schema(), t.name(), false, null, 0)
                : new PlanView.Table(t.schema(), t.name(), true, e.rows(), e.bytes());
    }

    private PlanView.Step step(String stage, Step step) {
        TableEffects.Effect effect = effects.of(step);
        String type = step instanceof Step.SqlStep ? "sql" : step instanceof Step.IndexBuildStep ? "index" : "backfill";
        return new PlanView.Step(stage, type, step.description(), step.table(), step.lock(), effect.kind().label(),
                effect.reason(), effect.table() == null ? null : table(effect.table()), statements(step));
    }

    /** The SQL a step runs, as the user should read it; a backfill is shown as its per-batch UPDATE. */
    private List<String> statements(Step step) {
        if (step instanceof Step.SqlStep s) {
            return s.statements().stream().map(st -> st.endsWith(";") ? st : st + ";").toList();
        }
        if (step instanceof Step.IndexBuildStep i) {
            return List.of(i.create().endsWith(";") ? i.create() : i.create() + ";");
        }
        Step.BackfillStep b = (Step.BackfillStep) step;
        String key = b.key().stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
        List<String> statements = new ArrayList<>(BatchStatements.of(dialect, b, true));
        statements.set(statements.size() - 1, statements.get(statements.size() - 1)
                + "  -- in batches by (" + key + "), one short transaction each");
        return statements;
    }
}
