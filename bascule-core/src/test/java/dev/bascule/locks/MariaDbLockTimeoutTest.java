package dev.bascule.locks;

import dev.bascule.api.StartOutcome;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.BasculeListener;
import dev.bascule.command.StartPhase;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MariaDB's counterpart of {@code LockTimeoutTest}: a transaction holds a metadata lock on the table;
 * Bascule's ALTER gives up after the lock timeout of 250 ms (not lock_wait_timeout's whole second),
 * the application's writes queued behind it wait no longer than that plus a margin, and once the
 * holder ends a retry goes through.
 */
class MariaDbLockTimeoutTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(250);
    /** Scheduling noise on a busy 2-core machine, and the watch's polling. */
    static final Duration MARGIN = Duration.ofMillis(150);

    @Test
    void theAlterGivesUpAfterTheLockTimeoutAndTheApplicationWaitsNoLonger() throws Exception {
        try (TestDb db = TestDb.mariadb(); Connection holder = db.connect(db.name()); Connection app = db.connect(db.name())) {
            db.exec("CREATE TABLE items (id int AUTO_INCREMENT PRIMARY KEY, name varchar(20))",
                    "INSERT INTO items (name) VALUES ('a'), ('b')");
            // when each retry was announced, and the backoff it announced
            List<long[]> retries = new CopyOnWriteArrayList<>();
            Bascule b = db.bascule().lockTimeout(LOCK_TIMEOUT).lockAttempts(100).listener(new BasculeListener() {
                @Override
                public void lockRetry(String description, int attempt, Duration wait) {
                    retries.add(new long[] {System.nanoTime(), wait.toNanos()});
                }
            }).load();
            holder.setAutoCommit(false);
            db.exec(holder, "SELECT * FROM items"); // a shared metadata lock until the transaction ends
            CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(() -> b.start(migration(
                    "operations:\n  - add_column: {table: items, column: {name: c, type: varchar(20)}, up: upper(name)}\n")));
            long maxWait = 0;
            int writes = 0;
            try (PreparedStatement insert = app.prepareStatement("INSERT INTO items (name) VALUES ('app')")) {
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < until || retries.size() < 4) {
                    long t0 = System.nanoTime();
                    insert.executeUpdate();
                    maxWait = Math.max(maxWait, System.nanoTime() - t0);
                    writes++;
                    Thread.sleep(5);
                }
            }
            assertThat(start).isNotDone();
            holder.commit();
            assertThat(start.get(30, TimeUnit.SECONDS)).isEqualTo(StartOutcome.STARTED);

            // each attempt after the first: from the previous retry's announcement, less its backoff
            for (int i = 1; i < retries.size() && i < 4; i++) {
                Duration attempt = Duration.ofNanos(retries.get(i)[0] - retries.get(i - 1)[0] - retries.get(i - 1)[1]);
                assertThat(attempt).isBetween(LOCK_TIMEOUT.minusMillis(20), LOCK_TIMEOUT.plus(MARGIN));
            }
            assertThat(writes).isGreaterThan(20);
            assertThat(Duration.ofNanos(maxWait)).isGreaterThan(LOCK_TIMEOUT.minusMillis(100)) // they did queue
                    .isLessThan(LOCK_TIMEOUT.plus(MARGIN));
            String version = db.name() + "_" + Scenario.MIGRATION;
            assertThat(db.value("SELECT count(*) FROM `" + version + "`.items WHERE c = UPPER(name)"))
                    .isEqualTo(db.value("SELECT count(*) FROM items"));
        }
    }

    @Test
    void aLockTimeoutOfWholeSecondsIsTheServersOwn() throws Exception {
        try (TestDb db = TestDb.mariadb(); Connection holder = db.connect(db.name())) {
            db.exec("CREATE TABLE items (id int PRIMARY KEY, name varchar(20))");
            Bascule b = db.bascule().lockTimeout(Duration.ofSeconds(1)).lockAttempts(1).load();
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT * FROM items").close();
            }
            long t0 = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.start(migration(
                            "operations:\n  - add_column: {table: items, column: {name: c, type: varchar(20)}}\n")))
                    .hasMessageContaining("could not take its lock within the lock timeout (1000 ms) in 1 attempts")
                    .hasStackTraceContaining("Lock wait timeout exceeded")
                    .satisfies(e -> assertThat(org.assertj.core.util.Throwables.getStackTrace(e)).doesNotContain("ended the wait itself"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(950), Duration.ofSeconds(3));
            holder.rollback();
        }
    }

    /**
     * A row the application holds past innodb_lock_wait_timeout (1 s here: no statement timeout, so
     * the row lock's timeout, error 1205, is what ends the batch) is a hot key range: the batch is
     * split, the rows around the hot one are filled while it is held, and the rest once it is let go.
     */
    @Test
    void aRowLockTimeoutInABackfillBatchSplitsTheBatch() throws Exception {
        try (TestDb db = TestDb.mariadb(); Connection holder = db.connect(db.name())) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL)",
                    "INSERT INTO users SELECT seq, CONCAT('U', seq, '@X.org') FROM seq_1_to_1000");
            Bascule b = db.bascule().backfill(dev.bascule.api.BackfillOptions.defaults().withBatchSize(400)
                    .withStatementTimeout(Duration.ZERO).withThrottle(dev.bascule.api.ThrottleOptions.none())).load();
            var m = migration("operations:\n  - add_column: {table: users, column: {name: email_lower, type: varchar(100)},"
                    + " up: \"lower(email)\"}\n");
            // the DDL first: the holder's transaction would hold it back (its metadata lock)
            assertThat(b.start(m, true, java.util.Set.of())).isEqualTo(StartOutcome.EXPANDED);
            holder.setAutoCommit(false);
            db.exec(holder, "UPDATE users SET email = 'HOT@X.org' WHERE id = 950"); // its row lock until commit
            CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(() -> b.start(m));
            Bascule other = db.bascule().load();
            // 800 rows in two batches; (800, 1000] times out, and again at 200 rows; at 100 rows (800, 900] goes through
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (rowsDone(other) < 900 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(rowsDone(other)).as("rows filled while row 950 is held").isGreaterThanOrEqualTo(900).isLessThan(1000);
            assertThat(db.value("SELECT count(*) FROM users WHERE id < 950 AND email_lower IS NULL")).isNotEqualTo("0");
            holder.commit();
            assertThat(start.get(30, TimeUnit.SECONDS)).isEqualTo(StartOutcome.STARTED);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower = LOWER(email)")).isEqualTo("1000");
            assertThat(db.value("SELECT email_lower FROM users WHERE id = 950")).isEqualTo("hot@x.org");
        }
    }

    private static long rowsDone(Bascule b) {
        var s = b.status();
        return s.active() == null || s.active().backfills().isEmpty() ? 0 : s.active().backfills().get(0).rowsDone();
    }

    @Test
    void aMetadataLockHeldByTheApplicationMakesDdlGiveUpAndRetryThenTheRerunFinishes() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Bascule b = db.bascule().lockTimeout(Duration.ofMillis(500)).lockAttempts(2).load();
            var m = migration("operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n");
            try (Connection holder = db.connect(db.name())) {
                holder.setAutoCommit(false);
                db.exec(holder, "SELECT * FROM users"); // a shared metadata lock until the transaction ends
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> b.start(m)).isInstanceOf(BasculeException.class)
                        .hasMessageContaining("could not take its lock").hasMessageContaining("2 attempts");
                // two waits of 500 ms (not lock_wait_timeout's whole second) and one backoff of 50 to 100 ms
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1900));
                holder.rollback();
            }
            assertThat(b.start(m)).isEqualTo(StartOutcome.STARTED);
            assertThat(b.start(m)).isEqualTo(StartOutcome.ALREADY_STARTED);
            b.rollback();
        }
    }
}
