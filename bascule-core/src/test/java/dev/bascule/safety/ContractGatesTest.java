package dev.bascule.safety;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.Migration;
import dev.bascule.api.RefusedException;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The contract gates triggered for real on PostgreSQL, and open once the condition is gone. */
class ContractGatesTest {
    private static final String USERS = "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text,"
            + " legacy text)";

    private static Migration migration(String name, String yaml) {
        return MigrationReader.read(name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code sql} on its own connection and makes the server count it now, as a finished transaction would. */
    private static void appQuery(TestSchema s, String searchPath, String sql) throws SQLException {
        try (Connection c = s.connect(searchPath); Statement st = c.createStatement()) {
            st.execute(sql);
            st.execute("SELECT pg_stat_force_next_flush()");
        }
    }

    /** Application code running {@code sql} every 50 ms until closed, its statistics reported at once. */
    private static final class KeepsQuerying implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        KeepsQuerying(TestSchema s, String searchPath, String... sql) {
            thread = new Thread(() -> {
                try (Connection c = s.connect(searchPath); Statement st = c.createStatement()) {
                    while (running.get()) {
                        for (String q : sql) {
                            st.execute(q);
                        }
                        st.execute("SELECT pg_stat_force_next_flush()");
                        Thread.sleep(50);
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void anIndexStillScannedKeepsDropIndexFromCompletingUntilTheScansStop() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(USERS, "CREATE INDEX users_email ON users (email)",
                    "INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 2000) g", "ANALYZE users");
            Bascule b = s.bascule().load();
            b.start(migration("0001_drop_index", "operations:\n  - drop_index: {name: users_email}\n"));
            try (KeepsQuerying app = new KeepsQuerying(s, s.name(), "SET enable_seqscan = off",
                    "SELECT id FROM users WHERE email = 'u7'")) {
                Thread.sleep(200);
                assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                        .hasMessageContaining("index_unused: index users_email was scanned")
                        .hasMessageContaining("time(s) in the last 1 s");
                assertThat(s.value("SELECT to_regclass('users_email')")).as("nothing dropped").isNotNull();
            }
            // scanned since start, but no longer: the old code that did is gone
            b.complete(Set.of());
            assertThat(s.value("SELECT to_regclass('users_email')")).isNull();
        }
    }

    @Test
    void anIndexNobodyScannedIsDropped() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(USERS, "CREATE INDEX users_email ON users (email)");
            appQuery(s, s.name(), "SET enable_seqscan = off; SELECT id FROM users WHERE email = 'before start'");
            Bascule b = s.bascule().load();
            b.start(migration("0001_drop_index", "operations:\n  - drop_index: {name: users_email}\n"));
            b.complete(Set.of());
            assertThat(s.value("SELECT to_regclass('users_email')")).isNull();
        }
    }

    @Test
    void aFunctionUsingADroppedColumnKeepsCompleteBack() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(USERS, "CREATE FUNCTION legacy_of(bigint) RETURNS text LANGUAGE sql STABLE"
                    + " BEGIN ATOMIC SELECT legacy FROM users WHERE id = $1; END");
            Bascule b = s.bascule().load();
            b.start(migration("0001_drop_legacy", "operations:\n  - drop_column: {table: users, column: legacy}\n"));
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("no_references: column users.legacy is used by function legacy_of(bigint)");
            s.exec("DROP FUNCTION legacy_of(bigint)");
            b.complete(Set.of());
            assertThat(s.column("SELECT attname FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0"
                    + " AND NOT attisdropped")).containsExactly("id", "email");
        }
    }

    @Test
    void aQueryNamingADroppedColumnSinceStartKeepsCompleteBack() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(USERS, "INSERT INTO users (email, legacy) VALUES ('a@x', 'L')");
            assumeTrue(statementsLoaded(s), "pg_stat_statements is not loaded on this server (the embedded one loads it)");
            s.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public");
            Bascule b = s.bascule().load();
            // the backfill names users.legacy too: Bascule's own statements are left out
            b.start(migration("0001_drop_legacy", "operations:\n"
                    + "  - add_column: {table: users, column: {name: note, type: text}, up: upper(legacy)}\n"
                    + "  - drop_column: {table: users, column: legacy, down: lower(note)}\n"
                    + "  - rename_column: {table: users, from: email, to: mail}\n"));
            // a renamed column is retired too
            // the new version's queries and Bascule's own do not count; old code naming the column does
            try (KeepsQuerying newCode = new KeepsQuerying(s, s.name() + "_0001_drop_legacy", "SELECT mail FROM users WHERE id = 1");
                 KeepsQuerying oldCode = new KeepsQuerying(s, s.name(), "SELECT id, legacy FROM users WHERE id = 1",
                         "SELECT id FROM users WHERE email = 'a@x'")) {
                Thread.sleep(200);
                assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                        .hasMessageContaining("no_recent_use: queries used what complete removes in the last 1 s: ")
                        .hasMessageContaining("users.legacy by ").hasMessageContaining(" call(s) of: SELECT id, legacy FROM users")
                        .hasMessageContaining(" call(s) of: SELECT id FROM users WHERE email = $1")
                        .hasMessageNotContaining("UPDATE").hasMessageNotContaining("SELECT mail");
                b.complete(Set.of("no_recent_use"));
            }
            assertThat(b.history()).singleElement().satisfies(h -> assertThat(h.forcedGates()).contains("no_recent_use"));
        }
    }

    @Test
    void aNameOldCodeStoppedUsingDoesNotKeepCompleteBack() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(USERS);
            assumeTrue(statementsLoaded(s), "pg_stat_statements is not loaded on this server (the embedded one loads it)");
            s.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public");
            Bascule b = s.bascule().load();
            b.start(migration("0001_drop_legacy", "operations:\n  - drop_column: {table: users, column: legacy}\n"));
            appQuery(s, s.name(), "SELECT legacy FROM users"); // old code, before it was replaced
            b.complete(Set.of());
            assertThat(b.history()).singleElement().satisfies(h -> assertThat(h.forcedGates()).isEmpty());
        }
    }

    @Test
    void withoutStatementStatisticsTheGateSaysItCannotTell() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(USERS);
            List<String> notes = Collections.synchronizedList(new ArrayList<>());
            boolean installed = "1".equals(s.value("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'"));
            assumeTrue(!installed || !statementsLoaded(s), "pg_stat_statements is installed in this database");
            Bascule b = s.bascule().listener(new BasculeListener() {
                @Override
                public void note(String message) {
                    notes.add(message);
                }
            }).load();
            b.start(migration("0001_drop_legacy", "operations:\n  - drop_column: {table: users, column: legacy}\n"));
            b.complete(Set.of());
            assertThat(notes).anySatisfy(n -> assertThat(n).contains("gate no_recent_use cannot tell whether queries still use users.legacy"));
        }
    }

    @Test
    void readsThroughTheOldVersionKeepCompleteBackUntilTheyStop() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(USERS, "INSERT INTO users (email) VALUES ('a@x')");
            Bascule b = s.bascule().quietTime(Duration.ofSeconds(2)).load();
            b.start(migration("0001_first", "operations:\n  - rename_column: {table: users, from: email, to: mail}\n"));
            b.complete(Set.of());
            String v1 = s.name() + "_0001_first";
            b.start(migration("0002_second", "operations:\n  - drop_column: {table: users, column: legacy}\n"));
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread oldCode = new Thread(() -> {
                try (Connection c = s.connect(v1); Statement st = c.createStatement()) {
                    while (reading.get()) {
                        try (ResultSet rs = st.executeQuery("SELECT mail FROM users WHERE id = 1")) {
                            rs.next();
                        }
                        st.execute("SELECT pg_stat_force_next_flush()");
                        Thread.sleep(100);
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            oldCode.start();
            try {
                Thread.sleep(300);
                assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                        .hasMessageContaining("old_version_idle: queries read through the old version " + v1 + " in the last 2 s");
                assertThat(s.value("SELECT to_regnamespace('" + v1 + "')")).as("the old version stays").isNotNull();
            } finally {
                reading.set(false);
                oldCode.join();
            }
            b.complete(Set.of()); // read since start, but not within the quiet time
            assertThat(s.value("SELECT to_regnamespace('" + v1 + "')")).isNull();
        }
    }

    @Test
    void anOldVersionNobodyReadDoesNotMakeCompleteWait() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(USERS);
            Bascule b = s.bascule().quietTime(Duration.ofMinutes(10)).load();
            b.start(migration("0001_first", "operations:\n  - rename_column: {table: users, from: email, to: mail}\n"));
            b.complete(Set.of());
            b.start(migration("0002_second", "operations:\n  - drop_column: {table: users, column: legacy}\n"));
            appQuery(s, s.name() + "_0002_second", "SELECT mail FROM users"); // the new version is not watched
            long began = System.nanoTime();
            b.complete(Set.of());
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMinutes(1));
        }
    }

    private static boolean statementsLoaded(TestSchema s) {
        return s.value("SHOW shared_preload_libraries").contains("pg_stat_statements");
    }
}
