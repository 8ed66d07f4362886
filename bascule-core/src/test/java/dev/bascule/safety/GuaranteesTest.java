package dev.bascule.safety;

import dev.bascule.api.StartOutcome;
import dev.bascule.api.RollbackOutcome;
import dev.bascule.api.CompleteOutcome;
import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;
import dev.bascule.command.CompletePhase;
import dev.bascule.command.RollbackPhase;
import dev.bascule.command.StartPhase;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input, exclusion, idempotence, checksums, gates and migrations in sequence. */
class GuaranteesTest {
    static final String[] BASE = {
            "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text)",
            "INSERT INTO users (name, email) SELECT 'u' || g, 'u' || g || '@x' FROM generate_series(1, 100) g",
            "CREATE TABLE nokey (a int, b text)"
    };

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown table | '  - add_column: {table: nope, column: {name: c, type: text}}' | 2:18 | operations[0].add_column.table: unknown table 'nope'",
            "unknown column | '  - rename_column: {table: users, from: nope, to: x}' | 2:35 | operations[0].rename_column.from: unknown column 'nope' in table 'users'",
            "unknown index column | '  - create_index: {name: i, table: users, columns: [name, nope]}' | 2:59 | operations[0].create_index.columns[1]: unknown column 'nope'",
            "up does not compile | '  - add_column: {table: users, column: {name: c, type: text}, up: \"lower(nope)\"}' | 2:63 | operations[0].add_column.up: the expression is not valid: column \"nope\" does not exist",
            "existing column | '  - add_column: {table: users, column: {name: email, type: text}}' | 2:41 | operations[0].add_column.column.name: column 'email' already exists",
            "not null without up | '  - add_column: {table: users, column: {name: c, type: text, nullable: false}}' | 2:62 | operations[0].add_column.column.nullable: a NOT NULL column added to an existing table needs 'up' or a 'default'",
            "backfill needs a key | '  - add_column: {table: nokey, column: {name: c, type: text}, up: \"b\"}' | 2:18 | operations[0].add_column.table: table 'nokey' has neither a primary key nor a unique index on NOT NULL columns",
            "alter up does not compile | '  - alter_column: {table: users, column: name, type: varchar(10), up: \"upper(nope)\"}' | 2:67 | operations[0].alter_column.up: the expression is not valid: column \"nope\" does not exist",
            "alter down does not compile | '  - alter_column: {table: users, column: name, type: varchar(10), down: \"nope\"}' | 2:67 | operations[0].alter_column.down: the expression is not valid: column \"nope\" does not exist",
            "split unknown column | '  - split_table: {from: users, into: [{name: a, columns: [id, nope]}]}' | 2:63 | operations[0].split_table.into[0].columns[1]: unknown column 'nope'",
            "merge unknown table | '  - merge_tables: {from: [users, nope], into: {name: a, columns: [id]}}' | 2:34 | operations[0].merge_tables.from[1]: unknown table 'nope'",
            "constraint words in a type | '  - add_column: {table: users, column: {name: c, type: int unique}}' | 2:50 | operations[0].add_column.column.type: not a valid type",
            "down does not compile | '  - drop_column: {table: users, column: email, down: \"nmae\"}' | 2:48 | operations[0].drop_column.down: the expression is not valid: column \"nmae\" does not exist",
            "drop not null column without down | '  - drop_column: {table: users, column: name}' | 2:33 | operations[0].drop_column.column: column 'name' is NOT NULL without a default",
    })
    void badInputIsRefusedWithPositionAndChangesNothing(String what, String operation, String position, String message) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            List<String> before = Scenario.snapshot(s);
            Bascule b = s.bascule().load();
            var migration = MigrationReader.read("0009_bad.yaml", ("operations:\n" + operation + "\n").getBytes(StandardCharsets.UTF_8));
            for (Runnable command : List.<Runnable>of(() -> b.plan(migration), () -> b.start(migration))) {
                assertThatThrownBy(command::run)
                        .isInstanceOfSatisfying(InvalidMigrationException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                        .hasMessageStartingWith("0009_bad.yaml:" + position + ": ")
                        .hasMessageContaining(message);
            }
            assertThat(Scenario.snapshot(s)).containsExactlyElementsOf(before);
            assertThat(s.value("SELECT to_regnamespace('" + s.stateSchema() + "')")).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "statement | 1); DROP TABLE users; SELECT (1",
            "line comment | 1 -- ') DROP TABLE users",
            "block comment | 1 /* ') DROP TABLE users */",
            "dollar quote | $x$ ') DROP TABLE users $x$",
            "escape string | E'\\') DROP TABLE users --'",
            "parenthesis closed early | 'x'), name = ('pwned'",
            "backslash escape | '\\'' ), name = ('pwned'",
    })
    void injectedExpressionsAreRefusedBeforeAnythingRuns(String what, String expression) throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            List<String> before = Scenario.snapshot(s);
            String yaml = "operations:\n  - add_column: {table: users, column: {name: c, type: text}, up: '"
                    + expression.replace("'", "''") + "'}\n";
            assertThatThrownBy(() -> MigrationReader.read("0009_bad.yaml", yaml.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageStartingWith("0009_bad.yaml:2:")
                    .hasMessageContaining("operations[0].add_column.up: ")
                    .hasMessageContaining("not allowed");
            // a migration built through the Java API is not read: the planner checks it again
            var built = new dev.bascule.api.Migration("0009_bad", List.of(new dev.bascule.api.Operation.AddColumn("users",
                    new dev.bascule.api.ColumnDef("c", "text", true, java.util.Optional.empty(), false, java.util.Optional.empty(),
                            java.util.Optional.empty()), java.util.Optional.of(expression))), "0".repeat(64),
                    new dev.bascule.api.MigrationSource("0009_bad", java.util.Map.of()));
            Bascule b = s.bascule().load();
            assertThatThrownBy(() -> b.start(built)).isInstanceOf(InvalidMigrationException.class).hasMessageContaining("not allowed");
            assertThat(Scenario.snapshot(s)).containsExactlyElementsOf(before);
        }
    }

    @Test
    void rowsBreakingANewConstraintRefuseCompleteAndLeaveRollback() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            s.exec("UPDATE users SET email = 'no-at-sign' WHERE id = 7");
            Bascule b = s.bascule().load();
            b.start(Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: full_name}\n"
                    + "  - add_check: {table: users, name: users_email_at, expression: \"email LIKE '%@%'\"}\n"));
            assertThatThrownBy(() -> b.complete(Set.of()))
                    .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                    .hasMessageContaining("users_email_at").hasMessageContaining("nothing was changed");
            assertThat(b.status().active().phase()).isEqualTo("started");
            assertThat(s.value("SELECT name FROM users WHERE id = 1")).isEqualTo("u1"); // no contract step ran
            b.rollback();
            assertThat(s.value("SELECT count(*) FROM pg_constraint WHERE conname = 'users_email_at' AND connamespace = to_regnamespace(current_schema())")).isEqualTo("0");
        }
    }

    @Test
    void aFailedSqlOperationCanBeRolledBack() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            List<String> before = Scenario.snapshot(s);
            Bascule b = s.bascule().load();
            var m = Scenario.migration("""
                    operations:
                      - add_column: {table: users, column: {name: c, type: text}, up: upper(name)}
                      - sql: {up: "CREATE TABLE audit (id int); SELECT no_such_function()", down: "DROP TABLE audit"}
                    """);
            assertThatThrownBy(() -> b.start(m)).isInstanceOf(BasculeException.class).hasMessageContaining("no_such_function");
            b.rollback(); // the sql step did not finish: its down, which assumes it did, is not run
            assertThat(Scenario.snapshot(s)).containsExactlyElementsOf(before);
        }
    }

    @Test
    void aStateSchemaOfANewerBasculeIsLeftAlone() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            Bascule b = s.bascule().load();
            b.init();
            s.exec("UPDATE " + s.stateSchema() + ".state_version SET version = 99");
            assertThatThrownBy(() -> b.start(Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: n}\n")))
                    .isInstanceOf(BasculeException.class).hasMessageContaining("has version 99").hasMessageContaining("upgrade Bascule");
            assertThat(s.value("SELECT count(*) FROM " + s.stateSchema() + ".migrations")).isEqualTo("0");
        }
    }

    @Test
    void aStateSchemaOfTheFirstLayoutIsUpgradedInPlace() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            Bascule b = s.bascule().load();
            b.start(Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: n}\n"));
            // layout 1 had no baselines table: a migration started by that release is completed by this one
            s.exec("DROP TABLE " + s.stateSchema() + ".baselines", "UPDATE " + s.stateSchema() + ".state_version SET version = 1");
            b.complete(Set.of());
            assertThat(s.value("SELECT version FROM " + s.stateSchema() + ".state_version")).isEqualTo("2");
            assertThat(s.value("SELECT to_regclass('" + s.stateSchema() + ".baselines') IS NOT NULL")).isEqualTo("t");
            assertThat(b.history()).singleElement().satisfies(h -> assertThat(h.phase()).isEqualTo("completed"));
        }
    }

    @Test
    void secondProcessIsRefusedWhileOneRuns() throws Exception {
        try (TestSchema s = new TestSchema(); Connection other = s.dataSource().getConnection(); Statement st = other.createStatement()) {
            s.exec(BASE);
            st.execute("SELECT pg_advisory_lock(hashtext('bascule:" + s.stateSchema() + "'))");
            Bascule b = s.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: n}\n")))
                    .isInstanceOfSatisfying(BasculeException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                    .hasMessageContaining("another Bascule command is running on this database (server pid");
            st.execute("SELECT pg_advisory_unlock_all()");
            assertThat(b.start(Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: n}\n")))
                    .isEqualTo(StartOutcome.STARTED);
        }
    }

    @Test
    void oneActiveMigrationAtATime() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            Bascule b = s.bascule().load();
            b.start(Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: n}\n"));
            var second = MigrationReader.read("0002_other.yaml", "operations:\n  - drop_column: {table: users, column: email}\n".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> b.start(second)).isInstanceOf(BasculeException.class)
                    .hasMessageContaining("migration 0001_change is started; complete or roll it back before starting 0002_other")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).as("a refusal, nothing changed").isEqualTo(3));
            // the constraint holds even if the advisory lock were bypassed
            assertThatThrownBy(() -> s.exec("INSERT INTO " + s.stateSchema() + ".migrations (schema_name, name, checksum, phase,"
                    + " version_schema, previous_version_schema, plan) VALUES ('x', 'y', 'z', 'starting', 'v', 'p', '{}')"))
                    .hasMessageContaining("migrations_one_active");
        }
    }

    @Test
    void commandsAreIdempotent() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            Bascule b = s.bascule().load();
            var m = Scenario.migration("operations:\n  - add_column: {table: users, column: {name: c, type: text}, up: upper(name)}\n");
            assertThat(b.rollback()).isEqualTo(RollbackOutcome.NOTHING_TO_ROLL_BACK);
            assertThat(b.complete(Set.of())).isEqualTo(CompleteOutcome.NOTHING_TO_COMPLETE);
            assertThat(b.start(m)).isEqualTo(StartOutcome.STARTED);
            List<String> started = Scenario.snapshot(s);
            assertThat(b.start(m)).isEqualTo(StartOutcome.ALREADY_STARTED);
            assertThat(Scenario.snapshot(s)).containsExactlyElementsOf(started);
            assertThat(b.complete(Set.of())).isEqualTo(CompleteOutcome.COMPLETED);
            assertThat(b.complete(Set.of())).isEqualTo(CompleteOutcome.NOTHING_TO_COMPLETE);
            assertThat(b.start(m)).isEqualTo(StartOutcome.ALREADY_COMPLETED);
            assertThat(b.history()).singleElement().satisfies(h -> {
                assertThat(h.phase()).isEqualTo("completed");
                assertThat(h.checksum()).isEqualTo(m.checksum());
                assertThat(h.appliedBy()).isNotBlank();
            });
        }
    }

    @Test
    void aChangedFileIsRefused() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            Bascule b = s.bascule().load();
            b.start(Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: n}\n"));
            b.complete(Set.of());
            var changed = Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: nn}\n");
            assertThatThrownBy(() -> b.start(changed))
                    .isInstanceOfSatisfying(InvalidMigrationException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                    .hasMessageContaining("already ran (completed) from a file with checksum");
        }
    }

    @Test
    void rolledBackMigrationCanStartAgain() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            Bascule b = s.bascule().load();
            var m = Scenario.migration("operations:\n  - add_column: {table: users, column: {name: c, type: text}, up: upper(name)}\n");
            b.start(m);
            b.rollback();
            assertThat(b.start(m)).isEqualTo(StartOutcome.STARTED);
            assertThat(s.value("SELECT c FROM " + s.name() + "_0001_change.users WHERE id = 1")).isEqualTo("U1");
        }
    }

    @Test
    void noBackfillStopsBeforeTheNewVersionIsPublished() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            Bascule b = s.bascule().load();
            var m = Scenario.migration("operations:\n  - add_column: {table: users, column: {name: c, type: text, nullable: false}, up: upper(name)}\n");
            assertThat(b.start(m, true)).isEqualTo(StartOutcome.EXPANDED);
            assertThat(s.value("SELECT count(*) FROM users WHERE c IS NULL")).isEqualTo("100");
            assertThat(s.value("SELECT to_regnamespace('" + s.name() + "_0001_change')")).isNull(); // new code cannot start yet
            assertThat(b.latest()).isEqualTo(s.name());
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(BasculeException.class)
                    .hasMessageContaining("start of 0001_change has not finished");
            assertThat(b.start(m)).isEqualTo(StartOutcome.STARTED); // backfills and publishes
            assertThat(s.value("SELECT count(*) FROM users WHERE c IS NULL")).isEqualTo("0");
            assertThat(b.complete(Set.of())).isEqualTo(CompleteOutcome.COMPLETED);
            assertThatThrownBy(() -> b.complete(Set.of("no_such_gate"))).isInstanceOf(InvalidMigrationException.class);
        }
    }

    @Test
    void dropTableIsGatedOnReferences() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec(BASE);
            s.exec("CREATE TABLE posts (id bigserial PRIMARY KEY, user_id bigint)");
            Bascule b = s.bascule().load();
            b.start(Scenario.migration("operations:\n  - drop_table: {name: users}\n"));
            s.exec("ALTER TABLE posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users");
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("no_references: users is used by foreign key posts_user_fk");
            s.exec("ALTER TABLE posts DROP CONSTRAINT posts_user_fk");
            b.complete(Set.of());
            assertThat(s.value("SELECT to_regclass('" + s.name() + ".users')")).isNull();
        }
    }

    @Test
    void secondMigrationKeepsTheFirstVersionWorkingUntilComplete() throws Exception {
        try (TestDb s = TestDb.postgres()) {
            s.exec(BASE);
            Bascule b = s.bascule().load();
            b.start(Scenario.migration("operations:\n  - rename_column: {table: users, from: name, to: full_name}\n"));
            b.complete(Set.of());
            String v1 = s.name() + "_0001_change";
            var second = MigrationReader.read("0002_more.yaml", """
                    operations:
                      - add_column: {table: users, column: {name: shout, type: text, nullable: false}, up: upper(full_name)}
                      - drop_column: {table: users, column: email, down: "lower(shout) || '@down'"}
                    """.getBytes(StandardCharsets.UTF_8));
            b.start(second);
            String v2 = s.name() + "_0002_more";
            assertThat(b.latest()).isEqualTo(v2);
            Scenario.Versions v = new Scenario.Versions(s, v1, v2);
            v.old("INSERT INTO users (full_name, email) VALUES ('old', 'o@x')");
            assertThat(v.newValue("SELECT shout FROM users WHERE full_name = 'old'")).isEqualTo("OLD");
            v.neu("INSERT INTO users (full_name, shout) VALUES ('new', 'NEW')");
            assertThat(v.oldValue("SELECT email FROM users WHERE full_name = 'new'")).isEqualTo("new@down");
            b.complete(Set.of());
            assertThat(s.value("SELECT to_regnamespace('" + v1 + "')")).isNull();
            assertThat(v.newValue("SELECT count(*) FROM users WHERE shout = upper(full_name)")).isEqualTo("102");
        }
    }
}
