package dev.bascule.concurrency;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BackfillOptions;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * int to bigint on a primary key that a foreign key references, a type change with NOT NULL, and a
 * rename composed with a type change on one table, while writers go through both versions from
 * before start until after complete. No writer sees an error; every row ends with the value the
 * test computes on its own.
 */
class AlterUnderWritesTest {
    static final int ROWS = 20_000;

    @Test
    void primaryKeyToBigintAndComposedChangesUnderWrites() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE accounts (id serial PRIMARY KEY, email text, balance int NOT NULL DEFAULT 0)",
                    "CREATE TABLE orders (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id), amount int NOT NULL)",
                    "INSERT INTO accounts (email) SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE 'A' || g || '@Example.ORG' END"
                            + " FROM generate_series(1, " + ROWS + ") g",
                    "INSERT INTO orders (account_id, amount) SELECT 1 + g % " + ROWS + ", g FROM generate_series(1, 5000) g");
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(500)).load();
            var m = Scenario.migration("""
                    operations:
                      - alter_column: {table: accounts, column: id, type: bigint}
                      - alter_column:
                          table: accounts
                          column: email
                          type: varchar(200)
                          nullable: false
                          up: "coalesce(lower(email), 'none')"
                          down: "email"
                      - rename_column: {table: accounts, from: balance, to: credit}
                      - alter_column: {table: accounts, column: credit, type: bigint, check: "credit >= 0"}
                    """);
            String version = s.name() + "_0001_change";
            List<String> errors = new CopyOnWriteArrayList<>();
            AtomicLong accounts = new AtomicLong();
            AtomicLong orders = new AtomicLong();
            AtomicLong increments = new AtomicLong();
            List<Writer> old = List.of(new Writer(s, s.name(), false, 1, errors, accounts, orders, increments),
                    new Writer(s, s.name(), false, 2, errors, accounts, orders, increments));
            old.forEach(Thread::start);
            b.start(m);
            List<Writer> neu = List.of(new Writer(s, version + ", " + s.name(), true, 3, errors, accounts, orders, increments),
                    new Writer(s, version + ", " + s.name(), true, 4, errors, accounts, orders, increments));
            neu.forEach(Thread::start);
            Thread.sleep(500);
            for (Writer w : old) w.finish();
            b.complete(Set.of());
            Thread.sleep(300);
            for (Writer w : neu) w.finish();

            assertThat(errors).isEmpty();
            assertThat(old).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            assertThat(neu).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            assertThat(s.value("SELECT count(*) FROM accounts")).isEqualTo(String.valueOf(ROWS + accounts.get()));
            assertThat(s.value("SELECT count(*) FROM orders")).isEqualTo(String.valueOf(5000 + orders.get()));
            assertThat(s.value("SELECT sum(credit) FROM accounts")).isEqualTo(String.valueOf(increments.get()));
            // every email is its old value lowercased, 'none' where it was NULL
            assertThat(s.value("SELECT count(*) FROM accounts WHERE email IS NULL OR email <> lower(email)")).isEqualTo("0");
            assertThat(s.value("SELECT count(*) FROM accounts WHERE email = 'none'")).isEqualTo(String.valueOf(ROWS / 10));
            assertThat(s.value("SELECT count(*) FROM accounts WHERE id <= " + ROWS + " AND id % 10 <> 0"
                    + " AND email <> 'a' || id || '@example.org'")).isEqualTo("0");
            assertThat(s.value("SELECT string_agg(attname || ':' || format_type(atttypid, atttypmod) || ':' || attnotnull, ','"
                    + " ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attnum > 0 AND NOT attisdropped"))
                    .isEqualTo("id:bigint:true,email:character varying(200):true,credit:bigint:true");
            assertThat(s.value("SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint"
                    + " WHERE conrelid IN ('accounts'::regclass, 'orders'::regclass)"))
                    .isEqualTo("accounts_credit_check:true,accounts_pkey:true,orders_account_id_fkey:true,orders_pkey:true");
            assertThat(s.value("SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = o.account_id)"))
                    .isEqualTo("0");
            assertThat(s.value("SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname LIKE '_bascule%'"))
                    .isEqualTo("0");
        }
    }

    /** Inserts an account and an order for a random account, credits a random account, reads it back. */
    static final class Writer extends Thread {
        final TestSchema schema;
        final String path;
        final boolean newShape;
        final List<String> errors;
        final AtomicLong accounts;
        final AtomicLong orders;
        final AtomicLong increments;
        final AtomicBoolean stop = new AtomicBoolean();
        final SplittableRandom random;
        volatile long operations;

        Writer(TestSchema schema, String path, boolean newShape, int seed, List<String> errors, AtomicLong accounts,
               AtomicLong orders, AtomicLong increments) {
            this.schema = schema;
            this.path = path;
            this.newShape = newShape;
            this.errors = errors;
            this.accounts = accounts;
            this.orders = orders;
            this.increments = increments;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            String credit = newShape ? "credit" : "balance";
            try (Connection c = schema.connect(path);
                 PreparedStatement insert = c.prepareStatement("INSERT INTO accounts (email) VALUES (?) RETURNING id");
                 PreparedStatement order = c.prepareStatement("INSERT INTO orders (account_id, amount) VALUES (?, 1)");
                 PreparedStatement update = c.prepareStatement("UPDATE accounts SET " + credit + " = " + credit + " + 1 WHERE id = ?");
                 PreparedStatement read = c.prepareStatement("SELECT email, " + credit + " FROM accounts WHERE id = ?")) {
                long n = 0;
                while (!stop.get()) {
                    n++;
                    try {
                        // old code writes mixed case, which the new version shows lowercased; new code writes lowercase
                        insert.setString(1, newShape ? "w" + getName().toLowerCase() + "-" + n + "@writer.net"
                                : "W" + getName() + "-" + n + "@Writer.NET");
                        long id;
                        try (ResultSet rs = insert.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                        accounts.incrementAndGet();
                        order.setLong(1, 1 + random.nextInt(ROWS));
                        order.executeUpdate();
                        orders.incrementAndGet();
                        long target = random.nextBoolean() ? id : 1 + random.nextInt(ROWS);
                        update.setLong(1, target);
                        if (update.executeUpdate() == 1) increments.incrementAndGet();
                        read.setLong(1, target);
                        read.executeQuery().close();
                        operations++;
                    } catch (SQLException e) {
                        errors.add((newShape ? "new: " : "old: ") + e.getMessage());
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
