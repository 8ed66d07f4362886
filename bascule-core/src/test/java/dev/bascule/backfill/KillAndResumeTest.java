package dev.bascule.backfill;

import dev.bascule.Bascule;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start process is killed (SIGKILL) in the middle of a backfill; running start again resumes
 * from the checkpoint, does no batch twice, and finishes.
 */
class KillAndResumeTest {
    static final int ROWS = 200_000;

    @Test
    void killedStartResumesFromCheckpoint(@TempDir Path dir) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE events (id bigint PRIMARY KEY, payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                    "INSERT INTO events (id, payload) SELECT g, 'p' || g FROM generate_series(1, " + ROWS + ") g",
                    // counts every update of a row, whoever makes it: a batch done twice would show as 2
                    "CREATE FUNCTION count_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touches := OLD.touches + 1; RETURN NEW; END $$",
                    "CREATE TRIGGER count_touch BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION count_touch()");
            Path file = dir.resolve("0001_change.yaml");
            Files.writeString(file, """
                    operations:
                      - add_column:
                          table: events
                          column: {name: size, type: int, nullable: false}
                          up: length(payload)
                    """);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StartProcessMain.class.getName(),
                    PostgresServer.jdbcUrl(), s.name(), s.stateSchema(), file.toString(), "1000", "10")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long doneAtKill = 0;
            while (System.nanoTime() < deadline && child.isAlive()) {
                boolean stateExists = s.value("SELECT to_regclass('" + s.stateSchema() + ".backfills')") != null;
                String done = stateExists ? s.value("SELECT max(rows_done) FROM " + s.stateSchema() + ".backfills") : null;
                if (done != null && Long.parseLong(done) >= 20_000) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean disconnect
                    child.waitFor();
                    doneAtKill = Long.parseLong(done);
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(doneAtKill).as("child log: %s", Files.readString(dir.resolve("child.log"))).isGreaterThanOrEqualTo(20_000);
            long checkpoint = Long.parseLong(s.value("SELECT rows_done FROM " + s.stateSchema() + ".backfills"));
            assertThat(checkpoint).isLessThan(ROWS);
            assertThat(s.value("SELECT phase FROM " + s.stateSchema() + ".migrations")).isEqualTo("starting");
            assertThat(s.value("SELECT count(*) FROM events WHERE touches = 1")).isEqualTo(String.valueOf(checkpoint));

            Bascule.Builder again = s.bascule();
            again.load().start(Bascule.read(file));

            assertThat(s.value("SELECT phase FROM " + s.stateSchema() + ".migrations")).isEqualTo("started");
            assertThat(s.value("SELECT rows_done FROM " + s.stateSchema() + ".backfills")).isEqualTo(String.valueOf(ROWS));
            assertThat(s.value("SELECT count(*) FROM events WHERE size IS DISTINCT FROM length(payload)")).isEqualTo("0");
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) FROM events")).isEqualTo("1-1");
        }
    }
}
