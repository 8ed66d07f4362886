package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
import dev.bascule.Bascule;
import dev.bascule.api.MigrationStatus;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Key kinds, parallel workers, timeouts and inserts racing the backfill. */
class BackfillTest {
    /** Counts every update of a row: a row filled twice, or missed, shows. */
    static final String[] TOUCH = {
            "CREATE FUNCTION count_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touches := OLD.touches + 1; RETURN NEW; END $$",
            "CREATE TRIGGER count_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION count_touch()"
    };

    static dev.bascule.api.Migration fill(String up) {
        return MigrationReader.read("0001_fill.yaml", ("operations:\n  - add_column: {table: t, column: {name: filled, type: text,"
                + " nullable: false}, up: \"" + up + "\"}\n").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "integer | id integer PRIMARY KEY | g",
            "bigint | id bigint PRIMARY KEY | g::bigint * 1000000000",
            "uuid | id uuid PRIMARY KEY | md5(g::text)::uuid",
            "text | id text PRIMARY KEY | md5(g::text)",
            "composite | a int, b text, PRIMARY KEY (a, b) | g % 7, md5(g::text)",
            "identity | id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY | DEFAULT",
            "unique index, no primary key | id bigint NOT NULL | g",
    })
    void everyKeyKindIsWalkedOnce(String kind, String keyColumns, String keyValues) throws Exception {
        try (TestSchema s = new TestSchema()) {
            String cols = keyColumns.startsWith("a int") ? "a, b" : "id";
            String values = keyValues.equals("DEFAULT") ? "" : keyValues + ", ";
            String insertCols = keyValues.equals("DEFAULT") ? "" : cols + ", ";
            s.exec("CREATE TABLE t (" + keyColumns + ", payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                    "INSERT INTO t (" + insertCols + "payload) SELECT " + values + "'p' || g FROM generate_series(1, 5000) g");
            if (kind.startsWith("unique index")) {
                s.exec("CREATE UNIQUE INDEX t_id_key ON t (id)", "CREATE UNIQUE INDEX t_payload_partial ON t (payload) WHERE id < 0");
            }
            s.exec(TOUCH);
            s.bascule().backfill(BackfillOptions.defaults().withBatchSize(333)).load().start(fill("upper(payload)"));
            assertThat(s.value("SELECT count(*) FROM t WHERE filled IS DISTINCT FROM upper(payload)")).isEqualTo("0");
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) || '-' || count(*) FROM t")).isEqualTo("1-1-5000");
        }
    }

    @Test
    void parallelWorkersSplitTheKeyRange() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                    "INSERT INTO t (id, payload) SELECT g, 'p' || g FROM generate_series(1, 80000) g", "ANALYZE t");
            s.exec(TOUCH);
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withWorkers(4).withBatchSize(2000)).load();
            b.start(fill("upper(payload)"));
            assertThat(s.value("SELECT count(*) FROM " + s.stateSchema() + ".backfills")).isEqualTo("4");
            assertThat(s.value("SELECT sum(rows_done) FROM " + s.stateSchema() + ".backfills")).isEqualTo("80000");
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) FROM t")).isEqualTo("1-1");
            assertThat(s.value("SELECT count(*) FROM t WHERE filled IS DISTINCT FROM upper(payload)")).isEqualTo("0");
            MigrationStatus.Backfill status = b.status().active().backfills().get(0);
            assertThat(status.workers()).isEqualTo(4);
            assertThat(status.finished()).isTrue();
            assertThat(status.rowsDone()).isEqualTo(80000);
        }
    }

    @Test
    void aBatchThatHitsTheStatementTimeoutIsSplit() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                    "INSERT INTO t (id, payload) SELECT g, 'p' || g FROM generate_series(1, 300) g");
            s.exec(TOUCH);
            // 2 ms per row: a batch of 100 takes 200 ms, over the 60 ms timeout; 25 rows fit
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(100)
                    .withStatementTimeout(Duration.ofMillis(60)).withThrottle(ThrottleOptions.none())).load();
            b.start(fill("(SELECT upper(payload) FROM pg_sleep(0.002 + 0 * length(payload)))")); // correlated: once per row
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) FROM t")).isEqualTo("1-1");
            assertThat(Integer.parseInt(s.value("SELECT batch_size FROM " + s.stateSchema() + ".backfills"))).isLessThanOrEqualTo(25);
        }
    }

    @Test
    void finishesWhileInsertsKeepComing() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id bigserial PRIMARY KEY, payload text NOT NULL)",
                    "INSERT INTO t (payload) SELECT 'p' || g FROM generate_series(1, 50000) g");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong inserted = new AtomicLong();
            List<CompletableFuture<Void>> writers = List.of(1, 2, 3).stream().map(i -> CompletableFuture.runAsync(() -> {
                try (Connection c = s.connect(s.name());
                     PreparedStatement ps = c.prepareStatement("INSERT INTO t (payload) SELECT 'w' || g FROM generate_series(1, 50) g")) {
                    while (!stop.get()) {
                        ps.executeUpdate();
                        inserted.addAndGet(50);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).toList();
            try {
                s.bascule().backfill(BackfillOptions.defaults().withBatchSize(500)).load().start(fill("upper(payload)"));
            } finally {
                stop.set(true);
                CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
            }
            assertThat(inserted.get()).isGreaterThan(0);
            assertThat(s.value("SELECT count(*) FROM t")).isEqualTo(String.valueOf(50000 + inserted.get()));
            assertThat(s.value("SELECT count(*) FROM t WHERE filled IS DISTINCT FROM upper(payload)")).isEqualTo("0");
        }
    }
}
