package dev.bascule.plan;

import java.util.List;

/** A step of the start phase, with the steps that undo it on rollback. */
public record PlannedStep(Stage stage, Step action, List<Step> undo) {
    public PlannedStep {
        undo = List.copyOf(undo);
    }
}
