package dev.bascule.command;

import dev.bascule.api.BasculeException;
import dev.bascule.api.BasculeListener;
import dev.bascule.backfill.BackfillOptions;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each backfill batch checks before it writes: that its command still holds the lock. */
class SessionLockTest {
    @Test
    void aSessionWhoseControlConnectionEndedNoLongerHoldsTheLock() throws Exception {
        try (TestSchema s = new TestSchema()) {
            Settings settings = new Settings(s.name(), s.stateSchema(), Duration.ofMillis(250), 10,
                    BackfillOptions.defaults(), BasculeListener.NONE);
            try (Session session = Session.open(s.dataSource(), new PostgresDialect(), settings, true);
                 Connection batch = session.newConnection()) {
                assertThatCode(() -> session.requireLock(batch)).doesNotThrowAnyException();
                s.value("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        + " AND objid = hashtext('bascule:" + s.stateSchema() + "')::oid");
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (s.value("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = hashtext('bascule:"
                        + s.stateSchema() + "')::oid") != null && System.nanoTime() < deadline) {
                    Thread.sleep(10); // the terminated backend releases its locks as it exits
                }
                assertThatThrownBy(() -> session.requireLock(batch)).isInstanceOf(BasculeException.class)
                        .hasMessageContaining("lost the lock that keeps Bascule commands apart");
            }
        }
    }
}
