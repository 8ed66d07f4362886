package dev.bascule.api;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a rehearsal saw.
 *
 * @param scratchSchema  where the copies lived
 * @param stateSchema    the scratch state schema
 * @param versionSchema  the version schema start published in the scratch (or would have)
 * @param kept           the scratch schemas were left in place ({@code --keep})
 * @param tables         the tables copied, with the rows sampled
 * @param phases         start, then complete or rollback (a rollback also after a failed phase), in order
 * @param steps          each step of each phase, in order
 * @param locks          the table locks each transactional step held, and for how long
 * @param backfills      each backfill's rows and rate
 * @param clients        the synthetic clients of each version
 * @param lockTimeout    the lock timeout the migration ran under
 * @param latencyMargin  what a client operation may take beyond the lock timeout
 * @param realCatalogUnchanged the real tables' catalog and the real state schema were the same after as before
 * @param notes          what the rehearsal did not copy or cannot tell
 * @param failures       why the rehearsal did not meet the guarantees; empty when it did
 */
public record RehearsalReport(String migration, String schema, String scratchSchema, String stateSchema, String versionSchema,
                              boolean kept, List<CopiedTable> tables, List<Phase> phases, List<StepTiming> steps,
                              List<LockHold> locks, List<Backfill> backfills, List<Clients> clients, Duration lockTimeout,
                              Duration latencyMargin, boolean realCatalogUnchanged, List<String> notes,
                              List<String> failures) {

    public RehearsalReport {
        tables = List.copyOf(tables);
        phases = List.copyOf(phases);
        steps = List.copyOf(steps);
        locks = List.copyOf(locks);
        backfills = List.copyOf(backfills);
        clients = List.copyOf(clients);
        notes = List.copyOf(notes);
        failures = List.copyOf(failures);
    }

    /** True when the migration ran, no client saw an error and no client waited past the lock timeout and margin. */
    public boolean metGuarantees() {
        return failures.isEmpty();
    }

    /** The lock held longest by any Bascule step, if any step reported its locks. */
    public Optional<LockHold> longestLock() {
        return locks.stream().filter(l -> !l.locks().isEmpty()).max(Comparator.comparing(LockHold::held));
    }

    /** @param estimatedRows the real table's rows by the statistics; negative when never analyzed */
    public record CopiedTable(String name, long rowsCopied, long estimatedRows) {}

    /** @param error why it failed; null when it did not */
    public record Phase(String name, Duration took, boolean ok, String error) {}

    public record StepTiming(String phase, int index, String description, String lock, Duration took, boolean skipped) {}

    /** @param locks table name to the strongest lock mode the step held on it */
    public record LockHold(String phase, String step, Map<String, String> locks, Duration held) {}

    public record Backfill(String table, long rows, double rowsPerSecond, Duration took) {}

    /**
     * @param overLockTimeout operations that took longer than the lock timeout
     * @param slowest         what the slowest operation was ({@code update users})
     * @param errors          failed operations
     * @param messages        the first distinct error messages
     */
    public record Clients(String version, int clients, Duration ran, long selects, long updates, long inserts, long errors,
                          double p50Ms, double p99Ms, double p999Ms, double maxMs, String slowest, long overLockTimeout,
                          List<String> messages) {
        public long operations() {
            return selects + updates + inserts;
        }
    }
}
