package dev.bascule.command;

import dev.bascule.api.BasculeException;
import dev.bascule.api.BasculeListener;
import dev.bascule.dialect.Dialect;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a statement that may give up on a lock (lock_timeout) and tries again after an exponential
 * backoff with jitter, so that application queries queued behind a waiting ALTER are released
 * after at most one lock timeout, and several Bascule-like clients do not retry in step.
 */
final class LockRetry {
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    interface SqlAction {
        void run() throws SQLException;
    }

    private final Dialect dialect;
    private final int attempts;
    private final Duration lockTimeout;
    private final BasculeListener listener;

    LockRetry(Dialect dialect, Settings settings) {
        this.dialect = dialect;
        this.attempts = settings.lockAttempts();
        this.lockTimeout = settings.lockTimeout();
        this.listener = settings.listener();
    }

    void run(String description, SqlAction action) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return;
            } catch (SQLException e) {
                if (!dialect.session().isLockTimeout(e)) {
                    throw e;
                }
                if (attempt >= attempts) {
                    throw new BasculeException("'" + description + "' could not take its lock within the lock timeout ("
                            + lockTimeout.toMillis() + " ms) in " + attempts + " attempts: a long transaction holds a"
                            + " conflicting lock (see pg_stat_activity, or SHOW PROCESSLIST on MySQL/MariaDB). Nothing was left half-done; run the command"
                            + " again when it has ended, or raise --lock-timeout.", e);
                }
                long cap = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 16));
                Duration wait = Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
                listener.lockRetry(description, attempt, wait);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new BasculeException("interrupted while waiting to retry '" + description + "'");
                }
            }
        }
    }
}
