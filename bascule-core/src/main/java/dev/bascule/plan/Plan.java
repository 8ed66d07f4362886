package dev.bascule.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What a migration will do, phase by phase, computed from the file and the live catalog.
 *
 * @param versionSchema         the schema of views new code uses
 * @param previousVersionSchema what old code uses: the previous version schema, or the base schema
 * @param start                 expand and backfill steps, in order
 * @param complete              contract steps, in order
 * @param droppedTables         physical tables the contract drops (a gate checks nothing references them)
 * @param notes                 things the user should know (a sql operation rollback cannot undo, say)
 */
public record Plan(String migration, String schema, String versionSchema, String previousVersionSchema,
                   List<PlannedStep> start, List<Step> complete, List<String> droppedTables, List<String> notes) {

    public Plan {
        start = List.copyOf(start);
        complete = List.copyOf(complete);
        droppedTables = List.copyOf(droppedTables);
        notes = List.copyOf(notes);
    }

    /** The undo steps of every start step before {@code reached}, newest first. */
    public List<Step> rollback(int reached) {
        List<Step> steps = new ArrayList<>();
        for (int i = Math.min(reached, start.size()) - 1; i >= 0; i--) {
            steps.addAll(start.get(i).undo());
        }
        return steps;
    }

    public List<Step> rollback() {
        return rollback(start.size());
    }
}
