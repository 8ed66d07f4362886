package dev.bascule.backfill;

import dev.bascule.Bascule;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deadlock between a backfill batch and an application's transaction is Bascule's to retry, never
 * the application's: the application holds a row the batch needs, the batch holds a row the
 * application then updates, and InnoDB ends the lighter transaction, here the batch (the
 * application's has written many more rows). The application's statement and commit succeed, the
 * backfill goes on and every row gets its value.
 */
class MariaDbBackfillDeadlockTest {

    @Test
    void aBatchThatIsTheDeadlockVictimIsRetriedAndTheApplicationSeesNoError() throws Exception {
        try (TestDb db = TestDb.mariadb(); Connection app = db.connect(db.name())) {
            db.exec("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)", "INSERT INTO t SELECT seq, seq FROM seq_1_to_1000",
                    "CREATE TABLE side (id int PRIMARY KEY)");
            long deadlocksBefore = deadlocks(db);
            app.setAutoCommit(false);
            Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(5_000)
                    // the application's open transaction would throttle the backfill: the batch must run into it
                    .withThrottle(ThrottleOptions.none())).listener(new BasculeListener() {
                @Override
                public void stepStarted(String phase, int index, int total, String description, String lock) {
                    if (description.startsWith("backfill")) {
                        // after the DDL (which the open transaction would hold up), before the first batch
                        try (Statement s = app.createStatement()) {
                            s.execute("INSERT INTO side SELECT seq FROM seq_1_to_5000");
                            s.execute("UPDATE t SET v = v + 1 WHERE id = 800");
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }).load();
            CompletableFuture<Object> start = CompletableFuture.supplyAsync(() -> b.start(migration("""
                    operations:
                      - add_column: {table: t, column: {name: w, type: int, nullable: false}, up: "v * 2"}
                    """)));
            // the batch has updated rows 1..799 and waits for row 800
            long deadline = System.currentTimeMillis() + 20_000;
            while (!batchWaits(db)) {
                assertThat(start).as("start ended before its batch waited").isNotDone();
                assertThat(System.currentTimeMillis()).as("no batch waited for the application's row: %s / %s", db.value("SELECT group_concat(concat(trx_state, ':', coalesce(trx_query, '')) SEPARATOR ' | ') FROM information_schema.INNODB_TRX"), db.value("SELECT group_concat(concat(coalesce(STATE, ''), ':', coalesce(INFO, '')) SEPARATOR ' | ') FROM information_schema.PROCESSLIST WHERE COMMAND <> 'Sleep'")).isLessThan(deadline);
                Thread.sleep(5);
            }
            try (Statement s = app.createStatement()) {
                s.execute("UPDATE t SET v = v + 1 WHERE id = 10"); // held by the batch: a deadlock, the batch its victim
            }
            app.commit();
            start.get(60, TimeUnit.SECONDS);
            assertThat(deadlocks(db)).isGreaterThan(deadlocksBefore);
            assertThat(db.value("SELECT count(*) FROM t WHERE w IS NULL OR w <> v * 2")).isEqualTo("0");
            assertThat(db.value("SELECT concat(v, ',', w) FROM t WHERE id = 10")).isEqualTo("11,22");
        }
    }

    /**
     * The batch waits for the application's row: InnoDB says so, or (where INNODB_TRX shows nothing,
     * as on the embedded server in CI) the batch's UPDATE of 1 000 rows has run for half a second,
     * which it only does when it waits for a lock.
     */
    private static boolean batchWaits(TestDb db) {
        return !db.value("SELECT count(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'"
                + " AND trx_query LIKE '%" + db.name() + "%'").equals("0")
                || !db.value("SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%UPDATE `" + db.name()
                + "`.`t`%' AND TIME_MS >= 500").equals("0");
    }

    private static long deadlocks(TestDb db) {
        return Long.parseLong(db.value("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_DEADLOCKS'"));
    }
}
