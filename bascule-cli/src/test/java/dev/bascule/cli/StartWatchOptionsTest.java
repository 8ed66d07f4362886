package dev.bascule.cli;

import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** start's window and application options: bad values are exit 2 with the option named, and nothing changes. */
class StartWatchOptionsTest {
    @TempDir
    Path dir;

    TestSchema schema;

    @BeforeEach
    void setUp() {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, email text)");
    }

    @AfterEach
    void tearDown() {
        schema.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--window 22-06 | --window: malformed window '22-06': expected HH:MM-HH:MM",
            "--window 22:00-06:61 | --window: invalid time 06:61 in window '22:00-06:61'",
            "--window 22:00-06:00 --window-zone Europe/Pariss | --window-zone: unknown time zone 'Europe/Pariss'",
            "--window-zone Europe/Paris | --window-zone needs --window",
            "--max-latency-factor 0.5 | --max-latency-factor must be more than 1 (0: off), got 0.5",
            "--latency-floor 2 | --latency-floor needs --max-latency-factor",
    })
    void badValuesAreExit2BeforeAnythingChanges(String options, String message) throws Exception {
        Path file = dir.resolve("0001_email_lower.yaml");
        Files.writeString(file, """
                operations:
                  - add_column: {table: users, column: {name: email_lower, type: text}, up: lower(email)}
                """);
        List<String> args = new ArrayList<>(List.of("start", file.toString()));
        args.addAll(Arrays.asList(options.split(" ")));
        Cli.Result r = Cli.on(schema).dir(dir).run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("bascule: error: " + message);
        assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema.stateSchema() + "'")).isEqualTo("0");
        assertThat(schema.value("SELECT count(*) FROM pg_attribute WHERE attrelid = '" + schema.name()
                + ".users'::regclass AND attname = 'email_lower'")).isEqualTo("0");
    }
}
