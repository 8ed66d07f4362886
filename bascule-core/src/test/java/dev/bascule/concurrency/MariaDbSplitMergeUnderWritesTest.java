package dev.bascule.concurrency;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.VerifyResult;
import dev.bascule.api.BackfillOptions;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SplitMergeUnderWritesTest on MariaDB: old code inserts, updates and deletes while start copies
 * rows into a split part or a merged table, through AFTER triggers on both sides; new code writes
 * the new tables while complete runs. The new tables must equal what the test computes from the
 * old ones with a join of its own, and no writer may see an error (a deadlock between a trigger's
 * copy and the backfill's batch would be one).
 */
class MariaDbSplitMergeUnderWritesTest {
    static final int ROWS = 10_000;

    @Test
    void splitKeepsPartsEqualToTheTable() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id bigint AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL, street varchar(50),"
                            + " city varchar(50))",
                    "INSERT INTO users (name, street, city) SELECT concat('u', seq), concat('s', seq), concat('c', seq % 50)"
                            + " FROM seq_1_to_" + ROWS);
            Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(200)
                    .withBatchDelay(Duration.ofMillis(2))).load();
            List<String> errors = new CopyOnWriteArrayList<>();
            List<Writer> old = List.of(1, 2).stream().map(seed -> new Writer(db, db.name(), errors, seed, w -> {
                long id = 1 + w.random.nextInt(ROWS);
                switch (w.random.nextInt(4)) {
                    case 0 -> w.exec("INSERT INTO users (name, street, city) VALUES ('w', 'ws', 'wc')");
                    case 1 -> w.exec("DELETE FROM users WHERE id = " + id);
                    default -> w.exec("UPDATE users SET city = 'moved " + w.random.nextInt(1000) + "', street = NULL WHERE id = " + id);
                }
            })).toList();
            old.forEach(Thread::start);
            b.start(Scenario.migration("""
                    operations:
                      - split_table:
                          from: users
                          into:
                            - {name: addresses, columns: [id, street, city]}
                    """));
            for (Writer w : old) w.finish();
            assertThat(errors).isEmpty();
            assertThat(old).allSatisfy(w -> assertThat(w.operations).isGreaterThan(20));
            assertThat(db.value("SELECT count(*) FROM users u LEFT JOIN addresses a ON a.id = u.id"
                    + " WHERE a.id IS NULL OR NOT (u.street <=> a.street AND u.city <=> a.city)")).isEqualTo("0");
            assertThat(db.value("SELECT count(*) FROM addresses a LEFT JOIN users u ON u.id = a.id WHERE u.id IS NULL"))
                    .isEqualTo("0");
            assertThat(b.verify()).isNotEmpty().allMatch(VerifyResult::ok);

            String version = b.latest();
            List<Writer> neu = List.of(3, 4).stream().map(seed -> new Writer(db, version, errors, seed, w -> {
                long id = 1_000_000L * w.seed + w.operations;
                w.exec("INSERT INTO users (id, name) VALUES (" + id + ", 'n')");
                w.exec("INSERT INTO addresses VALUES (" + id + ", 'ns', 'nc')");
            })).toList();
            neu.forEach(Thread::start);
            Thread.sleep(200);
            b.complete(Set.of());
            Thread.sleep(200);
            for (Writer w : neu) w.finish();
            assertThat(errors).isEmpty();
            long newRows = neu.stream().mapToLong(w -> w.operations).sum();
            assertThat(newRows).isGreaterThan(0);
            assertThat(db.value("SELECT count(*) FROM addresses WHERE city = 'nc'")).isEqualTo(String.valueOf(newRows));
            assertThat(db.value("SELECT count(*) FROM users u LEFT JOIN addresses a ON a.id = u.id WHERE a.id IS NULL"))
                    .isEqualTo("0");
        }
    }

    @Test
    void mergeKeepsTheMergedTableEqualToTheJoin() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE accounts (id bigint PRIMARY KEY, email varchar(50) NOT NULL)",
                    "CREATE TABLE profiles (id bigint PRIMARY KEY, bio varchar(50), FOREIGN KEY (id) REFERENCES accounts (id))",
                    "INSERT INTO accounts SELECT seq, concat('a', seq) FROM seq_1_to_" + ROWS,
                    "INSERT INTO profiles SELECT seq, concat('b', seq) FROM seq_1_to_" + ROWS + "_step_3");
            Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(200)
                    .withBatchDelay(Duration.ofMillis(2))).load();
            List<String> errors = new CopyOnWriteArrayList<>();
            List<Writer> old = List.of(1, 2).stream().map(seed -> new Writer(db, db.name(), errors, seed, w -> {
                // odd ids for one writer, even for the other (see SplitMergeUnderWritesTest)
                long id = w.seed + 2L * w.random.nextInt(ROWS / 2);
                switch (w.random.nextInt(6)) {
                    case 0 -> w.exec("INSERT INTO profiles SELECT id, 'new' FROM accounts WHERE id = " + id
                            + " ON DUPLICATE KEY UPDATE bio = 'upsert'");
                    case 1 -> w.exec("DELETE FROM profiles WHERE id = " + id);
                    case 2 -> w.exec("UPDATE profiles SET bio = 'bio " + w.random.nextInt(1000) + "' WHERE id = " + id);
                    case 3 -> w.exec("UPDATE accounts SET email = 'e " + w.random.nextInt(1000) + "' WHERE id = " + id);
                    case 4 -> w.exec("DELETE FROM profiles WHERE id = " + id, "DELETE FROM accounts WHERE id = " + id);
                    default -> w.exec("INSERT INTO accounts VALUES (" + (100_000L * w.seed + w.operations) + ", 'fresh')");
                }
            })).toList();
            old.forEach(Thread::start);
            b.start(Scenario.migration("""
                    operations:
                      - merge_tables:
                          from: [accounts, profiles]
                          into: {name: members, columns: [id, email, bio]}
                    """));
            for (Writer w : old) w.finish();
            assertThat(errors).isEmpty();
            assertThat(old).allSatisfy(w -> assertThat(w.operations).isGreaterThan(20));
            assertThat(db.value("SELECT count(*) FROM accounts a LEFT JOIN profiles p ON p.id = a.id LEFT JOIN members m"
                    + " ON m.id = a.id WHERE m.id IS NULL OR NOT (a.email <=> m.email AND p.bio <=> m.bio)")).isEqualTo("0");
            assertThat(db.value("SELECT count(*) FROM members m LEFT JOIN accounts a ON a.id = m.id WHERE a.id IS NULL"))
                    .isEqualTo("0");
            assertThat(b.verify()).isNotEmpty().allMatch(VerifyResult::ok);

            String version = b.latest();
            List<Writer> neu = List.of(3, 4).stream().map(seed -> new Writer(db, version, errors, seed, w ->
                    w.exec("INSERT INTO members VALUES (" + (1_000_000L * w.seed + w.operations) + ", 'n', 'nb')"))).toList();
            neu.forEach(Thread::start);
            Thread.sleep(200);
            b.complete(Set.of());
            Thread.sleep(200);
            for (Writer w : neu) w.finish();
            assertThat(errors).isEmpty();
            long newRows = neu.stream().mapToLong(w -> w.operations).sum();
            assertThat(newRows).isGreaterThan(0);
            assertThat(db.value("SELECT count(*) FROM members WHERE bio = 'nb'")).isEqualTo(String.valueOf(newRows));
        }
    }

    interface Work {
        void run(Writer w) throws SQLException;
    }

    /** A client of one version, writing in a loop until finished; every error is the test's failure. */
    static final class Writer extends Thread {
        final TestDb db;
        final String version;
        final List<String> errors;
        final int seed;
        final SplittableRandom random;
        final Work work;
        final AtomicBoolean stop = new AtomicBoolean();
        Statement statement;
        volatile long operations;

        Writer(TestDb db, String version, List<String> errors, int seed, Work work) {
            this.db = db;
            this.version = version;
            this.errors = errors;
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.work = work;
        }

        void exec(String... sql) throws SQLException {
            for (String q : sql) statement.execute(q);
        }

        @Override
        public void run() {
            try (Connection c = db.connect(version); Statement st = c.createStatement()) {
                statement = st;
                while (!stop.get()) {
                    try {
                        work.run(this);
                        operations++;
                    } catch (SQLException e) {
                        errors.add(version + ": " + e.getErrorCode() + " " + e.getMessage());
                        if (errors.size() > 20) return;
                    }
                }
            } catch (SQLException e) {
                errors.add(e.getMessage());
            }
        }

        void finish() throws InterruptedException {
            stop.set(true);
            join();
        }
    }
}
