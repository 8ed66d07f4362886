package dev.bascule.dialects;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.ContractMode;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.MigrationStatus;
import dev.bascule.api.RefusedException;
import dev.bascule.backfill.BackfillOptions;
import dev.bascule.backfill.health.HealthMonitor;
import dev.bascule.backfill.health.ThrottleOptions;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.command.Session;
import dev.bascule.command.Settings;
import dev.bascule.command.StartCommand;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Dialects;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Step;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.TestMariaDb;
import dev.bascule.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.bascule.dialects.DialectScenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is MariaDB's own: refusals, the algorithm in the plan, the backfill, metadata lock waits, the lock between commands. */
class MariaDbTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";

    @Test
    void theDialectIsChosenByUrlAndByTheConnection() {
        assertThat(Dialects.forUrl("jdbc:mariadb://h/db")).get().isInstanceOf(MariaDbDialect.class);
        assertThat(Dialects.forUrl("jdbc:mysql://h/db")).get().isInstanceOf(MariaDbDialect.class);
        assertThat(Dialects.forUrl("jdbc:postgresql://h/db")).get().isInstanceOf(PostgresDialect.class);
        assertThat(Dialects.forUrl("jdbc:sqlserver://h")).isEmpty();
        assertThat(Bascule.configure().dataSource(TestMariaDb.dataSource()).load().dialect()).isInstanceOf(MariaDbDialect.class);
        assertThat(Bascule.configure().dataSource(TestDatabase.dataSource()).load().dialect()).isInstanceOf(PostgresDialect.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "- add_check: {table: users, name: users_name_len, expression: \"length(name) > 0\"}",
            "- add_foreign_key: {table: users, columns: [id], references: {table: users, columns: [id]}}",
            "- alter_column: {table: users, column: name, type: varchar(200), check: \"length(name) > 0\"}",
            "- sql: {up: \"DELETE FROM users\"}",
            "- split_table: {from: users, into: [{name: user_emails, columns: [id, email]}]}",
            "- add_column: {table: users, column: {name: team, type: int, check: \"team > 0\"}}",
            "- create_index: {name: users_p, table: users, columns: [name], where: \"id > 2\"}"})
    void whatMariaDbCannotDoSafelyIsRefusedAtPlanTimeAndNothingChanges(String operation) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            // a valid operation first: nothing of it may be applied either
            String yaml = "operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n  " + operation + "\n";
            assertThatThrownBy(() -> b.start(migration(yaml)))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[1]")
                    .hasMessageContaining("MariaDB")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.value("SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'bascule\\_%'"
                    + " AND SCHEMA_NAME = '" + db.name().replace("t_", "bascule_") + "'")).isEqualTo("0");
        }
    }

    @Test
    void aBackfillOverAKeyTheRangesCannotWalkIsRefusedAtPlanTime() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, v varchar(20), PRIMARY KEY (a, b))",
                    "CREATE TABLE blobs (id binary(16) NOT NULL PRIMARY KEY, v varchar(20))");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: pairs, column: {name: w,"
                    + " type: varchar(20)}, up: upper(v)}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("has several columns");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: blobs, column: {name: w,"
                    + " type: varchar(20)}, up: upper(v)}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("binary(16)");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void badInputIsExit2WithTheFieldAndChangesNothing() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: users, column: {name: n,"
                    + " type: varchar(20)}, up: \"no_such_function(email)\"}\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].add_column.up: the expression is not valid")
                    .hasMessageNotContaining("(conn=");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: users, column: {name: n,"
                    + " type: \"int; DROP TABLE users\"}}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("type");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - rename_column: {table: users, from: nope, to: x}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("unknown column 'nope'");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void planStatesTheAlgorithmOfEveryAlterAndTheLock() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Plan plan = db.bascule().load().plan(migration("""
                    operations:
                      - add_column: {table: users, column: {name: domain, type: varchar(100), nullable: false}, up: "lower(email)"}
                      - rename_column: {table: users, from: name, to: full_name}
                      - create_index: {name: users_email_idx, table: users, columns: [email]}
                      - drop_column: {table: users, column: email, down: "'?'"}
                    """));
            List<String> alters = new ArrayList<>();
            List<Step> steps = new ArrayList<>(plan.start().stream().map(PlannedStep::action).toList());
            steps.addAll(plan.validations());
            steps.addAll(plan.complete());
            for (Step s : steps) {
                if (s instanceof Step.SqlStep sql) sql.statements().stream().filter(t -> t.startsWith("ALTER TABLE")).forEach(alters::add);
                if (s instanceof Step.IndexBuildStep ix) alters.add(ix.create());
            }
            assertThat(alters).isNotEmpty().allMatch(a -> a.contains("ALGORITHM=INSTANT") || a.contains("ALGORITHM=INPLACE, LOCK=NONE"));
            assertThat(alters).anyMatch(a -> a.contains("ADD COLUMN IF NOT EXISTS `domain` varchar(100) NULL, ALGORITHM=INSTANT"));
            assertThat(alters).anyMatch(a -> a.contains("ADD INDEX IF NOT EXISTS `users_email_idx` (`email`), ALGORITHM=INPLACE, LOCK=NONE"));
            assertThat(alters).anyMatch(a -> a.contains("MODIFY COLUMN `domain` varchar(100) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE"));
            assertThat(alters).anyMatch(a -> a.contains("RENAME COLUMN `name` TO `full_name`, ALGORITHM=INSTANT"));
            assertThat(steps).filteredOn(s -> s instanceof Step.IndexBuildStep)
                    .allMatch(s -> s.lock().startsWith("ALGORITHM=INPLACE, LOCK=NONE"));
            // the views are made again over the renamed column right after complete has renamed it,
            // before the steps that may take long (the NOT NULL rebuild)
            List<String> contract = plan.complete().stream().map(Step::description).toList();
            int rename = contract.indexOf(contract.stream().filter(d -> d.startsWith("rename column")).findFirst().orElseThrow());
            assertThat(contract.get(rename + 1)).startsWith("re-create the views");
            assertThat(contract.stream().filter(d -> d.startsWith("re-create the views"))).hasSize(1);
        }
    }

    @Test
    void anIdentifierIsAlwaysQuoted() {
        Dialect d = new MariaDbDialect();
        assertThat(d.quote("we`ird")).isEqualTo("`we``ird`");
        assertThat(d.literal("it's \\ ok")).isEqualTo("'it''s \\\\ ok'");
    }

    @Test
    void backfillWalksTheKeyInBatchesWithCheckpointsAndPausesFromAnotherProcess() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users (id, name, email) SELECT seq, CONCAT('u', seq), CONCAT('U', seq, '@X.org')"
                    + " FROM seq_1_to_3000");
            Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(100).withMaxRowsPerSecond(3000)
                    .withThrottle(ThrottleOptions.none())).load();
            CompletableFuture<StartCommand.Outcome> start = CompletableFuture.supplyAsync(() -> b.start(migration("""
                    operations:
                      - add_column: {table: users, column: {name: email_lower, type: varchar(100)}, up: "lower(email)"}
                    """)));
            Bascule other = db.bascule().load();
            waitFor(() -> rowsDone(other) > 0);
            other.pause(true);
            waitFor(() -> "paused".equals(other.status().active().backfills().get(0).throttleReason()));
            long paused = rowsDone(other);
            Thread.sleep(400);
            assertThat(rowsDone(other)).isEqualTo(paused).isLessThan(3000);
            assertThat(start).isNotDone();
            other.pause(false);
            assertThat(start.get(30, TimeUnit.SECONDS)).isEqualTo(StartCommand.Outcome.STARTED);
            MigrationStatus.Backfill done = other.status().active().backfills().get(0);
            assertThat(done.finished()).isTrue();
            assertThat(done.rowsDone()).isEqualTo(3000);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower = LOWER(email)")).isEqualTo("3000");
            String state = db.name().replace("t_", "bascule_");
            assertThat(db.value("SELECT CONCAT(last_key, ' ', batches >= 30) FROM " + state + ".backfills")).isEqualTo("[\"3000\"] 1");
        }
    }

    @Test
    void aBackfillWhoseConnectionsAreKilledResumesFromItsCheckpointAndDoesNoRowTwice() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users (id, name, email) SELECT seq, CONCAT('u', seq), CONCAT('U', seq, '@X.org')"
                    + " FROM seq_1_to_2000",
                    // counts every write of a row by the backfill: a batch done twice would show
                    "CREATE TABLE writes (id int PRIMARY KEY, n int NOT NULL)",
                    "CREATE TRIGGER count_writes AFTER UPDATE ON users FOR EACH ROW"
                            + " INSERT INTO writes VALUES (NEW.id, 1) ON DUPLICATE KEY UPDATE n = n + 1");
            var m = migration("operations:\n  - add_column: {table: users, column: {name: email_lower, type: varchar(100)},"
                    + " up: \"lower(email)\"}\n");
            Bascule slow = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(50).withMaxRowsPerSecond(2000)
                    .withThrottle(ThrottleOptions.none())).load();
            CompletableFuture<StartCommand.Outcome> start = CompletableFuture.supplyAsync(() -> slow.start(m));
            Bascule other = db.bascule().load();
            waitFor(() -> rowsDone(other) >= 300);
            // the backfill's connection dies mid-batch, as in a crash (the work connection is the one in the base database)
            try (Connection admin = TestMariaDb.dataSource().getConnection(); Statement s = admin.createStatement()) {
                for (String id : db.column("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + db.name()
                        + "' AND ID <> CONNECTION_ID()")) {
                    s.execute("KILL CONNECTION " + id);
                }
            }
            assertThatThrownBy(() -> start.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(BasculeException.class);
            long checkpoint = rowsDone(other);
            assertThat(checkpoint).isBetween(300L, 1999L);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower IS NOT NULL")).isEqualTo(String.valueOf(checkpoint));
            // the rerun goes on from the checkpoint
            assertThat(db.bascule().load().start(m)).isEqualTo(StartCommand.Outcome.STARTED);
            assertThat(rowsDone(other)).isEqualTo(2000);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower = LOWER(email)")).isEqualTo("2000");
            assertThat(db.value("SELECT CONCAT(count(*), ' ', max(n)) FROM writes")).isEqualTo("2000 1");
        }
    }

    @Test
    void completeRefusesANullInANotNullColumnAndChangesNothing() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Bascule b = db.bascule().load();
            b.start(migration("""
                    operations:
                      - add_column: {table: users, column: {name: nick, type: varchar(20), nullable: false}, up: "name"}
                    """));
            String version = db.name() + "_" + DialectScenario.MIGRATION;
            try (Connection c = db.connect(version)) {
                db.exec(c, "INSERT INTO users (id, name, email, nick) VALUES (2, 'bob', 'b@x.org', NULL)");
            }
            List<String> before = db.snapshot();
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class).hasMessageContaining("NULL");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThatThrownBy(() -> b.complete(Set.of(), Set.of(), ContractMode.DEPRECATE))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("--deprecate");
            try (Connection c = db.connect(version)) {
                db.exec(c, "UPDATE users SET nick = 'b' WHERE id = 2");
            }
            b.complete(Set.of());
            assertThat(db.value("SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'users' AND COLUMN_NAME = 'nick'")).isEqualTo("NO");
        }
    }

    @Test
    void aMetadataLockHeldByTheApplicationMakesDdlGiveUpAndRetryThenTheRerunFinishes() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Bascule b = db.bascule().lockTimeout(Duration.ofMillis(500)).lockAttempts(2).load();
            var m = migration("operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n");
            try (Connection holder = db.connect(db.name())) {
                holder.setAutoCommit(false);
                db.exec(holder, "SELECT * FROM users"); // a shared metadata lock until the transaction ends
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> b.start(m)).isInstanceOf(BasculeException.class)
                        .hasMessageContaining("could not take its lock").hasMessageContaining("2 attempts");
                // two waits of lock_wait_timeout (whole seconds on MariaDB: 1 s) and one backoff
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(6));
                holder.rollback();
            }
            assertThat(b.start(m)).isEqualTo(StartCommand.Outcome.STARTED);
            assertThat(b.start(m)).isEqualTo(StartCommand.Outcome.ALREADY_STARTED);
            b.rollback();
        }
    }

    @Test
    void oneCommandAtATimeAndALostLockStopsTheCommand() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            Dialect dialect = new MariaDbDialect();
            Settings settings = new Settings(db.name(), db.name().replace("t_", "bascule_"), Duration.ofMillis(250), 3,
                    BackfillOptions.defaults(), dev.bascule.api.BasculeListener.NONE);
            long controlId;
            try (Session first = Session.open(TestMariaDb.dataSource(), dialect, settings, true)) {
                assertThatThrownBy(() -> Session.open(TestMariaDb.dataSource(), dialect, settings, true))
                        .isInstanceOf(BasculeException.class).hasMessageContaining("another Bascule command is running")
                        .hasMessageContaining("server connection");
                first.requireLock(first.work());
                controlId = dialect.sessionId(first.control());
                try (Connection admin = TestMariaDb.dataSource().getConnection(); Statement s = admin.createStatement()) {
                    s.execute("KILL CONNECTION " + controlId);
                }
                waitFor(() -> {
                    try {
                        first.requireLock(first.work());
                        return false;
                    } catch (BasculeException e) {
                        return e.getMessage().contains("lost the lock");
                    }
                });
            }
            // the lock went with the killed session: the next command gets it
            try (Session next = Session.open(TestMariaDb.dataSource(), dialect, settings, true)) {
                next.requireLock(next.work());
            }
        }
    }

    @Test
    void threadsRunningThrottlesTheBackfill() throws Exception {
        Dialect dialect = new MariaDbDialect();
        ThrottleOptions options = ThrottleOptions.none().withThreadsRunning(new ThrottleOptions.Limit(1, 0));
        CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> {
            try (Connection c = TestMariaDb.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT SLEEP(3)");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Thread.sleep(300);
            try (HealthMonitor m = new HealthMonitor(TestMariaDb.dataSource().getConnection(), options, "`t`", dialect.healthSignals(),
                    c -> java.util.Optional.empty(), note -> { }).start()) {
                Verdict v = m.verdict();
                assertThat(v.level()).isEqualTo(Verdict.Level.THROTTLE);
                assertThat(v.reason()).startsWith("Threads_running");
            }
        } finally {
            busy.get(10, TimeUnit.SECONDS);
        }
    }

    private static long rowsDone(Bascule b) {
        MigrationStatus s = b.status();
        return s.active() == null || s.active().backfills().isEmpty() ? 0 : s.active().backfills().get(0).rowsDone();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(20);
        }
    }
}
