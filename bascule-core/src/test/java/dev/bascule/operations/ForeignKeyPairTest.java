package dev.bascule.operations;

import dev.bascule.BasculeInternals;
import dev.bascule.testing.Server;
import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.BackfillOptions;
import dev.bascule.plan.Plan;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Nested;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * int to bigint on a primary key and on the columns that reference it, in one migration: the
 * referencing shadow gets its foreign key to the referenced shadow at start, the tables swap
 * together at complete, and the final key, named as before, links the two bigint columns.
 */
class ForeignKeyPairTest {
    static final long BEYOND_INT = 3_000_000_000L;
    static final String IN = "((current_schemas(false))[2] || '.";

    @Nested
    class KeyAndReference {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - alter_column: {table: accounts, column: id, type: bigint}
                  - alter_column: {table: transfers, column: account_id, type: bigint}
                """,
                "CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE transfers (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id)"
                        + " ON DELETE CASCADE, amount int NOT NULL)",
                "CREATE INDEX transfers_account_id_idx ON transfers (account_id)",
                "INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, 50) g",
                "INSERT INTO transfers (account_id, amount) SELECT 1 + g % 50, g FROM generate_series(1, 200) g");

        @Test
        void bothBecomeBigintAndTheForeignKeyHoldsThroughout() throws Exception {
            scenario.completes(v -> {
                // during start both versions write keys in int range: old code's columns are still int
                v.old("INSERT INTO accounts (id, name) VALUES (1000, 'old')", "INSERT INTO transfers (account_id, amount) VALUES (1000, 1)");
                v.neu("INSERT INTO accounts (id, name) VALUES (2000, 'new')", "INSERT INTO transfers (account_id, amount) VALUES (2000, 2)");
                v.neu("INSERT INTO transfers (account_id, amount) VALUES (1000, 3)");
                v.old("INSERT INTO transfers (account_id, amount) VALUES (2000, 4)");
                assertThat(v.newValue("SELECT count(*) FROM transfers t JOIN accounts a ON a.id = t.account_id")).isEqualTo("204");
                assertThat(v.oldValue("SELECT count(*) FROM transfers t JOIN accounts a ON a.id = t.account_id")).isEqualTo("204");
                // an orphan is refused through both versions
                assertThatThrownBy(() -> v.old("INSERT INTO transfers (account_id, amount) VALUES (999, 5)"))
                        .hasMessageContaining("foreign key");
                assertThatThrownBy(() -> v.neu("INSERT INTO transfers (account_id, amount) VALUES (999, 5)"))
                        .hasMessageContaining("foreign key");
                assertThatThrownBy(() -> v.neu("UPDATE transfers SET account_id = 999 WHERE account_id = 1"))
                        .hasMessageContaining("foreign key");
                // the key on the new columns is there, not yet validated
                assertThat(v.newValue("SELECT replace(pg_get_constraintdef(oid), (current_schemas(false))[2] || '.', '') || ' ' || convalidated FROM pg_constraint"
                        + " WHERE conrelid = " + IN + "transfers')::regclass AND conname = '_bascule_new_transfers_account_id_fkey'"))
                        .isEqualTo("FOREIGN KEY (_bascule_new_account_id) REFERENCES accounts(_bascule_new_id) ON DELETE CASCADE NOT VALID false");
            }, v -> {
                assertThat(v.newValue("SELECT string_agg(relname || '.' || attname || ':' || format_type(atttypid, atttypmod), ','"
                        + " ORDER BY relname, attname) FROM pg_attribute JOIN pg_class ON pg_class.oid = attrelid WHERE attrelid IN (" + IN + "accounts')::regclass, "
                        + IN + "transfers')::regclass) AND attname IN ('id', 'account_id')"))
                        .isEqualTo("accounts.id:bigint,transfers.account_id:bigint,transfers.id:integer");
                assertThat(v.newValue("SELECT string_agg(conname || ' ' || replace(pg_get_constraintdef(oid), (current_schemas(false))[2] || '.', '') || ' ' || convalidated, '; ' ORDER BY conname)"
                        + " FROM pg_constraint WHERE conrelid IN (" + IN + "accounts')::regclass, " + IN + "transfers')::regclass) AND contype <> 'n'"))
                        .isEqualTo("accounts_pkey PRIMARY KEY (id) true; transfers_account_id_fkey FOREIGN KEY (account_id)"
                                + " REFERENCES accounts(id) ON DELETE CASCADE true; transfers_pkey PRIMARY KEY (id) true");
                assertThat(v.newValue("SELECT string_agg(indexname || ' ' || substring(indexdef from 'USING .*'), '; ' ORDER BY indexname)"
                        + " FROM pg_indexes WHERE schemaname = (current_schemas(false))[2]"))
                        .isEqualTo("accounts_pkey USING btree (id); transfers_account_id_idx USING btree (account_id);"
                                + " transfers_pkey USING btree (id)");
                assertThat(v.newValue("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo("0");
                // a key beyond int range in both tables, through both versions, and the key still holds
                v.neu("INSERT INTO accounts (id, name) VALUES (" + BEYOND_INT + ", 'big')",
                        "INSERT INTO transfers (account_id, amount) VALUES (" + BEYOND_INT + ", 6)");
                v.old("INSERT INTO accounts (id, name) VALUES (" + (BEYOND_INT + 1) + ", 'big old')",
                        "INSERT INTO transfers (account_id, amount) VALUES (" + (BEYOND_INT + 1) + ", 7)");
                assertThat(v.newValue("SELECT count(*) FROM transfers t JOIN accounts a ON a.id = t.account_id")).isEqualTo("206");
                assertThatThrownBy(() -> v.neu("INSERT INTO transfers (account_id, amount) VALUES (" + (BEYOND_INT + 2) + ", 8)"))
                        .hasMessageContaining("transfers_account_id_fkey");
                assertThatThrownBy(() -> v.old("INSERT INTO transfers (account_id, amount) VALUES (999, 8)"))
                        .hasMessageContaining("transfers_account_id_fkey");
                v.neu("DELETE FROM accounts WHERE id = " + BEYOND_INT);
                assertThat(v.newValue("SELECT count(*) FROM transfers WHERE account_id = " + BEYOND_INT)).isEqualTo("0");
                // the serial's sequence was widened with its column
                assertThat(v.newValue("SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid ="
                        + " pg_get_serial_sequence((current_schemas(false))[2] || '.accounts', 'id')::regclass")).isEqualTo("bigint");
                assertThat(v.newValue("SELECT count(*) FROM pg_attribute WHERE attrelid IN (" + IN + "accounts')::regclass, "
                        + IN + "transfers')::regclass) AND attname LIKE '\\_bascule%'")).isEqualTo("0");
            });
        }

        @Test
        void rollbackRestoresBothTables() throws Exception {
            scenario.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM transfers t JOIN accounts a ON a.id = t.account_id"))
                    .isEqualTo("200"));
        }

        @Test
        void theTwoTablesSwapInOneStep() {
            try (TestSchema s = new TestSchema()) {
                s.exec("CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL)",
                        "CREATE TABLE transfers (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id))");
                Plan plan = BasculeInternals.plan(s.bascule().load(), Scenario.migration("""
                        operations:
                          - alter_column: {table: accounts, column: id, type: bigint}
                          - alter_column: {table: transfers, column: account_id, type: bigint}
                        """));
                assertThat(plan.complete()).filteredOn(step -> step.description().startsWith("swap ")).hasSize(1)
                        .first().satisfies(step -> assertThat(step.description())
                                .startsWith("swap altered columns of transfers, accounts together"));
            }
        }
    }

    /** Two referencing tables, one of them by a composite key, and the referenced table's key altered in the middle. */
    @Nested
    class SeveralReferencesAndACompositeKey {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - alter_column: {table: transfers, column: account_id, type: bigint}
                  - alter_column: {table: accounts, column: id, type: bigint}
                  - alter_column: {table: entries, column: account_id, type: bigint}
                """,
                "CREATE TABLE accounts (id int PRIMARY KEY, tenant int NOT NULL, UNIQUE (tenant, id))",
                "CREATE TABLE transfers (id int PRIMARY KEY, account_id int REFERENCES accounts (id))",
                "CREATE TABLE entries (id int PRIMARY KEY, tenant int NOT NULL, account_id int NOT NULL,"
                        + " CONSTRAINT entries_account_fk FOREIGN KEY (tenant, account_id) REFERENCES accounts (tenant, id))",
                "CREATE TABLE notes (id int PRIMARY KEY, account_id int REFERENCES accounts (id))",
                "INSERT INTO accounts SELECT g, g % 3 FROM generate_series(1, 30) g",
                "INSERT INTO transfers SELECT g, 1 + g % 30 FROM generate_series(1, 60) g",
                "INSERT INTO entries SELECT g, (1 + g % 30) % 3, 1 + g % 30 FROM generate_series(1, 60) g",
                "INSERT INTO notes SELECT g, g FROM generate_series(1, 30) g");

        @Test
        void everyKeyLinksTheNewColumns() throws Exception {
            scenario.completes(v -> {
                v.old("INSERT INTO accounts VALUES (100, 1)", "INSERT INTO entries VALUES (100, 1, 100)");
                v.neu("INSERT INTO accounts VALUES (200, 2)", "INSERT INTO entries VALUES (200, 2, 200)",
                        "INSERT INTO transfers VALUES (200, 200)", "INSERT INTO notes VALUES (200, 200)");
                // the composite key refuses a tenant that does not match, through both versions
                assertThatThrownBy(() -> v.old("INSERT INTO entries VALUES (300, 2, 100)")).hasMessageContaining("foreign key");
                assertThatThrownBy(() -> v.neu("INSERT INTO entries VALUES (300, 2, 100)")).hasMessageContaining("foreign key");
            }, v -> {
                assertThat(v.newValue("SELECT string_agg(conname || ' ' || replace(pg_get_constraintdef(oid), (current_schemas(false))[2] || '.', '') || ' ' || convalidated, '; '"
                        + " ORDER BY conname) FROM pg_constraint WHERE contype = 'f' AND connamespace = ((current_schemas(false))[2])::regnamespace"))
                        .isEqualTo("entries_account_fk FOREIGN KEY (tenant, account_id) REFERENCES accounts(tenant, id) true;"
                                + " notes_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts(id) true;"
                                + " transfers_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts(id) true");
                assertThat(v.newValue("SELECT string_agg(relname || '.' || attname || ':' || format_type(atttypid, atttypmod), ','"
                        + " ORDER BY relname, attname) FROM pg_attribute JOIN pg_class ON pg_class.oid = attrelid WHERE attrelid IN (" + IN + "accounts')::regclass, "
                        + IN + "transfers')::regclass, " + IN + "entries')::regclass) AND attname IN ('id', 'account_id')"))
                        .isEqualTo("accounts.id:bigint,entries.account_id:bigint,entries.id:integer,transfers.account_id:bigint,transfers.id:integer");
                v.neu("INSERT INTO accounts VALUES (" + BEYOND_INT + ", 1)", "INSERT INTO entries VALUES (400, 1, " + BEYOND_INT + ")",
                        "INSERT INTO transfers VALUES (400, " + BEYOND_INT + ")");
                assertThatThrownBy(() -> v.neu("INSERT INTO entries VALUES (401, 2, " + BEYOND_INT + ")"))
                        .hasMessageContaining("entries_account_fk");
                assertThatThrownBy(() -> v.neu("INSERT INTO transfers VALUES (401, " + (BEYOND_INT + 5) + ")"))
                        .hasMessageContaining("transfers_account_id_fkey");
            });
        }

        @Test
        void rollbackRestoresEveryTable() throws Exception {
            scenario.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM entries")).isEqualTo("60"));
        }
    }

    /** complete --deprecate keeps the old columns, without their constraints; the key links the new columns. */
    @Test
    void deprecatedOldColumnsKeepNoKey() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE accounts (id int PRIMARY KEY)",
                    "CREATE TABLE transfers (id int PRIMARY KEY, account_id int REFERENCES accounts (id))",
                    "INSERT INTO accounts SELECT generate_series(1, 20)",
                    "INSERT INTO transfers SELECT g, 1 + g % 20 FROM generate_series(1, 40) g");
            Bascule b = s.bascule().load();
            b.start(Scenario.migration("""
                    operations:
                      - alter_column: {table: accounts, column: id, type: bigint}
                      - alter_column: {table: transfers, column: account_id, type: bigint}
                    """));
            b.complete(Set.of(), Set.of(), dev.bascule.api.ContractMode.DEPRECATE);
            assertThat(s.value("SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated, '; '"
                    + " ORDER BY conname) FROM pg_constraint WHERE conrelid IN ('accounts'::regclass, 'transfers'::regclass) AND contype <> 'n'"))
                    .isEqualTo("accounts_pkey PRIMARY KEY (id) true; transfers_account_id_fkey FOREIGN KEY (account_id)"
                            + " REFERENCES accounts(id) true; transfers_pkey PRIMARY KEY (id) true");
            assertThat(s.value("SELECT count(*) FROM pg_attribute WHERE attrelid IN ('accounts'::regclass, 'transfers'::regclass)"
                    + " AND attnum > 0 AND NOT attisdropped")).isEqualTo("5"); // both old columns kept, deprecated
            s.exec("INSERT INTO accounts (id) VALUES (" + BEYOND_INT + ")",
                    "INSERT INTO transfers (id, account_id) VALUES (100, " + BEYOND_INT + ")");
            assertThatThrownBy(() -> s.exec("INSERT INTO transfers (id, account_id) VALUES (101, 999)"))
                    .hasMessageContaining("transfers_account_id_fkey");
        }
    }

    @Test
    void aKeyFromATableToItselfIsRefusedWithBothColumnsNamed() {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE nodes (id int PRIMARY KEY, parent_id int REFERENCES nodes (id))");
            Bascule b = s.bascule().load();
            assertThatThrownBy(() -> b.plan(Scenario.migration("""
                    operations:
                      - alter_column: {table: nodes, column: id, type: bigint}
                      - alter_column: {table: nodes, column: parent_id, type: bigint}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[1].alter_column.column")
                    .hasMessageContaining("foreign key 'nodes_parent_id_fkey' links two columns of table 'nodes'");
        }
    }

    /**
     * Writers through both versions from before start until after complete: each inserts an
     * account and a transfer for it, a transfer for a random account, and tries an orphan, which
     * must be refused by a foreign key every time. No other error. Each writer holds accounts
     * between two statements, the other way round from the swap's first lock order: complete must
     * still get through in one run (its later attempts start from the other table).
     */
    @Test
    void underWritesNoClientErrorAndNoOrphan() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL)",
                    "CREATE TABLE transfers (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id), amount int NOT NULL)",
                    "CREATE INDEX transfers_account_id_idx ON transfers (account_id)",
                    "INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, 10000) g",
                    "INSERT INTO transfers (account_id, amount) SELECT 1 + g % 10000, g FROM generate_series(1, 20000) g");
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(500)).load();
            String version = s.name() + "_" + Scenario.MIGRATION;
            List<String> errors = new CopyOnWriteArrayList<>();
            AtomicLong orphansRefused = new AtomicLong();
            List<Writer> old = List.of(new Writer(s, s.name(), 1, errors, orphansRefused),
                    new Writer(s, s.name(), 2, errors, orphansRefused));
            old.forEach(Thread::start);
            b.start(Scenario.migration("""
                    operations:
                      - alter_column: {table: accounts, column: id, type: bigint}
                      - alter_column: {table: transfers, column: account_id, type: bigint}
                    """));
            List<Writer> neu = List.of(new Writer(s, version + ", " + s.name(), 3, errors, orphansRefused),
                    new Writer(s, version + ", " + s.name(), 4, errors, orphansRefused));
            neu.forEach(Thread::start);
            try {
                Thread.sleep(500);
                b.complete(Set.of());
                Thread.sleep(300);
            } finally {
                // writers left running would load the server under the tests that come after
                for (Writer w : old) w.finish();
                for (Writer w : neu) w.finish();
            }

            assertThat(errors).isEmpty();
            assertThat(old).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            assertThat(neu).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            assertThat(orphansRefused.get()).isEqualTo(old.stream().mapToLong(w -> w.operations).sum()
                    + neu.stream().mapToLong(w -> w.operations).sum());
            assertThat(s.value("SELECT count(*) FROM transfers t WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.account_id)"))
                    .isEqualTo("0");
            assertThat(s.value("SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint"
                    + " WHERE conrelid IN ('accounts'::regclass, 'transfers'::regclass) AND contype <> 'n'"))
                    .isEqualTo("accounts_pkey:true,transfers_account_id_fkey:true,transfers_pkey:true");
            assertThat(s.value("SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attrelid::regclass::text)"
                    + " FROM pg_attribute WHERE (attrelid, attname) IN (('accounts'::regclass, 'id'), ('transfers'::regclass, 'account_id'))"))
                    .isEqualTo("bigint,bigint");
            // after complete, a key beyond int range in both tables, and the key refuses an orphan there
            s.exec("INSERT INTO accounts (id, name) VALUES (" + BEYOND_INT + ", 'big')",
                    "INSERT INTO transfers (account_id, amount) VALUES (" + BEYOND_INT + ", 1)");
            assertThatThrownBy(() -> s.exec("INSERT INTO transfers (account_id, amount) VALUES (" + (BEYOND_INT + 1) + ", 1)"))
                    .hasMessageContaining("transfers_account_id_fkey");
        }
    }

    /**
     * In one transaction, inserts an account, a transfer for it and a transfer for a random old
     * account; then an orphan, which must be refused.
     */
    static final class Writer extends Thread {
        final TestSchema schema;
        final String path;
        final List<String> errors;
        final AtomicLong orphansRefused;
        final AtomicBoolean stop = new AtomicBoolean();
        final SplittableRandom random;
        volatile long operations;

        Writer(TestSchema schema, String path, int seed, List<String> errors, AtomicLong orphansRefused) {
            this.schema = schema;
            this.path = path;
            this.errors = errors;
            this.orphansRefused = orphansRefused;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            try (Connection c = schema.connect(path);
                 PreparedStatement account = c.prepareStatement("INSERT INTO accounts (name) VALUES ('w') RETURNING id");
                 PreparedStatement transfer = c.prepareStatement("INSERT INTO transfers (account_id, amount) VALUES (?, 1)")) {
                // an account and its first transfer in one transaction: the referenced table is locked first
                c.setAutoCommit(false);
                // after the swap, old code's server-prepared INSERT .. RETURNING id returns a bigint, not
                // the int it was planned with: PostgreSQL refuses its cached plan once ("cached plan must
                // not change result type"), which the driver re-plans by itself in autocommit, and inside
                // a transaction with autosave=conservative (docs/reference/operations.md says so)
                c.unwrap(org.postgresql.PGConnection.class).setAutosave(org.postgresql.jdbc.AutoSave.CONSERVATIVE);
                while (!stop.get()) {
                    try {
                        long id;
                        try (ResultSet rs = account.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                        transfer.setLong(1, id);
                        transfer.executeUpdate();
                        transfer.setLong(1, 1 + random.nextInt(10000));
                        transfer.executeUpdate();
                        c.commit();
                    } catch (SQLException e) {
                        c.rollback();
                        errors.add(getName() + " on " + path + ": " + e.getMessage());
                        if (errors.size() > 20) return;
                        continue;
                    }
                    try {
                        transfer.setLong(1, -1 - random.nextInt(1000)); // no account has a negative id
                        transfer.executeUpdate();
                        c.commit();
                        errors.add(getName() + " on " + path + ": an orphan transfer was accepted");
                    } catch (SQLException e) {
                        c.rollback();
                        if ("23503".equals(e.getSQLState())) {
                            orphansRefused.incrementAndGet();
                        } else {
                            errors.add(getName() + " on " + path + ": " + e.getMessage());
                        }
                    }
                    operations++;
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
