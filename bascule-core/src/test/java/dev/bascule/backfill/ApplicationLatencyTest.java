package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.MigrationStatus;
import dev.bascule.api.ApplicationSignal;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.backfill.health.ApplicationProbe;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The backfill watches the application for real: clients run their queries while it fills, the
 * test makes those queries slow (pg_sleep in the query they run) or fail, and the backfill pauses,
 * says why, and goes on once the cause is gone. Timings are shortened (a 1 s baseline, 1 s to
 * confirm) so the tests take seconds; every wait polls the state until a deadline.
 */
class ApplicationLatencyTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final int ROWS = 4000;

    static final ApplicationSignal FAST = ApplicationSignal.factor(2.0).withTiming(Duration.ofSeconds(1),
            Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(1));

    /** Application clients: each reads rows by key on a connection of its own, with the query {@code sql}. */
    static final class Clients implements AutoCloseable {
        final AtomicBoolean failing = new AtomicBoolean();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<CompletableFuture<Void>> running = new ArrayList<>();

        Clients(TestSchema s, int n, String sql) {
            for (int i = 0; i < n; i++) {
                running.add(CompletableFuture.runAsync(() -> {
                    try (Connection c = s.connect(s.name());
                         PreparedStatement ok = c.prepareStatement(sql);
                         PreparedStatement bad = c.prepareStatement("SELECT payload::int FROM t WHERE id = ?")) {
                        while (!stop.get()) {
                            boolean fail = failing.get();
                            PreparedStatement ps = fail ? bad : ok;
                            ps.setInt(1, ThreadLocalRandom.current().nextInt(1, ROWS + 1));
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                            } catch (java.sql.SQLException e) {
                                if (!fail) {
                                    throw e;
                                }
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            for (CompletableFuture<Void> f : running) {
                f.get(10, TimeUnit.SECONDS); // a client that failed fails the test
            }
        }
    }

    static TestSchema table() {
        TestSchema s = new TestSchema();
        s.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                "INSERT INTO t (id, payload) SELECT g, 'p' || g FROM generate_series(1, " + ROWS + ") g",
                "CREATE TABLE app_delay (seconds float8 NOT NULL)", "INSERT INTO app_delay VALUES (0)");
        s.exec(BackfillTest.TOUCH);
        return s;
    }

    static Bascule bascule(TestSchema s, ApplicationSignal signal, boolean autoResume, List<String> notes) {
        BasculeListener listener = new BasculeListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
        return s.bascule().listener(listener).backfill(BackfillOptions.defaults().withBatchSize(200).withMaxRowsPerSecond(1000)
                .withThrottle(ThrottleOptions.none().withCheckIntervalMillis(50).withApplication(signal).withAutoResume(autoResume)))
                .load();
    }

    static MigrationStatus.Active await(Bascule b, Predicate<MigrationStatus.Active> until) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        MigrationStatus.Active a = b.status().active();
        while ((a == null || !until.test(a)) && System.nanoTime() < end) {
            Thread.sleep(20);
            a = b.status().active();
        }
        assertThat(a).isNotNull();
        assertThat(until.test(a)).as("in time: " + a).isTrue();
        return a;
    }

    static boolean statementsLoaded(TestSchema s) {
        return s.value("SHOW shared_preload_libraries").contains("pg_stat_statements");
    }

    static MigrationStatus.Backfill backfill(MigrationStatus.Active a) {
        return a.backfills().isEmpty() ? null : a.backfills().get(0);
    }

    /** Waits until the baseline is being measured, then until batches run: none ran before it. */
    static void awaitBaselineThenBatches(Bascule b) throws InterruptedException {
        MigrationStatus.Active measuring = await(b, a -> backfill(a) != null && backfill(a).throttleReason() != null
                && backfill(a).throttleReason().startsWith("measuring the application's"));
        assertThat(backfill(measuring).rowsDone()).isZero();
        await(b, a -> backfill(a).rowsDone() > 0);
    }

    @Test
    void slowApplicationQueriesPauseTheBackfillUntilResumed() throws Exception {
        try (TestSchema s = table()) {
            assumeTrue(statementsLoaded(s), "pg_stat_statements is not loaded on this server (the embedded one loads it)");
            s.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public");
            List<String> notes = new CopyOnWriteArrayList<>();
            Bascule b = bascule(s, FAST, false, notes);
            try (Clients clients = new Clients(s, 3, "SELECT payload, pg_sleep((SELECT seconds FROM app_delay)) FROM t WHERE id = ?")) {
                CompletableFuture<?> start = CompletableFuture.runAsync(() -> b.start(BackfillTest.fill("upper(payload)")));
                awaitBaselineThenBatches(b);
                assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("baseline of the application latency")
                        .contains("(pg_stat_statements) over").contains("pauses when it stays at or above 1.00 ms for 1 s"));

                s.exec("UPDATE app_delay SET seconds = 0.01"); // every application query now takes 10 ms more
                MigrationStatus.Active paused = await(b, a -> a.paused());
                assertThat(paused.pauseReason()).startsWith("application latency ").contains(" >= 2.0 x baseline ")
                        .contains("(pg_stat_statements; floor 1.00 ms)");
                assertThat(notes).anySatisfy(n -> assertThat(n).contains("paused: application latency")
                        .endsWith("run 'bascule resume' once the cause is gone"));
                long rowsAtPause = backfill(await(b, a -> "paused".equals(backfill(a).throttleReason()))).rowsDone();
                assertThat(rowsAtPause).isLessThan(ROWS);

                s.exec("UPDATE app_delay SET seconds = 0");
                Thread.sleep(1500); // more than the recovery time: without --auto-resume it stays paused anyway
                MigrationStatus.Active still = b.status().active();
                assertThat(still.paused()).isTrue();
                assertThat(backfill(still).rowsDone()).isEqualTo(rowsAtPause);
                assertThat(start).isNotDone();

                b.pause(false); // bascule resume
                start.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) || '-' || count(*) FROM t WHERE filled = upper(payload)"))
                    .isEqualTo("1-1-" + ROWS);
        }
    }

    @Test
    void withAutoResumeTheBackfillGoesOnOnceTheLatencyRecovers() throws Exception {
        try (TestSchema s = table()) {
            assumeTrue(statementsLoaded(s), "pg_stat_statements is not loaded on this server (the embedded one loads it)");
            s.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public");
            List<String> notes = new CopyOnWriteArrayList<>();
            Bascule b = bascule(s, FAST, true, notes);
            try (Clients clients = new Clients(s, 3, "SELECT payload, pg_sleep((SELECT seconds FROM app_delay)) FROM t WHERE id = ?")) {
                CompletableFuture<?> start = CompletableFuture.runAsync(() -> b.start(BackfillTest.fill("upper(payload)")));
                awaitBaselineThenBatches(b);
                s.exec("UPDATE app_delay SET seconds = 0.01");
                String reason = await(b, a -> a.paused()).pauseReason();
                assertThat(reason).startsWith("application latency ").contains(" >= 2.0 x baseline ");
                assertThat(start).isNotDone();

                s.exec("UPDATE app_delay SET seconds = 0");
                await(b, a -> !a.paused());
                start.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(notes).anySatisfy(n -> assertThat(n).endsWith("resumes: this has cleared: " + reason));
            }
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) || '-' || count(*) FROM t WHERE filled = upper(payload)"))
                    .isEqualTo("1-1-" + ROWS);
        }
    }

    @Test
    void withoutStatementStatisticsABurstOfApplicationErrorsPauses() throws Exception {
        // pg_stat_database is what a server without pg_stat_statements offers: the rollback rate is read there
        try (TestSchema s = table()) {
            List<String> notes = new CopyOnWriteArrayList<>();
            ApplicationSignal signal = FAST.withSource(ApplicationSignal.Source.ROLLBACK_RATE)
                    .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
            Bascule b = bascule(s, signal, true, notes);
            try (Clients clients = new Clients(s, 3, "SELECT payload FROM t WHERE id = ?")) {
                CompletableFuture<?> start = CompletableFuture.runAsync(() -> b.start(BackfillTest.fill("upper(payload)")));
                awaitBaselineThenBatches(b);
                assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("baseline of the application rollback rate")
                        .contains("(pg_stat_database) over"));

                clients.failing.set(true); // every query now fails: invalid input syntax for type integer
                String reason = await(b, a -> a.paused()).pauseReason();
                assertThat(reason).startsWith("application rollback rate ").contains(" >= 2.0 x baseline ")
                        .contains("(pg_stat_database; floor 5 %)");
                assertThat(start).isNotDone();

                clients.failing.set(false);
                await(b, a -> !a.paused());
                start.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) || '-' || count(*) FROM t WHERE filled = upper(payload)"))
                    .isEqualTo("1-1-" + ROWS);
        }
    }
}
