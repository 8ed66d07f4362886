package dev.bascule.locks;

import dev.bascule.api.StartOutcome;
import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.BasculeListener;
import dev.bascule.command.StartPhase;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A long transaction blocks Bascule's ALTER. Application writes queue behind the waiting ALTER,
 * but only for the lock timeout: the ALTER gives up, retries later, and the writes go through.
 */
class LockTimeoutTest {
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);
    static final String MIGRATION = "operations:\n  - add_column: {table: items, column: {name: c, type: text}, up: upper(name)}\n";

    @Test
    void applicationWritesWaitAtMostTheLockTimeout() throws Exception {
        try (TestSchema s = new TestSchema(); Connection blocker = s.connect(s.name()); Connection app = s.connect(s.name())) {
            s.exec("CREATE TABLE items (id bigserial PRIMARY KEY, name text)", "INSERT INTO items (name) VALUES ('a'), ('b')");
            AtomicInteger retries = new AtomicInteger();
            Bascule b = s.bascule().lockTimeout(LOCK_TIMEOUT).lockAttempts(100)
                    .listener(new BasculeListener() {
                        @Override
                        public void lockRetry(String description, int attempt, Duration wait) {
                            retries.incrementAndGet();
                        }
                    }).load();
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.executeQuery("SELECT * FROM items").close(); // ACCESS SHARE until commit: ALTER must wait
            }
            CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(() -> b.start(Scenario.migration(MIGRATION)));
            long maxWaitNanos = 0;
            int writes = 0;
            try (PreparedStatement insert = app.prepareStatement("INSERT INTO items (name) VALUES ('app')")) {
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < until || retries.get() < 3) {
                    long t0 = System.nanoTime();
                    insert.executeUpdate();
                    maxWaitNanos = Math.max(maxWaitNanos, System.nanoTime() - t0);
                    writes++;
                    Thread.sleep(5);
                }
            }
            assertThat(start).isNotDone();
            blocker.commit();
            assertThat(start.get()).isEqualTo(StartOutcome.STARTED);
            assertThat(retries.get()).isGreaterThanOrEqualTo(3);
            assertThat(writes).isGreaterThan(20);
            // the budget: the lock timeout plus scheduling noise on a busy 2-core machine
            assertThat(Duration.ofNanos(maxWaitNanos)).isLessThan(LOCK_TIMEOUT.plusMillis(150));
            assertThat(s.value("SELECT count(*) FROM " + s.name() + "_0001_change.items WHERE c = upper(name)"))
                    .isEqualTo(s.value("SELECT count(*) FROM items"));
        }
    }

    @Test
    void givesUpAfterBoundedAttemptsAndResumesLater() throws Exception {
        try (TestSchema s = new TestSchema(); Connection blocker = s.connect(s.name())) {
            s.exec("CREATE TABLE items (id bigserial PRIMARY KEY, name text)", "INSERT INTO items (name) VALUES ('a')");
            Bascule b = s.bascule().lockTimeout(Duration.ofMillis(50)).lockAttempts(3).load();
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.executeQuery("SELECT * FROM items").close();
            }
            assertThatThrownBy(() -> b.start(Scenario.migration(MIGRATION)))
                    .isInstanceOfSatisfying(BasculeException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                    .hasMessageContaining("could not take its lock within the lock timeout (50 ms) in 3 attempts");
            assertThat(s.value("SELECT phase FROM " + s.stateSchema() + ".migrations")).isEqualTo("starting");
            assertThat(s.value("SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'c'")).isEqualTo("0");
            blocker.commit();
            assertThat(b.start(Scenario.migration(MIGRATION))).isEqualTo(StartOutcome.STARTED);
        }
    }
}
