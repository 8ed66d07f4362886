package dev.bascule.faults;

import dev.bascule.Bascule;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code sql} operation is not idempotent in general ({@code INSERT INTO counter ...}): a start
 * killed once the statement has committed but before its step is recorded done must not run it
 * again when it resumes.
 */
class FaultSqlOperationOnceTest {

    @Test
    void aSqlOperationKilledAfterItsCommitBeforeItsDoneRecordRunsOnceOnResume(@TempDir Path dir) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE counter (id serial PRIMARY KEY, note text NOT NULL)");
            Path file = dir.resolve("0001_count.yaml");
            // the statement takes a moment, so the harness can hold the step's record before it is marked done
            Files.writeString(file, """
                    operations:
                      - sql:
                          up: "INSERT INTO counter (note) SELECT 'once' FROM pg_sleep(1)"
                    """);
            String steps = s.stateSchema() + ".steps";
            try (Connection holder = PostgresServer.dataSource().getConnection();
                 BasculeProcess child = BasculeProcess.launch("start", PostgresServer.jdbcUrl(), s.name(), s.stateSchema(),
                         file, 0, false)) {
                child.awaitReady();
                holder.setAutoCommit(false);
                // the step is recorded running before its statement runs: hold that record, so that
                // writing "done" waits, whatever connection writes it
                long deadline = System.currentTimeMillis() + 30_000;
                while (!locked(holder, "SELECT 1 FROM " + steps + " WHERE description = 'sql of operation 1' FOR UPDATE")) {
                    holder.rollback();
                    assertThat(System.currentTimeMillis()).as("the step never began: %s", child.output()).isLessThan(deadline);
                    Thread.sleep(5);
                }
                // the done record waits on the held row: the statement has run by now
                long waiter = 0;
                while (waiter == 0) {
                    waiter = waiterOnStepsRecord(s.stateSchema());
                    assertThat(System.currentTimeMillis()).as("nothing waited for the step's record: %s", child.output())
                            .isLessThan(deadline);
                    Thread.sleep(5);
                }
                child.kill(); // SIGKILL
                // the killed process's session would write its "done" the moment the row is free: the
                // server ends it first, as it would have had the process died a moment earlier
                try (Statement st = holder.createStatement()) {
                    st.execute("SELECT pg_terminate_backend(" + waiter + ")");
                }
                holder.rollback();
            }

            Reruns.Outcome resumed = Reruns.untilDone(() -> s.bascule().load().start(Bascule.read(file)));
            assertThat(resumed.done()).as("resume: %s", resumed.failures()).isTrue();
            assertThat(s.value("SELECT count(*) FROM counter")).as("rows the sql operation inserted").isEqualTo("1");
            assertThat(s.value("SELECT status FROM " + steps + " WHERE description = 'sql of operation 1'")).isEqualTo("done");
        }
    }

    @Test
    void aSqlOperationThatMayNotRunInATransactionStillRuns(@TempDir Path dir) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE counter (id serial PRIMARY KEY, note text NOT NULL)");
            Path file = dir.resolve("0001_index.yaml");
            Files.writeString(file, """
                    operations:
                      - sql:
                          up: "CREATE INDEX CONCURRENTLY counter_note ON counter (note)"
                          online: true
                      - sql:
                          up: "VACUUM counter"
                          online: true
                    """);
            s.bascule().load().start(Bascule.read(file));
            assertThat(s.value("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('" + s.name() + ".counter_note')"))
                    .isEqualTo("t");
            assertThat(s.value("SELECT string_agg(status, ',') FROM " + s.stateSchema() + ".steps WHERE description LIKE 'sql of%'"))
                    .isEqualTo("done,done");
        }
    }

    /** Whether {@code query} found a row (and, FOR UPDATE, locked it). */
    private static boolean locked(Connection c, String query) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next();
        } catch (java.sql.SQLException e) {
            return false; // the state tables are not made yet
        }
    }

    /** The server pid of a session waiting for a lock on an UPDATE of the steps record, or 0. */
    private static long waiterOnStepsRecord(String stateSchema) {
        try (Connection c = PostgresServer.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                     + " AND query LIKE '%" + stateSchema + "%.steps SET status = ''done''%'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
