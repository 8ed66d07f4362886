package dev.bascule.cli;

import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** start's options under {@code start:} in bascule.yaml: used, under the command line's, and refused with file, line and key. */
class StartConfigFileTest {
    @TempDir
    Path dir;

    TestSchema schema;

    @BeforeEach
    void setUp() throws IOException {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, email text)");
        schema.exec("INSERT INTO users (email) SELECT 'U' || g || '@example.com' FROM generate_series(1, 50) g");
        Files.writeString(dir.resolve("0001_email_lower.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: email_lower, type: text}, up: lower(email)}
                """);
    }

    @AfterEach
    void tearDown() {
        schema.close();
    }

    private Cli.Result start(String config, String... options) throws IOException {
        Files.writeString(dir.resolve("bascule.yaml"), config);
        String[] args = new String[options.length + 2];
        args[0] = "start";
        args[1] = "0001_email_lower.yaml";
        System.arraycopy(options, 0, args, 2, options.length);
        return Cli.on(schema).dir(dir).run(args);
    }

    private String filled() {
        return schema.value("SELECT count(*) FROM users WHERE email_lower IS NOT NULL");
    }

    @Test
    void theFilesStartOptionsAreUsed() throws IOException {
        Cli.Result r = start("start:\n  no_backfill: true\n  batch_size: 10\n");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("expanded 0001_email_lower without backfill");
        assertThat(filled()).isEqualTo("0");
        // the second start backfills in the file's batches of 10: 50 rows, 5 batches at least
        Cli.Result again = start("start:\n  batch_size: 10\n  batch_delay: 0\n");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(filled()).isEqualTo("50");
        assertThat(schema.value("SELECT max(batch_size) FROM " + schema.stateSchema() + ".backfills")).isEqualTo("10");
        assertThat(Long.parseLong(schema.value("SELECT sum(batches) FROM " + schema.stateSchema() + ".backfills")))
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void theCommandLineWinsAndCompletesWhatTheFileLacks() throws IOException {
        Cli.Result fileOnly = start("start:\n  latency_floor: 2\n");
        assertThat(fileOnly.exit()).as(fileOnly.toString()).isEqualTo(2);
        assertThat(fileOnly.err()).contains("/bascule.yaml:2:18: start.latency_floor needs start.max_latency_factor");

        Cli.Result both = start("start:\n  latency_floor: 2\n  no_backfill: true\n  max_latency_factor: 3\n",
                "--max-latency-factor", "2.5");
        assertThat(both.exit()).as(both.toString()).isZero();
        Cli.Result overridden = start("start:\n  batch_size: 5\n", "--batch-size", "0");
        assertThat(overridden.exit()).isEqualTo(2);
        assertThat(overridden.err()).contains("--batch-size must be between 1 and");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "start:\\n  batch_size: 0 | bascule.yaml:2:15: start.batch_size must be between 1 and 50000, got 0",
            "start:\\n  batch_siz: 10 | bascule.yaml:2:3: start.batch_siz: unknown key 'batch_siz'; the options of start are batch_size,",
            "start:\\n  workers: many | bascule.yaml:2:12: start.workers must be a whole number",
            "start:\\n  no_backfill: 'yes' | bascule.yaml:2:16: start.no_backfill must be true or false",
            "start:\\n  max_latency_factor: 0.5 | bascule.yaml:2:23: start.max_latency_factor must be more than 1 (0: off), got 0.5",
            "start:\\n  window_zone: Europe/Paris | bascule.yaml:2:16: start.window_zone needs start.window",
            "start:\\n  window: 22-06 | bascule.yaml:2:11: start.window: malformed window '22-06'",
            "start:\\n  heartbeat_table: true | bascule.yaml:2:20: start.heartbeat_table needs start.replica",
            "start: 5 | bascule.yaml:1:8: start: expected a mapping of batch_size,",
            "lock_timeout: soon | bascule.yaml:1:15: lock_timeout: expected a whole number",
    })
    void badValuesInTheFileAreExit2WithFileLineAndKeyAndNothingChanges(String config, String message) throws IOException {
        Cli.Result r = start(config.replace("\\n", "\n"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("bascule: error: ").contains("/" + message);
        assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema.stateSchema() + "'")).isEqualTo("0");
    }
}
