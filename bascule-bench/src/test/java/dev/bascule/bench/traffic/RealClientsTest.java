package dev.bascule.concurrency;

import dev.bascule.api.BaselineOutcome;
import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.command.Baseline;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.MariaDbServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications as they really talk to the database, through two consecutive migrations (add_column,
 * then rename_column of it), each started and completed while they run: several long-lived
 * connections per client profile, statements prepared on the server from their first execution
 * (pgjdbc's {@code prepareThreshold=1}; MariaDB Connector/J's {@code useServerPrepStmts=true}),
 * {@code SELECT *} and inserts that ask for their generated keys ({@code RETURN_GENERATED_KEYS}: pgjdbc
 * appends {@code RETURNING *}), as Hibernate does. Code on a version (the baseline's, then each
 * migration's) sees no error; code on the base tables sees what docs/reference/operations.md says. The
 * counts are printed for docs/reports/benchmarks.md.
 */
class RealClientsTest {
    private static final int CONNECTIONS = 4;
    private static final String TABLE = "CREATE TABLE accounts (id %s PRIMARY KEY, email VARCHAR(200) NOT NULL,"
            + " balance INT NOT NULL DEFAULT 0)";
    private static final Migration ADD = Scenario.migration(
            "name: m1_add\noperations:\n  - add_column: {table: accounts, column: {name: nickname, type: VARCHAR(100)}}\n");
    private static final Migration RENAME = Scenario.migration(
            "name: m2_rename\noperations:\n  - rename_column: {table: accounts, from: nickname, to: display_name}\n");

    @Test
    void postgresClientsOnAVersionSeeNoErrorAndOnTheBaseTablesOnlyWithoutAutosave() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec(String.format(TABLE, "BIGSERIAL"), "INSERT INTO accounts (email) SELECT 'a' || g || '@x' FROM generate_series(1, 50) g");
            Map<String, Group> measured = run(db, (version, profile) -> {
                Connection c = DriverManager.getConnection(withParameters(PostgresServer.jdbcUrl(),
                        "prepareThreshold=1" + (profile == Profile.TRANSACTIONS_AUTOSAVE ? "&autosave=conservative" : "")));
                try (Statement s = c.createStatement()) {
                    s.execute("SET search_path = " + version);
                }
                return c;
            }, List.of(Profile.TRANSACTIONS, Profile.TRANSACTIONS_AUTOSAVE, Profile.AUTOCOMMIT));
            Group base = measured.get("base tables, " + Profile.TRANSACTIONS);
            // a transaction's first statement fails once on each connection when start adds the column,
            // and once when complete renames it; the driver then prepares its statements again
            assertThat(base.errors).containsOnlyKeys("cached plan must not change result type");
            assertThat(base.failed.get()).isBetween((long) CONNECTIONS, CONNECTIONS * 2L * 2L);
            // autosave=conservative rolls back to a savepoint and runs the statement again; in
            // autocommit the driver runs it again by itself
            assertThat(measured.get("base tables, " + Profile.TRANSACTIONS_AUTOSAVE).failed.get()).isZero();
            assertThat(measured.get("base tables, " + Profile.AUTOCOMMIT).failed.get()).isZero();
        }
    }

    @Test
    void mariaDbClientsWithServerPreparedStatements() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(String.format(TABLE, "BIGINT AUTO_INCREMENT"),
                    "INSERT INTO accounts (email) SELECT CONCAT('a', seq, '@x') FROM seq_1_to_50");
            Map<String, Group> measured = run(db, (version, profile) -> {
                Connection c = DriverManager.getConnection(withParameters(MariaDbServer.jdbcUrl(), "useServerPrepStmts=true"));
                try (Statement s = c.createStatement()) {
                    s.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
                    s.execute("USE `" + version + "`");
                    if (!version.equals(db.name())) {
                        try (PreparedStatement ps = c.prepareStatement("SET " + MariaDbDialect.VERSION_VARIABLE + " = ?")) {
                            ps.setString(1, version);
                            ps.execute();
                        }
                    }
                }
                return c;
            }, List.of(Profile.TRANSACTIONS, Profile.AUTOCOMMIT));
            // MariaDB prepares a statement again when its table changed, and the column start adds is
            // invisible until complete: code on the base tables does not fail either
            assertThat(measured.get("base tables, " + Profile.TRANSACTIONS).failed.get()).isZero();
            assertThat(measured.get("base tables, " + Profile.AUTOCOMMIT).failed.get()).isZero();
        }
    }

    /** How the application's connections run their statements. */
    enum Profile {
        /** As Spring and Hibernate do: each unit of work in a transaction of its own. */
        TRANSACTIONS,
        /** The same with pgjdbc's autosave=conservative. */
        TRANSACTIONS_AUTOSAVE,
        AUTOCOMMIT;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    interface Connector {
        Connection open(String version, Profile profile) throws SQLException;
    }

    /**
     * Baseline, then the two migrations with clients running throughout: on the base tables (one
     * group per {@code baseProfiles}), and on a version, new code's group deployed after each start
     * and old code's stopped before each complete.
     */
    private static Map<String, Group> run(TestDb db, Connector connector, List<Profile> baseProfiles) throws Exception {
        Bascule b = db.bascule().load();
        assertThat(b.baseline()).isEqualTo(BaselineOutcome.BASELINED);
        Map<String, Group> all = new java.util.LinkedHashMap<>();
        List<Group> base = new ArrayList<>();
        for (Profile profile : baseProfiles) {
            Group g = new Group("base tables, " + profile, connector, db.name(), profile);
            base.add(g);
            all.put(g.name, g);
        }
        Group old = new Group("version " + b.latest(), connector, b.latest(), Profile.TRANSACTIONS);
        all.put(old.name, old);
        pause();
        for (Migration m : List.of(ADD, RENAME)) {
            b.start(m);
            pause();
            Group next = new Group("version " + b.latest(), connector, b.latest(), Profile.TRANSACTIONS);
            all.put(next.name, next);
            pause();
            old.stop(); // deployed: old code is gone before complete drops its version
            b.complete(Set.of());
            pause();
            old = next;
        }
        old.stop();
        base.forEach(Group::stop);
        all.values().forEach(g -> System.out.println("[real clients " + db.dialect() + "] " + g));
        all.values().forEach(g -> assertThat(g.ok.get()).as(g.name).isPositive());
        all.values().stream().filter(g -> g.name.startsWith("version")).forEach(g ->
                assertThat(g.failed.get()).as(g + " " + g.errors).isZero());
        return all;
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(400);
    }

    private static String withParameters(String url, String parameters) {
        return url + (url.contains("?") ? "&" : "?") + parameters;
    }

    /** {@link #CONNECTIONS} connections, each its own thread, inserting and reading back until stopped. */
    private static final class Group {
        final String name;
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<String, Integer> errors = new ConcurrentHashMap<>();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Connection> connections = new ArrayList<>();
        private volatile boolean stopped;

        Group(String name, Connector connector, String version, Profile profile) throws SQLException {
            this.name = name;
            for (int i = 0; i < CONNECTIONS; i++) {
                Connection c = connector.open(version, profile);
                c.setAutoCommit(profile == Profile.AUTOCOMMIT);
                connections.add(c);
                Thread t = new Thread(() -> work(c), "client " + name + " " + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void work(Connection c) {
            int n = 0;
            while (!stopped) {
                try {
                    long id;
                    // a statement object per operation, as an ORM makes them: the driver keeps the
                    // server-prepared statement of the same text on the connection
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO accounts (email) VALUES (?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                        insert.setString(1, Thread.currentThread().getName().replace(' ', '_') + "_" + n++ + "@x");
                        insert.executeUpdate();
                        try (ResultSet keys = insert.getGeneratedKeys()) {
                            keys.next();
                            id = keys.getLong(1);
                        }
                    }
                    ok.incrementAndGet();
                    try (PreparedStatement select = c.prepareStatement("SELECT * FROM accounts WHERE id = ?")) {
                        select.setLong(1, id);
                        try (ResultSet rs = select.executeQuery()) {
                            if (!rs.next()) {
                                throw new SQLException("the row just inserted is not there: " + id);
                            }
                        }
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                    ok.incrementAndGet();
                    Thread.sleep(5);
                } catch (SQLException e) {
                    failed.incrementAndGet();
                    try {
                        if (!c.getAutoCommit()) {
                            c.rollback();
                        }
                    } catch (SQLException ignored) {
                        // counted already
                    }
                    String message = String.valueOf(e.getMessage()).replaceFirst("^ERROR: ", "").lines().findFirst().orElse("");
                    errors.merge(message, 1, Integer::sum);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() {
            stopped = true;
            for (Thread t : threads) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the test's outcome is in the counts
                }
            }
        }

        @Override
        public String toString() {
            return name + ": " + ok.get() + " operations ok, " + failed.get() + " failed " + new TreeMap<>(errors);
        }
    }
}
