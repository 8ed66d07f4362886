package dev.bascule.testing;

import dev.bascule.Bascule;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A schema of a test's own, with a state schema of its own, so tests can run in any order and
 * side by side. Closing drops both and every version schema made from it.
 */
public final class TestSchema implements AutoCloseable {
    private final DataSource dataSource;
    private final String name;
    private final String stateSchema;

    /** A schema on the suite's PostgreSQL. */
    public TestSchema() {
        this(PostgresServer.dataSource());
    }

    /** A schema on the PostgreSQL server {@code dataSource} reaches as its administrator. */
    public TestSchema(DataSource dataSource) {
        this.dataSource = dataSource;
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        this.name = "t_" + id;
        this.stateSchema = "bascule_" + id;
        exec("CREATE SCHEMA " + name);
    }

    public String name() { return name; }

    public String stateSchema() { return stateSchema; }

    public DataSource dataSource() { return dataSource; }

    public Bascule.Builder bascule() {
        // a short quiet time: tests that read through an old version stop before they complete
        return Bascule.configure().dataSource(dataSource).schema(name).stateSchema(stateSchema)
                .quietTime(java.time.Duration.ofSeconds(1));
    }

    /** Runs statements with {@code search_path} set to this schema. */
    public void exec(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + name);
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Connection connect(String searchPath) throws SQLException {
        Connection c = dataSource.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = " + searchPath);
        }
        return c;
    }

    /** First column of every row of {@code query}, as text. */
    public List<String> column(String query) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + name);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(query)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public String value(String query) {
        List<String> rows = column(query);
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Override
    public void close() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname = '" + name
                    + "' OR nspname = '" + stateSchema + "' OR nspname LIKE '" + name + "\\_%'")) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
            // rehearse --keep hands its schemas to a role of their own: it goes with them
            List<String> keptOwners = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT nspowner::regrole::text FROM pg_namespace WHERE (nspname = '"
                    + name + "' OR nspname LIKE '" + name + "\\_%') AND nspowner::regrole::text LIKE 'bascule\\_rehearsal\\_kept\\_%'")) {
                while (rs.next()) {
                    keptOwners.add(rs.getString(1));
                }
            }
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
            for (String role : keptOwners) {
                s.execute("DROP OWNED BY " + role + " CASCADE");
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
