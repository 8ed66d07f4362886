package dev.bascule.backfill;

import dev.bascule.api.BackfillWindow;
import dev.bascule.api.BackfillOptions;
import dev.bascule.Bascule;
import dev.bascule.api.MigrationStatus;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schedule window against a real server and the real clock: windows are chosen relative to now,
 * in a zone that is not the system's, so the zone has to be honoured for the test to pass.
 */
class ScheduleWindowTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final ZoneId ZONE = ZoneId.of("Pacific/Chatham"); // +12:45 or +13:45: no test machine runs on it
    static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    static String span(LocalTime from, LocalTime to) {
        return from.format(HH_MM) + "-" + to.format(HH_MM);
    }

    /** Runs start on a thread of its own, which the test interrupts as one kills a start that waits. */
    static final class Start implements AutoCloseable {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Start(Bascule b) {
            thread = new Thread(() -> {
                try {
                    b.start(BackfillTest.fill("upper(payload)"));
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "start");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(DEADLINE.toMillis());
        }
    }

    static MigrationStatus.Backfill awaitWaiting(Bascule b, String reasonStart) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            MigrationStatus.Active a = b.status().active();
            if (a != null && !a.backfills().isEmpty() && a.backfills().get(0).throttleReason() != null
                    && a.backfills().get(0).throttleReason().startsWith(reasonStart)) {
                return a.backfills().get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no backfill waiting with '" + reasonStart + "...': " + b.status().active());
    }

    @Test
    void aWindowExcludingNowKeepsTheBackfillWaitingAcrossRerunsAndOneIncludingNowLetsItRun() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL, touches int NOT NULL DEFAULT 0)",
                    "INSERT INTO t (id, payload) SELECT g, 'p' || g FROM generate_series(1, 3000) g");
            s.exec(BackfillTest.TOUCH);
            LocalTime now = LocalTime.now(ZONE);
            String later = span(now.plusHours(2), now.plusHours(3));
            BackfillOptions outside = BackfillOptions.defaults().withBatchSize(500)
                    .withWindow(BackfillWindow.parse(later, ZONE));

            for (int run = 1; run <= 2; run++) { // the first start, then start again: the resumed backfill waits too
                Bascule b = s.bascule().backfill(outside).load();
                try (Start start = new Start(b)) {
                    MigrationStatus.Backfill waiting = awaitWaiting(b, "outside window " + later + " (Pacific/Chatham), opens in ");
                    // the window is cut to whole minutes and the test may be slow to read the status: a minute either way
                    assertThat(waiting.throttleReason()).matches(".*opens in (1h58m|1h59m|2h)");
                    Thread.sleep(1200); // longer than the engine's poll of the clock
                    assertThat(b.status().active().backfills().get(0).rowsDone()).isZero();
                    assertThat(s.value("SELECT count(*) FROM t WHERE filled IS NOT NULL")).isEqualTo("0");
                    assertThat(start.failure.get()).isNull();
                }
            }

            Bascule b = s.bascule().backfill(outside.withWindow(BackfillWindow.parse(
                    span(now.minusHours(1), now.plusHours(1)) + "," + later, ZONE))).load();
            b.start(BackfillTest.fill("upper(payload)"));
            assertThat(b.status().active().phase()).isEqualTo("started");
            assertThat(s.value("SELECT min(touches) || '-' || max(touches) || '-' || count(*) FROM t WHERE filled = upper(payload)"))
                    .isEqualTo("1-1-3000");
        }
    }
}
