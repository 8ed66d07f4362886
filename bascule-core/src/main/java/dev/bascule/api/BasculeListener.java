package dev.bascule.api;

import java.time.Duration;

/** Hears what a command does, for progress output. Every method has a do-nothing default. */
public interface BasculeListener {

    /** A step of {@code phase} ("start", "complete", "rollback") begins. */
    default void stepStarted(String phase, int index, int total, String description, String lock) {}

    /** A step ended; {@code skipped} when its effect was already there. */
    default void stepFinished(String phase, int index, int total, String description, Duration took, boolean skipped) {}

    /**
     * The table locks a transactional step held, read from {@code pg_locks} just before it
     * committed; {@code held} is the time from its first statement to its commit (an upper bound
     * of how long any application query could have waited on them).
     *
     * @param locks table name to lock mode, e.g. {@code users -> AccessExclusiveLock}
     */
    default void locksHeld(String phase, String description, java.util.Map<String, String> locks, Duration held) {}

    /** A statement gave up waiting for a lock and will be tried again after {@code wait}. */
    default void lockRetry(String description, int attempt, Duration wait) {}

    /** Progress of a backfill, after each batch. {@code eta} is null when unknown. */
    default void backfill(String table, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta,
                          int batchSize, String state) {}

    /** One backfill batch committed: where its time went (see {@link BackfillBatch}). */
    default void backfillBatch(BackfillBatch batch) {}

    /**
     * The backfill waited instead of running a batch: {@code reason} is the health signal or
     * pause behind it, {@code waited} how long.
     */
    default void backfillWaited(String table, String reason, Duration waited) {}

    /** Something the user should know. */
    default void note(String message) {}

    BasculeListener NONE = new BasculeListener() { };
}
