package dev.bascule.command;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.BackfillOptions;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bascule run through the library on the application's own HikariCP pool, whose
 * {@code connectionInitSql} points the new code at the new version: every connection Bascule
 * borrowed goes back with the settings the pool gave it.
 */
class ApplicationPoolTest {
    private static final int POOL = 5;

    @Test
    void everyPooledConnectionKeepsItsSearchPathAndSettingsThroughStartAndComplete() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id bigint PRIMARY KEY, first text NOT NULL, last text NOT NULL)",
                    "INSERT INTO users SELECT g, 'f' || g, 'l' || g FROM generate_series(1, 3000) g");
            String version = s.name() + "_0001_full_name";
            try (HikariDataSource pool = pool(s, "SET search_path = " + version + ", " + s.name()
                    + "; SET statement_timeout = '7s'; SET lock_timeout = '3s'; SET idle_in_transaction_session_timeout = '11s'"
                    + "; SET synchronous_commit = local; SET application_name = 'shop'")) {
                Map<Integer, Map<String, String>> before = settingsOfEachConnection(pool);
                assertThat(before).hasSize(POOL);
                assertThat(before.values()).allSatisfy(settings -> {
                    assertThat(settings).containsEntry("search_path", version + ", " + s.name());
                    assertThat(settings).containsEntry("statement_timeout", "7000");
                    assertThat(settings).containsEntry("application_name", "shop");
                });

                Bascule b = Bascule.configure().dataSource(pool).schema(s.name()).stateSchema(s.stateSchema())
                        .quietTime(java.time.Duration.ofSeconds(1)).load();
                dev.bascule.api.Migration fullName = MigrationReader.read("0001_full_name.yaml", """
                        operations:
                          - add_column:
                              table: users
                              column: {name: full_name, type: text, nullable: false}
                              up: first || ' ' || last
                        """.getBytes(StandardCharsets.UTF_8));
                b.plan(fullName);
                assertThat(changes(before, settingsOfEachConnection(pool))).as("settings changed by plan").isEmpty();
                b.start(fullName);
                assertThat(b.latest()).isEqualTo(version);
                assertThat(changes(before, settingsOfEachConnection(pool))).as("settings changed by start").isEmpty();
                // the new code reads the new version through its pool, on every connection
                assertThat(onEachConnection(pool, "SELECT full_name FROM users WHERE id = 7")).containsOnly("f7 l7");

                b.complete(Set.of());
                assertThat(changes(before, settingsOfEachConnection(pool))).as("settings changed by complete").isEmpty();
                assertThat(onEachConnection(pool, "SELECT full_name FROM users WHERE id = 8")).containsOnly("f8 l8");
            }
        }
    }

    static HikariDataSource pool(TestSchema s, String initSql) {
        return pool(s, POOL, initSql);
    }

    static HikariDataSource pool(TestSchema s, int size, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresServer.jdbcUrl());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionInitSql(initSql);
        config.setPoolName("app-" + s.name());
        return new HikariDataSource(config);
    }

    @Test
    void aPoolOfOneIsRefusedAtOnceNamingThePoolSizeNeeded() throws Exception {
        try (TestSchema s = new TestSchema(); HikariDataSource pool = pool(s, 1, null)) {
            s.exec("CREATE TABLE users (id bigint PRIMARY KEY, first text NOT NULL)");
            Bascule b = Bascule.configure().dataSource(pool).schema(s.name()).stateSchema(s.stateSchema()).load();
            long t0 = System.nanoTime();
            // HikariCP's own connection timeout (30 s) never comes into it
            assertThatThrownBy(() -> b.start(MigrationReader.read("0001_age.yaml", ADD_AGE)))
                    .isInstanceOfSatisfying(BasculeException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                    .hasMessageContaining("gives at most 1 connection at once, and this command needs 3")
                    .hasMessageContaining("Make the pool at least 3 connections");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(s.value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" + s.name() + "\\_%'")).isEqualTo("0");
            assertThat(s.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + s.name()
                    + "' AND column_name = 'age'")).isEqualTo("0");

            // more backfill workers, more connections
            Bascule parallel = Bascule.configure().dataSource(pool).schema(s.name()).stateSchema(s.stateSchema())
                    .backfill(BackfillOptions.defaults().withWorkers(4)).load();
            assertThatThrownBy(() -> parallel.start(MigrationReader.read("0001_age.yaml", ADD_AGE)))
                    .hasMessageContaining("this command needs 7").hasMessageContaining("each of the 4 backfill workers");
        }
    }

    @Test
    void aPoolBehindAWrapperIsMeasuredThroughIt() throws Exception {
        try (TestSchema s = new TestSchema(); HikariDataSource pool = pool(s, 2, null)) {
            s.exec("CREATE TABLE users (id bigint PRIMARY KEY, first text NOT NULL)");
            Bascule b = Bascule.configure().dataSource(new Delegating(pool)).schema(s.name()).stateSchema(s.stateSchema()).load();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> b.start(MigrationReader.read("0001_age.yaml", ADD_AGE)))
                    .hasMessageContaining("gives at most 2 connections at once, and this command needs 3");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** As Spring's DelegatingDataSource (and its transaction-aware and lazy subclasses) wrap a pool. */
    public static final class Delegating implements DataSource {
        private final DataSource target;

        Delegating(DataSource target) {
            this.target = target;
        }

        public DataSource getTargetDataSource() {
            return target;
        }

        @Override public Connection getConnection() throws SQLException { return target.getConnection(); }
        @Override public Connection getConnection(String user, String password) throws SQLException {
            return target.getConnection(user, password);
        }
        @Override public java.io.PrintWriter getLogWriter() throws SQLException { return target.getLogWriter(); }
        @Override public void setLogWriter(java.io.PrintWriter out) throws SQLException { target.setLogWriter(out); }
        @Override public void setLoginTimeout(int seconds) throws SQLException { target.setLoginTimeout(seconds); }
        @Override public int getLoginTimeout() throws SQLException { return target.getLoginTimeout(); }
        @Override public java.util.logging.Logger getParentLogger() { return java.util.logging.Logger.getGlobal(); }
        @Override public <T> T unwrap(Class<T> iface) throws SQLException { return target.unwrap(iface); }
        @Override public boolean isWrapperFor(Class<?> iface) throws SQLException { return target.isWrapperFor(iface); }
    }

    @Test
    void aPoolWhoseSizeIsUnknownThatGivesOneConnectionIsNamedAsTheCause() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresServer.jdbcUrl());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(1000);
        try (TestSchema s = new TestSchema(); HikariDataSource hikari = new HikariDataSource(config)) {
            s.exec("CREATE TABLE users (id bigint PRIMARY KEY, first text NOT NULL)");
            // a DataSource that says nothing of its pool: only getConnection
            DataSource opaque = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        try {
                            return method.invoke(hikari, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            Bascule b = Bascule.configure().dataSource(opaque).schema(s.name()).stateSchema(s.stateSchema()).load();
            assertThatThrownBy(() -> b.start(MigrationReader.read("0001_age.yaml", ADD_AGE)))
                    .isInstanceOf(BasculeException.class)
                    .hasMessageContaining("the DataSource gave a first connection but not a second")
                    .hasMessageContaining("This command needs 3 connections at once");
        }
    }

    private static final byte[] ADD_AGE = """
            operations:
              - add_column:
                  table: users
                  column: {name: age, type: int}
            """.getBytes(StandardCharsets.UTF_8);

    /** What differs, per connection: a connection the pool replaced shows as gone. */
    private static List<String> changes(Map<Integer, Map<String, String>> before, Map<Integer, Map<String, String>> after) {
        List<String> out = new ArrayList<>();
        before.forEach((pid, settings) -> {
            Map<String, String> now = after.get(pid);
            if (now == null) {
                out.add("connection " + pid + " is gone from the pool");
                return;
            }
            Set<String> names = new java.util.TreeSet<>(settings.keySet());
            names.addAll(now.keySet());
            for (String name : names) {
                // PL/pgSQL's own settings appear, at their defaults, once a session has run a PL/pgSQL
                // function (Bascule's triggers, for instance): loading the language changes no setting
                if (name.startsWith("plpgsql.") && !settings.containsKey(name)) {
                    continue;
                }
                if (!java.util.Objects.equals(settings.get(name), now.get(name))) {
                    out.add(pid + " " + name + ": " + settings.get(name) + " -> " + now.get(name));
                }
            }
        });
        return out;
    }

    /** Every setting of every connection of the pool, borrowed all at once, by server pid. */
    private static Map<Integer, Map<String, String>> settingsOfEachConnection(HikariDataSource pool) throws SQLException {
        Map<Integer, Map<String, String>> out = new TreeMap<>();
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                Connection c = pool.getConnection();
                borrowed.add(c);
                Map<String, String> settings = new TreeMap<>();
                int pid;
                try (Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        pid = rs.getInt(1);
                    }
                    try (ResultSet rs = st.executeQuery("SELECT name, setting, source FROM pg_settings")) {
                        while (rs.next()) {
                            settings.put(rs.getString(1), rs.getString(2));
                        }
                    }
                }
                out.put(pid, settings);
            }
        } finally {
            for (Connection c : borrowed) {
                c.close();
            }
        }
        return out;
    }

    private static List<String> onEachConnection(HikariDataSource pool, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                Connection c = pool.getConnection();
                borrowed.add(c);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
                    rs.next();
                    out.add(rs.getString(1));
                }
            }
        } finally {
            for (Connection c : borrowed) {
                c.close();
            }
        }
        return out;
    }
}
