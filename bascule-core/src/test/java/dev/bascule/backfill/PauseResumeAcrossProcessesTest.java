package dev.bascule.backfill;

import dev.bascule.Bascule;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** start runs in one process; pause and resume come from this one and take effect within a batch. */
class PauseResumeAcrossProcessesTest {

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void pauseInOneProcessResumeFromAnother(@TempDir Path dir) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE events (id bigint PRIMARY KEY, payload text NOT NULL)",
                    "INSERT INTO events (id, payload) SELECT g, 'p' || g FROM generate_series(1, 100000) g");
            Path file = dir.resolve("0001_change.yaml");
            Files.writeString(file, "operations:\n  - add_column: {table: events, column: {name: size, type: int}, up: length(payload)}\n");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StartProcessMain.class.getName(),
                    PostgresServer.jdbcUrl(), s.name(), s.stateSchema(), file.toString(), "500", "20")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            String backfills = s.stateSchema() + ".backfills";
            Bascule here = s.bascule().load();
            try {
                await("the backfill to begin", () -> s.value("SELECT to_regclass('" + backfills + "')") != null
                        && Long.parseLong(s.value("SELECT coalesce(max(rows_done), 0) FROM " + backfills)) > 0);
                here.pause(true);
                await("the pause to take effect", () -> "paused".equals(s.value("SELECT throttle_reason FROM " + backfills)));
                long atPause = Long.parseLong(s.value("SELECT rows_done FROM " + backfills));
                assertThat(atPause).isLessThan(100000);
                assertThat(here.status().active().paused()).isTrue();
                Thread.sleep(600); // a paused backfill does not move, however long we look
                assertThat(Long.parseLong(s.value("SELECT rows_done FROM " + backfills))).isEqualTo(atPause);
                here.pause(false);
                await("the backfill to move again", () -> Long.parseLong(s.value("SELECT rows_done FROM " + backfills)) > atPause);
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
            } finally {
                child.destroyForcibly();
            }
            assertThat(s.value("SELECT count(*) FROM events WHERE size IS DISTINCT FROM length(payload)")).isEqualTo("0");
            assertThat(s.value("SELECT rows_done FROM " + backfills)).isEqualTo("100000");
        }
    }
}
