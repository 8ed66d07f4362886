package dev.bascule.rehearsal;

import dev.bascule.api.BasculeException;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Logger;

/**
 * The temporary PostgreSQL role a rehearsal runs as. Whatever a migration file says (sql operations,
 * {@code up} expressions calling functions, {@code SET search_path}, {@code RESET ROLE}, {@code SET
 * ROLE}, {@code SET SESSION AUTHORIZATION}), a session that <em>logs in</em> as this role can only be
 * this role: it is no superuser and a member of no role, so the real tables are out of its reach
 * unless they grant to PUBLIC (which {@link #refusePublicWrites} refuses). A {@code SET ROLE} on the
 * invoking user's session would not do: {@code RESET ROLE} undoes it.
 *
 * <p>It owns the scratch schema and its copies (the invoking user copies the rows first, then hands
 * them over), may create schemas in the database (start creates the version and state schemas), has
 * a random password and stops being valid after a while; {@link #drop} removes it and whatever it
 * still owns.
 */
final class RehearsalRole {
    private static final String PREFIX = "bascule_rehearse_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final String password;

    private RehearsalRole(String name, String password) {
        this.name = name;
        this.password = password;
    }

    String name() {
        return name;
    }

    /**
     * Refuses a rehearsal when the real schema or the real state schema has a table, a column or a
     * sequence that PUBLIC may write: every role, the rehearsal's included, could change it.
     */
    static void refusePublicWrites(Connection c, String schema, String stateSchema) throws SQLException {
        String sql = """
                SELECT n.nspname, c.relname, string_agg(DISTINCT a.privilege_type, ', ' ORDER BY a.privilege_type)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                CROSS JOIN LATERAL aclexplode(c.relacl) a
                WHERE n.nspname IN (?, ?) AND a.grantee = 0
                  AND ((c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER'))
                    OR (c.relkind = 'S' AND a.privilege_type IN ('USAGE', 'UPDATE')))
                GROUP BY 1, 2
                UNION ALL
                SELECT n.nspname, c.relname || '.' || at.attname, string_agg(DISTINCT a.privilege_type, ', ' ORDER BY a.privilege_type)
                FROM pg_attribute at JOIN pg_class c ON c.oid = at.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                CROSS JOIN LATERAL aclexplode(at.attacl) a
                WHERE n.nspname IN (?, ?) AND a.grantee = 0 AND a.privilege_type IN ('INSERT', 'UPDATE')
                GROUP BY 1, 2
                ORDER BY 1, 2""";
        List<String> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, stateSchema);
            ps.setString(3, schema);
            ps.setString(4, stateSchema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.add(rs.getString(1) + "." + rs.getString(2) + " (" + rs.getString(3) + ")");
                }
            }
        }
        if (!open.isEmpty()) {
            throw new dev.bascule.api.InvalidMigrationException("rehearse refused: PUBLIC, and so every role, may write "
                    + String.join(", ", open.subList(0, Math.min(10, open.size()))) + (open.size() > 10 ? " and more" : "")
                    + "; the rehearsal runs as a role of its own that must not be able to change the real tables."
                    + " REVOKE those rights FROM PUBLIC (grant them to the roles that need them) and rehearse again");
        }
    }

    /**
     * Creates the role: LOGIN with a random password, valid for {@code validFor}, no other attribute
     * and no membership; it may create schemas in the current database.
     */
    static RehearsalRole create(Connection c, Duration validFor) throws SQLException {
        String name = PREFIX + HexFormat.of().formatHex(bytes(6));
        String password = HexFormat.of().formatHex(bytes(24)); // hex: safe inside a literal
        String until = OffsetDateTime.now(ZoneOffset.UTC).plus(validFor)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx"));
        try {
            exec(c, "CREATE ROLE " + ScratchCopy.q(name) + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                    + " NOREPLICATION NOBYPASSRLS PASSWORD '" + password + "' VALID UNTIL '" + until + "'");
        } catch (SQLException e) {
            throw new BasculeException("rehearse needs to create a temporary login role to run the migration as, and could"
                    + " not: " + e.getMessage() + "; run rehearse as a user with CREATEROLE (or a superuser)", e);
        }
        RehearsalRole role = new RehearsalRole(name, password);
        try {
            if (!superuser(c)) {
                // a non-superuser may give objects to, and drop objects of, only a role it is a member of
                exec(c, "GRANT " + ScratchCopy.q(name) + " TO CURRENT_USER");
            }
            // start creates the version and state schemas (CREATE SCHEMA checks this right even IF NOT EXISTS)
            exec(c, "GRANT CREATE ON DATABASE " + ScratchCopy.q(database(c)) + " TO " + ScratchCopy.q(name));
            if (!mayCreateSchemas(c, name)) {
                // without the grant option PostgreSQL grants nothing, with a warning only
                String db = database(c);
                throw new BasculeException("rehearse could not give its temporary role CREATE on database " + db
                        + " (start creates the version and state schemas there): run rehearse as the owner of " + db
                        + " or a superuser, or have one run GRANT CREATE ON DATABASE " + ScratchCopy.q(db)
                        + " TO <your user> WITH GRANT OPTION");
            }
        } catch (SQLException | RuntimeException e) {
            try {
                role.drop(c, false);
            } catch (SQLException dropFailed) {
                e.addSuppressed(dropFailed);
            }
            throw e;
        }
        return role;
    }

    /** Hands {@code schema} and everything in it (copied by the invoking user) to the role. */
    void own(Connection c, String schema) throws SQLException {
        String owner = ScratchCopy.q(name);
        exec(c, "ALTER SCHEMA " + ScratchCopy.q(schema) + " OWNER TO " + owner);
        // tables first: their indexes and owned sequences follow them; what is left are free sequences
        for (String kind : List.of("r', 'p', 'v', 'm', 'f", "S")) {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('" + kind + "')"
                    + " AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = ?) ORDER BY 1")) {
                ps.setString(1, schema);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            for (String n : names) {
                exec(c, "ALTER " + (kind.equals("S") ? "SEQUENCE " : "TABLE ") + ScratchCopy.q(schema) + "."
                        + ScratchCopy.q(n) + " OWNER TO " + owner);
            }
        }
    }

    /**
     * Connections that log in as the role, with the settings of {@code base}; each is checked to be
     * the role's session, so a data source that ignores the user given fails instead of running the
     * rehearsal as the invoking user.
     */
    DataSource dataSource(DataSource base) {
        return new LoggedIn(base, name, password);
    }

    /** Logs in once; a refusal (pg_hba.conf, password authentication) is explained with the way out. */
    void checkLogin(DataSource asRole) {
        try (Connection c = asRole.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("28")) { // 28: invalid authorization
                throw new BasculeException("rehearse could not log in as its temporary role " + name + ": " + e.getMessage(), e);
            }
            throw new BasculeException("PostgreSQL refused the login of rehearse's temporary role " + name + ": "
                    + e.getMessage() + ". rehearse runs the migration as a temporary role that can reach only its"
                    + " scratch copies, logging in with a password over the same URL: allow password logins"
                    + " (scram-sha-256 or md5) in pg_hba.conf for roles named " + PREFIX + "* from this host"
                    + " (for example: host DATABASE all ADDRESS/32 scram-sha-256)", e);
        }
    }

    /**
     * Ends the role's sessions, hands what it owns to the invoking user when the rehearsal is kept,
     * drops whatever else it owns and its rights, then the role itself.
     */
    void drop(Connection c, boolean keep) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        }
        if (keep) {
            exec(c, "REASSIGN OWNED BY " + ScratchCopy.q(name) + " TO CURRENT_USER");
        }
        exec(c, "DROP OWNED BY " + ScratchCopy.q(name) + " CASCADE");
        exec(c, "DROP ROLE " + ScratchCopy.q(name));
    }

    private static boolean mayCreateSchemas(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT has_database_privilege(?, current_database(), 'CREATE')")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static boolean superuser(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String database(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A data source whose connections are the role's sessions, and checked to be. */
    private record LoggedIn(DataSource base, String user, String password) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            Connection c = base.getConnection(user, password);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT session_user")) {
                rs.next();
                if (!user.equals(rs.getString(1))) {
                    throw new SQLException("the data source logged in as " + rs.getString(1) + " when asked for " + user
                            + "; rehearse needs a data source that honours getConnection(user, password)");
                }
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            return c;
        }

        @Override
        public Connection getConnection(String username, String pw) throws SQLException {
            throw new SQLFeatureNotSupportedException("the rehearsal's connections log in as its own role");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return base.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            base.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            base.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return base.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return base.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper of " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }

        @Override
        public String toString() {
            return "connections as " + user; // never the password
        }
    }
}
