package dev.bascule.testing;

import dev.bascule.Bascule;
import dev.bascule.dialect.mysql.MariaDbDialect;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@link TestDb} on MariaDB: a database of the test's own and a state database of its own. New
 * code uses the version database and sets {@code @bascule_version}, as docs/guides/mariadb.md tells
 * applications to.
 */
final class MariaDbTestDb implements TestDb {
    private final DataSource dataSource;
    private final String name;
    private final String stateSchema;

    MariaDbTestDb(DataSource server) {
        this.dataSource = server;
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        this.name = "t_" + id;
        this.stateSchema = "bascule_" + id;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String dialect() {
        return "mariadb";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String stateSchema() {
        return stateSchema;
    }

    @Override
    public Bascule.Builder bascule() {
        return Bascule.configure().dataSource(dataSource).schema(name).stateSchema(stateSchema)
                .quietTime(java.time.Duration.ofSeconds(1));
    }

    @Override
    public void exec(String... statements) {
        try (Connection c = connect(name)) {
            exec(c, statements);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public List<String> column(String query) {
        try (Connection c = connect(name); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Connection connect(String version) throws SQLException {
        Connection c = dataSource.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
            s.execute("USE `" + version + "`");
            if (!version.equals(name)) {
                try (PreparedStatement ps = c.prepareStatement("SET " + MariaDbDialect.VERSION_VARIABLE + " = ?")) {
                    ps.setString(1, version);
                    ps.execute();
                }
            }
        }
        return c;
    }

    @Override
    public List<String> snapshot() throws SQLException {
        List<String> out = new ArrayList<>();
        String like = name.replace("_", "\\_") + "\\_%";
        try (Connection c = dataSource.getConnection()) {
            rows(c, out, "database", "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ? OR SCHEMA_NAME LIKE ?"
                    + " ORDER BY 1", name, like);
            rows(c, out, "column", "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ',"
                    + " COALESCE(COLUMN_DEFAULT, '-')) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                    + " ORDER BY TABLE_NAME, ORDINAL_POSITION", name);
            rows(c, out, "index", "SELECT CONCAT(TABLE_NAME, '.', INDEX_NAME, ' ', NON_UNIQUE, ' ', GROUP_CONCAT(COLUMN_NAME"
                    + " ORDER BY SEQ_IN_INDEX)) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                    + " GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE ORDER BY 1", name);
            rows(c, out, "constraint", "SELECT CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME, ' ', CONSTRAINT_TYPE)"
                    + " FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY 1", name);
            rows(c, out, "trigger", "SELECT CONCAT(TRIGGER_NAME, ' ', ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ',"
                    + " EVENT_OBJECT_TABLE) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1", name);
            rows(c, out, "view", "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME, ' ', VIEW_DEFINITION) FROM information_schema.VIEWS"
                    + " WHERE TABLE_SCHEMA = ? OR TABLE_SCHEMA LIKE ? ORDER BY 1", name, like);
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                List<String> columns = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
                    ps.setString(1, name);
                    ps.setString(2, t);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) columns.add("COALESCE(`" + rs.getString(1) + "`, '<null>')");
                    }
                }
                String row = "CONCAT_WS('|', " + String.join(", ", columns) + ")";
                rows(c, out, "data " + t, "SELECT CONCAT(COUNT(*), ' rows, md5 ', COALESCE(MD5(GROUP_CONCAT(" + row
                        + " ORDER BY " + row + " SEPARATOR '\\n')), '-')) FROM `" + name + "`.`" + t + "`");
            }
        }
        return out;
    }

    @Override
    public List<String> versions() {
        return column("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '"
                + name.replace("_", "\\_") + "\\_%' ORDER BY 1");
    }

    @Override
    public List<String> views(String version) {
        return column("SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '" + version.replace("'", "''")
                + "' ORDER BY 1");
    }

    @Override
    public void close() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> databases = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name
                    + "' OR SCHEMA_NAME = '" + stateSchema + "' OR SCHEMA_NAME LIKE '" + name.replace("_", "\\_") + "\\_%'")) {
                while (rs.next()) {
                    databases.add(rs.getString(1));
                }
            }
            for (String db : databases) {
                s.execute("DROP DATABASE IF EXISTS `" + db + "`");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void rows(Connection c, List<String> out, String kind, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(kind + ": " + rs.getString(1));
            }
        }
    }
}
