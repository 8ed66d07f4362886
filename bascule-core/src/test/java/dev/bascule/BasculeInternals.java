package dev.bascule;

import dev.bascule.api.Migration;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.plan.Plan;
import dev.bascule.plan.TableEffects;

import java.util.Collection;
import java.util.Map;

/**
 * What tests read of a facade beyond the exported API: the planner's own plan, its table effects and
 * estimates, and the dialect, which the API shows only as a {@link dev.bascule.api.PlanView}.
 */
public final class BasculeInternals {
    private BasculeInternals() {}

    public static Plan plan(Bascule bascule, Migration migration) {
        return bascule.planOf(migration);
    }

    public static TableEffects tableEffects(Bascule bascule, Plan plan) {
        return bascule.tableEffects(plan);
    }

    public static Map<TableEffects.TableRef, CatalogReader.TableEstimate> tableEstimates(Bascule bascule,
                                                                                 Collection<TableEffects.TableRef> tables) {
        return bascule.tableEstimates(tables);
    }

    public static Dialect dialect(Bascule bascule) {
        return bascule.dialect();
    }
}
