package dev.bascule.command;

import dev.bascule.api.BasculeException;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.BackfillOptions;
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
    void aConnectionGoesBackToThePoolWithoutTheSessionsSettings() throws Exception {
        try (TestSchema s = new TestSchema(); Connection pooled = s.dataSource().getConnection()) {
            // a pool of one: every getConnection hands out the same session, whose close returns it
            javax.sql.DataSource pool = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (p, m, a) -> {
                        if (!m.getName().equals("getConnection")) {
                            throw new UnsupportedOperationException(m.getName());
                        }
                        return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                                (p2, m2, a2) -> m2.getName().equals("close") ? null : m2.invoke(pooled, a2));
                    });
            Settings settings = new Settings(s.name(), s.stateSchema(), Duration.ofMillis(250), 10,
                    BackfillOptions.defaults(), BasculeListener.NONE);
            try (Session session = Session.open(pool, new PostgresDialect(), settings, false)) {
                try (Connection c = session.newConnection()) {
                    org.assertj.core.api.Assertions.assertThat(show(c, "lock_timeout")).isEqualTo("250ms");
                }
            }
            // each borrower puts back what it found; this "pool" lent the one session to all of
            // them at once, so it is as it was once the last one has given it back
            org.assertj.core.api.Assertions.assertThat(show(pooled, "lock_timeout")).as("reset when handed back").isEqualTo("0");
            org.assertj.core.api.Assertions.assertThat(show(pooled, "application_name")).isNotEqualTo("bascule");
        }
    }

    private static String show(Connection c, String setting) throws Exception {
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

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
