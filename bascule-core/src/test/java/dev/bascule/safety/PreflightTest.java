package dev.bascule.safety;

import dev.bascule.Bascule;
import dev.bascule.api.RefusedException;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each preflight check triggered for real on PostgreSQL, and passing once the condition is gone. */
class PreflightTest {
    static final Preflight QUICK = new Preflight(0, Duration.ofSeconds(1));

    private static Set<String> run(TestSchema s, Set<String> forced, List<String> notes) throws SQLException {
        try (Connection c = s.dataSource().getConnection()) {
            return QUICK.run(c, s.name(), List.of("users"), forced, notes::add);
        }
    }

    @Test
    void idleInTransactionHoldingALockOnTheTable() throws Exception {
        try (TestSchema s = new TestSchema(); Connection app = s.connect(s.name()); Statement st = app.createStatement()) {
            s.exec("CREATE TABLE users (id bigint PRIMARY KEY)");
            app.setAutoCommit(false);
            st.execute("SELECT count(*) FROM users"); // ACCESS SHARE until the transaction ends
            Thread.sleep(1500);
            assertThatThrownBy(() -> run(s, Set.of(), new ArrayList<>())).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("idle_in_transaction: pid").hasMessageContaining("AccessShareLock on users");
            List<String> notes = new ArrayList<>();
            assertThat(run(s, Set.of("idle_in_transaction"), notes)).containsExactly("idle_in_transaction");
            assertThat(notes).singleElement().asString().contains("(forced)");
            app.commit();
            assertThat(run(s, Set.of(), new ArrayList<>())).isEmpty();
        }
    }

    @Test
    void longRunningTransactionHoldingALockOnTheTable() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id bigint PRIMARY KEY)");
            Thread app = new Thread(() -> {
                try (Connection c = s.connect(s.name()); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("LOCK TABLE users IN ROW EXCLUSIVE MODE");
                    st.execute("SELECT pg_sleep(3)");
                    c.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            app.start();
            Thread.sleep(1700);
            assertThatThrownBy(() -> run(s, Set.of(), new ArrayList<>())).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("long_transactions: pid").hasMessageContaining("RowExclusiveLock on users");
            app.join();
            assertThat(run(s, Set.of(), new ArrayList<>())).isEmpty();
        }
    }

    @Test
    void anInvalidIndexRefusesStartUntilForcedAndTheOverrideIsRecorded() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id bigint PRIMARY KEY, email text)", "INSERT INTO users VALUES (1, 'a'), (2, 'a')");
            try {
                s.exec("CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email)");
            } catch (IllegalStateException expected) {
                // the failed build leaves users_email behind, invalid
            }
            Bascule b = s.bascule().load();
            var m = MigrationReader.read("0001_x.yaml", """
                    operations:
                      - add_column: {table: users, column: {name: note, type: text}}
                    """.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> b.start(m)).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("invalid_indexes: index users_email on users is invalid");
            assertThat(s.value("SELECT to_regnamespace('" + s.stateSchema() + "')")).as("nothing changed").isNull();
            b.start(m, false, Set.of("invalid_indexes"));
            assertThat(b.history()).singleElement().satisfies(h -> assertThat(h.forcedGates()).contains("preflight:invalid_indexes"));
            s.exec("DROP INDEX CONCURRENTLY users_email");
            b.complete(Set.of());
        }
    }

    @Test
    void unknownNamesAreBadInput() {
        assertThatThrownBy(() -> Preflight.requireKnown(List.of("nope"))).hasMessageContaining("unknown preflight check 'nope'");
    }
}
