package dev.bascule.concurrency;

import dev.bascule.Bascule;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shadow table's copy batch holds the shadow's AUTO-INC lock while its INSERT .. SELECT reads the
 * range; a key old code inserts into that range after the batch's locking read (one it had just
 * deleted) made the copy wait for the new row while the row's trigger waited for the AUTO-INC lock:
 * a deadlock whose victim was the application's statement (CI's modify-change-case). Old code here
 * deletes and re-inserts keys in the latter part of every batch's range while the copy runs, and
 * must never see an error.
 */
class MariaDbShadowCopyDeadlockTest {

    @Test
    void oldCodeReinsertingKeysInsideACopyBatchsRangeSeesNoDeadlock() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, c1 int NOT NULL, c2 int NOT NULL)",
                    "INSERT INTO t (c1, c2) SELECT seq, 23 FROM seq_1_to_40000");
            List<String> errors = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int key = 10_000 * i + 8_000; // batches of 10 000 keys: the latter part of each
                Thread w = new Thread(() -> {
                    try (Connection c = db.connect(db.name()); Statement s = c.createStatement()) {
                        while (!stop.get()) {
                            s.execute("INSERT IGNORE INTO t VALUES (" + key + ", 11, 23)");
                            s.execute("INSERT IGNORE INTO t VALUES (" + (key + 1) + ", 13, 23)");
                            s.execute("DELETE FROM t WHERE id = " + key);
                            s.execute("DELETE FROM t WHERE id = " + (key + 1));
                        }
                    } catch (SQLException e) {
                        errors.add(e.getErrorCode() + " " + e.getMessage());
                    }
                });
                w.start();
                writers.add(w);
            }
            try {
                Thread.sleep(100);
                for (int round = 0; round < 4 && errors.isEmpty(); round++) {
                    Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(10_000)
                            .withThrottle(ThrottleOptions.none())).load();
                    b.start(dev.bascule.model.MigrationReader.read("m" + round + ".yaml", ("operations:\n  - alter_column: {table: t, column: c2, type: "
                            + (round % 2 == 0 ? "bigint" : "int") + "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    b.complete(java.util.Set.of());
                }
            } finally {
                stop.set(true);
                for (Thread w : writers) w.join(10_000);
            }
            assertThat(errors).as("old code's statements that failed").isEmpty();
            assertThat(db.value("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'c2'")).isEqualTo("int");
            assertThat(db.value("SELECT count(*) FROM t WHERE id <= 40000 AND id NOT IN (8000, 8001, 18000, 18001, 28000, 28001, 38000, 38001)")).isEqualTo("39992");
        }
    }
}
