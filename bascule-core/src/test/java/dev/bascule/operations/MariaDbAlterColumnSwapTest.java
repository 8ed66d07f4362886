package dev.bascule.operations;

import dev.bascule.BasculeInternals;
import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.BackfillOptions;
import dev.bascule.plan.Plan;
import dev.bascule.step.Step;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** alter_column on MariaDB: a shadow column, then a swap under LOCK TABLES that no write slips through. */
class MariaDbAlterColumnSwapTest {
    static final int ROWS = 3_000;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "{table: counters, column: n, type: bigint}",            // a shadow table
            "{table: counters, column: n, type: bigint, up: n}"})    // a shadow column (up is not only a type)
    void oldCodeWritingThroughStartAndCompleteLosesNoWrite(String alter) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL, tag varchar(10), KEY counters_n (n))");
            try (Connection c = db.connect(db.name()); Statement s = c.createStatement()) {
                StringBuilder insert = new StringBuilder("INSERT INTO counters (id, n, tag) VALUES ");
                for (int id = 1; id <= ROWS; id++) {
                    insert.append(id > 1 ? "," : "").append('(').append(id).append(',').append(id).append(",'t')");
                }
                s.execute(insert.toString());
            }
            Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(200)).load();
            AtomicLongArray increments = new AtomicLongArray(ROWS + 1);
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                writers.add(new Thread(() -> {
                    try (Connection c = db.connect(db.name());
                         PreparedStatement ps = c.prepareStatement("UPDATE counters SET n = n + 1 WHERE id = ?")) {
                        while (!stop.get()) {
                            int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
                            ps.setInt(1, id);
                            if (ps.executeUpdate() == 1) {
                                increments.incrementAndGet(id);
                            }
                        }
                    } catch (SQLException e) {
                        errors.add(e);
                    }
                }));
            }
            writers.forEach(Thread::start);
            Thread.sleep(200);
            b.start(migration("operations:\n  - alter_column: " + alter + "\n"));
            Thread.sleep(200);
            b.complete(Set.of());
            Thread.sleep(200);
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            assertThat(errors).isEmpty();
            assertThat(db.value("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db.name()
                    + "' AND TABLE_NAME = 'counters' AND COLUMN_NAME = 'n'")).isEqualTo("bigint(20)");
            long total = 0;
            try (Connection c = db.connect(db.name()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, n FROM counters ORDER BY id")) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    assertThat(rs.getLong(2)).as("row %d", id).isEqualTo(id + increments.get(id));
                    total += increments.get(id);
                }
            }
            assertThat(total).as("writes during the change").isGreaterThan(0);
            assertThat(db.snapshot()).anyMatch(line -> line.startsWith("index:") && line.contains("counters_n"))
                    .noneMatch(line -> line.contains("_bascule"));
        }
    }

    @Test
    void oldCodeInsertsWhileTheShadowHasNoTriggersYetAndThePlaceholderDefaultIsGoneAfterComplete() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE prices (id int PRIMARY KEY, cents int NOT NULL)", "INSERT INTO prices VALUES (1, 100)");
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: {table: prices, column: cents, type: bigint, up: cents}\n"));
            // the moment between the shadow column and its triggers, as a cut start leaves it
            List<String> triggers = db.column("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()");
            assertThat(triggers).hasSize(2);
            db.exec(triggers.stream().map(t -> "DROP TRIGGER `" + t + "`").toArray(String[]::new));
            db.exec("INSERT INTO prices (id, cents) VALUES (2, 250)");
            b.rollback();
            b.start(migration("operations:\n  - alter_column: {table: prices, column: cents, type: bigint, up: cents}\n"));
            b.complete(Set.of());
            assertThat(db.column("SELECT CONCAT(COLUMN_TYPE, ' ', IS_NULLABLE, ' ', COALESCE(COLUMN_DEFAULT, '-'))"
                    + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'prices'"
                    + " AND COLUMN_NAME = 'cents'")).containsExactly("bigint(20) NO -");
            assertThat(db.column("SELECT CONCAT(id, ':', cents) FROM prices ORDER BY id")).containsExactly("1:100", "2:250");
        }
    }

    @Test
    void columnNamesInAnyCaseReachTheTriggers() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE stamps (id int PRIMARY KEY, createdAt int NOT NULL)", "INSERT INTO stamps VALUES (1, 10)");
            Bascule b = db.bascule().load();
            // not only a type: a shadow column, whose triggers must see createdAt read by `up`
            b.start(migration("operations:\n  - alter_column: {table: stamps, column: createdAt, type: bigint,"
                    + " up: \"CREATEDAT + 0\"}\n"));
            db.exec("INSERT INTO stamps (id, createdAt) VALUES (2, 20)", "UPDATE stamps SET createdAt = 11 WHERE id = 1");
            b.complete(Set.of());
            assertThat(db.column("SELECT CONCAT(id, ':', createdAt) FROM stamps ORDER BY id")).containsExactly("1:11", "2:20");
        }
    }

    @Test
    void aShadowTableKeepsTheKeysCollationAndCounterAndIsCheckedBeforeTheCutOver() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE codes (code varchar(10) COLLATE utf8mb4_bin PRIMARY KEY, n int)",
                    "INSERT INTO codes VALUES ('x', 1), ('X', 2)",
                    "CREATE TABLE tickets (id int AUTO_INCREMENT PRIMARY KEY, v int)",
                    "INSERT INTO tickets (v) VALUES (1), (2), (3)", "DELETE FROM tickets WHERE id = 3");
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: {table: codes, column: code, type: varchar(20)}\n"
                    + "  - alter_column: {table: tickets, column: id, type: bigint}\n"));
            // a row the copy lost (here: taken out behind its back) refuses complete, nothing changed
            db.exec("DELETE FROM _bascule_new_codes WHERE code = 'X'");
            List<String> before = db.snapshot();
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(dev.bascule.api.RefusedException.class)
                    .hasMessageContaining("_bascule_new_codes")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(3));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            db.exec("INSERT INTO _bascule_new_codes SELECT * FROM codes WHERE code = 'X'");
            b.complete(Set.of());
            // 'x' and 'X' stay two rows: the new column keeps utf8mb4_bin
            assertThat(db.column("SELECT CONCAT(code, ':', n) FROM codes ORDER BY n")).containsExactly("x:1", "X:2");
            assertThat(db.value("SELECT CONCAT(COLUMN_TYPE, ' ', COLLATION_NAME) FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'codes' AND COLUMN_NAME = 'code'"))
                    .isEqualTo("varchar(20) utf8mb4_bin");
            // key 3 was handed out before the change: the counter goes on after it
            db.exec("INSERT INTO tickets (v) VALUES (4)");
            assertThat(db.value("SELECT max(id) FROM tickets")).isEqualTo("4");
        }
    }

    /**
     * The check before the cut-over reads both tables whole: with shared locks (an IF's subquery),
     * it held every write to the table until it ended, seconds on a large table (issue 20). Here
     * it stays open in a transaction while old code updates and inserts under a 1 s lock timeout.
     */
    @Test
    void theRowCheckBeforeTheCutOverLocksNoRowOfTheTable() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE accounts (id int AUTO_INCREMENT PRIMARY KEY, n int NOT NULL)",
                    "INSERT INTO accounts (n) VALUES (1), (2), (3)");
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: {table: accounts, column: n, type: bigint}\n"));
            String check = new dev.bascule.dialect.mysql.MariaDbDialect().shadows().orElseThrow()
                    .requireSameRows(db.name(), "accounts", "_bascule_new_accounts", "id");
            try (Connection checker = db.connect(db.name()); Connection writer = db.connect(db.name())) {
                checker.setAutoCommit(false);
                db.exec(checker, check);
                db.exec(writer, "SET SESSION innodb_lock_wait_timeout = 1", "UPDATE accounts SET n = n + 10 WHERE id = 2",
                        "INSERT INTO accounts (n) VALUES (4)");
                checker.commit();
                // the copy triggers kept the shadow in step: the check passes again, and complete goes through
                db.exec(checker, check);
                checker.commit();
            }
            // a row missing from the shadow still fails it
            db.exec("DELETE FROM _bascule_new_accounts WHERE id = 1");
            assertThatThrownBy(() -> db.exec(check)).hasMessageContaining("does not hold exactly the rows");
            db.exec("INSERT INTO _bascule_new_accounts SELECT * FROM accounts WHERE id = 1");
            b.complete(Set.of());
            assertThat(db.column("SELECT CONCAT(id, ':', n) FROM accounts ORDER BY id")).containsExactly("1:1", "2:12", "3:3", "4:4");
        }
    }

    @Test
    void verifyComparesEachRowsShadowWithTheOldColumn() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE prices (id int PRIMARY KEY, cents int NOT NULL)",
                    "INSERT INTO prices VALUES (1, 100), (2, 250), (3, 999)");
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: {table: prices, column: cents, type: bigint, up: cents}\n"));
            assertThat(b.verify()).singleElement().satisfies(r -> {
                assertThat(r.rowsChecked()).isEqualTo(3);
                assertThat(r.mismatched()).isZero();
            });
            // a write that went around the triggers (as the backfill's sessions do) leaves the two apart
            db.exec("SET @bascule_backfill = 1", "UPDATE prices SET _bascule_new_cents = 7 WHERE id = 2",
                    "SET @bascule_backfill = NULL");
            assertThat(b.verify()).singleElement().satisfies(r -> {
                assertThat(r.mismatched()).isEqualTo(1);
                assertThat(r.examples()).singleElement().asString().startsWith("(2)");
            });
        }
    }

    @Test
    void thePlanSwapsUnderLockTablesWithoutACopy() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE items (id int PRIMARY KEY, price int NOT NULL, sold_at datetime NOT NULL,"
                    + " KEY items_price (price))");
            Plan plan = BasculeInternals.plan(db.bascule().load(), migration("""
                    operations:
                      - alter_column: {table: items, column: price, type: bigint}
                      - alter_column: {table: items, column: sold_at, type: datetime(6)}
                    """));
            List<String> start = plan.start().stream().flatMap(p -> statements(p.action()).stream()).toList();
            // price can be NOT NULL at once (0 until the backfill); a datetime has no such value: NOT NULL at complete
            // with a placeholder default: old code's inserts, which do not name it, must not fail before the triggers exist
            assertThat(start).anyMatch(s -> s.contains("ADD COLUMN IF NOT EXISTS `_bascule_new_price` bigint NOT NULL DEFAULT (0)")
                    && s.endsWith("ALGORITHM=INSTANT"));
            assertThat(start).anyMatch(s -> s.contains("`_bascule_new_sold_at` datetime(6) NULL"));
            assertThat(start).anyMatch(s -> s.contains("ADD INDEX IF NOT EXISTS `_bascule_new_items_price` (`_bascule_new_price`)")
                    && s.endsWith("ALGORITHM=INPLACE, LOCK=NONE"));
            // the swap is one statement of parts, one a line (the version's view is made again under its lock)
            List<String> contract = plan.contract().stream().flatMap(s -> statements(s).stream())
                    .flatMap(s -> java.util.Arrays.stream(s.replaceFirst("^/\\*[^\n]*\\*/\n", "").split(";\n"))).toList();
            assertThat(contract).anyMatch(s -> s.contains("MODIFY COLUMN `_bascule_new_sold_at` datetime(6) NOT NULL"));
            int lock = contract.indexOf("LOCK TABLES `" + db.name() + "_0001_change`.`items` WRITE");
            assertThat(lock).isGreaterThan(0);
            // the ALTER before the triggers go: should it fail, they are still there when the table is unlocked
            assertThat(contract.get(lock + 1)).contains("DROP INDEX IF EXISTS `items_price`", "DROP COLUMN `price`",
                    "RENAME COLUMN `_bascule_new_price` TO `price`", "RENAME INDEX `_bascule_new_items_price` TO `items_price`")
                    .endsWith("ALGORITHM=NOCOPY, LOCK=NONE");
            assertThat(contract.get(lock + 2)).startsWith("DROP TRIGGER IF EXISTS");
            // each new column shown where its old one stood, in the table's order, still under the lock
            assertThat(contract.get(lock + 4)).startsWith("BEGIN NOT ATOMIC")
                    .contains("MODIFY COLUMN `price` ', d, ' AFTER `id`, ALGORITHM=INSTANT");
            assertThat(contract.get(lock + 5)).startsWith("BEGIN NOT ATOMIC")
                    .contains("MODIFY COLUMN `sold_at` ', d, ' AFTER `price`, ALGORITHM=INSTANT");
            assertThat(contract.get(lock + 6)).startsWith("CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `"
                    + db.name() + "_0001_change`.`items` AS SELECT `id`, `price`, `sold_at` FROM");
            assertThat(contract.get(lock + 7)).isEqualTo("UNLOCK TABLES");
            // then, in a step of its own that any rerun runs: the triggers again, the placeholder default
            assertThat(contract.subList(lock + 8, contract.size())).anyMatch(s -> s.startsWith("DROP TRIGGER IF EXISTS"))
                    .anyMatch(s -> s.contains("ALTER COLUMN `price` DROP DEFAULT"));
            assertThat(plan.validations()).anyMatch(v -> statements(v).get(0).contains("`_bascule_new_sold_at` IS NULL"));
            // a rerun skips a swap cut off after its ALTER: the columns are shown again at the very end
            assertThat(plan.contract().subList(plan.contract().size() - 2, plan.contract().size()))
                    .extracting(Step::description).containsExactly("show column items.price to every query (again)",
                            "show column items.sold_at to every query (again)");
        }
    }

    @Test
    void aPrimaryKeyIsWidenedThroughAShadowTableWhileOldCodeInsertsUpdatesAndDeletes() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE events (id int AUTO_INCREMENT PRIMARY KEY, kind varchar(20) NOT NULL, n int NOT NULL DEFAULT 0,"
                    + " KEY events_kind (kind))",
                    "INSERT INTO events (kind, n) SELECT CONCAT('k', seq % 7), 0 FROM seq_1_to_" + ROWS);
            Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(200)).load();
            java.util.concurrent.ConcurrentHashMap<Integer, Long> expected = new java.util.concurrent.ConcurrentHashMap<>();
            for (int id = 1; id <= ROWS; id++) {
                expected.put(id, 0L);
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                writers.add(new Thread(() -> {
                    try (Connection c = db.connect(db.name()); Statement st = c.createStatement()) {
                        while (!stop.get()) {
                            int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
                            if (writer == 0 && id % 10 == 0) {
                                // inserts take keys from AUTO_INCREMENT, on the old table and then on the new one
                                st.executeUpdate("INSERT INTO events (kind, n) VALUES ('new', 1)", Statement.RETURN_GENERATED_KEYS);
                                try (ResultSet keys = st.getGeneratedKeys()) {
                                    keys.next();
                                    expected.put(keys.getInt(1), 1L);
                                }
                            } else if (writer == 1 && id % 50 == 0) {
                                if (st.executeUpdate("DELETE FROM events WHERE id = " + id) == 1) {
                                    expected.remove(id);
                                }
                            } else if (id % 3 == writer) {
                                synchronized (expected) {
                                    if (st.executeUpdate("UPDATE events SET n = n + 1 WHERE id = " + id) == 1) {
                                        expected.merge(id, 1L, Long::sum);
                                    }
                                }
                            }
                        }
                    } catch (SQLException e) {
                        errors.add(e);
                    }
                }));
            }
            writers.forEach(Thread::start);
            Thread.sleep(200);
            b.start(migration("operations:\n  - alter_column: {table: events, column: id, type: bigint}\n"));
            assertThat(db.column("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " ORDER BY 1")).containsExactlyInAnyOrder("_bascule_new_events", "events");
            Thread.sleep(200);
            b.complete(Set.of());
            Thread.sleep(200);
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            assertThat(errors).isEmpty();
            assertThat(db.value("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'events' AND COLUMN_NAME = 'id'")).isEqualTo("bigint(20)");
            assertThat(db.column("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"))
                    .containsExactly("events");
            assertThat(db.column("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")).isEmpty();
            java.util.Map<Integer, Long> actual = new java.util.HashMap<>();
            try (Connection c = db.connect(db.name()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, n FROM events")) {
                while (rs.next()) {
                    actual.put(rs.getInt(1), rs.getLong(2));
                }
            }
            assertThat(actual).isEqualTo(new java.util.HashMap<>(expected));
            assertThat(actual.size()).isNotEqualTo(ROWS); // the writers did insert and delete
            // the counter goes on after the highest key, and the new version reads the new table
            db.exec("INSERT INTO events (kind) VALUES ('after')");
            assertThat(Long.parseLong(db.value("SELECT max(id) FROM events WHERE kind = 'after'")))
                    .isGreaterThan(actual.keySet().stream().mapToLong(Integer::longValue).max().orElseThrow());
            try (Connection c = db.connect(b.latest()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(actual.size() + 1L);
            }
            assertThat(db.snapshot()).anyMatch(line -> line.startsWith("index:") && line.contains("events_kind"));
        }
    }

    @Test
    void aShadowTableRollsBackToTheTableAsItWas() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE events (id int AUTO_INCREMENT PRIMARY KEY, kind varchar(20) NOT NULL)",
                    "INSERT INTO events (kind) VALUES ('a'), ('b')");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: {table: events, column: id, type: bigint}\n"));
            db.exec("INSERT INTO events (kind) VALUES ('c')", "DELETE FROM events WHERE kind = 'c'");
            b.rollback();
            db.exec("ALTER TABLE events AUTO_INCREMENT = 1"); // the insert moved the counter, as any insert does
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void whatAShadowTableCannotCarryIsRefusedAtPlanTime() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE seqs (id int AUTO_INCREMENT PRIMARY KEY, code int NOT NULL)",
                    "CREATE TABLE audited (id int PRIMARY KEY, v int)",
                    "CREATE TRIGGER audited_touch BEFORE UPDATE ON audited FOR EACH ROW SET NEW.v = NEW.v",
                    "CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b))");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            java.util.function.Consumer<String> refused = yaml -> assertThatThrownBy(() -> b.start(migration(yaml)))
                    .isInstanceOf(InvalidMigrationException.class)
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            refused.accept("operations:\n  - alter_column: {table: seqs, column: id, type: bigint, up: \"id * 2\"}\n");
            refused.accept("operations:\n  - alter_column: {table: audited, column: id, type: bigint}\n");
            refused.accept("operations:\n  - alter_column: {table: pairs, column: b, type: bigint}\n");
            refused.accept("operations:\n  - alter_column: {table: seqs, column: id, type: bigint}\n"
                    + "  - add_column: {table: seqs, column: {name: note, type: varchar(20)}}\n");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - alter_column: {table: audited, column: id,"
                    + " type: bigint}\n"))).hasMessageContaining("audited_touch");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - alter_column: {table: seqs, column: id,"
                    + " type: bigint}\n  - add_column: {table: seqs, column: {name: note, type: varchar(20)}}\n")))
                    .hasMessageContaining("only operation");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    /** A key and the column that references it, in one migration: refused on MariaDB, nothing changed. */
    @Test
    void aKeyWithItsReferencesIsRefusedAtPlanTime() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE accounts (id int PRIMARY KEY, name varchar(20))",
                    "CREATE TABLE transfers (id int PRIMARY KEY, account_id int, CONSTRAINT transfers_account_fk"
                            + " FOREIGN KEY (account_id) REFERENCES accounts (id))");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("""
                    operations:
                      - alter_column: {table: accounts, column: id, type: bigint}
                      - alter_column: {table: transfers, column: account_id, type: bigint}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2))
                    .hasMessageContaining("operations[0].alter_column.table")
                    .hasMessageContaining("foreign keys of or to table 'accounts'");
            assertThatThrownBy(() -> b.start(migration("""
                    operations:
                      - alter_column: {table: transfers, column: account_id, type: bigint, up: account_id}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("foreign key 'transfers_account_fk' uses column 'account_id'");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    private static List<String> statements(Step step) {
        return step instanceof Step.SqlStep s ? s.statements()
                : step instanceof Step.IndexBuildStep i ? List.of(i.create()) : List.of();
    }
}
