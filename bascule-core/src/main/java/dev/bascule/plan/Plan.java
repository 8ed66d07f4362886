package dev.bascule.plan;

import dev.bascule.step.Step;
import dev.bascule.api.ContractMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a migration will do, phase by phase, computed from the file and the live catalog.
 *
 * @param versionSchema         the schema of views new code uses
 * @param previousVersionSchema what old code uses: the previous version schema, or the base schema
 * @param start                 expand and backfill steps, in order
 * @param validations           VALIDATE CONSTRAINT steps, run when complete begins, before anything
 *                              irreversible: rows that break a constraint refuse complete
 * @param complete              contract steps, in order
 * @param droppedTables         physical tables the contract drops (a gate checks nothing references them)
 * @param notes                 things the user should know (a sql operation rollback cannot undo, say)
 * @param verifications         row checks run before complete (and by verify)
 * @param droppedColumns        physical columns the contract drops, as {@code table.column} (a gate
 *                              checks no view or other table's foreign key uses them)
 * @param droppedIndexes        indexes drop_index removes at complete (a gate checks none was scanned since start)
 * @param retiredNames          names old code may use that are gone after complete, as {@code table} or
 *                              {@code table.column}: dropped, moved or renamed away (a gate checks no query
 *                              used them since start)
 * @param deprecatingComplete   the contract steps of {@code complete --deprecate}: {@code complete}
 *                              with each drop of a table or column replaced by its deprecation, one
 *                              for one (empty in plans stored before deprecation existed)
 * @param contractMode          which of the two complete runs, recorded when complete begins; null
 *                              before (and in plans of completes begun by earlier releases: DROP)
 */
public record Plan(String migration, String schema, String versionSchema, String previousVersionSchema,
                   List<PlannedStep> start, List<Step> validations, List<Step> complete, List<String> droppedTables,
                   List<String> notes, List<Verification> verifications, List<String> droppedColumns,
                   List<String> droppedIndexes, List<String> retiredNames,
                   List<Step> deprecatingComplete, ContractMode contractMode) {

    public Plan {
        start = List.copyOf(start);
        validations = List.copyOf(validations);
        complete = List.copyOf(complete);
        droppedTables = List.copyOf(droppedTables);
        notes = List.copyOf(notes);
        // plans stored by an earlier version of Bascule have none
        droppedColumns = droppedColumns == null ? List.of() : List.copyOf(droppedColumns);
        droppedIndexes = droppedIndexes == null ? List.of() : List.copyOf(droppedIndexes);
        retiredNames = retiredNames == null ? List.of() : List.copyOf(retiredNames);
        deprecatingComplete = deprecatingComplete == null ? List.of() : List.copyOf(deprecatingComplete);
        verifications = verifications == null ? List.of() : verifications.stream()
                .map(v -> new Verification(v.schema(), v.table(), v.key(), List.copyOf(v.mismatches()))).toList();
    }

    /** This plan with {@code more} notes after its own (what the server tells at plan time). */
    public Plan withNotes(List<String> more) {
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new Plan(migration, schema, versionSchema, previousVersionSchema, start, validations, complete, droppedTables,
                all, verifications, droppedColumns, droppedIndexes, retiredNames, deprecatingComplete, contractMode);
    }

    /** Whether this plan has the steps of {@code complete --deprecate} (plans stored by earlier releases do not). */
    public boolean canDeprecate() {
        return deprecatingComplete.size() == complete.size();
    }

    /** The contract steps complete runs: those of the mode recorded when it began. */
    public List<Step> contract() {
        return contractMode == ContractMode.DEPRECATE ? deprecatingComplete : complete;
    }

    /** The undo steps of a start that finished, newest first, as plan shows them. */
    public List<Step> rollback() {
        Set<Integer> all = java.util.stream.IntStream.range(0, start.size()).boxed().collect(java.util.stream.Collectors.toSet());
        return rollback(all, all);
    }

    /**
     * The undo steps of every start step that began, newest first.
     *
     * @param began    start steps that began (finished or not)
     * @param finished start steps that finished
     */
    public List<Step> rollback(Set<Integer> began, Set<Integer> finished) {
        List<Step> steps = new ArrayList<>();
        for (int i = start.size() - 1; i >= 0; i--) {
            PlannedStep s = start.get(i);
            if (finished.contains(i) || (began.contains(i) && s.undoWhenUnfinished())) {
                steps.addAll(s.undo());
            }
        }
        return steps;
    }
}
