package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.MigrationStatus;
import dev.bascule.backfill.throttle.HealthMonitor;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.api.StartOutcome;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.testing.MariaDbServer;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.bascule.testing.Eventually.waitFor;
import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backfill on MariaDB: batches along the key with checkpoints, paused from another process, resumed after its connections die, throttled by Threads_running. */
class MariaDbBackfillTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";

    @Test
    void backfillWalksTheKeyInBatchesWithCheckpointsAndPausesFromAnotherProcess() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users (id, name, email) SELECT seq, CONCAT('u', seq), CONCAT('U', seq, '@X.org')"
                    + " FROM seq_1_to_3000");
            Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(100).withMaxRowsPerSecond(3000)
                    .withThrottle(ThrottleOptions.none())).load();
            CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(() -> b.start(migration("""
                    operations:
                      - add_column: {table: users, column: {name: email_lower, type: varchar(100)}, up: "lower(email)"}
                    """)));
            Bascule other = db.bascule().load();
            waitFor(() -> rowsDone(other) > 0);
            other.pause(true);
            waitFor(() -> "paused".equals(other.status().active().backfills().get(0).throttleReason()));
            long paused = rowsDone(other);
            Thread.sleep(400);
            assertThat(rowsDone(other)).isEqualTo(paused).isLessThan(3000);
            assertThat(start).isNotDone();
            other.pause(false);
            assertThat(start.get(30, TimeUnit.SECONDS)).isEqualTo(StartOutcome.STARTED);
            MigrationStatus.Backfill done = other.status().active().backfills().get(0);
            assertThat(done.finished()).isTrue();
            assertThat(done.rowsDone()).isEqualTo(3000);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower = LOWER(email)")).isEqualTo("3000");
            String state = db.name().replace("t_", "bascule_");
            assertThat(db.value("SELECT CONCAT(last_key, ' ', batches >= 30) FROM " + state + ".backfills")).isEqualTo("[\"3000\"] 1");
        }
    }

    @Test
    void aBackfillWhoseConnectionsAreKilledResumesFromItsCheckpointAndDoesNoRowTwice() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users (id, name, email) SELECT seq, CONCAT('u', seq), CONCAT('U', seq, '@X.org')"
                    + " FROM seq_1_to_2000",
                    // counts every write of a row by the backfill: a batch done twice would show
                    "CREATE TABLE writes (id int PRIMARY KEY, n int NOT NULL)",
                    "CREATE TRIGGER count_writes AFTER UPDATE ON users FOR EACH ROW"
                            + " INSERT INTO writes VALUES (NEW.id, 1) ON DUPLICATE KEY UPDATE n = n + 1");
            var m = migration("operations:\n  - add_column: {table: users, column: {name: email_lower, type: varchar(100)},"
                    + " up: \"lower(email)\"}\n");
            Bascule slow = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(50).withMaxRowsPerSecond(2000)
                    .withThrottle(ThrottleOptions.none())).load();
            CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(() -> slow.start(m));
            Bascule other = db.bascule().load();
            waitFor(() -> rowsDone(other) >= 300);
            // the backfill's connection dies mid-batch, as in a crash (the work connection is the one in the base database)
            try (Connection admin = MariaDbServer.dataSource().getConnection(); Statement s = admin.createStatement()) {
                for (String id : db.column("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + db.name()
                        + "' AND ID <> CONNECTION_ID()")) {
                    s.execute("KILL CONNECTION " + id);
                }
            }
            assertThatThrownBy(() -> start.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(BasculeException.class);
            long checkpoint = rowsDone(other);
            assertThat(checkpoint).isBetween(300L, 1999L);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower IS NOT NULL")).isEqualTo(String.valueOf(checkpoint));
            // the rerun goes on from the checkpoint
            assertThat(db.bascule().load().start(m)).isEqualTo(StartOutcome.STARTED);
            assertThat(rowsDone(other)).isEqualTo(2000);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower = LOWER(email)")).isEqualTo("2000");
            assertThat(db.value("SELECT CONCAT(count(*), ' ', max(n)) FROM writes")).isEqualTo("2000 1");
        }
    }

    @Test
    void threadsRunningThrottlesTheBackfill() throws Exception {
        Dialect dialect = new MariaDbDialect();
        ThrottleOptions options = ThrottleOptions.none().withThreadsRunning(new ThrottleOptions.Limit(1, 0));
        CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> {
            try (Connection c = MariaDbServer.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT SLEEP(3)");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Thread.sleep(300);
            try (HealthMonitor m = new HealthMonitor(MariaDbServer.dataSource().getConnection(), options, "`t`", dialect.health().healthSignals(),
                    c -> java.util.Optional.empty(), note -> { }).start()) {
                Verdict v = m.verdict();
                assertThat(v.level()).isEqualTo(Verdict.Level.THROTTLE);
                assertThat(v.reason()).startsWith("Threads_running");
            }
        } finally {
            busy.get(10, TimeUnit.SECONDS);
        }
    }

    private static long rowsDone(Bascule b) {
        MigrationStatus s = b.status();
        return s.active() == null || s.active().backfills().isEmpty() ? 0 : s.active().backfills().get(0).rowsDone();
    }
}
