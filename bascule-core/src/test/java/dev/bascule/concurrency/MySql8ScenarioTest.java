package dev.bascule.concurrency;

import dev.bascule.Bascule;
import dev.bascule.api.BackfillOptions;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.testing.MySqlServer;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The proof on MySQL 8.0: the core scenario (rename a column, add a NOT NULL column with
 * {@code up}, drop a column with {@code down}, create an index) and alter_column int to bigint on a
 * primary key, each under old-version clients (MySQL Connector/J, on the base tables) and
 * new-version clients (MariaDB's driver, through the version's views) from before start until after
 * complete; and rolled back under old-version clients. No client statement fails; the slowest
 * takes at most the lock timeout plus 100 ms over the slowest the same clients saw before start
 * (the machine's own noise, measured in the run: the cores are shared); rollback gives back the
 * schema and every row as old code sees it.
 */
class MySql8ScenarioTest {
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(250);
    static final long SLOWEST_MILLIS = LOCK_TIMEOUT.toMillis() + 100;
    static final int ROWS = 5_000;

    static final String CORE = """
            operations:
              - rename_column: {table: users, from: name, to: full_name}
              - add_column:
                  table: users
                  column: {name: nick, type: varchar(60), nullable: false}
                  up: "upper(name)"
              - drop_column: {table: users, column: legacy, down: "length(full_name)"}
              - create_index: {name: users_nick_idx, table: users, columns: [nick]}
            """;

    static final String BIGINT_KEY = """
            operations:
              - alter_column: {table: accounts, column: id, type: bigint}
            """;

    @BeforeAll
    static void onMySql8() {
        assumeTrue(Server.MYSQL_8_0.available(), "MySQL 8.0 is not in bascule.test.servers");
    }

    @Test
    void theDialectIsMySqlsAndConnectorJReachesIt() throws Exception {
        try (TestDb db = Server.MYSQL_8_0.get();
             Connection c = DriverManager.getConnection(MySqlServer.connectorJUrl(db.name()))) {
            Bascule b = db.bascule().load();
            assertThat(c.getMetaData().getDriverName()).contains("MySQL Connector/J");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("8.0.");
            }
            assertThat(b.toString()).isNotNull();
            assertThat(dev.bascule.dialect.detect.Dialects.detect(Server.MYSQL_8_0.dataSource()))
                    .isInstanceOfSatisfying(MariaDbDialect.class,
                            d -> assertThat(d.family().product()).isEqualTo("MySQL"));
        }
    }

    @Test
    void coreScenarioUnderOldAndNewClientsCompletes() throws Exception {
        try (TestDb db = Server.MYSQL_8_0.get()) {
            createUsers(db);
            Bascule b = db.bascule().lockTimeout(LOCK_TIMEOUT).backfill(BackfillOptions.defaults().withBatchSize(500)).load();
            Traffic oldTraffic = new Traffic();
            oldTraffic.add(new Client(oldTraffic, oldCode(db), 1, Client::oldUsers));
            oldTraffic.add(new Client(oldTraffic, oldCode(db), 2, Client::oldUsers));
            oldTraffic.startAll();
            Thread.sleep(500);
            oldTraffic.endBaseline();
            b.start(Scenario.migration(CORE));
            String version = b.latest();
            Traffic newTraffic = new Traffic();
            newTraffic.baselineNanos = oldTraffic.baselineNanos;
            newTraffic.add(new Client(newTraffic, db.connect(version), 3, Client::newUsers));
            newTraffic.add(new Client(newTraffic, db.connect(version), 4, Client::newUsers));
            newTraffic.startAll();
            Thread.sleep(500);
            // the deployment is over: old code is gone before complete removes what only it used
            oldTraffic.stop();
            oldTraffic.assertClean("core, old code through start");
            b.complete(Set.of());
            Thread.sleep(300);
            newTraffic.stop();
            newTraffic.assertClean("core, new code through start and complete");
            assertThat(db.column("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'users' ORDER BY ORDINAL_POSITION")).containsExactly("id", "full_name", "nick");
            assertThat(db.value("SELECT count(*) FROM users WHERE nick IS NULL OR full_name IS NULL")).isEqualTo("0");
            assertThat(db.value("SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND INDEX_NAME = 'users_nick_idx'")).isEqualTo("1");
            assertThat(db.value("SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")).isEqualTo("0");
        }
    }

    @Test
    void coreScenarioRollsBackUnderOldClientsToTheSameSchemaAndRows() throws Exception {
        try (TestDb db = Server.MYSQL_8_0.get()) {
            createUsers(db);
            List<String> schemaBefore = schema(db);
            Bascule b = db.bascule().lockTimeout(LOCK_TIMEOUT).backfill(BackfillOptions.defaults().withBatchSize(500)).load();
            Traffic writers = new Traffic();
            writers.add(new Client(writers, oldCode(db), 1, Client::oldUsers));
            writers.startAll();
            Thread.sleep(500);
            writers.endBaseline();
            b.start(Scenario.migration(CORE));
            String version = b.latest();
            writers.add(new Client(writers, db.connect(version), 3, Client::newUsers));
            writers.startAll();
            Thread.sleep(500);
            writers.stop();
            writers.assertClean("core, old and new code through start");
            // what old code sees now, new code's rows included (with their down values): rollback keeps it
            String rowsBefore = oldRows(db);
            Traffic readers = new Traffic();
            readers.add(new Client(readers, oldCode(db), 5, Client::oldReads));
            readers.add(new Client(readers, oldCode(db), 6, Client::oldReads));
            readers.startAll();
            Thread.sleep(500);
            readers.endBaseline();
            b.rollback();
            Thread.sleep(200);
            readers.stop();
            readers.assertClean("core, old code through rollback");
            assertThat(schema(db)).isEqualTo(schemaBefore);
            assertThat(oldRows(db)).isEqualTo(rowsBefore);
            assertThat(db.versions()).isEmpty();
        }
    }

    @Test
    void primaryKeyIntToBigintUnderOldAndNewClientsCompletesAndRollsBack() throws Exception {
        for (boolean complete : new boolean[] {true, false}) {
            try (TestDb db = Server.MYSQL_8_0.get()) {
                db.exec("SET SESSION cte_max_recursion_depth = 100000",
                        "CREATE TABLE accounts (id int AUTO_INCREMENT PRIMARY KEY, balance int NOT NULL)",
                        "INSERT INTO accounts (balance) WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                                + ROWS + ") SELECT i FROM n");
                List<String> schemaBefore = schema(db);
                Bascule b = db.bascule().lockTimeout(LOCK_TIMEOUT).backfill(BackfillOptions.defaults().withBatchSize(500)).load();
                Traffic traffic = new Traffic();
                traffic.add(new Client(traffic, oldCode(db), 1, Client::accounts));
                traffic.add(new Client(traffic, oldCode(db), 2, Client::accounts));
                traffic.startAll();
                Thread.sleep(500);
                traffic.endBaseline();
                b.start(Scenario.migration(BIGINT_KEY));
                String version = b.latest();
                traffic.add(new Client(traffic, db.connect(version), 3, Client::accounts));
                traffic.startAll();
                Thread.sleep(500);
                if (complete) {
                    b.complete(Set.of());
                    Thread.sleep(300);
                    traffic.stop();
                    traffic.assertClean("int to bigint key, old and new code through start and complete");
                    assertThat(db.value("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                            + " AND TABLE_NAME = 'accounts' AND COLUMN_NAME = 'id'")).isEqualTo("bigint");
                    assertThat(db.value("SELECT GROUP_CONCAT(COLUMN_NAME) FROM information_schema.KEY_COLUMN_USAGE"
                            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'accounts' AND CONSTRAINT_NAME = 'PRIMARY'")).isEqualTo("id");
                    assertThat(db.value("SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                            + " AND TABLE_NAME = 'accounts' AND COLUMN_NAME = 'id'")).contains("auto_increment");
                    // the rows every client wrote are there, each once
                    assertThat(db.value("SELECT count(*) - count(DISTINCT id) FROM accounts")).isEqualTo("0");
                    assertThat(Long.parseLong(db.value("SELECT count(*) FROM accounts"))).isEqualTo(ROWS + traffic.inserted());
                } else {
                    traffic.stop();
                    traffic.assertClean("int to bigint key, old and new code through start");
                    String rowsBefore = db.value("SELECT MD5(GROUP_CONCAT(CONCAT(id, ':', balance) ORDER BY id)) FROM accounts");
                    b.rollback();
                    assertThat(schema(db)).isEqualTo(schemaBefore);
                    assertThat(db.value("SELECT MD5(GROUP_CONCAT(CONCAT(id, ':', balance) ORDER BY id)) FROM accounts"))
                            .isEqualTo(rowsBefore);
                }
            }
        }
    }

    private static void createUsers(TestDb db) {
        db.exec("SET SESSION cte_max_recursion_depth = 100000",
                "CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL, legacy int)",
                "INSERT INTO users (name, legacy) WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        + ROWS + ") SELECT concat('u', i), i FROM n");
    }

    /** Old code as MySQL users run it: MySQL Connector/J on the base database, its default settings. */
    private static Connection oldCode(TestDb db) throws SQLException {
        return DriverManager.getConnection(MySqlServer.connectorJUrl(db.name()));
    }

    /** Catalog lines of the snapshot (every line but the rows'). */
    private static List<String> schema(TestDb db) throws SQLException {
        return db.snapshot().stream().filter(l -> !l.startsWith("data ")).toList();
    }

    private static String oldRows(TestDb db) {
        return db.value("SELECT CONCAT(count(*), ' ', MD5(GROUP_CONCAT(CONCAT_WS('|', id, name, COALESCE(legacy, '-')) ORDER BY id"
                + " SEPARATOR ';'))) FROM users");
    }

    /** Clients, each on a connection of its own, started together, stopped together. */
    static final class Traffic {
        final List<Client> clients = new ArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        /** The slowest statement before the migration began. */
        long baselineNanos;

        void add(Client c) {
            clients.add(c);
        }

        void startAll() {
            clients.stream().filter(c -> c.getState() == Thread.State.NEW).forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Client c : clients) c.join();
        }

        /** The slowest statement so far is the machine's noise: the bound is over it, and each client's slowest starts again. */
        void endBaseline() {
            baselineNanos = clients.stream().mapToLong(c -> c.slowestNanos).max().orElse(0);
            clients.forEach(c -> c.slowestNanos = 0);
        }

        long inserted() {
            return clients.stream().mapToLong(c -> c.inserted).sum();
        }

        void assertClean(String what) {
            long slowest = clients.stream().mapToLong(c -> c.slowestNanos).max().orElse(0) / 1_000_000;
            System.out.printf("MySql8ScenarioTest %s: %d clients, %d statements, %d errors, slowest %d ms (before start: %d ms;"
                            + " bound %d ms)%n", what, clients.size(), clients.stream().mapToLong(c -> c.statements.get()).sum(),
                    errors.size(), slowest, baselineNanos / 1_000_000, SLOWEST_MILLIS + baselineNanos / 1_000_000);
            assertThat(errors).as("client errors").isEmpty();
            for (Client c : clients) {
                assertThat(c.statements.get()).as("statements of client " + c.seed).isGreaterThan(10);
                assertThat(c.slowestNanos / 1_000_000).as("slowest statement (ms) of client " + c.seed + ": " + c.slowest)
                        .isLessThanOrEqualTo(SLOWEST_MILLIS + baselineNanos / 1_000_000);
            }
        }
    }

    @FunctionalInterface
    interface Work {
        void run(Client c) throws SQLException;
    }

    static final class Client extends Thread {
        final Traffic traffic;
        final Connection connection;
        final int seed;
        final SplittableRandom random;
        final Work work;
        final AtomicLong statements = new AtomicLong();
        volatile long slowestNanos;
        volatile String slowest = "";
        long inserted;

        Client(Traffic traffic, Connection connection, int seed, Work work) {
            this.traffic = traffic;
            this.connection = connection;
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.work = work;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (connection) {
                while (!traffic.stop.get()) {
                    try {
                        work.run(this);
                    } catch (SQLException e) {
                        traffic.errors.add("client " + seed + ": " + e.getErrorCode() + " " + e.getMessage());
                        if (traffic.errors.size() > 20) return;
                    }
                }
            } catch (SQLException e) {
                traffic.errors.add("client " + seed + ": " + e.getMessage());
            }
        }

        /** Runs and times one statement, as the application would see it. */
        void timed(String sql, Object... params) throws SQLException {
            long t0 = System.nanoTime();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
                if (ps.execute()) {
                    try (ResultSet rs = ps.getResultSet()) {
                        while (rs.next()) rs.getString(1);
                    }
                }
            }
            long took = System.nanoTime() - t0;
            statements.incrementAndGet();
            if (took > slowestNanos) {
                slowestNanos = took;
                slowest = sql;
            }
        }

        int id() {
            return 1 + random.nextInt(ROWS);
        }

        static void oldUsers(Client c) throws SQLException {
            switch (c.random.nextInt(3)) {
                case 0 -> c.timed("INSERT INTO users (name, legacy) VALUES (?, ?)", "o" + c.seed, c.seed);
                case 1 -> c.timed("UPDATE users SET name = ? WHERE id = ?", "m" + c.statements.get(), c.id());
                default -> c.timed("SELECT id, name, legacy FROM users WHERE id = ?", c.id());
            }
        }

        static void oldReads(Client c) throws SQLException {
            c.timed(c.random.nextBoolean() ? "SELECT id, name, legacy FROM users WHERE id = ?" : "SELECT * FROM users WHERE id = ?", c.id());
        }

        static void newUsers(Client c) throws SQLException {
            switch (c.random.nextInt(4)) {
                case 0 -> c.timed("INSERT INTO users (full_name, nick) VALUES (?, ?)", "n" + c.seed, "N" + c.seed);
                case 1 -> c.timed("UPDATE users SET full_name = ?, nick = 'M' WHERE id = ?", "m" + c.statements.get(), c.id());
                case 2 -> c.timed("SELECT id, full_name, nick FROM users WHERE id = ?", c.id());
                default -> c.timed("SELECT id, full_name FROM users WHERE nick = 'M' LIMIT 3");
            }
        }

        static void accounts(Client c) throws SQLException {
            switch (c.random.nextInt(3)) {
                case 0 -> {
                    c.timed("INSERT INTO accounts (balance) VALUES (?)", c.seed);
                    c.inserted++;
                }
                case 1 -> c.timed("UPDATE accounts SET balance = balance + 1 WHERE id = ?", c.id());
                default -> c.timed("SELECT id, balance FROM accounts WHERE id = ?", c.id());
            }
        }
    }
}
