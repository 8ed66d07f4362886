package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.Sessions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.bascule.dialect.Dialect.OWN_STATEMENT;

/** PostgreSQL's session settings, advisory locks and timeouts. */
final class PostgresSessions extends PostgresRole implements Sessions {

    /** PostgreSQL's table lock modes, weakest first. */
    public static final List<String> LOCK_MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    PostgresSessions(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public boolean isLockTimeout(String sqlState) {
        return "55P03".equals(sqlState);
    }

    @Override
    public String setLockTimeout(long millis) {
        return "SET lock_timeout = " + Math.max(0, millis);
    }

    /**
     * SHARE on the referenced tables first: it waits for the transactions writing them and holds off
     * new ones, yet a foreign key's check (ROW SHARE) still passes, so a transaction that wrote a
     * child row and now checks its parent can end. Then ACCESS EXCLUSIVE on every table, referencing
     * tables first: no writer of a referenced table is left holding it while it waits for a child.
     * Taking ACCESS EXCLUSIVE on either table first would queue one of the two kinds of writer
     * behind the swap while it holds the table the swap needs next, until the lock timeout.
     */
    @Override
    public List<String> lockTogether(dev.bascule.step.Step.GroupLock locks) {
        List<String> sql = new ArrayList<>();
        List<dev.bascule.step.Step.TableName> parentsFirst = new ArrayList<>(locks.referenced());
        java.util.Collections.reverse(parentsFirst);
        parentsFirst.forEach(t -> sql.add("LOCK TABLE " + qualify(t.schema(), t.name()) + " IN SHARE MODE"));
        locks.tables().forEach(t -> sql.add("LOCK TABLE " + qualify(t.schema(), t.name()) + " IN ACCESS EXCLUSIVE MODE"));
        return sql;
    }

    @Override
    public boolean isStatementTimeout(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    @Override
    public boolean isSyntaxError(SQLException e) {
        return "42601".equals(e.getSQLState());
    }

    /**
     * Settings that change how the server lexes SQL are pinned: with standard_conforming_strings
     * off, {@code '\''} is one quote and a backfill or plan check would read an expression
     * differently from the check that let it through. Expressions hold no backslash at all (see
     * {@link dev.bascule.model.Expressions}), which also keeps trigger bodies meaning the same when
     * PL/pgSQL compiles them in an application's session under its own setting.
     */
    @Override
    public List<String> sessionSetup() {
        // check_function_bodies: a trigger function that does not compile fails when start creates it,
        // not in the application's first write after it
        return List.of("SET application_name = 'bascule'", "SET standard_conforming_strings = on",
                "SET backslash_quote = safe_encoding", "SET check_function_bodies = on");
    }

    @Override
    public List<String> workSetup(String schema, long lockTimeoutMillis) {
        // sql operations name tables as the file's author sees them: in the base schema
        return List.of(setLockTimeout(lockTimeoutMillis), "SET statement_timeout = 0", "SET search_path = " + quote(schema));
    }

    /**
     * For a caller that ran {@link #sessionSetup} alone without {@link #saveSession} (Sessions always
     * save): each setting the setup changed, back to the session's start. Not RESET ALL, which would
     * also take back what an application's pool set (its search_path); {@link #saveSession} puts
     * back even the setup's own settings as the pool had them.
     */
    @Override
    public List<String> sessionReset() {
        return SavedSettings.names(sessionSetup()).stream().filter(n -> !n.contains(".")).map(n -> "RESET " + n).toList();
    }

    /**
     * Saves, by name, every setting Bascule's own statements change on a connection: whatever
     * {@link #sessionSetup} lists, the work settings, and (though SET LOCAL ends with its
     * transaction) the backfill's and the checks' settings, in case one of them is ever set for
     * the session.
     */
    @Override
    public SavedSession saveSession(Connection c) throws SQLException {
        List<String> statements = new ArrayList<>(sessionSetup());
        statements.addAll(workSetup("bascule", 1));
        statements.add(setLockTimeout(0));
        statements.addAll(dialect.copy().backfillBatchSettings(java.time.Duration.ofSeconds(1)));
        statements.addAll(dialect.checks().expressionCheckSettings("bascule"));
        statements.add(dialect.health().healthSignals().throttleQueryTimeout());
        return SavedSettings.read(c, SavedSettings.names(statements));
    }

    @Override
    public long sessionId(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(OWN_STATEMENT + "SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public boolean tryLock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public String lockHolder(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.pid, a.usename, a.client_addr, a.backend_start"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = hashtext(?)::oid AND l.database ="
                + " (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return " (server pid " + rs.getInt(1) + ", user " + rs.getString(2)
                            + (rs.getString(3) == null ? "" : ", from " + rs.getString(3)) + ", connected " + rs.getString(4) + ")";
                }
            }
        }
        return "";
    }

    @Override
    public boolean holdsLock(Connection c, long sessionId, String name) throws SQLException {
        // OWN_STATEMENT: each backfill batch runs this, and it is not the application's traffic
        try (PreparedStatement ps = c.prepareStatement(OWN_STATEMENT + "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND pid = ? AND objid = hashtext(?)::oid"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))")) {
            ps.setInt(1, (int) sessionId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public void unlock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            ps.setString(1, name);
            ps.execute();
        }
    }

    /** Version views need security_invoker (PostgreSQL 15); refuse before anything changes. */
    @Override
    public void requireServerVersion(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            int version = Integer.parseInt(rs.getString(1));
            if (version < 150000) {
                throw new dev.bascule.api.BasculeException("Bascule needs PostgreSQL 15 or later (version views use"
                        + " security_invoker); this server is " + version / 10000 + "." + version % 100);
            }
        }
    }

    @Override
    public Map<String, String> heldTableLocks(Connection c) throws SQLException {
        Map<String, String> locks = new java.util.TreeMap<>();
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
                        + " AND c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                locks.merge(rs.getString(1), rs.getString(2),
                        (a, b) -> LOCK_MODES.indexOf(a) >= LOCK_MODES.indexOf(b) ? a : b);
            }
        }
        return locks;
    }

    /** The application's tables are in {@code public} unless the migration says otherwise. */
    @Override
    public Optional<String> defaultSchema(ConnectionOpener server) {
        return Optional.of("public");
    }
}
