package dev.bascule.command;

import dev.bascule.api.BasculeListener;
import dev.bascule.backfill.BackfillOptions;
import dev.bascule.notify.Notifier;

import java.time.Duration;

/**
 * @param schema       the base schema holding the application's tables
 * @param stateSchema  where Bascule keeps its state and trigger functions
 * @param lockTimeout  the longest any DDL statement waits for a lock before giving up and retrying
 * @param lockAttempts how many times a statement is tried before the command fails
 * @param oldVersionQuiet how long the old version must go unread for the {@code old_version_idle} gate,
 *                        when it was read since start
 * @param notifier     hears the events operators are told about (started, paused, failed, ...)
 */
public record Settings(String schema, String stateSchema, Duration lockTimeout, int lockAttempts,
                       BackfillOptions backfill, BasculeListener listener, Duration oldVersionQuiet, Notifier notifier) {
    public static final Duration DEFAULT_OLD_VERSION_QUIET = dev.bascule.safety.OldVersionIdleGate.DEFAULT_QUIET;

    public Settings(String schema, String stateSchema, Duration lockTimeout, int lockAttempts,
                    BackfillOptions backfill, BasculeListener listener, Duration oldVersionQuiet) {
        this(schema, stateSchema, lockTimeout, lockAttempts, backfill, listener, oldVersionQuiet, Notifier.NONE);
    }

    public Settings(String schema, String stateSchema, Duration lockTimeout, int lockAttempts,
                    BackfillOptions backfill, BasculeListener listener) {
        this(schema, stateSchema, lockTimeout, lockAttempts, backfill, listener, DEFAULT_OLD_VERSION_QUIET);
    }
}
