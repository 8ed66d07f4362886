package dev.bascule.command;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bascule.Bascule;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestDatabase;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
                b.start(MigrationReader.read("0001_full_name.yaml", """
                        operations:
                          - add_column:
                              table: users
                              column: {name: full_name, type: text, nullable: false}
                              up: first || ' ' || last
                        """.getBytes(StandardCharsets.UTF_8)));
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
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.jdbcUrl());
        config.setMaximumPoolSize(POOL);
        config.setMinimumIdle(POOL);
        config.setConnectionInitSql(initSql);
        config.setPoolName("app-" + s.name());
        return new HikariDataSource(config);
    }

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
