package dev.bascule.command;

import dev.bascule.api.BasculeListener;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.Notifier;

import java.time.Duration;

/**
 * @param schema       the base schema holding the application's tables
 * @param stateSchema  where Bascule keeps its state and trigger functions
 * @param lockTimeout  the longest any DDL statement waits for a lock before giving up and retrying
 * @param lockAttempts how many times a statement is tried before the command fails
 * @param quietTime how long what was in use since start (an index a migration drops, a name it
 *                  removes, the old version) must then go unused for the gates to open
 * @param notifier     hears the events operators are told about (started, paused, failed, ...)
 */
public record Settings(String schema, String stateSchema, Duration lockTimeout, int lockAttempts,
                       BackfillOptions backfill, BasculeListener listener, Duration quietTime, Notifier notifier) {
    public static final Duration DEFAULT_QUIET_TIME = dev.bascule.safety.OldVersionIdleGate.DEFAULT_QUIET;

    public Settings(String schema, String stateSchema, Duration lockTimeout, int lockAttempts,
                    BackfillOptions backfill, BasculeListener listener, Duration quietTime) {
        this(schema, stateSchema, lockTimeout, lockAttempts, backfill, listener, quietTime, Notifier.NONE);
    }

    public Settings(String schema, String stateSchema, Duration lockTimeout, int lockAttempts,
                    BackfillOptions backfill, BasculeListener listener) {
        this(schema, stateSchema, lockTimeout, lockAttempts, backfill, listener, DEFAULT_QUIET_TIME);
    }
}
