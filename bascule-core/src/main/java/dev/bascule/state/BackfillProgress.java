package dev.bascule.state;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Checkpoint of one table's backfill. {@code lastKey} is the key of the last row done, written in
 * the same transaction as that row's batch, so a batch is done exactly once.
 */
public record BackfillProgress(long migrationId, int step, String table, List<String> highWatermark,
                               List<String> lastKey, long rowsDone, long rowsTotal, long batches,
                               OffsetDateTime startedAt, OffsetDateTime updatedAt, OffsetDateTime finishedAt) {
    public boolean finished() {
        return finishedAt != null;
    }
}
