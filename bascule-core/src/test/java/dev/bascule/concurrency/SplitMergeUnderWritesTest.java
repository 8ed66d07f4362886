package dev.bascule.concurrency;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.VerifyResult;
import dev.bascule.api.BackfillOptions;
import dev.bascule.testing.TestSchema;
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
 * Old code inserts, updates and deletes while start copies rows into split parts or a merged table;
 * new code writes the new tables while complete runs. The new tables must equal what the test
 * computes from the old ones with a join of its own, and no writer may see an error.
 */
class SplitMergeUnderWritesTest {
    static final int ROWS = 10_000;

    @Test
    void splitKeepsPartsEqualToTheTable() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, street text, city text)",
                    "INSERT INTO users (name, street, city) SELECT 'u' || g, 's' || g, 'c' || (g % 50) FROM generate_series(1, " + ROWS + ") g");
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(200)
                    .withBatchDelay(Duration.ofMillis(2))).load();
            List<String> errors = new CopyOnWriteArrayList<>();
            List<Writer> old = List.of(1, 2).stream().map(seed -> new Writer(s, s.name(), errors, seed, w -> {
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
            assertThat(s.value("SELECT count(*) FROM users u FULL JOIN addresses a USING (id)"
                    + " WHERE u.id IS NULL OR a.id IS NULL OR (u.street, u.city) IS DISTINCT FROM (a.street, a.city)")).isEqualTo("0");
            assertThat(b.verify()).allMatch(VerifyResult::ok);

            String version = b.latest() + ", " + s.name();
            List<Writer> neu = List.of(3, 4).stream().map(seed -> new Writer(s, version, errors, seed, w -> {
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
            assertThat(s.value("SELECT count(*) FROM addresses WHERE city = 'nc'")).isEqualTo(String.valueOf(newRows));
            assertThat(s.value("SELECT count(*) FROM users u LEFT JOIN addresses a USING (id) WHERE a.id IS NULL")).isEqualTo("0");
        }
    }

    @Test
    void mergeKeepsTheMergedTableEqualToTheJoin() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL)",
                    "CREATE TABLE profiles (id bigint PRIMARY KEY REFERENCES accounts (id), bio text)",
                    "INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, " + ROWS + ") g",
                    "INSERT INTO profiles SELECT g, 'b' || g FROM generate_series(1, " + ROWS + ", 3) g");
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(200)
                    .withBatchDelay(Duration.ofMillis(2))).load();
            List<String> errors = new CopyOnWriteArrayList<>();
            List<Writer> old = List.of(1, 2).stream().map(seed -> new Writer(s, s.name(), errors, seed, w -> {
                // odd ids for one writer, even for the other: two clients racing on one account (one
                // re-inserting the profile another just deleted) would be the application's conflict
                long id = w.seed + 2L * w.random.nextInt(ROWS / 2);
                switch (w.random.nextInt(6)) {
                    case 0 -> w.exec("INSERT INTO profiles SELECT id, 'new' FROM accounts WHERE id = " + id
                            + " ON CONFLICT (id) DO UPDATE SET bio = 'upsert'");
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
            assertThat(s.value("SELECT count(*) FROM (SELECT id, email, bio FROM accounts LEFT JOIN profiles USING (id)) j"
                    + " FULL JOIN members m USING (id) WHERE j.id IS NULL OR m.id IS NULL"
                    + " OR (j.email, j.bio) IS DISTINCT FROM (m.email, m.bio)")).isEqualTo("0");
            assertThat(b.verify()).allMatch(VerifyResult::ok);

            String version = b.latest() + ", " + s.name();
            List<Writer> neu = List.of(3, 4).stream().map(seed -> new Writer(s, version, errors, seed, w ->
                    w.exec("INSERT INTO members VALUES (" + (1_000_000L * w.seed + w.operations) + ", 'n', 'nb')"))).toList();
            neu.forEach(Thread::start);
            Thread.sleep(200);
            b.complete(Set.of());
            Thread.sleep(200);
            for (Writer w : neu) w.finish();
            assertThat(errors).isEmpty();
            long newRows = neu.stream().mapToLong(w -> w.operations).sum();
            assertThat(s.value("SELECT count(*) FROM members WHERE bio = 'nb'")).isEqualTo(String.valueOf(newRows));
        }
    }

    interface Work {
        void run(Writer w) throws SQLException;
    }

    static final class Writer extends Thread {
        final TestSchema schema;
        final String path;
        final List<String> errors;
        final int seed;
        final SplittableRandom random;
        final Work work;
        final AtomicBoolean stop = new AtomicBoolean();
        Statement statement;
        volatile long operations;

        Writer(TestSchema schema, String path, List<String> errors, int seed, Work work) {
            this.schema = schema;
            this.path = path;
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
            try (Connection c = schema.connect(path); Statement st = c.createStatement()) {
                statement = st;
                while (!stop.get()) {
                    try {
                        work.run(this);
                        operations++;
                    } catch (SQLException e) {
                        errors.add(path + ": " + e.getMessage());
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
