package dev.bascule.command;

import dev.bascule.api.BasculeListener;
import dev.bascule.backfill.BackfillOptions;

import java.time.Duration;

/**
 * @param schema       the base schema holding the application's tables
 * @param stateSchema  where Bascule keeps its state and trigger functions
 * @param lockTimeout  the longest any DDL statement waits for a lock before giving up and retrying
 * @param lockAttempts how many times a statement is tried before the command fails
 */
public record Settings(String schema, String stateSchema, Duration lockTimeout, int lockAttempts,
                       BackfillOptions backfill, BasculeListener listener) {}
