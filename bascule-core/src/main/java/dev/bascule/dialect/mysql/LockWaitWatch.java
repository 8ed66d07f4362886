package dev.bascule.dialect.mysql;

import dev.bascule.dialect.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ends a statement's lock wait once it has lasted the lock timeout, to the millisecond. MariaDB's
 * {@code lock_wait_timeout} counts whole seconds (a fraction is refused, error 1232), and so does
 * the {@code WAIT n} clause of ALTER, RENAME, DROP, TRUNCATE, LOCK TABLES and CREATE/DROP INDEX: it
 * takes {@code WAIT 0.25} but reads it as {@code WAIT 0}, that is NOWAIT (measured on 10.11: it gives
 * up at once; {@code WAIT 1.5} gives up after 1 s). A budget of 250 ms would so become 1 s, for the
 * statement and for every application query queued behind its pending exclusive metadata lock.
 *
 * <p>A thread of the statement's own watches its session in the processlist, from a connection of
 * its own opened only if the statement is still running after half the budget (most DDL is done in
 * milliseconds). Once the session has been in a lock-wait state ({@code Waiting for .. lock}) for the
 * whole budget, it ends that one query with {@code KILL QUERY ID}, which cannot touch a later
 * statement of the session. The statement fails with 1205 like a lock_wait_timeout, and is retried
 * as one. The session's own lock_wait_timeout (rounded up) stays the bound if the watch cannot run.
 * Should the lock be granted between the look and the kill, the statement is ended just after it
 * began: Bascule's DDL is atomic on MariaDB 10.11 and idempotent, and is retried.
 */
final class LockWaitWatch {
    private static final Logger LOG = LoggerFactory.getLogger(LockWaitWatch.class);

    private final Connection work;
    private final Duration budget;
    private final Sessions.ConnectionOpener opener;
    private final AtomicReference<String> ended = new AtomicReference<>();
    private volatile boolean done;

    private final MySqlFamily family;

    private LockWaitWatch(Connection work, Duration budget, Sessions.ConnectionOpener opener, MySqlFamily family) {
        this.family = family;
        this.work = work;
        this.budget = budget;
        this.opener = opener;
    }

    /** Runs {@code statement} on {@code work}, its lock waits ended after {@code budget}. */
    static void execute(Connection work, String statement, Duration budget, Sessions.ConnectionOpener opener,
                        MySqlFamily family) throws SQLException {
        new LockWaitWatch(work, budget, opener, family).run(statement);
    }

    private void run(String statement) throws SQLException {
        long session;
        try (Statement s = work.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            session = rs.getLong(1);
        }
        long started = System.nanoTime();
        Thread watcher = new Thread(() -> watch(session, started), "bascule-lock-wait");
        watcher.setDaemon(true);
        watcher.start();
        try (Statement s = work.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            String why = ended.get();
            if (why != null) {
                throw new SQLException(why, "HY000", MariaDbDialect.LOCK_WAIT_TIMEOUT, e);
            }
            throw e;
        } finally {
            done = true;
            watcher.interrupt();
            try {
                watcher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void watch(long session, long started) {
        long budgetNanos = budget.toNanos();
        long poll = Math.max(5_000_000L, Math.min(50_000_000L, budgetNanos / 10));
        if (!pause(budgetNanos / 2)) {
            return;
        }
        try (Connection c = opener.open();
             PreparedStatement look = c.prepareStatement(family.lockWaitLook())) {
            look.setLong(1, session);
            long waitingSince = -1;
            boolean first = true;
            while (!done) {
                long queryId;
                boolean waiting;
                try (ResultSet rs = look.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    queryId = rs.getLong(1);
                    waiting = rs.getBoolean(2);
                }
                long now = System.nanoTime();
                if (!waiting) {
                    waitingSince = -1;
                } else if (waitingSince < 0) {
                    // seen waiting at the first look: the statement has waited since it began
                    waitingSince = first ? started : now;
                }
                first = false;
                if (waiting && now - waitingSince >= budgetNanos && !done) {
                    ended.set("gave up waiting for a lock after " + budget.toMillis() + " ms (the lock timeout;"
                            + " lock_wait_timeout counts whole seconds, so Bascule ended the wait itself)");
                    try (Statement kill = c.createStatement()) {
                        kill.execute(family.killQuery(queryId));
                    } catch (SQLException e) {
                        ended.set(null); // the query ended by itself meanwhile
                    }
                    return;
                }
                if (!pause(waiting ? Math.min(poll, waitingSince + budgetNanos - now) : poll)) {
                    return;
                }
            }
        } catch (SQLException e) {
            if (!done) {
                LOG.warn("cannot watch the lock wait of a DDL statement ({}); lock_wait_timeout bounds it", e.getMessage());
            }
        }
    }

    /** @return false when the statement is done (or the watch interrupted) meanwhile */
    private boolean pause(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !done;
    }
}
