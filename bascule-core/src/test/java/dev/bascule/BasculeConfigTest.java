package dev.bascule;

import dev.bascule.api.BackfillOptions;
import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.StartSettings;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code bascule.yaml} read by the library: its settings in the builder, on a real database, and its errors. */
class BasculeConfigTest {
    @TempDir
    Path dir;

    private static final String MIGRATION = """
            operations:
              - add_column: {table: users, column: {name: email_lower, type: text}, up: lower(email)}
            """;

    @Test
    void theBuilderTakesTheFilesSchemasAndStartOptionsAndWhatIsSetAfterItWins() throws Exception {
        try (TestSchema schema = new TestSchema()) {
            schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, email text)",
                    "INSERT INTO users (email) SELECT 'U' || g || '@example.com' FROM generate_series(1, 30) g");
            Path file = dir.resolve("bascule.yaml");
            Files.writeString(file, "schema: " + schema.name() + "\nstate_schema: not_this_one\nlock_timeout: 300\n"
                    + "lock_attempts: 4\nstart:\n  batch_size: 7\n  max_rows_per_second: 100000\n  force_preflight: [long_transactions]\n");
            BasculeConfig config = BasculeConfig.load(file);
            assertThat(config.schema()).contains(schema.name());
            assertThat(config.lockTimeout()).contains(Duration.ofMillis(300));
            assertThat(config.lockAttempts()).hasValue(4);
            assertThat(config.start().forcePreflight()).isEqualTo(Set.of("long_transactions"));
            assertThat(config.start().backfillOptions(url -> { throw new AssertionError(url); }))
                    .isEqualTo(BackfillOptions.defaults().withBatchSize(7).withMaxRowsPerSecond(100_000));

            // the state schema set after the file wins over the file's
            Bascule bascule = Bascule.configure().dataSource(schema.dataSource()).config(config)
                    .stateSchema(schema.stateSchema()).load();
            Files.writeString(dir.resolve("0001_email_lower.yaml"), MIGRATION);
            bascule.start(Bascule.read(dir.resolve("0001_email_lower.yaml")), config.start().noBackfill(),
                    config.start().forcePreflight());
            assertThat(schema.value("SELECT count(*) FROM users WHERE email_lower IS NOT NULL")).isEqualTo("30");
            assertThat(schema.value("SELECT max(batch_size) FROM " + schema.stateSchema() + ".backfills")).isEqualTo("7");
            assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'not_this_one'")).isEqualTo("0");
        }
    }

    @Test
    void aClassPathResourceOrStreamIsReadAndAMissingFileIsAnError() {
        BasculeConfig config = BasculeConfig.read("classpath:bascule.yaml",
                new ByteArrayInputStream("start:\n  workers: 2\n  window: \"22:00-06:00\"\n  window_zone: UTC\n"
                        .getBytes(StandardCharsets.UTF_8)), Map.of());
        assertThat(config.start().get(StartSettings.Key.WORKERS)).contains(2L);
        assertThat(config.start().backfillOptions(url -> null).window()).isPresent();
        assertThat(BasculeConfig.empty().start().values()).isEmpty();
        assertThatThrownBy(() -> BasculeConfig.load(dir.resolve("nowhere.yaml")))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("nowhere.yaml does not exist");
    }

    @Test
    void badValuesNameTheFileLineAndKey() {
        List<List<String>> cases = List.of(
                List.of("start:\n  workers: 99\n", "b.yaml:2:12: start.workers must be between 1 and 32, got 99"),
                List.of("start:\n  batch_delay: -1\n", "b.yaml:2:16: start.batch_delay must not be negative, got -1"),
                List.of("start:\n  replica: [1]\n", "b.yaml:2:12: start.replica must be a list of texts"),
                List.of("start:\n  throttle_query: ''\n", "b.yaml:2:19: start.throttle_query must not be empty"),
                List.of("lock_attempts: [1]\n", "b.yaml:1:16: lock_attempts: expected a single value"),
                List.of("starts: {}\n", "b.yaml:1:1: starts: unknown key 'starts'"));
        for (List<String> c : cases) {
            assertThatThrownBy(() -> BasculeConfig.read("b.yaml", c.get(0).getBytes(StandardCharsets.UTF_8), Map.of(), InputLimits.DEFAULT))
                    .as(c.get(0)).isInstanceOf(InvalidMigrationException.class).hasMessageContaining(c.get(1));
        }
        // a value that reads but does not go with the others: at backfillOptions, still named by file, line and key
        BasculeConfig replicaWithoutDelay = BasculeConfig.read("b.yaml",
                "start:\n  replica: jdbc:mariadb://r1/app\n  max_replication_delay: 0\n".getBytes(StandardCharsets.UTF_8),
                Map.of(), InputLimits.DEFAULT);
        assertThatThrownBy(() -> replicaWithoutDelay.start().backfillOptions(url -> null))
                .hasMessageContaining("b.yaml:2:12: start.replica needs b.yaml:3:26: start.max_replication_delay above 0");
    }
}
