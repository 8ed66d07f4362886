package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.api.BackfillOptions;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestSchema;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A table {@code t} of {@code rows} rows in a test schema, and a migration {@code 0001_fill} whose
 * backfill runs on a thread of its own at a limited rate, so that it lasts long enough to watch.
 */
final class SlowBackfill implements AutoCloseable {
    static final String MIGRATION = "0001_fill";

    private final TestSchema schema;
    private final CompletableFuture<Void> run;

    private SlowBackfill(TestSchema schema, int rows, long rowsPerSecond) {
        this.schema = schema;
        schema.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO t (id, payload) SELECT g, 'p' || g FROM generate_series(1, " + rows + ") g", "ANALYZE t");
        Bascule starter = schema.bascule().backfill(BackfillOptions.defaults().withBatchSize(Math.max(10, (int) rowsPerSecond / 10))
                .withMaxRowsPerSecond(rowsPerSecond)).load();
        Migration fill = MigrationReader.read(MIGRATION + ".yaml", ("operations:\n  - add_column: {table: t, column:"
                + " {name: filled, type: text}, up: \"upper(payload)\"}\n").getBytes(StandardCharsets.UTF_8));
        // a thread of its own: the common pool may have a single thread on a small machine
        this.run = CompletableFuture.runAsync(() -> starter.start(fill), r -> new Thread(r, "slow-backfill").start());
    }

    static SlowBackfill start(TestSchema schema, int rows, long rowsPerSecond) {
        return new SlowBackfill(schema, rows, rowsPerSecond);
    }

    /** Rows done as the state schema has them now; 0 before the backfill begins. */
    long rowsDone() {
        if (schema.value("SELECT to_regclass('" + schema.stateSchema() + ".backfills')") == null) {
            return 0;
        }
        return Long.parseLong(schema.value("SELECT coalesce(sum(rows_done), 0) FROM " + schema.stateSchema() + ".backfills"));
    }

    /** The backfill's throttle reason as the state schema has it ({@code paused} once a pause took effect). */
    String throttleReason() {
        return schema.value("SELECT throttle_reason FROM " + schema.stateSchema() + ".backfills");
    }

    boolean running() {
        return !run.isDone();
    }

    void await(Duration timeout) throws Exception {
        run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    @Override
    public void close() throws Exception {
        // a test that failed midway may leave the backfill paused: let it finish so the schema can be dropped
        if (running()) {
            schema.bascule().load().pause(false);
            await(Duration.ofSeconds(60));
        }
    }
}
