package dev.bascule.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How Bascule's sessions are set up and put back, the lock that keeps its commands apart, and the errors a server reports for lock and statement timeouts. */
public interface Sessions {

    /**
     * The schema of the application's tables when none is given (PostgreSQL: {@code public}). A
     * dialect whose schemas are databases (MariaDB) answers with the connection's current database,
     * or empty when the connection has none; only such a dialect connects.
     */
    Optional<String> defaultSchema(ConnectionOpener server) throws SQLException;

    /** Whether {@code sqlState} means a lock wait was abandoned because of the lock timeout. */
    boolean isLockTimeout(String sqlState);

    /**
     * Whether {@code e} means a lock wait was abandoned because of the lock timeout. MariaDB reports
     * it with the generic SQLSTATE HY000, so its dialect looks at the error code too.
     */
    default boolean isLockTimeout(SQLException e) {
        return isLockTimeout(e.getSQLState());
    }

    /** Whether {@code e} means a statement ran into the statement timeout (the backfill then halves its batch). */
    boolean isStatementTimeout(SQLException e);

    /** Whether {@code e} is a syntax error (a type that does not parse, at plan time). */
    boolean isSyntaxError(SQLException e);

    /** Run on every connection Bascule opens: names it, fixes what the generated SQL relies on. */
    List<String> sessionSetup();

    /** Run on connections that change the schema or fill rows: the lock timeout, no statement timeout, the base schema. */
    List<String> workSetup(String schema, long lockTimeoutMillis);

    /** Undoes {@link #sessionSetup} and {@link #workSetup} before a (possibly pooled) connection is given back. */
    List<String> sessionReset();

    /** Puts a connection's session settings back as they were before Bascule's. */
    @FunctionalInterface
    interface SavedSession {
        void restore(Connection c) throws SQLException;
    }

    /**
     * Run on {@code c} before {@link #sessionSetup}: what puts back every setting Bascule's setup
     * and work change, so that a connection borrowed from the application's pool goes back with
     * the settings the pool gave it (its {@code search_path}, timeouts, ...). By default,
     * {@link #sessionReset}, for a dialect that saves the settings on the server itself.
     */
    default SavedSession saveSession(Connection c) throws SQLException {
        List<String> reset = sessionReset();
        return conn -> {
            try (java.sql.Statement s = conn.createStatement()) {
                for (String statement : reset) {
                    s.execute(statement);
                }
            }
        };
    }

    /** The server's id of {@code c}'s session (the pid that holds a lock, the thread an application waits on). */
    long sessionId(Connection c) throws SQLException;

    /** Takes the session-level lock {@code name} without waiting; false when another session holds it. */
    boolean tryLock(Connection c, String name) throws SQLException;

    /** Who holds lock {@code name}, as " (server pid ..., user ...)", or "" when that cannot be told. */
    String lockHolder(Connection c, String name) throws SQLException;

    /** Whether session {@code sessionId} still holds lock {@code name}; asked from any connection. */
    boolean holdsLock(Connection c, long sessionId, String name) throws SQLException;

    void unlock(Connection c, String name) throws SQLException;

    /** Refuses, before anything changes, a server this dialect cannot work with safely. */
    void requireServerVersion(Connection c) throws SQLException;

    /** The strongest lock {@code c}'s session holds on each table, by table; empty when the server does not tell. */
    Map<String, String> heldTableLocks(Connection c) throws SQLException;

    /**
     * Statements that free the table locks a failed step may still hold ({@code LOCK TABLES} where
     * DDL is not transactional); run, ignoring errors, whenever a step fails.
     */
    default List<String> releaseTableLocks() {
        return List.of();
    }

    /**
     * Statements, run first in a transaction, that take exclusive locks on the tables of
     * {@code locks}, in an order that lets the application's usual transactions through: a
     * transaction that writes a parent row then its children, and one that writes a child row (its
     * foreign key then reads the parent). Empty where DDL is not transactional.
     */
    default List<String> lockTogether(dev.bascule.step.Step.GroupLock locks) {
        return List.of();
    }

    /** Statements that make the session's DDL wait at most {@code millis} for a lock. */
    String setLockTimeout(long millis);

    /** Opens a further connection to the server, which the caller closes. */
    @FunctionalInterface
    interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    /**
     * Runs {@code statement} on {@code work} (whose session has {@link #workSetup}'s lock timeout) so
     * that it waits at most {@code lockTimeout} for a lock; a wait that reaches it fails with an
     * exception {@link #isLockTimeout(SQLException)} recognises. Here the session's lock timeout says
     * it exactly (PostgreSQL's {@code lock_timeout} counts milliseconds). A dialect whose setting is
     * coarser watches the wait from a connection of {@code watcher}'s and ends it.
     */
    /**
     * Runs one of the dialect's statements outside a step (a guard, a check), as the server must be
     * told it: MySQL runs MariaDB's compound statements only inside a procedure, say.
     */
    default void execute(Connection c, String statement) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    default void executeUnderLockTimeout(Connection work, String statement, java.time.Duration lockTimeout,
                                         ConnectionOpener watcher) throws SQLException {
        try (java.sql.Statement s = work.createStatement()) {
            s.execute(statement);
        }
    }
}
