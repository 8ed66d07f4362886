package dev.bascule.test;

import dev.bascule.Bascule;
import dev.bascule.api.CompleteOutcome;
import dev.bascule.api.Identifiers;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationStatus;
import dev.bascule.api.RollbackOutcome;
import dev.bascule.api.StartOutcome;
import org.opentest4j.AssertionFailedError;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One test's database and the project's migrations on it. A schema (on MariaDB a database) and a
 * state schema of the test's own, dropped when the test ends, with the connections it handed out.
 *
 * <p>The usual test: {@link #start(String)} a migration (the ones before it are migrated first), run
 * statements as {@link #oldCode()} and as {@link #newCode()} to show both releases work side by
 * side, then {@link #complete()}, or {@link #assertRollbackRestores()}.
 */
public final class MigrationUnderTest implements AutoCloseable {
    private final DataSource server;
    private final boolean mariadb;
    private final String schema;
    private final String stateSchema;
    private final TreeMap<String, Migration> migrations;
    private final Bascule bascule;
    private final List<Connection> oldConnections = new ArrayList<>();
    private final List<Connection> newConnections = new ArrayList<>();
    private List<String> beforeStart;

    MigrationUnderTest(DataSource server, TreeMap<String, Migration> migrations, Duration quietTime) {
        this.server = server;
        this.migrations = migrations;
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        this.schema = "bt_" + id;
        this.stateSchema = "bascule_bt_" + id;
        try (Connection c = server.getConnection(); Statement s = c.createStatement()) {
            this.mariadb = !c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            s.execute((mariadb ? "CREATE DATABASE " : "CREATE SCHEMA ") + quoteDb(schema));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the test's schema: " + e.getMessage(), e);
        }
        this.bascule = Bascule.configure().dataSource(server).schema(schema).stateSchema(stateSchema)
                .quietTime(quietTime).load();
    }

    /** The schema (on MariaDB, database) the migrations run on: the test's own. */
    public String schema() {
        return schema;
    }

    /** The facade on the test's schema, for what this class does not wrap (status, history, verify, ...). */
    public Bascule bascule() {
        return bascule;
    }

    /** The migration files of the folder, in the order they run. */
    public List<String> files() {
        return List.copyOf(migrations.keySet());
    }

    /** Runs statements on the test's schema itself (the tables, not a version): test data, a base schema. */
    public void exec(String... statements) {
        try (Connection c = connect(schema, false); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Starts and completes every migration of the folder not yet completed; their names. */
    public List<String> migrate() {
        return bascule.migrate(List.copyOf(migrations.values()));
    }

    /** Starts and completes every migration of the folder before {@code file} not yet completed; their names. */
    public List<String> migrateBefore(String file) {
        migration(file);
        return bascule.migrate(List.copyOf(migrations.headMap(file, false).values()));
    }

    /**
     * Migrates the files before {@code file}, then starts {@code file}: from here on {@link #oldCode()}
     * is on the version before it and {@link #newCode()} on its version.
     */
    public StartOutcome start(String file) {
        Migration m = migration(file);
        migrateBefore(file);
        beforeStart = snapshot();
        return bascule.start(m);
    }

    /**
     * A connection as old code makes it, on the version before the started migration (the schema
     * itself when there is none); with no migration started, on the newest version. Closed when
     * the test ends, or at {@link #complete()}, when old code has gone.
     */
    public Connection oldCode() throws SQLException {
        MigrationStatus.Active active = bascule.status().active();
        String version = active == null ? bascule.latest()
                : active.previousVersionSchema() != null ? active.previousVersionSchema() : schema;
        Connection c = connect(version, false);
        oldConnections.add(c);
        return c;
    }

    /** A connection as new code makes it, on the newest version (the started migration's). Closed when the test ends. */
    public Connection newCode() throws SQLException {
        Connection c = connect(bascule.latest(), true);
        newConnections.add(c);
        return c;
    }

    /** Closes the old-code connections (old code is gone when one completes), then completes the started migration. */
    public CompleteOutcome complete() {
        closeAll(oldConnections);
        return bascule.complete();
    }

    /** Closes the new-code connections (new code is gone when one rolls back), then rolls the started migration back. */
    public RollbackOutcome rollback() {
        closeAll(newConnections);
        return bascule.rollback();
    }

    /**
     * Rolls the started migration back and checks the schema is as it was before {@link #start(String)}:
     * the same tables, columns (types, nullability, defaults), indexes, constraints, triggers,
     * functions and versions. The rows are not compared: rows written during start stay.
     */
    public void assertRollbackRestores() {
        if (beforeStart == null) {
            throw new IllegalStateException("no migration was started by start(file)");
        }
        RollbackOutcome outcome = rollback();
        if (outcome != RollbackOutcome.ROLLED_BACK) {
            throw new AssertionFailedError("rollback did nothing: " + outcome);
        }
        List<String> after = snapshot();
        if (!after.equals(beforeStart)) {
            List<String> missing = new ArrayList<>(beforeStart);
            missing.removeAll(after);
            List<String> extra = new ArrayList<>(after);
            extra.removeAll(beforeStart);
            throw new AssertionFailedError("rollback did not restore the schema; missing after rollback: " + missing
                    + "; left by the migration: " + extra, String.join("\n", beforeStart), String.join("\n", after));
        }
    }

    private Migration migration(String file) {
        Migration m = migrations.get(file);
        if (m == null) {
            throw new IllegalArgumentException("no migration file " + file + " in the folder; it holds " + migrations.keySet());
        }
        return m;
    }

    private static String quote(String identifier) {
        if (!Identifiers.isValid(identifier)) {
            throw new IllegalArgumentException("not a schema name: " + identifier);
        }
        return '"' + identifier + '"';
    }

    private String quoteDb(String identifier) {
        return mariadb ? quote(identifier).replace('"', '`') : quote(identifier);
    }

    private Connection connect(String version, boolean asNewCode) throws SQLException {
        Connection c = server.getConnection();
        try (Statement s = c.createStatement()) {
            if (mariadb) {
                s.execute("USE " + quoteDb(version));
                if (asNewCode && !version.equals(schema)) {
                    try (PreparedStatement ps = c.prepareStatement("SET @bascule_version = ?")) {
                        ps.setString(1, version);
                        ps.execute();
                    }
                }
            } else {
                s.execute("SET search_path = " + (version.equals(schema) ? quote(schema) : quote(version) + ", " + quote(schema)));
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a connection the test broke is closed all the same
            }
        }
        connections.clear();
    }

    /** The schema's structure, one line per object, sorted. */
    List<String> snapshot() {
        Map<String, String> queries = new TreeMap<>();
        if (mariadb) {
            queries.put("column", "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ',"
                    + " COALESCE(COLUMN_DEFAULT, '-'), ' ', EXTRA) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?");
            queries.put("index", "SELECT CONCAT(TABLE_NAME, '.', INDEX_NAME, ' ', NON_UNIQUE, ' ', GROUP_CONCAT(COLUMN_NAME"
                    + " ORDER BY SEQ_IN_INDEX)) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                    + " GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE");
            queries.put("constraint", "SELECT CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME, ' ', CONSTRAINT_TYPE)"
                    + " FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?");
            queries.put("trigger", "SELECT CONCAT(EVENT_OBJECT_TABLE, '.', TRIGGER_NAME) FROM information_schema.TRIGGERS"
                    + " WHERE TRIGGER_SCHEMA = ?");
            queries.put("version", "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE CONCAT(?, '\\_%')");
        } else {
            queries.put("column", "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' '"
                    + " || a.attnotnull || ' ' || COALESCE(pg_get_expr(d.adbin, d.adrelid), '-') FROM pg_attribute a"
                    + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped");
            queries.put("index", "SELECT indexdef FROM pg_indexes WHERE schemaname = ?");
            queries.put("constraint", "SELECT c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k"
                    + " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?");
            queries.put("trigger", "SELECT c.relname || '.' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND NOT t.tgisinternal");
            queries.put("function", "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?");
            queries.put("version", "SELECT nspname FROM pg_namespace WHERE nspname LIKE ? || '\\_%'");
        }
        List<String> lines = new ArrayList<>();
        try (Connection c = server.getConnection()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                try (PreparedStatement ps = c.prepareStatement(q.getValue())) {
                    ps.setString(1, schema);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            lines.add(q.getKey() + ": " + rs.getString(1));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the catalog: " + e.getMessage(), e);
        }
        lines.sort(null);
        return lines;
    }

    /** Closes the connections handed out and drops the test's schema, its versions and its state schema. */
    @Override
    public void close() {
        closeAll(oldConnections);
        closeAll(newConnections);
        try (Connection c = server.getConnection(); Statement s = c.createStatement()) {
            List<String> schemas = new ArrayList<>();
            String list = mariadb
                    ? "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?, ?) OR SCHEMA_NAME LIKE CONCAT(?, '\\_%')"
                    : "SELECT nspname FROM pg_namespace WHERE nspname IN (?, ?) OR nspname LIKE ? || '\\_%'";
            try (PreparedStatement ps = c.prepareStatement(list)) {
                ps.setString(1, schema);
                ps.setString(2, stateSchema);
                ps.setString(3, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        schemas.add(rs.getString(1));
                    }
                }
            }
            for (String name : schemas) {
                s.execute(mariadb ? "DROP DATABASE IF EXISTS " + quoteDb(name) : "DROP SCHEMA IF EXISTS " + quote(name) + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test's schema " + schema + ": " + e.getMessage(), e);
        }
    }
}
