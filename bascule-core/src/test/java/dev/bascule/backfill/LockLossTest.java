package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
import dev.bascule.Bascule;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A backfill whose command lost its exclusive lock stops writing, and a rerun finishes it. */
class LockLossTest {
    @Test
    void aBackfillStopsWhenItsControlConnectionIsTerminatedAndARerunFinishes() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                    "INSERT INTO t (id, payload) SELECT g, 'p' || g FROM generate_series(1, 20000) g");
            s.exec(BackfillTest.TOUCH);
            Bascule slow = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(100).withMaxRowsPerSecond(2000)).load();
            CompletableFuture<?> start = CompletableFuture.runAsync(() -> slow.start(BackfillTest.fill("upper(payload)")));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // to_jsonb: the column does not exist until start has added it
            while (Long.parseLong(s.value("SELECT count(*) FROM t WHERE to_jsonb(t) ->> 'filled' IS NOT NULL")) < 200
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // the session holding the advisory lock of this test's state schema
            String holder = s.value("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    + " AND objid = hashtext('bascule:" + s.stateSchema() + "')::oid");
            assertThat(holder).as("the control connection holds the lock").isNotNull();
            s.value("SELECT pg_terminate_backend(" + holder + ")");

            Throwable failure = null;
            try {
                start.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                failure = e.getCause();
            }
            assertThat(failure).as("the backfill stops instead of writing without the lock").isNotNull();
            assertThat(failure.getMessage()).satisfiesAnyOf(
                    m -> assertThat(m).contains("lost the lock that keeps Bascule commands apart"),
                    m -> assertThat(m).contains("terminat")); // or a state write on the dead connection said so first
            String after = s.value("SELECT count(*) FROM t WHERE filled IS NOT NULL");
            Thread.sleep(500);
            assertThat(s.value("SELECT count(*) FROM t WHERE filled IS NOT NULL")).as("no batch after it stopped").isEqualTo(after);

            s.bascule().load().start(BackfillTest.fill("upper(payload)"));
            assertThat(s.value("SELECT count(*) FROM t WHERE filled IS DISTINCT FROM upper(payload)")).isEqualTo("0");
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) FROM t")).isEqualTo("1-1");
        }
    }
}
