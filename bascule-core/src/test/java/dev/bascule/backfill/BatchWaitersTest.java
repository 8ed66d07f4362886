package dev.bascule.backfill;

import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whom a batch blocks, on a real server: the count of sessions waiting on a batch that decides its
 * next size (every session it blocked is still waiting just before it commits).
 */
class BatchWaitersTest {

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
