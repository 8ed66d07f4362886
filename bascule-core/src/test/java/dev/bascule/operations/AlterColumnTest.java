package dev.bascule.operations;

import dev.bascule.testing.Server;
import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.RefusedException;
import dev.bascule.api.BackfillOptions;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** alter_column: a shadow column synced both ways, swapped in at complete; rollback restores all. */
class AlterColumnTest {

    @Nested
    class TypeNullableAndCheck {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - alter_column:
                      table: users
                      column: email
                      type: varchar(320)
                      nullable: false
                      check: "email LIKE '%@%'"
                      up: "coalesce(lower(email), 'unknown@invalid')"
                      down: "email"
                """,
                "CREATE TABLE users (id bigserial PRIMARY KEY, email text, name text)",
                "CREATE INDEX users_email_idx ON users (email)",
                "CREATE INDEX users_lower_email_idx ON users (lower(email)) WHERE email IS NOT NULL",
                "INSERT INTO users (email, name) VALUES ('A@X.org', 'a'), (NULL, 'b')");

        @Test
        void bothVersionsSeeTheirValueThenSwap() throws Exception {
            scenario.completes(v -> {
                assertThat(v.newValue("SELECT email FROM users WHERE name = 'a'")).isEqualTo("a@x.org");
                assertThat(v.newValue("SELECT email FROM users WHERE name = 'b'")).isEqualTo("unknown@invalid");
                assertThat(v.oldValue("SELECT email FROM users WHERE name = 'a'")).isEqualTo("A@X.org");
                v.old("INSERT INTO users (email, name) VALUES ('OLD@X.org', 'c')");
                assertThat(v.newValue("SELECT email FROM users WHERE name = 'c'")).isEqualTo("old@x.org");
                v.neu("INSERT INTO users (email, name) VALUES ('new@x.org', 'd')");
                assertThat(v.oldValue("SELECT email FROM users WHERE name = 'd'")).isEqualTo("new@x.org");
                v.neu("UPDATE users SET email = 'changed@x.org' WHERE name = 'a'");
                assertThat(v.oldValue("SELECT email FROM users WHERE name = 'a'")).isEqualTo("changed@x.org");
                assertThatThrownBy(() -> v.neu("INSERT INTO users (email, name) VALUES (NULL, 'e')"))
                        .hasMessageContaining("not_null");
                assertThatThrownBy(() -> v.neu("INSERT INTO users (email, name) VALUES ('no-at', 'e')"))
                        .hasMessageContaining("check");
            }, v -> {
                assertThat(v.newValue("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute"
                        + " WHERE attrelid = ((current_schemas(false))[2] || '.users')::regclass AND attname = 'email'")).isEqualTo("character varying(320) true");
                assertThat(v.newValue("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
                        + " WHERE tablename = 'users' AND schemaname = (current_schemas(false))[2]"))
                        .isEqualTo("users_email_idx,users_lower_email_idx,users_pkey");
                assertThat(v.newValue("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_lower_email_idx'"
                        + " AND schemaname = (current_schemas(false))[2]")).contains("lower((email)::text)");
                assertThat(v.newValue("SELECT string_agg(email, ',' ORDER BY id) FROM users"))
                        .isEqualTo("changed@x.org,unknown@invalid,old@x.org,new@x.org");
                assertThatThrownBy(() -> v.old("INSERT INTO users (email, name) VALUES ('no-at', 'e')"))
                        .hasMessageContaining("users_email_check");
            });
        }

        @Test
        void rollbackRestoresEverything() throws Exception {
            scenario.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM users WHERE email LIKE '%@%'")).isEqualTo("2"));
        }
    }

    @Nested
    class PrimaryKeyReferencedByForeignKey {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - alter_column: {table: accounts, column: id, type: bigint}
                """,
                "CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE orders (id serial PRIMARY KEY, account_id int REFERENCES accounts (id) ON DELETE CASCADE,"
                        + " amount int)",
                "INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, 50) g",
                "INSERT INTO orders (account_id, amount) SELECT 1 + g % 50, g FROM generate_series(1, 200) g");

        @Test
        void becomesBigintKeepsKeyForeignKeyAndSequence() throws Exception {
            scenario.completes(v -> {
                v.old("INSERT INTO accounts (name) VALUES ('old')");
                v.neu("INSERT INTO accounts (name) VALUES ('new')");
                assertThat(v.oldValue("SELECT count(DISTINCT id) FROM accounts")).isEqualTo("52");
                assertThat(v.newValue("SELECT count(DISTINCT id) FROM accounts")).isEqualTo("52");
            }, v -> {
                assertThat(v.newValue("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                        + " WHERE attrelid = ((current_schemas(false))[2] || '.accounts')::regclass AND attname = 'id'")).isEqualTo("bigint");
                assertThat(v.newValue("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'accounts_pkey'"))
                        .isEqualTo("PRIMARY KEY (id)");
                assertThat(v.newValue("SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint"
                        + " WHERE conname = 'orders_account_id_fkey'"))
                        .endsWith("accounts(id) ON DELETE CASCADE true");
                assertThat(v.newValue("SELECT format_type(seqtypid, NULL) FROM pg_sequence"
                        + " WHERE seqrelid = pg_get_serial_sequence((current_schemas(false))[2] || '.accounts', 'id')::regclass")).isEqualTo("bigint");
                v.neu("INSERT INTO accounts (name) VALUES ('after')");
                assertThat(v.newValue("SELECT count(DISTINCT id) FROM accounts")).isEqualTo("53");
                v.neu("DELETE FROM accounts WHERE id = 1");
                assertThat(v.newValue("SELECT count(*) FROM orders WHERE account_id = 1")).isEqualTo("0");
            });
        }

        @Test
        void rollbackRestoresEverything() throws Exception {
            scenario.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM accounts")).isEqualTo("50"));
        }
    }

    @Test
    void refusesWhatItCannotCarryOverWithTheFieldNamed() {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id int PRIMARY KEY, email text, total int GENERATED ALWAYS AS (id * 2) STORED)");
            Bascule b = s.bascule().load();
            assertThatThrownBy(() -> b.plan(Scenario.migration("""
                    operations:
                      - alter_column: {table: users, column: email, type: varchar(50)}
                      - add_check: {table: users, name: email_at, expression: "email LIKE '%@%'"}
                    """))).isInstanceOf(dev.bascule.api.InvalidMigrationException.class)
                    .hasMessageContaining("operations[1].add_check.expression")
                    .hasMessageContaining("which this migration alters");
            assertThatThrownBy(() -> b.plan(Scenario.migration("""
                    operations:
                      - alter_column: {table: users, column: total, type: bigint}
                    """))).hasMessageContaining("operations[0].alter_column.column").hasMessageContaining("generated column");
            assertThatThrownBy(() -> b.plan(Scenario.migration("""
                    operations:
                      - alter_column: {table: users, column: email}
                    """))).hasMessageContaining("nothing to alter");
            assertThatThrownBy(() -> b.plan(Scenario.migration("""
                    operations:
                      - create_index: {name: users_email_idx, table: users, columns: [email]}
                      - alter_column: {table: users, column: email, type: varchar(50)}
                    """))).hasMessageContaining("operations[1].alter_column.column")
                    .hasMessageContaining("operation 1 builds an index or foreign key on column 'email' before it is altered");
            s.exec("CREATE TABLE measures (id int, day date, PRIMARY KEY (id, day)) PARTITION BY RANGE (day)");
            assertThatThrownBy(() -> b.plan(Scenario.migration("""
                    operations:
                      - alter_column: {table: measures, column: id, type: bigint}
                    """))).hasMessageContaining("operations[0].alter_column.table").hasMessageContaining("partitioned");
            s.exec("CREATE TABLE memberships (user_id int, group_id int, PRIMARY KEY (user_id, group_id))");
            assertThatThrownBy(() -> b.plan(Scenario.migration("""
                    operations:
                      - alter_column: {table: memberships, column: user_id, type: bigint}
                      - alter_column: {table: memberships, column: group_id, type: bigint}
                    """))).hasMessageContaining("operations[1].alter_column.column")
                    .hasMessageContaining("index 'memberships_pkey' uses both 'user_id' and 'group_id'");
        }
    }

    @Nested
    class KeepsWhatTheColumnHad {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - alter_column: {table: parents, column: id, type: bigint}
                  - alter_column: {table: parents, column: code, nullable: false, up: "coalesce(code, 'none')"}
                """,
                "CREATE TABLE parents (id int PRIMARY KEY, code text COLLATE \"C\", CONSTRAINT parents_code_key UNIQUE NULLS NOT DISTINCT (code))",
                "CREATE TABLE children (id int PRIMARY KEY, parent_id int REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)",
                "INSERT INTO parents VALUES (1, 'a'), (2, NULL)", "INSERT INTO children VALUES (1, 1)");

        @Test
        void deferrableForeignKeysNullsNotDistinctAndCollation() throws Exception {
            scenario.completes(v -> { }, v -> {
                String in = "((current_schemas(false))[2] || '.";
                assertThat(v.newValue("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'children_parent_id_fkey'"))
                        .endsWith("DEFERRABLE INITIALLY DEFERRED");
                assertThat(v.newValue("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'parents_code_key'"))
                        .isEqualTo("UNIQUE NULLS NOT DISTINCT (code)");
                assertThat(v.newValue("SELECT collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation"
                        + " WHERE attrelid = " + in + "parents')::regclass AND attname = 'code'")).isEqualTo("C");
            });
        }
    }

    @Nested
    class Widening {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - alter_column: {table: codes, column: code, type: varchar(50)}
                """,
                "CREATE TABLE codes (id int PRIMARY KEY, code varchar(5), note text)",
                "INSERT INTO codes VALUES (1, 'abc', 'n')");

        @Test
        void anOldWriteThatLeavesTheColumnAloneKeepsTheNewValue() throws Exception {
            scenario.completes(v -> {
                v.neu("UPDATE codes SET code = '0123456789' WHERE id = 1");
                assertThat(v.oldValue("SELECT code FROM codes")).isEqualTo("01234"); // cast down, as the old type holds it
                v.old("UPDATE codes SET note = 'touched by old code' WHERE id = 1");
                assertThat(v.newValue("SELECT code FROM codes")).isEqualTo("0123456789");
                v.old("UPDATE codes SET code = 'xyz' WHERE id = 1");
                assertThat(v.newValue("SELECT code FROM codes")).isEqualTo("xyz");
            }, v -> assertThat(v.newValue("SELECT code || ' ' || note FROM codes")).isEqualTo("xyz touched by old code"));
        }
    }

    @Nested
    class IdentityPrimaryKey {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - alter_column: {table: accounts, column: id, type: bigint}
                """,
                "CREATE TABLE accounts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE orders (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id int REFERENCES accounts (id))",
                "INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, 40) g",
                "INSERT INTO orders (account_id) SELECT 1 + g % 40 FROM generate_series(1, 100) g");

        @Test
        void staysAnIdentityThatGoesOnFromItsSequence() throws Exception {
            scenario.completes(v -> {
                v.old("INSERT INTO accounts (name) VALUES ('old')");
                v.neu("INSERT INTO accounts (name) VALUES ('new')");
                v.old("INSERT INTO orders (account_id) SELECT id FROM accounts WHERE name = 'new'");
                assertThat(v.newValue("SELECT count(DISTINCT id) FROM accounts")).isEqualTo("42");
                assertThat(v.oldValue("SELECT count(DISTINCT id) FROM accounts")).isEqualTo("42");
            }, v -> {
                String table = "((current_schemas(false))[2] || '.accounts')::regclass";
                assertThat(v.newValue("SELECT format_type(atttypid, atttypmod) || ' ' || attidentity::text FROM pg_attribute"
                        + " WHERE attrelid = " + table + " AND attname = 'id'")).isEqualTo("bigint a");
                v.neu("INSERT INTO accounts (name) VALUES ('after')");
                assertThat(v.newValue("SELECT count(DISTINCT id) FROM accounts")).isEqualTo("43");
                assertThat(v.newValue("SELECT id > 42 FROM accounts WHERE name = 'after'")).isEqualTo("t");
                assertThat(v.newValue("SELECT format_type(seqtypid, NULL) FROM pg_sequence"
                        + " WHERE seqrelid = pg_get_serial_sequence(" + table + "::text, 'id')::regclass")).isEqualTo("bigint");
                assertThatThrownBy(() -> v.neu("INSERT INTO accounts (id, name) VALUES (1000, 'x')"))
                        .hasMessageContaining("GENERATED ALWAYS");
            });
        }

        @Test
        void rollbackRestoresEverything() throws Exception {
            scenario.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM accounts")).isEqualTo("40"));
        }
    }

    @Nested
    class UniqueAndReferences {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - alter_column: {table: players, column: nick, unique: true, up: "lower(nick)", down: "nick"}
                  - alter_column: {table: players, column: team, references: {table: teams, on_delete: set null}}
                """,
                "CREATE TABLE teams (id int PRIMARY KEY)",
                "CREATE TABLE players (id int PRIMARY KEY, nick text, team int)",
                "INSERT INTO teams VALUES (1), (2)",
                "INSERT INTO players VALUES (1, 'Ann', 1), (2, 'Bob', 2), (3, 'Cy', NULL)");

        @Test
        void enforcedOnNewWritesAndSwappedIn() throws Exception {
            scenario.completes(v -> {
                assertThatThrownBy(() -> v.neu("INSERT INTO players VALUES (4, 'ann', NULL)")).hasMessageContaining("duplicate key");
                assertThatThrownBy(() -> v.old("INSERT INTO players VALUES (4, 'dan', 9)")).hasMessageContaining("foreign key");
                v.old("INSERT INTO players VALUES (4, 'Dan', 2)");
            }, v -> {
                assertThat(v.newValue("SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conname)"
                        + " FROM pg_constraint WHERE conrelid = ((current_schemas(false))[2] || '.players')::regclass"))
                        .contains("players_nick_key UNIQUE (nick)", "players_team_fkey FOREIGN KEY (team) REFERENCES")
                        .contains("ON DELETE SET NULL");
                v.neu("DELETE FROM teams WHERE id = 2");
                assertThat(v.newValue("SELECT count(*) FROM players WHERE team IS NULL")).isEqualTo("3");
                assertThat(v.newValue("SELECT string_agg(nick, ',' ORDER BY id) FROM players")).isEqualTo("ann,bob,cy,dan");
            });
        }

        @Test
        void rollbackRestoresEverything() throws Exception {
            scenario.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM players")).isEqualTo("3"));
        }

        @Test
        void duplicatesFailStartAtTheIndexBuildAndRollBack() throws Exception {
            try (TestSchema s = new TestSchema()) {
                s.exec("CREATE TABLE players (id int PRIMARY KEY, nick text)", "INSERT INTO players VALUES (1, 'Ann'), (2, 'ann')");
                List<String> before = Scenario.snapshot(s);
                Bascule b = s.bascule().load();
                assertThatThrownBy(() -> b.start(Scenario.migration("""
                        operations:
                          - alter_column: {table: players, column: nick, unique: true, up: "lower(nick)", down: "nick"}
                        """))).isInstanceOf(BasculeException.class).hasMessageContaining("could not create unique index");
                b.rollback();
                assertThat(Scenario.snapshot(s)).containsExactlyElementsOf(before);
            }
        }
    }

    @Nested
    class RollbackFromAnyPoint {
        static final String SETUP = "CREATE TABLE users (id int PRIMARY KEY, code text NOT NULL)";
        static final String FILL = "INSERT INTO users SELECT g, g::text FROM generate_series(1, 3000) g";

        @Test
        void afterABackfillThatFailedMidway() throws Exception {
            try (TestSchema s = new TestSchema()) {
                s.exec(SETUP, FILL, "UPDATE users SET code = 'not a number' WHERE id = 2500");
                List<String> before = Scenario.snapshot(s);
                Bascule b = s.bascule().backfill(BackfillOptions.defaults().withBatchSize(100)).load();
                assertThatThrownBy(() -> b.start(Scenario.migration("""
                        operations:
                          - alter_column: {table: users, column: code, type: int, up: "code::int", down: "code::text"}
                        """))).isInstanceOf(BasculeException.class).hasMessageContaining("not a number");
                assertThat(s.value("SELECT count(*) FROM users WHERE _bascule_new_code IS NOT NULL")).isEqualTo("2400");
                b.rollback();
                assertThat(Scenario.snapshot(s)).containsExactlyElementsOf(before);
            }
        }

        @Test
        void afterACompleteTheVerifierRefused() throws Exception {
            try (TestSchema s = new TestSchema()) {
                s.exec(SETUP, FILL);
                List<String> before = Scenario.snapshot(s);
                Bascule b = s.bascule().load();
                b.start(Scenario.migration("""
                        operations:
                          - alter_column: {table: users, column: code, type: int, up: "code::int", down: "code::text"}
                        """));
                s.exec("SET bascule.backfill = 'on'", "UPDATE users SET _bascule_new_code = -1 WHERE id = 10");
                assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                        .hasMessageContaining("(10): column code");
                b.rollback();
                assertThat(Scenario.snapshot(s)).containsExactlyElementsOf(before);
            }
        }

        @Test
        void aViewOnTheOldColumnRefusesCompleteUntilItIsGone() throws Exception {
            try (TestSchema s = new TestSchema()) {
                s.exec(SETUP, FILL, "CREATE VIEW codes AS SELECT code FROM users");
                Bascule b = s.bascule().load();
                b.start(Scenario.migration("""
                        operations:
                          - alter_column: {table: users, column: code, type: int, up: "code::int", down: "code::text"}
                        """));
                assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                        .hasMessageContaining("no_references: column users.code is used by view " + s.name() + ".codes");
                assertThat(b.status().active().phase()).isEqualTo("started");
                s.exec("DROP VIEW codes");
                b.complete(Set.of());
                assertThat(s.value("SELECT sum(code) FROM users")).isEqualTo(String.valueOf(3000 * 3001 / 2));
            }
        }

        @Test
        void aGeneratedColumnOrColumnTriggerOnTheOldColumnRefusesComplete() throws Exception {
            try (TestSchema s = new TestSchema()) {
                s.exec("CREATE TABLE users (id int PRIMARY KEY, code text NOT NULL, twice text GENERATED ALWAYS AS (code || code) STORED)",
                        FILL.replace("users SELECT g, g::text", "users (id, code) SELECT g, g::text"),
                        "CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
                        "CREATE TRIGGER code_changed BEFORE UPDATE OF code ON users FOR EACH ROW EXECUTE FUNCTION noop()");
                Bascule b = s.bascule().load();
                b.start(Scenario.migration("""
                        operations:
                          - alter_column: {table: users, column: code, type: varchar(20)}
                        """));
                assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                        .hasMessageContaining("column users.code is used by default value for column twice")
                        .hasMessageContaining("column users.code is used by trigger code_changed");
                b.rollback();
            }
        }

        @Test
        void afterASwapThatCouldNotTakeItsLock() throws Exception {
            try (TestSchema s = new TestSchema()) {
                s.exec(SETUP, FILL);
                List<String> before = Scenario.snapshot(s);
                Bascule b = s.bascule().lockTimeout(Duration.ofMillis(50)).lockAttempts(2).load();
                b.start(Scenario.migration("""
                        operations:
                          - alter_column: {table: users, column: code, type: int, up: "code::int", down: "code::text"}
                        """));
                try (Connection reader = s.connect(s.name()); Statement st = reader.createStatement()) {
                    reader.setAutoCommit(false);
                    st.execute("LOCK TABLE users IN ACCESS SHARE MODE");
                    assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(BasculeException.class);
                    reader.rollback();
                }
                b.rollback(); // the swap is one transaction: it changed nothing
                assertThat(Scenario.snapshot(s)).containsExactlyElementsOf(before);
            }
        }

        @Test
        void anInterruptedCompleteContinuesWhenRerun() throws Exception {
            try (TestSchema s = new TestSchema()) {
                s.exec(SETUP, FILL);
                Bascule b = s.bascule().lockTimeout(Duration.ofMillis(50)).lockAttempts(2).load();
                b.start(Scenario.migration("""
                        operations:
                          - alter_column: {table: users, column: code, type: int, up: "code::int", down: "code::text"}
                        """));
                try (Connection reader = s.connect(s.name()); Statement st = reader.createStatement()) {
                    reader.setAutoCommit(false);
                    st.execute("LOCK TABLE users IN ACCESS SHARE MODE"); // a long transaction the swap cannot pass
                    assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(BasculeException.class)
                            .hasMessageContaining("run the command again");
                    assertThat(b.status().active().phase()).isEqualTo("completing");
                    reader.rollback();
                }
                b.complete(Set.of());
                assertThat(s.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass"
                        + " AND attname = 'code'")).isEqualTo("integer");
                assertThat(s.value("SELECT sum(code) FROM users")).isEqualTo(String.valueOf(3000 * 3001 / 2));
            }
        }
    }
}
