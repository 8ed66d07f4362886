package dev.bascule.command;

import dev.bascule.api.BasculeException;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Sessions;
import dev.bascule.state.StateStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The connections of one command. {@code control} holds the session-level advisory lock for the
 * whole command and writes state; {@code work} runs DDL and backfill batches in autocommit. The
 * lock is deliberately not transaction-level on the DDL connection: CREATE INDEX CONCURRENTLY
 * waits for every older transaction, that one included, and would wait forever (flyway#3492).
 */
public final class Session implements AutoCloseable {
    public static final String APPLICATION_NAME = "bascule";

    private final Borrowed control;
    /** The server session of {@link #control}, which holds the advisory lock; 0 when not exclusive. */
    private final long controlPid;
    private final Borrowed work;
    private final StateStore state;

    private final boolean exclusive;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    /** A connection of the DataSource's, with what puts its session back as it came. */
    private record Borrowed(Connection connection, Sessions.SavedSession saved) {}

    private Session(Borrowed control, long controlPid, Borrowed work, StateStore state, boolean exclusive, DataSource dataSource,
                    Dialect dialect, Settings settings) {
        this.control = control;
        this.controlPid = controlPid;
        this.work = work;
        this.state = state;
        this.exclusive = exclusive;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    /** Opens the connections; with {@code exclusive}, takes the advisory lock or refuses. */
    public static Session open(DataSource ds, Dialect dialect, Settings settings, boolean exclusive) {
        StateStore state = new StateStore(settings.stateSchema(), dialect.stateSql());
        int needed = connectionsNeeded(settings, exclusive);
        java.util.OptionalInt pool = PoolCapacity.maximum(ds);
        if (pool.isPresent() && pool.getAsInt() < needed) {
            // a pool too small would hand out the first connections, then keep the next borrower
            // waiting for its timeout, and the failure would read as a broken connection
            throw new BasculeException("the DataSource's connection pool gives at most " + pool.getAsInt()
                    + " connection" + (pool.getAsInt() == 1 ? "" : "s") + " at once, and this command needs " + needed
                    + ": " + connectionsNeededWhy(settings, exclusive) + ". Make the pool at least " + needed
                    + " connections, plus what the application holds meanwhile, or give Bascule a DataSource of its own.");
        }
        Borrowed control = null;
        Borrowed work = null;
        try {
            control = connect(ds, dialect);
            long controlPid = 0;
            if (exclusive) {
                lock(control.connection(), dialect, state);
                controlPid = dialect.session().sessionId(control.connection());
            }
            work = workConnection(ds, dialect, settings);
            return new Session(control, controlPid, work, state, exclusive, ds, dialect, settings);
        } catch (SQLException e) {
            release(dialect, work, control, exclusive ? state.lockName() : null);
            if (e instanceof NotGiven && control != null) {
                throw new BasculeException("the DataSource gave a first connection but not a second: " + e.getMessage()
                        + ". This command needs " + needed + " connections at once (" + connectionsNeededWhy(settings, exclusive)
                        + "): is the pool smaller than that, or are all its connections in use?", e);
            }
            throw new BasculeException("cannot connect to the database: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(dialect, work, control, exclusive ? state.lockName() : null);
            throw e;
        }
    }

    /**
     * The connections a command holds at once: the control connection (the lock), the work
     * connection, and, in a command that changes the schema, one more for the backfill's health
     * monitor or for a lock-wait watch (never both at a time), plus one per backfill worker
     * when they are several (the work connection then waits).
     */
    static int connectionsNeeded(Settings settings, boolean exclusive) {
        if (!exclusive) {
            return 2;
        }
        int workers = settings.backfill().workers();
        return 3 + (workers > 1 ? workers : 0);
    }

    private static String connectionsNeededWhy(Settings settings, boolean exclusive) {
        String why = "the control connection that holds Bascule's lock, the work connection";
        if (!exclusive) {
            return why;
        }
        int workers = settings.backfill().workers();
        return why + ", one for the backfill's health monitor or a lock-wait watch" + (workers > 1 ? ", and one for each of the "
                + workers + " backfill workers" : "");
    }

    /**
     * A further connection set up like {@link #work()}, for a backfill worker or the health
     * monitor; the caller closes it.
     */
    public Connection newConnection() throws SQLException {
        Borrowed b;
        try {
            b = workConnection(dataSource, dialect, settings);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " (this command needs " + connectionsNeeded(settings, exclusive)
                    + " connections at once from its DataSource: " + connectionsNeededWhy(settings, exclusive) + ")",
                    e.getSQLState(), e.getErrorCode(), e);
        }
        Connection c = b.connection();
        // a pooled connection goes back to the application's pool: undo this session's settings first
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0 && !c.isClosed()) {
                        reset(dialect, b, null);
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Borrowed workConnection(DataSource ds, Dialect dialect, Settings settings) throws SQLException {
        Borrowed b = connect(ds, dialect);
        try (Statement s = b.connection().createStatement()) {
            for (String setup : dialect.session().workSetup(settings.schema(), settings.lockTimeout().toMillis())) {
                s.execute(setup);
            }
        } catch (SQLException e) {
            reset(dialect, b, null);
            closeQuietly(b.connection());
            throw e;
        }
        return b;
    }

    /** Borrows a connection and sets it up, having first saved the settings the setup changes. */
    private static Borrowed connect(DataSource ds, Dialect dialect) throws SQLException {
        Connection c;
        try {
            c = ds.getConnection();
        } catch (SQLException e) {
            throw new NotGiven(e);
        }
        Sessions.SavedSession saved;
        try {
            c.setAutoCommit(true);
            saved = dialect.session().saveSession(c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        Borrowed b = new Borrowed(c, saved);
        try (Statement s = c.createStatement()) {
            for (String setup : dialect.session().sessionSetup()) {
                s.execute(setup);
            }
        } catch (SQLException e) {
            reset(dialect, b, null);
            closeQuietly(c);
            throw e;
        }
        return b;
    }

    /** The DataSource gave no connection (as against a connection it gave failing afterwards). */
    private static final class NotGiven extends SQLException {
        NotGiven(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
        }
    }

    private static void lock(Connection c, Dialect dialect, StateStore state) throws SQLException {
        if (dialect.session().tryLock(c, state.lockName())) {
            return;
        }
        String holder = "";
        try {
            holder = dialect.session().lockHolder(c, state.lockName());
        } catch (SQLException ignored) {
            // the refusal matters more than naming the holder
        }
        throw new BasculeException("another Bascule command is running on this database" + holder
                + "; only one runs at a time. Wait for it to finish, then run this command again.");
    }

    public Connection control() { return control.connection(); }

    /**
     * Fails unless this session's control connection still holds the advisory lock: a control
     * connection terminated under a running backfill takes the lock with it, and a second command
     * could then start beside this one. Run by each backfill batch, in its transaction.
     */
    public void requireLock(Connection c) throws SQLException {
        if (!exclusive) {
            return;
        }
        if (!dialect.session().holdsLock(c, controlPid, state.lockName())) {
            throw new BasculeException("this command's control connection (server pid " + controlPid
                    + ") lost the lock that keeps Bascule commands apart; it stops here. Run the command again.");
        }
    }

    public Connection work() { return work.connection(); }

    public StateStore state() { return state; }

    public Dialect dialect() { return dialect; }

    /**
     * Releases the advisory lock and resets session settings explicitly: the server ends a closed
     * session a moment later (a next command could find the lock still held), and a pooled
     * connection is not closed at all.
     */
    @Override
    public void close() {
        release(dialect, work, control, exclusive ? state.lockName() : null);
    }

    private static void release(Dialect dialect, Borrowed work, Borrowed control, String lockName) {
        reset(dialect, work, null);
        reset(dialect, control, lockName);
        closeQuietly(work == null ? null : work.connection());
        closeQuietly(control == null ? null : control.connection());
    }

    /** Each part on its own: a failure of one must not keep the lock held. */
    private static void reset(Dialect dialect, Borrowed b, String lockName) {
        if (b == null) {
            return;
        }
        Connection c = b.connection();
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // a broken connection: the server ends its session, and its locks with it
        }
        if (lockName != null) {
            try {
                dialect.session().unlock(c, lockName);
            } catch (SQLException ignored) {
                // as above
            }
        }
        try {
            b.saved().restore(c);
        } catch (SQLException e) {
            // a connection going back to its pool with Bascule's settings would serve the
            // application with them: end it instead, and the pool replaces it
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // a broken connection: the server ends its session, and its locks with it
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing useful to do: the server drops the session and its locks
            }
        }
    }
}
