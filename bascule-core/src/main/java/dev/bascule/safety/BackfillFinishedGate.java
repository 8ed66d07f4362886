package dev.bascule.safety;

import dev.bascule.plan.Plan;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Contracting before every row has its new value would leave rows without it for good. */
final class BackfillFinishedGate implements Gate {
    @Override
    public String name() {
        return "backfill_finished";
    }

    @Override
    public Optional<String> check(Input in) {
        Plan plan = in.plan();
        Set<Integer> done = in.doneStartSteps();
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < plan.start().size(); i++) {
            if (plan.start().get(i).action() instanceof Step.BackfillStep b && !done.contains(i)) {
                pending.add(b.table());
            }
        }
        return pending.isEmpty() ? Optional.empty()
                : Optional.of("the backfill of " + String.join(", ", pending) + " has not finished; run start again to finish it");
    }
}
