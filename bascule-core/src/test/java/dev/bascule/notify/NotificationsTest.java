package dev.bascule.notify;

import dev.bascule.api.CommandHook;
import dev.bascule.api.Event;
import dev.bascule.api.Webhook;
import dev.bascule.api.StartOutcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.Migration;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.command.StartPhase;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestSchema;
import dev.bascule.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Events of real commands on a real server reach a real HTTP server and real shell processes.
 * No assertion waits on a sleep: commands flush their deliveries before they return, and
 * what another thread causes is awaited with a deadline.
 */
class NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Migration migration(String name, String yaml) {
        return MigrationReader.read(name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static Migration addLength(String name) {
        return migration(name, """
                operations:
                  - add_column: {table: events, column: {name: size, type: int}, up: length(payload)}
                """);
    }

    private static void events(TestSchema s, int rows) {
        s.exec("CREATE TABLE events (id bigint PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO events SELECT g, 'p' || g FROM generate_series(1, " + rows + ") g");
    }

    @Test
    void startCompleteAndRollbackPostTheirEventsAsJson() throws Exception {
        try (TestSchema s = new TestSchema(); WebhookReceiver hook = new WebhookReceiver()) {
            events(s, 3000);
            Bascule bascule = s.bascule().notifier(new WebhookNotifier(Webhook.to(hook.url("/bascule"))
                    .withHeaders(Map.of("Authorization", "Bearer s3cret")))).load();

            Instant before = Instant.now();
            assertThat(bascule.start(addLength("0001_size"))).isEqualTo(StartOutcome.STARTED);
            // delivered before start returned: the command flushes its notifications
            assertThat(hook.events(r -> true)).containsExactly("backfill_finished", "started");
            WebhookReceiver.Request started = hook.requests().get(1);
            assertThat(started.method()).isEqualTo("POST");
            assertThat(started.path()).isEqualTo("/bascule");
            assertThat(started.header("Content-Type")).isEqualTo("application/json");
            assertThat(started.header("Authorization")).isEqualTo("Bearer s3cret");
            JsonNode json = started.json();
            assertThat(fieldNames(json)).containsExactly("event", "migration", "schema", "table", "reason", "version", "command", "time", "member");
            assertThat(json.get("migration").asText()).isEqualTo("0001_size");
            assertThat(json.get("schema").asText()).isEqualTo(s.name());
            assertThat(json.get("table").isNull()).isTrue();
            assertThat(json.get("reason").isNull()).isTrue();
            assertThat(json.get("version").asText()).isEqualTo(bascule.latest()).isEqualTo(s.name() + "_0001_size");
            assertThat(json.get("command").asText()).isEqualTo("start");
            assertThat(Instant.parse(json.get("time").asText())).isBetween(before, Instant.now());
            JsonNode finished = hook.requests().get(0).json();
            assertThat(finished.get("table").asText()).isEqualTo("events");
            assertThat(finished.get("migration").asText()).isEqualTo("0001_size");

            // a second start while one is active fails: failed, with the error
            assertThatThrownBy(() -> bascule.start(addLength("0002_other"))).isInstanceOf(BasculeException.class);
            JsonNode failed = hook.requests().get(2).json();
            assertThat(failed.get("event").asText()).isEqualTo("failed");
            assertThat(failed.get("migration").asText()).isEqualTo("0002_other");
            assertThat(failed.get("reason").asText()).contains("migration 0001_size is started; complete or roll it back");

            bascule.complete(Set.of());
            JsonNode completed = hook.requests().get(3).json();
            assertThat(completed.get("event").asText()).isEqualTo("completed");
            assertThat(completed.get("command").asText()).isEqualTo("complete");
            assertThat(completed.get("version").asText()).isEqualTo(s.name() + "_0001_size");

            bascule.start(migration("0003_rename", "operations:\n  - rename_column: {table: events, from: payload, to: body}\n"));
            bascule.rollback();
            assertThat(hook.events(r -> true)).containsExactly("backfill_finished", "started", "failed", "completed",
                    "started", "rolled_back");
            JsonNode rolledBack = hook.requests().get(5).json();
            assertThat(rolledBack.get("migration").asText()).isEqualTo("0003_rename");
            assertThat(rolledBack.get("version").asText()).isEqualTo(bascule.latest()).isEqualTo(s.name() + "_0001_size");
            // nothing to roll back and nothing to complete are not events
            bascule.rollback();
            bascule.complete(Set.of());
            assertThat(hook.requests()).hasSize(6);
        }
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aWebhookAnswering500TwiceIsRetriedAnd400IsNot() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            hook.answer(500, 503);
            WebhookNotifier notifier = new WebhookNotifier(Webhook.to(hook.url("/flaky")).withAttempts(3, Duration.ofMillis(50)));
            Event event = Event.of(Event.Type.PAUSED, "pause", "0001_size", "public").withReason("paused by alice");
            long t0 = System.nanoTime();
            notifier.send(event);
            assertThat(notifier.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(hook.requests()).hasSize(3);
            assertThat(hook.requests()).extracting(WebhookReceiver.Request::body).containsOnly(EventJson.of(event));
            // backoff 50 ms, then 100 ms
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));

            hook.answer(400);
            notifier.send(event);
            assertThat(notifier.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(hook.requests()).hasSize(4); // the receiver refused it: asking again would not help

            hook.answer(500, 500, 500);
            notifier.send(event);
            notifier.send(event.withReason("second"));
            assertThat(notifier.flush(Duration.ofSeconds(20))).isTrue();
            // three attempts of the first, given up; the second still goes out, after it
            assertThat(hook.requests()).hasSize(8);
            assertThat(hook.requests().get(7).json().get("reason").asText()).isEqualTo("second");
        }
    }

    @Test
    void aWebhookSendsOnlyTheEventsItAsksFor() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            WebhookNotifier notifier = new WebhookNotifier(Webhook.to(hook.url("/"))
                    .withEvents(Set.of(Event.Type.FAILED, Event.Type.COMPLETED)));
            for (Event.Type type : Event.Type.values()) {
                notifier.send(Event.of(type, "start", "m", "public"));
            }
            assertThat(notifier.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(hook.events(r -> true)).containsExactly("completed", "failed");
        }
    }

    @Test
    void aDeadWebhookNeitherBlocksNorFailsTheMigration() throws Exception {
        WebhookReceiver closed = new WebhookReceiver();
        java.net.URI url = closed.url("/gone");
        closed.close(); // nothing listens there any more: every attempt is a connection error
        try (TestSchema s = new TestSchema()) {
            events(s, 1000);
            Bascule bascule = s.bascule().notificationWait(Duration.ofMillis(200))
                    .notifier(new WebhookNotifier(Webhook.to(url).withAttempts(3, Duration.ofSeconds(5))))
                    .load();
            long t0 = System.nanoTime();
            assertThat(bascule.start(addLength("0001_size"))).isEqualTo(StartOutcome.STARTED);
            // the retries' 5 s backoff is not waited for: the flush at the end is bounded
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(s.value("SELECT count(*) FROM events WHERE size IS NULL")).isEqualTo("0");
        }
    }

    @Test
    void aShellHookGetsTheEventInItsEnvironmentAndOnStdin(@TempDir Path dir) throws Exception {
        try (TestSchema s = new TestSchema()) {
            events(s, 500);
            Path env = dir.resolve("env.txt");
            Path stdin = dir.resolve("stdin.json");
            Bascule bascule = s.bascule()
                    .notifier(new CommandHookNotifier(CommandHook.shell("env | grep '^BASCULE_' > '" + env + "'; cat > '" + stdin + "'")
                            .withEvents(Set.of(Event.Type.STARTED))))
                    .load();
            bascule.start(addLength("0001_size"));

            Map<String, String> vars = new LinkedHashMap<>();
            for (String line : Files.readAllLines(env)) {
                int eq = line.indexOf('=');
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
            assertThat(vars).containsEntry("BASCULE_EVENT", "started")
                    .containsEntry("BASCULE_MIGRATION", "0001_size")
                    .containsEntry("BASCULE_SCHEMA", s.name())
                    .containsEntry("BASCULE_TABLE", "")
                    .containsEntry("BASCULE_REASON", "")
                    .containsEntry("BASCULE_VERSION", s.name() + "_0001_size")
                    .containsEntry("BASCULE_COMMAND", "start")
                    .doesNotContainKey("BASCULE_PASSWORD");
            Instant time = Instant.parse(vars.get("BASCULE_TIME"));
            JsonNode json = JSON.readTree(Files.readString(stdin));
            assertThat(json.get("event").asText()).isEqualTo("started");
            assertThat(json.get("migration").asText()).isEqualTo("0001_size");
            assertThat(Instant.parse(json.get("time").asText())).isEqualTo(time);
        }
    }

    @Test
    void aFailingOrHangingHookIsKilledAndTheMigrationGoesOn(@TempDir Path dir) throws Exception {
        try (TestSchema s = new TestSchema()) {
            events(s, 500);
            Path pid = dir.resolve("sleep.pid");
            Path after = dir.resolve("after.txt");
            Bascule bascule = s.bascule()
                    .notifier(new CommandHookNotifier(CommandHook.shell("echo broken >&2; exit 3")))
                    .notifier(new CommandHookNotifier(CommandHook.shell("sleep 300 & echo $! > '" + pid + "'; wait")
                            .withEvents(Set.of(Event.Type.STARTED)).withTimeout(Duration.ofSeconds(1))))
                    .notifier(new CommandHookNotifier(CommandHook.argv(List.of("sh", "-c", "echo \"$BASCULE_EVENT\" >> '" + after + "'"))))
                    .load();
            long t0 = System.nanoTime();
            assertThat(bascule.start(addLength("0001_size"))).isEqualTo(StartOutcome.STARTED);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
            long sleeper = Long.parseLong(Files.readString(pid).strip());
            PauseResume.await("the hanging hook's child to be killed",
                    () -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
            // the hooks beside the failing and the hanging ones ran for every event
            assertThat(Files.readAllLines(after)).containsExactly("backfill_finished", "started");
        }
    }

    @Test
    void aPauseFromAnotherProcessDuringAThrottledBackfill() throws Exception {
        try (TestSchema s = new TestSchema(); WebhookReceiver hook = new WebhookReceiver()) {
            events(s, 20_000);
            s.exec("CREATE TABLE hold (reason text)", "INSERT INTO hold VALUES ('maintenance window')");
            BackfillOptions throttled = BackfillOptions.defaults().withBatchSize(500)
                    .withThrottle(ThrottleOptions.none().withThrottleQuery("SELECT reason FROM " + s.name() + ".hold"));
            Bascule runner = s.bascule().backfill(throttled).notifier(new WebhookNotifier(Webhook.to(hook.url("/runner")))).load();
            Bascule operator = s.bascule().notifier(new WebhookNotifier(Webhook.to(hook.url("/operator")))).load();

            CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(() -> runner.start(addLength("0001_size")));
            try {
                WebhookReceiver.Request throttledEvent = hook.await("throttled", r -> r.event().equals("throttled"));
                assertThat(throttledEvent.json().get("reason").asText()).isEqualTo("throttle query: maintenance window");
                assertThat(throttledEvent.json().get("table").asText()).isEqualTo("events");

                operator.pause(true);
                // the pause command's own event is out when pause returns
                WebhookReceiver.Request paused = hook.await("paused from pause", r -> r.path().equals("/operator"));
                assertThat(paused.event()).isEqualTo("paused");
                assertThat(paused.json().get("command").asText()).isEqualTo("pause");
                assertThat(paused.json().get("reason").asText()).startsWith("paused by ");
                WebhookReceiver.Request seen = hook.await("paused seen by the backfill",
                        r -> r.path().equals("/runner") && r.event().equals("paused"));
                assertThat(seen.json().get("command").asText()).isEqualTo("start");
                assertThat(seen.json().get("table").asText()).isEqualTo("events");
                assertThat(seen.json().get("reason").asText()).isEqualTo(paused.json().get("reason").asText());

                operator.pause(false);
                hook.await("resumed seen by the backfill", r -> r.path().equals("/runner") && r.event().equals("resumed"));
                Thread.sleep(500); // still throttled: more throttled reports, and no more throttled events
                s.exec("DELETE FROM hold");
                assertThat(start.get(120, TimeUnit.SECONDS)).isEqualTo(StartOutcome.STARTED);
            } finally {
                s.exec("DELETE FROM hold");
                start.get(120, TimeUnit.SECONDS);
            }
            assertThat(hook.events(r -> r.path().equals("/operator"))).containsExactly("paused", "resumed");
            assertThat(hook.events(r -> r.path().equals("/runner")))
                    .containsExactly("throttled", "paused", "resumed", "backfill_finished", "started");
            assertThat(s.value("SELECT count(*) FROM events WHERE size IS DISTINCT FROM length(payload)")).isEqualTo("0");
        }
    }

    /** Deadline-bounded polling for what another thread or process causes. */
    static final class PauseResume {
        static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("timed out waiting for " + what);
                }
                Thread.sleep(20);
            }
        }
    }
}
