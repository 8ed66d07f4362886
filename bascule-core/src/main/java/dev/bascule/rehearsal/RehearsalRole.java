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
 * still owns, or hands what is kept to a role with no more rights than it had.
 */
final class RehearsalRole {
    private static final String PREFIX = "bascule_rehearse_";
    /** The owner of what {@code --keep} keeps. */
    static final String KEPT_PREFIX = "bascule_rehearsal_kept_";
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
                role.drop(c, false, List.of());
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
     * What {@code --keep} leaves: the schemas, the role that owns them, and what was dropped instead
     * of kept (objects the migration made outside the rehearsal's schemas).
     */
    record Kept(String owner, List<String> schemas, List<String> dropped) {}

    /**
     * Ends the role's sessions and drops the role, with whatever it owns and its rights. When the
     * rehearsal is kept, what it made inside {@code keptSchemas} is handed first to a new role of its
     * own ({@value #KEPT_PREFIX}...), and what it made anywhere else is dropped.
     *
     * <p>Not to the invoking user: ownership is the rights an object runs with. A {@code SECURITY
     * DEFINER} function, a view (unless {@code security_invoker}) or a table's rule runs as its owner,
     * so handing the migration's objects to a superuser turns a harmless function of the temporary
     * role into one that empties the real tables for whoever calls it. The kept role is NOLOGIN, no
     * superuser, member of no role, with no right on the database: what is kept can do no more than
     * the temporary role could, i.e. reach the kept schemas. The invoking user is made a member of it
     * (unless a superuser) to be able to drop them.
     *
     * @return what was kept; null when not kept
     */
    Kept drop(Connection c, boolean keep, List<String> keptSchemas) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        }
        Kept kept = keep ? handOver(c, keptSchemas) : null;
        exec(c, "DROP OWNED BY " + ScratchCopy.q(name) + " CASCADE");
        exec(c, "DROP ROLE " + ScratchCopy.q(name));
        return kept;
    }

    /** Drops what the role made outside {@code keptSchemas}, then gives the rest to a new kept role. */
    private Kept handOver(Connection c, List<String> keptSchemas) throws SQLException {
        List<String> dropped = new ArrayList<>();
        // schemas of its own outside the rehearsal's (CREATE SCHEMA x_trojan in a sql operation), with all in them
        for (String schema : strings(c, "SELECT nspname FROM pg_namespace WHERE nspowner = ?::regrole"
                + " AND nspname <> ALL (?) ORDER BY 1", keptSchemas)) {
            exec(c, "DROP SCHEMA " + ScratchCopy.q(schema) + " CASCADE");
            dropped.add("schema " + schema);
        }
        // single objects in other schemas (public, where PUBLIC may create): the identity is the catalog's own, quoted
        for (String[] object : rows(c, """
                SELECT o.type, o.identity FROM pg_shdepend d
                CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
                WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = ?::regrole AND d.deptype = 'o'
                  AND d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND o.schema IS NOT NULL AND o.schema <> ALL (?)
                  AND o.type IN ('table', 'view', 'materialized view', 'sequence', 'foreign table', 'function',
                                 'procedure', 'aggregate', 'type', 'domain', 'collation', 'conversion',
                                 'text search configuration', 'text search dictionary', 'operator')
                ORDER BY 1, 2""", keptSchemas)) {
            String type = object[0].equals("aggregate") || object[0].equals("procedure") ? "routine" : object[0];
            try {
                exec(c, "DROP " + type.toUpperCase(java.util.Locale.ROOT) + " IF EXISTS " + object[1] + " CASCADE");
                dropped.add(object[0] + " " + object[1]);
            } catch (SQLException e) {
                // a type that went with its table, an object gone with an earlier CASCADE: DROP OWNED below takes the rest
                dropped.add(object[0] + " " + object[1] + " (" + e.getMessage() + ")");
            }
        }
        String owner = KEPT_PREFIX + HexFormat.of().formatHex(bytes(6));
        exec(c, "CREATE ROLE " + ScratchCopy.q(owner) + " NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                + " NOREPLICATION NOBYPASSRLS");
        if (!superuser(c)) {
            exec(c, "GRANT " + ScratchCopy.q(owner) + " TO CURRENT_USER"); // to drop the kept schemas later
        }
        // the temporary role's rights (CREATE on the database, grants to it) are not handed over: DROP OWNED revokes them
        exec(c, "REASSIGN OWNED BY " + ScratchCopy.q(name) + " TO " + ScratchCopy.q(owner));
        List<String> schemas = strings(c, "SELECT nspname FROM pg_namespace WHERE nspowner = ?::regrole ORDER BY 1", null, owner);
        return new Kept(owner, schemas, dropped);
    }

    private List<String> strings(Connection c, String sql, List<String> except) throws SQLException {
        return strings(c, sql, except, name);
    }

    private static List<String> strings(Connection c, String sql, List<String> except, String role) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String[] row : rows(c, sql, except, role)) {
            out.add(row[0]);
        }
        return out;
    }

    private List<String[]> rows(Connection c, String sql, List<String> except) throws SQLException {
        return rows(c, sql, except, name);
    }

    private static List<String[]> rows(Connection c, String sql, List<String> except, String role) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, ScratchCopy.q(role));
            if (except != null) {
                ps.setArray(2, c.createArrayOf("text", except.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(row);
                }
            }
        }
        return out;
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
            Connection c;
            try {
                c = base.getConnection(user, password);
            } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
                c = direct(); // a pool (HikariCP) lends only its own user's connections
            }
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

        /** A connection of the driver's own to the base's server and database, logged in as the role. */
        private Connection direct() throws SQLException {
            String url;
            try (Connection any = base.getConnection()) {
                url = any.getMetaData().getURL();
            }
            java.util.Properties login = new java.util.Properties();
            login.setProperty("user", user);
            login.setProperty("password", password);
            return java.sql.DriverManager.getConnection(withoutCredentials(url), login);
        }

        /** pgjdbc lets a URL's user and password parameters override the properties given. */
        static String withoutCredentials(String url) {
            int q = url.indexOf('?');
            if (q < 0) {
                return url;
            }
            java.util.List<String> kept = new java.util.ArrayList<>();
            for (String parameter : url.substring(q + 1).split("&")) {
                String key = parameter.split("=", 2)[0].toLowerCase(java.util.Locale.ROOT);
                if (!key.equals("user") && !key.equals("password") && !parameter.isEmpty()) {
                    kept.add(parameter);
                }
            }
            return url.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
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
