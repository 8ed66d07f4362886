package dev.bascule.state;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Checkpoint of one worker of one table's backfill. The worker covers keys above
 * {@code lowerKey} (null: from the first) up to {@code highWatermark} inclusive. {@code lastKey}
 * is the key of the last row done, written in the same transaction as that row's batch, so a
 * batch is done exactly once.
 */
public record BackfillProgress(long migrationId, int step, int worker, String table, List<String> lowerKey,
                               List<String> highWatermark, List<String> lastKey, long rowsDone, long rowsTotal,
                               long batches, int batchSize, String throttleReason, OffsetDateTime startedAt,
                               OffsetDateTime updatedAt, OffsetDateTime finishedAt) {
    public boolean finished() {
        return finishedAt != null;
    }

    /** Where the next batch starts: after the checkpoint, else after the range's lower bound. */
    public List<String> resumeAfter() {
        return lastKey != null ? lastKey : lowerKey;
    }
}
