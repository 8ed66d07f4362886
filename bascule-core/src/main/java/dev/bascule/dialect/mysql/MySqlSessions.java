package dev.bascule.dialect.mysql;

import dev.bascule.api.BasculeException;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Sessions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The MySQL family's session settings, named locks (GET_LOCK) and timeouts. */
final class MySqlSessions extends MySqlRole implements Sessions {

    /** major.minor of a version string such as {@code 10.11.19-MariaDB-0+deb12u1}. */
    private static final class Matcher {
        final int major;
        final int minor;

        Matcher(String version) {
            java.util.regex.Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
            major = m.find() ? Integer.parseInt(m.group(1)) : 0;
            minor = major > 0 ? Integer.parseInt(m.group(2)) : 0;
        }
    }

    MySqlSessions(Dialect dialect) {
        super(dialect);
    }

    @Override
    public boolean isLockTimeout(String sqlState) {
        return false; // HY000 is every error's state here: the code tells, see isLockTimeout(SQLException)
    }

    /**
     * A deadlock (1213: InnoDB's, or the metadata lock detector's) ends Bascule's statement like a
     * lock wait given up: every statement Bascule runs is idempotent and atomic, and is retried
     * (a backfill batch is split), so the application never has to.
     */
    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT || e.getErrorCode() == DEADLOCK;
    }

    @Override
    public boolean isStatementTimeout(SQLException e) {
        return STATEMENT_TIMEOUT.contains(e.getErrorCode());
    }

    @Override
    public boolean isSyntaxError(SQLException e) {
        return e.getErrorCode() == PARSE_ERROR;
    }

    /**
     * lock_wait_timeout counts whole seconds (MariaDB 10.11 refuses a fraction, error 1232), so a
     * timeout under a second is rounded up to one here; {@link #executeUnderLockTimeout} ends a
     * step's lock waits at the exact timeout, and this session setting is its fallback.
     */
    @Override
    public String setLockTimeout(long millis) {
        // 0 would mean "never wait" here, not "no limit" as in PostgreSQL: a year stands for no limit
        long seconds = millis <= 0 ? 31_536_000 : Math.max(1, (millis + 999) / 1000);
        return "SET SESSION lock_wait_timeout = " + seconds;
    }

    /**
     * A timeout of whole seconds is lock_wait_timeout's own; any other is watched to the millisecond
     * by {@link LockWaitWatch} ({@code WAIT n} reads a fraction as 0, see there).
     */
    @Override
    public void executeUnderLockTimeout(Connection work, String statement, Duration lockTimeout,
                                        ConnectionOpener watcher) throws SQLException {
        if (ViewHeldThroughChange.isOne(statement)) {
            ViewHeldThroughChange.execute(work, statement, watcher,
                    (c, part) -> executeUnderLockTimeout(c, part, lockTimeout, watcher));
            return;
        }
        family().execute(work, statement, (c, part) -> {
            if (lockTimeout.isZero() || lockTimeout.isNegative() || lockTimeout.toMillis() % 1000 == 0) {
                Sessions.super.executeUnderLockTimeout(c, part, lockTimeout, watcher);
            } else {
                LockWaitWatch.execute(c, part, lockTimeout, watcher, family());
            }
        });
    }

    @Override
    public void execute(Connection c, String statement) throws SQLException {
        family().execute(c, statement, Sessions.super::execute);
    }

    @Override
    public List<String> sessionSetup() {
        // strict: a NULL or an out-of-range value is an error, never silently turned into 0 or ''
        // (SET NOT NULL on a column holding a NULL must fail); times are kept in UTC.
        // The sql_mode holds neither ANSI_QUOTES nor NO_BACKSLASH_ESCAPES: they change how the server
        // lexes quotes and backslashes, and expressions are checked as read without them (see
        // Expressions, which refuses backslashes anyway). Triggers and views keep the sql_mode they
        // were created under, so the trigger bodies Bascule writes read expressions this way too.
        return List.of("SET " + SAVED + " = COALESCE(" + SAVED + ", JSON_OBJECT('sql_mode', @@SESSION.sql_mode,"
                        + " 'time_zone', @@SESSION.time_zone, 'wait_timeout', @@SESSION.wait_timeout,"
                        + " 'tx_isolation', @@SESSION." + family().isolationVariable() + ", 'lock_wait_timeout', @@SESSION.lock_wait_timeout,"
                        + " 'max_statement_time', @@SESSION." + family().statementTimeVariable() + ","
                        + " 'innodb_lock_wait_timeout', @@SESSION.innodb_lock_wait_timeout))",
                "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
                + "NO_ENGINE_SUBSTITUTION'", "SET SESSION time_zone = '+00:00'",
                // the control connection holds GET_LOCK and sits idle through a long backfill: the
                // server's wait_timeout (8 h by default) must not end it and with it the lock
                "SET SESSION wait_timeout = 31536000");
    }

    @Override
    public List<String> workSetup(String schema, long lockTimeoutMillis) {
        return List.of(setLockTimeout(lockTimeoutMillis), family().setStatementTime(0), "USE " + quote(schema));
    }

    /**
     * Back to what the (possibly pooled) connection had before {@link #sessionSetup}, not to the
     * server's defaults: an application pool may set its own sql_mode, time zone or isolation.
     */
    @Override
    public List<String> sessionReset() {
        return List.of("SET " + BACKFILL_VARIABLE + " = NULL",
                "SET SESSION lock_wait_timeout = " + saved("lock_wait_timeout", "UNSIGNED"),
                "SET SESSION " + family().statementTimeVariable() + " = " + saved("max_statement_time",
                        family().statementTimeVariable(), family() == MySqlFamily.MYSQL ? "UNSIGNED" : "DOUBLE"),
                "SET SESSION innodb_lock_wait_timeout = " + saved("innodb_lock_wait_timeout", "UNSIGNED"),
                "SET SESSION sql_mode = " + saved("sql_mode", null), "SET SESSION time_zone = " + saved("time_zone", null),
                "SET SESSION wait_timeout = " + saved("wait_timeout", "UNSIGNED"),
                "SET SESSION " + family().isolationVariable() + " = " + saved("tx_isolation", family().isolationVariable(), null),
                "SET " + SAVED + " = NULL");
    }

    @Override
    public long sessionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** GET_LOCK with no wait: a session-level lock the server frees when the session ends. */
    @Override
    public boolean tryLock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            ps.setString(1, lockName(name));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    @Override
    public String lockHolder(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT p.ID, p.USER, p.HOST, p.TIME FROM information_schema.PROCESSLIST p"
                + " WHERE p.ID = IS_USED_LOCK(?)")) {
            ps.setString(1, lockName(name));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return " (server connection " + rs.getLong(1) + ", user " + rs.getString(2) + ", from " + rs.getString(3)
                            + ", for " + rs.getLong(4) + " s in its current state)";
                }
            }
        }
        return "";
    }

    @Override
    public boolean holdsLock(Connection c, long sessionId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, lockName(name));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long holder = rs.getLong(1);
                return !rs.wasNull() && holder == sessionId;
            }
        }
    }

    @Override
    public void unlock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, lockName(name));
            ps.execute();
        }
    }

    /** MySQL 8 limits lock names to 64 characters; a longer one is cut and given a hash. */
    private static String lockName(String name) {
        return name.length() <= 64 ? name : name.substring(0, 47) + "_" + hash(name);
    }

    @Override
    public void requireServerVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            Matcher m = new Matcher(version);
            boolean mariadb = MySqlFamily.ofVersion(version) == MySqlFamily.MARIADB;
            if (mariadb != (family() == MySqlFamily.MARIADB)) {
                throw new BasculeException("this dialect speaks " + family().product() + "'s SQL, and the server is " + version
                        + ": let Bascule tell the server from the connection (no dialect chosen from the JDBC URL)");
            }
            // 10.11: RENAME COLUMN, instant ADD/DROP COLUMN, CREATE OR REPLACE TRIGGER, TYPE OF in triggers
            if (mariadb && (m.major < 10 || (m.major == 10 && m.minor < 11))) {
                throw new BasculeException("Bascule needs MariaDB 10.11 or later on this dialect (instant ADD/DROP"
                        + " COLUMN, RENAME COLUMN, anchored types in triggers); this server is " + version);
            }
            // 8.0.29: instant DROP and RENAME COLUMN, and ADD COLUMN anywhere in the table
            int patch = patch(version);
            if (!mariadb && (m.major < 8 || (m.major == 8 && m.minor == 0 && patch < 29))) {
                throw new BasculeException("Bascule needs MySQL 8.0.29 or later (ALGORITHM=INSTANT for ADD, DROP and RENAME"
                        + " COLUMN); this server is " + version);
            }
        }
    }

    private static int patch(String version) {
        java.util.regex.Matcher m = Pattern.compile("^\\d+\\.\\d+\\.(\\d+)").matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** A schema is a database here: the connection's current one (the JDBC URL's), if any. */
    @Override
    public Optional<String> defaultSchema(ConnectionOpener server) throws SQLException {
        try (Connection c = server.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    @Override
    public List<String> releaseTableLocks() {
        return List.of("UNLOCK TABLES");
    }

    @Override
    public Map<String, String> heldTableLocks(Connection c) {
        return Map.of(); // metadata locks are visible only through the metadata_lock_info plugin
    }
}
