package dev.bascule.plan;

import dev.bascule.step.Step;
import java.util.List;

/**
 * What the verifier checks in one table before complete: for every row, that the new columns hold
 * what the migration's expressions give for the old ones (or, for a row new code wrote, the other
 * way round).
 *
 * @param key        the key the verifier walks, as the backfill does
 * @param mismatches one predicate per check, true for a row that fails it; it reads the row as
 *                   {@code bascule_row}
 */
public record Verification(String schema, String table, List<Step.KeyColumn> key, List<Mismatch> mismatches) {

    /** @param what what the predicate checks, for the report ("column email") */
    public record Mismatch(String what, String predicate) {}
}
