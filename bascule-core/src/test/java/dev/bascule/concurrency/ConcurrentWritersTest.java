package dev.bascule.concurrency;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BackfillOptions;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers keep inserting and updating through both versions while start and complete run: none
 * sees an error, no row or update is lost, every row ends with its {@code up} value.
 */
class ConcurrentWritersTest {
    static final int ROWS = 20_000;

    @Test
    void writersThroughBothVersionsDuringStartAndComplete() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL, email text NOT NULL, balance bigint NOT NULL DEFAULT 0)",
                    "INSERT INTO accounts (name, email) SELECT 'a' || g, 'a' || g || '@d' || (g % 7) || '.org' FROM generate_series(1, " + ROWS + ") g");
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(500)).load();
            String version = s.name() + "_0001_change";
            var m = Scenario.migration("""
                    operations:
                      - rename_column: {table: accounts, from: name, to: holder}
                      - add_column:
                          table: accounts
                          column: {name: domain, type: text, nullable: false}
                          up: split_part(email, '@', 2)
                      - create_index: {name: accounts_domain_idx, table: accounts, columns: [domain]}
                    """);
            Queue errors = new Queue();
            AtomicLong inserted = new AtomicLong();
            AtomicLong increments = new AtomicLong();
            List<Writer> old = List.of(new Writer(s, s.name(), false, 1, errors, inserted, increments),
                    new Writer(s, s.name(), false, 2, errors, inserted, increments));
            old.forEach(Thread::start);
            b.start(m);
            List<Writer> neu = List.of(new Writer(s, version + ", " + s.name(), true, 3, errors, inserted, increments),
                    new Writer(s, version + ", " + s.name(), true, 4, errors, inserted, increments));
            neu.forEach(Thread::start);
            Thread.sleep(500);
            for (Writer w : old) w.finish(); // old code is gone before the contract
            b.complete(Set.of());
            Thread.sleep(200);
            for (Writer w : neu) w.finish();

            assertThat(errors.list).isEmpty();
            assertThat(old).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            assertThat(neu).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            assertThat(s.value("SELECT count(*) FROM accounts")).isEqualTo(String.valueOf(ROWS + inserted.get()));
            assertThat(s.value("SELECT sum(balance) FROM accounts")).isEqualTo(String.valueOf(increments.get()));
            assertThat(s.value("SELECT count(*) FROM accounts WHERE domain IS DISTINCT FROM split_part(email, '@', 2)")).isEqualTo("0");
        }
    }

    static final class Queue {
        final List<String> list = new CopyOnWriteArrayList<>();
    }

    /** Inserts a row, increments a random row's balance, reads it back; in its version's shape. */
    static final class Writer extends Thread {
        final TestSchema schema;
        final String path;
        final boolean newShape;
        final Queue errors;
        final AtomicLong inserted;
        final AtomicLong increments;
        final AtomicBoolean stop = new AtomicBoolean();
        final SplittableRandom random;
        volatile long operations;

        Writer(TestSchema schema, String path, boolean newShape, int seed, Queue errors, AtomicLong inserted, AtomicLong increments) {
            this.schema = schema;
            this.path = path;
            this.newShape = newShape;
            this.errors = errors;
            this.inserted = inserted;
            this.increments = increments;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            try (Connection c = schema.connect(path);
                 PreparedStatement insert = c.prepareStatement(newShape
                         ? "INSERT INTO accounts (holder, email, domain) VALUES (?, ?, ?)"
                         : "INSERT INTO accounts (name, email) VALUES (?, ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?");
                 PreparedStatement read = c.prepareStatement(newShape
                         ? "SELECT holder, domain FROM accounts WHERE id = ?" : "SELECT name, email FROM accounts WHERE id = ?")) {
                long n = 0;
                while (!stop.get()) {
                    n++;
                    try {
                        insert.setString(1, "w" + getName() + "-" + n);
                        insert.setString(2, "w" + n + "@writer.net");
                        if (newShape) insert.setString(3, "writer.net");
                        insert.executeUpdate();
                        inserted.incrementAndGet();
                        long id = 1 + random.nextInt(ROWS);
                        update.setLong(1, id);
                        if (update.executeUpdate() == 1) increments.incrementAndGet();
                        read.setLong(1, id);
                        read.executeQuery().close();
                        operations++;
                    } catch (SQLException e) {
                        errors.list.add((newShape ? "new: " : "old: ") + e.getMessage());
                        if (errors.list.size() > 20) return;
                    }
                }
            } catch (SQLException e) {
                errors.list.add(e.getMessage());
            }
        }

        void finish() throws InterruptedException {
            stop.set(true);
            join();
        }
    }
}
