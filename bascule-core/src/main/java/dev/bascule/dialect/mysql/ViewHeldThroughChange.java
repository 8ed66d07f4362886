package dev.bascule.dialect.mysql;

import dev.bascule.dialect.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A rename of a table or of columns, and the new version's view over them made again, with no
 * moment in which a query through the view finds it naming a column that is gone (error 1356).
 * A MariaDB view names its table and columns, and CREATE VIEW is refused under LOCK TABLES (1192),
 * so one session cannot do both under one lock. Instead:
 *
 * <ol>
 * <li>{@code LOCK TABLES view WRITE}: the view's metadata lock first, then its table's (written to
 * with the view's lock): queries through the view, and on the table, wait. Naming the table too
 * would lock it first (MariaDB takes the names' locks in order, and the version's database sorts
 * after the application's): a query holding the view and waiting for the table would then lose a
 * deadlock to the lock and start again, but with the view as it had read it (measured: 1356 once
 * the column is renamed);</li>
 * <li>the renames (and a swap's trigger drops) under that lock;</li>
 * <li>{@code CREATE OR REPLACE VIEW} on a second connection, which waits for the view's exclusive
 * metadata lock; once the processlist shows it waiting,</li>
 * <li>{@code UNLOCK TABLES}: the waiting exclusive request is granted before the queries' shared
 * ones (MariaDB serves a pending exclusive metadata lock first), so the view is made again
 * before any query reads it. A query already holding the view's lock while it waited for the
 * table backs off and opens the view again (measured: no 1356, no deadlock for the client).</li>
 * </ol>
 *
 * Written into the plan as one statement (so that {@code plan} shows it whole and a retry runs it
 * whole), each part on a line of its own after a marker comment.
 */
final class ViewHeldThroughChange {
    private static final Logger LOG = LoggerFactory.getLogger(ViewHeldThroughChange.class);
    static final String MARKER = "/* bascule: the view waits through the change */";
    private static final String SEPARATOR = ";\n";
    /** How long the view's statement may take to reach its lock wait before the lock is released anyway. */
    private static final long QUEUE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Runs one statement under the lock timeout. */
    interface Runner {
        void run(Connection c, String statement) throws SQLException;
    }

    private ViewHeldThroughChange() {}

    static String encode(String lock, List<String> changes, String createView) {
        List<String> parts = new ArrayList<>();
        parts.add(lock);
        parts.addAll(changes);
        parts.add(createView);
        parts.add("UNLOCK TABLES");
        for (String p : parts) {
            if (p.contains("\n")) {
                throw new IllegalArgumentException("a statement of several lines: " + p);
            }
        }
        return MARKER + "\n" + String.join(SEPARATOR, parts);
    }

    static boolean isOne(String statement) {
        return statement.startsWith(MARKER);
    }

    static void execute(Connection work, String compound, Sessions.ConnectionOpener opener, Runner underLockTimeout)
            throws SQLException {
        List<String> parts = List.of(compound.substring(MARKER.length() + 1).split(SEPARATOR));
        String lock = parts.get(0);
        List<String> changes = parts.subList(1, parts.size() - 2);
        String createView = parts.get(parts.size() - 2);
        underLockTimeout.run(work, lock);
        try {
            for (String change : changes) {
                underLockTimeout.run(work, change);
            }
        } catch (SQLException | RuntimeException e) {
            unlock(work, e); // the changes are atomic each and the step is rerun whole: no view to make yet
            throw e;
        }
        CompletableFuture<Void> view;
        try {
            view = queueBehindTheLock(createView, opener);
        } catch (SQLException | RuntimeException e) {
            // no second session (e.g. no connection left): the changes are done, so the view is made
            // right after the lock, with a moment in which queries through it may fail
            view = CompletableFuture.failedFuture(e);
        }
        try (Statement s = work.createStatement()) {
            s.execute("UNLOCK TABLES");
        }
        try {
            view.get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the view " + createView + " was made again", e);
        } catch (ExecutionException | TimeoutException e) {
            // the renames are done: the view is made here, as before, with a moment for queries to fail
            LOG.warn("the view could not be made again while the table was locked ({}); making it now",
                    e.getCause() == null ? e.toString() : e.getCause().getMessage());
            underLockTimeout.run(work, createView);
        }
    }

    /**
     * Starts {@code createView} on a connection of its own and returns once it waits for the view's
     * metadata lock (or after {@link #QUEUE_NANOS}: the lock is then released anyway, and a query may
     * still see the view broken for a moment).
     */
    private static CompletableFuture<Void> queueBehindTheLock(String createView, Sessions.ConnectionOpener opener)
            throws SQLException {
        Connection viewSession = opener.open();
        long id;
        try (Statement s = viewSession.createStatement()) {
            // it waits only for Bascule's own lock, held for milliseconds
            s.execute("SET SESSION lock_wait_timeout = 60");
            try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                id = rs.getLong(1);
            }
        } catch (SQLException e) {
            viewSession.close();
            throw e;
        }
        CompletableFuture<Void> view = CompletableFuture.runAsync(() -> {
            try (viewSession; Statement s = viewSession.createStatement()) {
                s.execute(createView);
            } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        long deadline = System.nanoTime() + QUEUE_NANOS;
        try (Connection look = opener.open();
             PreparedStatement waiting = look.prepareStatement("SELECT STATE LIKE 'Waiting for % metadata lock'"
                     + " FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            waiting.setLong(1, id);
            while (!view.isDone() && System.nanoTime() < deadline) {
                try (ResultSet rs = waiting.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return view;
                    }
                }
                Thread.onSpinWait();
            }
        }
        LOG.warn("the view's re-creation did not queue behind the lock within {} ms", TimeUnit.NANOSECONDS.toMillis(QUEUE_NANOS));
        return view;
    }

    private static void unlock(Connection work, Exception failure) {
        try (Statement s = work.createStatement()) {
            s.execute("UNLOCK TABLES");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
