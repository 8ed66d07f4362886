package dev.bascule.backfill;

import dev.bascule.dialect.CopySql;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.step.Step;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a batch locks and whom it blocks, on the real servers: the count of sessions waiting on a
 * batch that decides its next size (every session it blocked is still waiting just before it
 * commits), and MariaDB's shadow-table copy whose bound read takes the batch's row locks itself,
 * which must lock the batch's rows and not the rest of the range.
 */
class BatchLocksTest {

    @Test
    void aSessionWaitingOnABatchsRowIsCountedBeforeTheBatchCommits() throws Exception {
        Dialect pg = new PostgresDialect();
        String waiters = pg.copy().waitersOnThisSession().orElseThrow();
        try (TestDb db = TestDb.postgres(); Connection batch = db.connect(db.name()); Connection app = db.connect(db.name())) {
            db.exec("CREATE TABLE t (id bigint PRIMARY KEY, v int)", "INSERT INTO t SELECT g, 0 FROM generate_series(1, 10) g");
            batch.setAutoCommit(false);
            assertThat(count(batch, waiters)).isZero();
            db.exec(batch, "UPDATE t SET v = 1 WHERE id <= 5");
            assertThat(count(batch, waiters)).as("no one waits yet").isZero();
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try (Statement s = app.createStatement()) {
                    s.execute("UPDATE t SET v = 2 WHERE id = 3");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count(batch, waiters) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(count(batch, waiters)).as("the application's UPDATE of a row the batch wrote").isEqualTo(1);
            batch.commit();
            blocked.get(10, TimeUnit.SECONDS);
            assertThat(count(batch, waiters)).isZero();
        }
    }

    @Test
    void mariaDbsCopyBoundReadLocksTheBatchsRowsOnly() throws Exception {
        Dialect maria = new MariaDbDialect();
        try (TestDb db = TestDb.mariadb(); Connection c = db.connect(db.name())) {
            db.exec("CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, v int NOT NULL)", "INSERT INTO t (v) SELECT seq FROM seq_1_to_10000");
            Step.BackfillStep copy = new Step.BackfillStep("copy t", "t", "none", db.name(), List.of(new Step.KeyColumn("id", "int")),
                    List.of(), maria.shadows().orElseThrow().shadowTableCopy(db.name(), "t", "_t_new", List.of("id", "v")));
            CopySql.LockingBound bound = maria.copy().lockingBound(copy).orElseThrow();
            assertThat(copy.copies()).filteredOn(bound.replaces()).hasSize(1);
            db.exec(c, "SET SESSION tx_isolation = 'REPEATABLE-READ'");
            c.setAutoCommit(false);
            String range = "(`id`) > (?) AND (`id`) <= (?)";
            assertThat(bound(c, bound.sql().apply(range), "1000", "9000", 500)).isEqualTo("1500");
            long locked = Long.parseLong(scalar(c, "SELECT trx_rows_locked FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()"));
            assertThat(locked).as("rows locked by the bound read of 500 rows out of 8 000").isBetween(501L, 503L);
            try (Connection app = db.connect(db.name())) {
                db.exec(app, "SET SESSION innodb_lock_wait_timeout = 1");
                assertThat(updateFails(app, 1501)).as("the row past the bound, where the copy's range scan ends, is locked").isTrue();
                assertThat(updateFails(app, 1503)).as("rows further on are not").isFalse();
            }
            c.rollback();
            assertThat(bound(c, bound.sql().apply(range), "8990", "9000", 500)).as("fewer rows than the batch: the last batch").isNull();
            assertThat(bound(c, bound.sql().apply(range), "8500", "9000", 500)).as("exactly a batch left").isEqualTo("9000");
            c.rollback();
        }
    }

    private static String bound(Connection c, String sql, String after, String watermark, int size) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, after);
            ps.setString(2, watermark);
            ps.setInt(3, size + 1);
            ps.setInt(4, size - 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean updateFails(Connection app, int id) {
        try (Statement s = app.createStatement()) {
            s.execute("UPDATE t SET v = v + 1 WHERE id = " + id);
            return false;
        } catch (java.sql.SQLException e) {
            assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1205);
            return true;
        }
    }

    private static int count(Connection c, String sql) throws Exception {
        return Integer.parseInt(scalar(c, sql));
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
