package dev.bascule.bench.traffic;

import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The traffic benchmark's short form: a small table, 8 clients, a few seconds a phase. It checks
 * what must hold on any machine, however fast: no client of either version sees an error through
 * Bascule's start and complete, and the table then holds exactly what their writes and the
 * migration should have left. The Flyway-style run is only reported: its blocking and failures
 * depend on the machine, and are what the full benchmark measures.
 */
class TrafficBenchmarkTest {
    private static final TrafficOptions SHORT = new TrafficOptions(PostgresServer.jdbcUrl(), 20_000, 8, Duration.ofSeconds(2),
            10, Duration.ofSeconds(1), null);

    @Test
    void oldAndNewClientsSeeNoErrorThroughAWholeBasculeMigrationAndEveryRowEndsAsExpected() throws Exception {
        try (TestSchema bascule = new TestSchema(); TestSchema baseline = new TestSchema()) {
            TrafficBenchmark.Results results = new TrafficBenchmark(bascule.dataSource(), SHORT)
                    .run(bascule.name(), bascule.stateSchema(), baseline.name());
            results.report().forEach(System.out::println);

            RunResult b = results.bascule();
            assertThat(b.failed()).as(b.migration()).isFalse();
            assertThat(b.phases()).extracting(p -> p.phase().name()).containsExactly("before", "start: expand",
                    "start: backfill", "after start: old and new code", "complete", "after");
            assertThat(b.errors()).as("client errors; first ones: %s", b.phases().stream()
                    .flatMap(p -> p.messages().stream()).toList()).isZero();
            assertThat(b.check().problems()).isEmpty();

            String version = bascule.name() + "_0001_accounts_v2";
            Map<String, Long> sideBySide = b.phases().get(3).operationsBy();
            assertThat(sideBySide).as("both versions ran between start and complete")
                    .containsKeys("old code on " + bascule.name(), "new code on " + version + ", " + bascule.name());
            assertThat(b.phases().get(5).operationsBy()).as("after complete, only the new version runs")
                    .containsOnlyKeys("new code on " + version + ", " + bascule.name());

            RunResult f = results.baseline();
            assertThat(f.failed()).as(f.migration()).isFalse();
            assertThat(f.phases()).extracting(p -> p.phase().stage()).contains(Phase.Stage.CHANGE);
            assertThat(f.operations()).isPositive();
            assertThat(results.report()).anyMatch(l -> l.startsWith("| failed client operations | 0 | "))
                    .anyMatch(l -> l.startsWith("### Flyway-style, per phase"));
        }
    }
}
