package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bascule.testing.TestSchema;
import dev.bascule.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code notifications:} in bascule.yaml, through the real command line against a real server. */
class NotificationsConfigTest {
    private static final String TOKEN = "tok-7f3a9c-never-printed";

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void webhooksAndCommandsFromTheConfigFileHearTheCommands() throws Exception {
        try (TestSchema s = new TestSchema(); WebhookReceiver hook = new WebhookReceiver()) {
            s.exec("CREATE TABLE users (id bigserial PRIMARY KEY, email text)",
                    "INSERT INTO users (email) SELECT 'E' || g || '@X.org' FROM generate_series(1, 2000) g");
            Path env = dir.resolve("env.txt");
            file("bascule.yaml", """
                    notifications:
                      webhooks:
                        - url: %s
                          headers: {Authorization: "Bearer ${HOOK_TOKEN}", X-Team: db}
                        - url: %s
                          events: [completed]
                      commands:
                        - run: "env | grep '^BASCULE_' | sort > '%s'"
                          events: [paused]
                    """.formatted(hook.url("/all"), hook.url("/completed-only"), env));
            file("0001_users.yaml", "operations:\n  - add_column: {table: users, column: {name: email_lower, type: text}, up: lower(email)}\n");
            Cli cli = Cli.on(s).dir(dir).env(Map.of("HOOK_TOKEN", TOKEN));

            List<Cli.Result> results = List.of(cli.run("start", "0001_users.yaml"), cli.run("pause"), cli.run("resume"),
                    cli.run("complete", "--yes"));
            for (Cli.Result r : results) {
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(r.all()).doesNotContain(TOKEN);
            }
            assertThat(hook.events(r -> r.path().equals("/all")))
                    .containsExactly("backfill_finished", "started", "paused", "resumed", "completed");
            assertThat(hook.events(r -> r.path().equals("/completed-only"))).containsExactly("completed");
            WebhookReceiver.Request first = hook.requests().stream().filter(r -> r.path().equals("/all")).findFirst().orElseThrow();
            assertThat(first.header("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(first.header("X-Team")).isEqualTo("db");
            JsonNode paused = hook.requests().stream().filter(r -> r.event().equals("paused")).findFirst().orElseThrow().json();
            assertThat(paused.get("command").asText()).isEqualTo("pause");
            assertThat(paused.get("migration").asText()).isEqualTo("0001_users");

            Map<String, String> vars = new LinkedHashMap<>();
            for (String line : Files.readAllLines(env)) {
                vars.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
            assertThat(vars).containsEntry("BASCULE_EVENT", "paused")
                    .containsEntry("BASCULE_MIGRATION", "0001_users")
                    .containsEntry("BASCULE_SCHEMA", s.name())
                    .containsEntry("BASCULE_COMMAND", "pause")
                    .containsEntry("BASCULE_TABLE", "")
                    .containsKey("BASCULE_TIME");
            assertThat(vars.get("BASCULE_REASON")).startsWith("paused by ");
        }
    }

    @Test
    void aFailedCommandIsNotifiedWithItsError() throws Exception {
        try (TestSchema s = new TestSchema(); WebhookReceiver hook = new WebhookReceiver()) {
            s.exec("CREATE TABLE users (id bigserial PRIMARY KEY, email text)");
            file("bascule.yaml", "notifications:\n  webhooks:\n    - url: " + hook.url("/") + "\n      events: [failed]\n");
            // a check that existing rows break: refused when complete validates it
            s.exec("INSERT INTO users (email) VALUES (NULL)");
            file("0001_check.yaml", "operations:\n  - add_check: {table: users, name: email_set, expression: email IS NOT NULL}\n");
            Cli cli = Cli.on(s).dir(dir);
            assertThat(cli.run("start", "0001_check.yaml").exit()).isZero();
            Cli.Result refused = cli.run("complete", "--yes");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(3);
            assertThat(hook.events(r -> true)).containsExactly("failed");
            JsonNode failed = hook.requests().get(0).json();
            assertThat(failed.get("command").asText()).isEqualTo("complete");
            assertThat(failed.get("migration").asText()).isEqualTo("0001_check");
            assertThat(failed.get("reason").asText()).contains("complete refused");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown webhook key | notifications:\\n  webhooks:\\n    - url: https://h.example/x\\n      evnts: [failed] | bascule.yaml:4:7: notifications.webhooks[0].evnts: unknown key 'evnts'
            unknown event       | notifications:\\n  commands:\\n    - run: echo\\n      events: [failed, pasued] | bascule.yaml:4:24: notifications.commands[0].events[1]: unknown event 'pasued'; events are started, throttled, paused, resumed, backfill_finished, completed, failed, rolled_back
            not a URL           | notifications:\\n  webhooks:\\n    - url: ftp://h.example/x | bascule.yaml:3:12: notifications.webhooks[0].url: expected an http:// or https:// URL with a host
            missing url         | notifications:\\n  webhooks:\\n    - events: [failed] | bascule.yaml:3:7: notifications.webhooks[0]: missing required key 'url'
            unset variable      | notifications:\\n  webhooks:\\n    - url: https://h.example/x\\n      headers: {Authorization: "Bearer ${NO_SUCH_TOKEN}"} | bascule.yaml:4:32: notifications.webhooks[0].headers.Authorization: environment variable NO_SUCH_TOKEN is not set
            header not text     | notifications:\\n  webhooks:\\n    - url: https://h.example/x\\n      headers: {X-Token: [a, b]} | bascule.yaml:4:26: notifications.webhooks[0].headers.X-Token: expected a text value, found a list
            reserved header     | notifications:\\n  webhooks:\\n    - url: https://h.example/x\\n      headers: {Connection: close} | bascule.yaml:4:17: notifications.webhooks[0].headers.Connection: set by Bascule or its HTTP client; it cannot be configured
            bad timeout         | notifications:\\n  commands:\\n    - run: echo\\n      timeout: 0 | bascule.yaml:4:16: notifications.commands[0].timeout: expected a whole number from 1 to 3600
            run not text        | notifications:\\n  commands:\\n    - run: 42 | bascule.yaml:3:12: notifications.commands[0].run: expected a text, found a number or boolean
            webhooks not a list | notifications:\\n  webhooks: {url: https://h.example/x} | bascule.yaml:2:13: notifications.webhooks: expected a list, found a mapping
            unknown section     | notifications:\\n  slack: [] | bascule.yaml:2:3: notifications.slack: unknown key 'slack'; known keys are webhooks, commands
            top-level typo      | notification: {} | bascule.yaml:1:1: notification: unknown key 'notification'
            """)
    void configErrorsAreExit2WithFileLineColumnAndField(String what, String yaml, String message) throws IOException {
        file("bascule.yaml", yaml.replace("\\n", "\n"));
        // the URL goes nowhere: the file is checked before any connection
        Cli.Result r = new Cli().dir(dir).globals("--url", "jdbc:postgresql://127.0.0.1:1/none").run("status");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(what).contains("bascule: error: " + dir + "/" + message);
    }

    @Test
    void aBadHeaderNeverShowsItsValue() throws IOException {
        file("bascule.yaml", """
                notifications:
                  webhooks:
                    - url: https://h.example/x
                      headers: {"Bad Name": "%s", Authorization: "%s"}
                """.formatted(TOKEN, TOKEN));
        Cli.Result r = new Cli().dir(dir).globals("--url", "jdbc:postgresql://127.0.0.1:1/none").run("status");
        assertThat(r.exit()).isEqualTo(2);
        // a key that is not a name is located, not quoted (the file may not be a config at all)
        assertThat(r.err()).contains(dir + "/bascule.yaml:4:17: notifications.webhooks[0].headers: not a valid HTTP header name");
        assertThat(r.all()).doesNotContain(TOKEN);
    }
}
