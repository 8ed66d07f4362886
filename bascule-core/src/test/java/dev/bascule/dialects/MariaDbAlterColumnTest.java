package dev.bascule.dialects;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.backfill.BackfillOptions;
import dev.bascule.plan.Plan;
import dev.bascule.plan.Step;
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

import static dev.bascule.dialects.DialectScenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** alter_column on MariaDB: a shadow column, then a swap under LOCK TABLES that no write slips through. */
class MariaDbAlterColumnTest {
    static final int ROWS = 3_000;

    @Test
    void oldCodeWritingThroughStartAndCompleteLosesNoWrite() throws Exception {
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
            b.start(migration("operations:\n  - alter_column: {table: counters, column: n, type: bigint}\n"));
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
    void thePlanSwapsUnderLockTablesWithoutACopy() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE items (id int PRIMARY KEY, price int NOT NULL, sold_at datetime NOT NULL,"
                    + " KEY items_price (price))");
            Plan plan = db.bascule().load().plan(migration("""
                    operations:
                      - alter_column: {table: items, column: price, type: bigint}
                      - alter_column: {table: items, column: sold_at, type: datetime(6)}
                    """));
            List<String> start = plan.start().stream().flatMap(p -> statements(p.action()).stream()).toList();
            // price can be NOT NULL at once (0 until the backfill); a datetime has no such value: NOT NULL at complete
            assertThat(start).anyMatch(s -> s.contains("ADD COLUMN IF NOT EXISTS `_bascule_new_price` bigint NOT NULL")
                    && s.endsWith("ALGORITHM=INSTANT"));
            assertThat(start).anyMatch(s -> s.contains("`_bascule_new_sold_at` datetime(6) NULL"));
            assertThat(start).anyMatch(s -> s.contains("ADD INDEX IF NOT EXISTS `_bascule_new_items_price` (`_bascule_new_price`)")
                    && s.endsWith("ALGORITHM=INPLACE, LOCK=NONE"));
            List<String> contract = plan.contract().stream().flatMap(s -> statements(s).stream()).toList();
            assertThat(contract).anyMatch(s -> s.contains("MODIFY COLUMN `_bascule_new_sold_at` datetime(6) NOT NULL"));
            int lock = contract.indexOf("LOCK TABLES `" + db.name() + "`.`items` WRITE");
            assertThat(lock).isGreaterThan(0);
            assertThat(contract.get(lock + 3)).contains("DROP INDEX IF EXISTS `items_price`", "DROP COLUMN `price`",
                    "RENAME COLUMN `_bascule_new_price` TO `price`", "RENAME INDEX `_bascule_new_items_price` TO `items_price`")
                    .endsWith("ALGORITHM=NOCOPY, LOCK=NONE");
            assertThat(contract.get(lock + 4)).isEqualTo("UNLOCK TABLES");
            assertThat(plan.validations()).anyMatch(v -> statements(v).get(0).contains("`_bascule_new_sold_at` IS NULL"));
        }
    }

    @Test
    void whatTheSwapCannotDoWithoutACopyIsRefusedAtPlanTime() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE seqs (id int AUTO_INCREMENT PRIMARY KEY, code int NOT NULL)",
                    "CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b))");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n  - alter_column: {table: seqs, column: id, type: bigint}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("AUTO_INCREMENT")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThatThrownBy(() -> b.start(migration("operations:\n  - alter_column: {table: pairs, column: b, type: bigint}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("primary key");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    private static List<String> statements(Step step) {
        return step instanceof Step.SqlStep s ? s.statements()
                : step instanceof Step.IndexBuildStep i ? List.of(i.create()) : List.of();
    }
}
