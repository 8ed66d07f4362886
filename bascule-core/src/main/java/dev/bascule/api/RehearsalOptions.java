package dev.bascule.api;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Identifiers;

import java.time.Duration;
import java.util.Optional;

/**
 * How to rehearse a migration.
 *
 * @param scratchSchema  the schema the tables are copied into; empty: {@code <schema>_rehearsal_<random>}.
 *                       It must not exist: a rehearsal only ever drops what it created.
 * @param sampleRows     at most this many rows per table (ignored when {@code samplePercent} is given)
 * @param samplePercent  a percentage of each table's rows instead (0 &lt; p &lt;= 100)
 * @param clients        synthetic clients per application version (old and new)
 * @param rollback       rehearse start then rollback, instead of start then complete
 * @param keep           leave the scratch schema, its version schema and its state schema in place
 * @param sideBySide     how long old and new clients run together between start and complete (or rollback)
 * @param latencyMargin  what a client operation may take beyond the lock timeout before the
 *                       rehearsal counts it as a lock wait over budget
 */
public record RehearsalOptions(Optional<String> scratchSchema, long sampleRows, Optional<Double> samplePercent,
                               int clients, boolean rollback, boolean keep, Duration sideBySide,
                               Duration latencyMargin) {
    public static final long DEFAULT_SAMPLE_ROWS = 100_000;
    public static final int DEFAULT_CLIENTS = 4;
    public static final int MAX_CLIENTS = 64;
    public static final Duration DEFAULT_SIDE_BY_SIDE = Duration.ofSeconds(2);
    /** As the lock-timeout test allows: scheduling and a round trip on top of the timeout itself. */
    public static final Duration DEFAULT_LATENCY_MARGIN = Duration.ofMillis(150);

    public RehearsalOptions {
        scratchSchema.ifPresent(s -> {
            if (!Identifiers.isValid(s)) {
                throw new InvalidMigrationException("--scratch-schema: invalid schema name '" + s + "'");
            }
        });
        if (sampleRows < 1) {
            throw new InvalidMigrationException("--sample-rows must be at least 1, got " + sampleRows);
        }
        samplePercent.ifPresent(p -> {
            if (!(p > 0 && p <= 100)) {
                throw new InvalidMigrationException("--sample-percent must be more than 0 and at most 100, got " + p);
            }
        });
        if (clients < 0 || clients > MAX_CLIENTS) {
            throw new InvalidMigrationException("--clients must be between 0 and " + MAX_CLIENTS + ", got " + clients);
        }
        if (sideBySide.isNegative() || latencyMargin.isNegative()) {
            throw new InvalidMigrationException("durations must not be negative");
        }
    }

    public static RehearsalOptions defaults() {
        return new RehearsalOptions(Optional.empty(), DEFAULT_SAMPLE_ROWS, Optional.empty(), DEFAULT_CLIENTS, false, false,
                DEFAULT_SIDE_BY_SIDE, DEFAULT_LATENCY_MARGIN);
    }

    public RehearsalOptions withScratchSchema(String name) {
        return new RehearsalOptions(Optional.of(name), sampleRows, samplePercent, clients, rollback, keep, sideBySide, latencyMargin);
    }

    public RehearsalOptions withSampleRows(long rows) {
        return new RehearsalOptions(scratchSchema, rows, Optional.empty(), clients, rollback, keep, sideBySide, latencyMargin);
    }

    public RehearsalOptions withSamplePercent(double percent) {
        return new RehearsalOptions(scratchSchema, sampleRows, Optional.of(percent), clients, rollback, keep, sideBySide, latencyMargin);
    }

    public RehearsalOptions withClients(int n) {
        return new RehearsalOptions(scratchSchema, sampleRows, samplePercent, n, rollback, keep, sideBySide, latencyMargin);
    }

    public RehearsalOptions withRollback(boolean rollback) {
        return new RehearsalOptions(scratchSchema, sampleRows, samplePercent, clients, rollback, keep, sideBySide, latencyMargin);
    }

    public RehearsalOptions withKeep(boolean keep) {
        return new RehearsalOptions(scratchSchema, sampleRows, samplePercent, clients, rollback, keep, sideBySide, latencyMargin);
    }

    public RehearsalOptions withSideBySide(Duration d) {
        return new RehearsalOptions(scratchSchema, sampleRows, samplePercent, clients, rollback, keep, d, latencyMargin);
    }

    public RehearsalOptions withLatencyMargin(Duration d) {
        return new RehearsalOptions(scratchSchema, sampleRows, samplePercent, clients, rollback, keep, sideBySide, d);
    }
}
