package dev.bascule.api;

import java.time.Duration;

/**
 * Where one backfill batch's time went, for benchmarks and diagnosis: the batch holds the row
 * locks of its range from its write until its commit, so {@code write + checkpoint + commit} is
 * the longest an application statement on one of those rows can have waited for it.
 *
 * @param table      the table being filled
 * @param worker     the worker (key range) that ran it, from 0
 * @param rows       rows written
 * @param size       the batch size asked for
 * @param between    from the previous batch's end (after its pause) to this one's first statement: the
 *                   checks of the pause flag, the schedule window and the health verdict
 * @param settings   the transaction's settings and the check that the command still holds its lock
 * @param bound      reading the batch's upper key (no row locks yet)
 * @param write      the UPDATE or copy statements (row locks taken as they go)
 * @param checkpoint moving the worker's checkpoint, in the same transaction
 * @param commit     the commit (row locks released)
 * @param pause      the wait after the batch: the rate limit or batch delay
 * @param waiters    application sessions waiting on the batch's locks just before it committed (every
 *                   session it blocked), counted within {@code checkpoint}; -1 where the server does not tell
 */
public record BackfillBatch(String table, int worker, int rows, int size, Duration between, Duration settings, Duration bound, Duration write, Duration checkpoint,
                            Duration commit, Duration pause, int waiters) {

    /** A batch whose waiters were not counted. */
    public BackfillBatch(String table, int worker, int rows, int size, Duration between, Duration settings, Duration bound,
                         Duration write, Duration checkpoint, Duration commit, Duration pause) {
        this(table, worker, rows, size, between, settings, bound, write, checkpoint, commit, pause, -1);
    }

    /** From the first row lock to the commit: the longest a statement could have waited on this batch. */
    public Duration lockHold() {
        return write.plus(checkpoint).plus(commit);
    }
}
