package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
import dev.bascule.Bascule;
import dev.bascule.backfill.throttle.HealthMonitor;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.api.ThrottleOptions.Limit;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each health signal engages when its condition is created for real on the server. Waits poll
 * the monitor until a deadline; no assertion rests on a sleep alone.
 */
class HealthSignalsTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    static Verdict await(HealthMonitor m, Predicate<Verdict> until) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        Verdict v = m.verdict();
        while (!until.test(v) && System.nanoTime() < end) {
            Thread.sleep(10);
            v = m.verdict();
        }
        return v;
    }

    static HealthMonitor monitor(TestSchema s, ThrottleOptions o) throws Exception {
        return new HealthMonitor(s.dataSource().getConnection(), o, s.name() + ".t", new PostgresDialect().health().healthSignals())
                .start();
    }

    static ThrottleOptions only() {
        return ThrottleOptions.none();
    }

    @Test
    void applicationSessionWaitingOnTheBackfillsRowLock() throws Exception {
        try (TestSchema s = new TestSchema(); Connection backfill = s.connect(s.name()); Connection app = s.connect(s.name())) {
            s.exec("CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t VALUES (1, 0)");
            try (HealthMonitor m = monitor(s, only().withLockWaiters(new Limit(1, 0)))) {
                assertThat(m.verdict().go()).isTrue();
                backfill.setAutoCommit(false);
                try (Statement st = backfill.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    m.watch(rs.getInt(1));
                    st.execute("SELECT * FROM t WHERE id = 1 FOR NO KEY UPDATE"); // as a batch does
                }
                CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                    try (Statement st = app.createStatement()) {
                        st.execute("UPDATE t SET v = v + 1 WHERE id = 1");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Verdict v = await(m, x -> !x.go());
                assertThat(v.level()).isEqualTo(Verdict.Level.THROTTLE);
                assertThat(v.reason()).startsWith("sessions waiting on the backfill's locks 1");
                assertThat(m.contended(java.time.Duration.ofSeconds(2))).isTrue(); // batches aim at the contended batch time
                backfill.commit();
                blocked.get();
                assertThat(await(m, Verdict::go).go()).isTrue();
                long after = m.samples();
                while (m.samples() < after + 2) Thread.sleep(10); // a sample that began after the commit
                assertThat(m.contended(java.time.Duration.ofMillis(1))).isFalse();
            }
        }
    }

    @Test
    void longOpenTransactionThrottlesThenPauses() throws Exception {
        try (TestSchema s = new TestSchema(); Connection other = s.connect(s.name())) {
            s.exec("CREATE TABLE t (id int PRIMARY KEY)");
            try (HealthMonitor m = monitor(s, only().withLongTransactionSeconds(new Limit(0.3, 1.5)))) {
                other.setAutoCommit(false);
                try (Statement st = other.createStatement()) {
                    st.execute("SELECT txid_current()");
                }
                Verdict v = await(m, x -> !x.go());
                assertThat(v.level()).isEqualTo(Verdict.Level.THROTTLE);
                assertThat(v.reason()).startsWith("oldest open transaction");
                v = await(m, x -> x.level() == Verdict.Level.CRITICAL);
                assertThat(v.reason()).contains(">= critical 1.5 s");
                other.rollback();
                assertThat(await(m, Verdict::go).go()).isTrue();
            }
        }
    }

    @Test
    void vacuumOnTheTable() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = false)",
                    "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 300000) g");
            try (HealthMonitor m = monitor(s, only().withVacuumOnTable(true).withCheckIntervalMillis(5))) {
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<Void> vacuums = CompletableFuture.runAsync(() -> {
                    try (Connection c = s.connect(s.name()); Statement st = c.createStatement()) {
                        while (!stop.get()) {
                            st.execute("UPDATE t SET v = v WHERE id % 3 = 0");
                            st.execute("VACUUM (DISABLE_PAGE_SKIPPING) t");
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Verdict v = await(m, x -> !x.go());
                stop.set(true);
                vacuums.get();
                assertThat(v.reason()).startsWith("vacuum is running on");
            }
        }
    }

    @Test
    void walRate() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id bigserial PRIMARY KEY, v text)");
            try (HealthMonitor m = monitor(s, only().withWalBytesPerSecond(new Limit(256 * 1024, 0)))) {
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                    try (Connection c = s.connect(s.name()); Statement st = c.createStatement()) {
                        while (!stop.get()) {
                            st.execute("INSERT INTO t (v) SELECT md5(g::text) FROM generate_series(1, 5000) g");
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Verdict v = await(m, x -> !x.go());
                stop.set(true);
                writes.get();
                assertThat(v.reason()).startsWith("WAL rate").contains("/s >= 256.0 KiB/s");
            }
        }
    }

    @Test
    void throttleQueryOfTheUser() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id int PRIMARY KEY)", "CREATE TABLE maintenance (reason text)");
            String query = "SELECT string_agg(reason, ', ') FROM " + s.name() + ".maintenance";
            try (HealthMonitor m = monitor(s, only().withThrottleQuery(query))) {
                assertThat(m.verdict().go()).isTrue();
                s.exec("INSERT INTO maintenance VALUES ('nightly report running')");
                assertThat(await(m, x -> !x.go()).reason()).isEqualTo("throttle query: nightly report running");
                s.exec("DELETE FROM maintenance");
                assertThat(await(m, Verdict::go).go()).isTrue();
            }
        }
    }

    @Test
    void replicationLagQueryRunsWithoutReplicas() throws Exception {
        // No replica runs here: the signal must read as healthy, not fail or throttle.
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id int PRIMARY KEY)");
            try (HealthMonitor m = monitor(s, only().withReplicationLagBytes(new Limit(1, 2)).withReplicationLagSeconds(new Limit(1, 2)))) {
                assertThat(m.verdict().go()).isTrue();
            }
        }
    }

    @Test
    void backfillWaitsWhileThrottledAndShowsWhy() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                    "INSERT INTO t (id, payload) SELECT g, 'p' || g FROM generate_series(1, 20000) g",
                    "CREATE TABLE gate (reason text)", "INSERT INTO gate VALUES ('hold on')");
            s.exec(BackfillTest.TOUCH);
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(1000)
                    .withThrottle(only().withThrottleQuery("SELECT reason FROM " + s.name() + ".gate"))).load();
            CompletableFuture<?> start = CompletableFuture.runAsync(() -> b.start(BackfillTest.fill("upper(payload)")));
            String reason = null;
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (reason == null && System.nanoTime() < end) {
                var active = b.status().active();
                reason = active == null || active.backfills().isEmpty() ? null : active.backfills().get(0).throttleReason();
                Thread.sleep(20);
            }
            assertThat(reason).isEqualTo("throttle query: hold on");
            assertThat(b.status().active().backfills().get(0).rowsDone()).isZero();
            assertThat(start).isNotDone();
            s.exec("DELETE FROM gate");
            start.get();
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) FROM t")).isEqualTo("1-1");
        }
    }

    @Test
    void criticalSignalPausesTheBackfillUntilResumed() throws Exception {
        try (TestSchema s = new TestSchema(); Connection other = s.connect(s.name())) {
            s.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                    "INSERT INTO t (id, payload) SELECT g, 'p' || g FROM generate_series(1, 20000) g");
            s.exec(BackfillTest.TOUCH);
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.execute("SELECT txid_current()"); // a transaction left open by someone
            }
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (Double.parseDouble(s.value("SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)"
                    + " FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND xact_start IS NOT NULL")) < 0.3
                    && System.nanoTime() < end) {
                Thread.sleep(20); // until it is older than the critical age
            }
            Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(1000)
                    .withThrottle(only().withLongTransactionSeconds(new Limit(0, 0.2)))).load();
            CompletableFuture<?> start = CompletableFuture.runAsync(() -> b.start(BackfillTest.fill("upper(payload)")));
            String why = null;
            while (why == null && System.nanoTime() < end) {
                var active = b.status().active();
                why = active == null ? null : active.pauseReason();
                Thread.sleep(20);
            }
            assertThat(why).startsWith("oldest open transaction").contains(">= critical");
            assertThat(b.status().active().paused()).isTrue();
            other.rollback();
            b.pause(false); // resume, as `bascule resume` does from any process
            start.get();
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) FROM t")).isEqualTo("1-1");
        }
    }
}
