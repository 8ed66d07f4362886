package dev.bascule.plan;

import dev.bascule.step.Step;
import java.util.List;

/**
 * A step of the start phase, with the steps that undo it on rollback.
 *
 * @param undoWhenUnfinished whether rollback runs {@code undo} for a step that began but did not
 *                           finish: true for Bascule's own steps, whose undo is idempotent
 *                           ({@code IF EXISTS}); false for a sql operation, whose {@code down}
 *                           assumes its {@code up} ran
 */
public record PlannedStep(Stage stage, Step action, List<Step> undo, boolean undoWhenUnfinished) {
    public PlannedStep {
        undo = List.copyOf(undo);
    }

    public PlannedStep(Stage stage, Step action, List<Step> undo) {
        this(stage, action, undo, true);
    }
}
