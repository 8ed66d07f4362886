package dev.bascule.api;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The state of the database's migrations, as {@code bascule status} shows it.
 *
 * @param active       the migration started and not yet completed or rolled back, or null
 * @param latestSchema the schema new code should put first in its search_path
 */
public record MigrationStatus(Active active, String latestSchema) {
    /** Every phase a migration's record may be in ({@link Active#phase()}), in the order it goes through them. */
    public static final List<String> PHASES = List.of("starting", "started", "completing", "completed",
            "rolling_back", "rolled_back");

    /** {@code pauseReason}: who paused, or which critical health signal did. */
    public record Active(String name, String schema, String phase, String versionSchema, String previousVersionSchema,
                         OffsetDateTime startedAt, boolean paused, String pauseReason, String lastError,
                         List<Backfill> backfills) {}

    /**
     * One table's backfill, all workers together. {@code rate} in rows per second since the
     * backfill began; {@code eta} null when unknown; {@code throttleReason} why it waits now, or null.
     */
    public record Backfill(String table, long rowsDone, long rowsTotal, double rate, Duration eta, boolean finished,
                           int workers, int batchSize, String throttleReason) {}
}
