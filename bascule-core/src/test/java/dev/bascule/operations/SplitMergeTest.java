package dev.bascule.operations;

import dev.bascule.testing.Server;
import dev.bascule.testing.Scenario;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** split_table and merge_tables: new tables kept in step with the old ones both ways until complete. */
class SplitMergeTest {

    @Nested
    class Split {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - split_table:
                      from: users
                      into:
                        - {name: addresses, columns: [id, street, city]}
                """,
                "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, street text, city text)",
                "INSERT INTO users SELECT g, 'u' || g, 'street ' || g, 'city ' || (g % 3) FROM generate_series(1, 100) g");

        @Test
        void oldWritesReachThePartsAndNewWritesTheTable() throws Exception {
            scenario.completes(v -> {
                assertThat(v.newValue("SELECT count(*) FROM addresses")).isEqualTo("100");
                assertThat(v.newValue("SELECT street FROM addresses WHERE id = 7")).isEqualTo("street 7");
                assertThat(v.newValue("SELECT count(*) FROM information_schema.columns WHERE table_schema ="
                        + " (current_schemas(false))[1] AND table_name = 'users'")).isEqualTo("2");
                v.old("INSERT INTO users VALUES (101, 'new', 'old street', 'old city')");
                assertThat(v.newValue("SELECT city FROM addresses WHERE id = 101")).isEqualTo("old city");
                v.old("UPDATE users SET city = 'moved' WHERE id = 1");
                assertThat(v.newValue("SELECT city FROM addresses WHERE id = 1")).isEqualTo("moved");
                v.old("DELETE FROM users WHERE id = 2");
                assertThat(v.newValue("SELECT count(*) FROM addresses WHERE id = 2")).isEqualTo("0");
                v.neu("INSERT INTO users VALUES (200, 'by new code')",
                        "INSERT INTO addresses VALUES (200, 'new street', 'new city')");
                assertThat(v.oldValue("SELECT street || '/' || city FROM users WHERE id = 200")).isEqualTo("new street/new city");
                v.neu("UPDATE addresses SET city = 'elsewhere' WHERE id = 3");
                assertThat(v.oldValue("SELECT city FROM users WHERE id = 3")).isEqualTo("elsewhere");
                assertThat(v.oldValue("SELECT count(*) FROM users")).isEqualTo("101");
            }, v -> {
                assertThat(v.newValue("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                        + " WHERE table_schema = (current_schemas(false))[2] AND table_name = 'users'")).isEqualTo("id,name");
                assertThat(v.newValue("SELECT count(*) FROM addresses")).isEqualTo("101");
                assertThat(v.newValue("SELECT city FROM addresses WHERE id = 3")).isEqualTo("elsewhere");
            });
        }

        @Test
        void rollbackRestoresEverything() throws Exception {
            scenario.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM addresses")).isEqualTo("100"));
        }
    }

    @Nested
    class Merge {
        final Scenario scenario = new Scenario(Server.POSTGRESQL, """
                operations:
                  - merge_tables:
                      from: [accounts, profiles]
                      into: {name: members, columns: [id, email, bio]}
                """,
                "CREATE TABLE accounts (id serial PRIMARY KEY, email text NOT NULL)",
                "CREATE TABLE profiles (id int PRIMARY KEY REFERENCES accounts (id), bio text)",
                "INSERT INTO accounts (email) SELECT 'a' || g || '@x.org' FROM generate_series(1, 60) g",
                "INSERT INTO profiles SELECT g, 'bio ' || g FROM generate_series(1, 60, 2) g");

        @Test
        void oldWritesReachTheMergeAndNewWritesTheSources() throws Exception {
            scenario.completes(v -> {
                assertThat(v.newValue("SELECT count(*) || '/' || count(bio) FROM members")).isEqualTo("60/30");
                assertThat(v.newValue("SELECT email || ' ' || bio FROM members WHERE id = 3")).isEqualTo("a3@x.org bio 3");
                v.old("INSERT INTO accounts VALUES (100, 'hundred@x.org')", "INSERT INTO profiles VALUES (100, 'late bio')");
                assertThat(v.newValue("SELECT bio FROM members WHERE id = 100")).isEqualTo("late bio");
                v.old("DELETE FROM profiles WHERE id = 1");
                assertThat(v.newValue("SELECT coalesce(bio, 'none') FROM members WHERE id = 1")).isEqualTo("none");
                v.old("UPDATE accounts SET email = 'changed@x.org' WHERE id = 5");
                assertThat(v.newValue("SELECT email || ' ' || bio FROM members WHERE id = 5")).isEqualTo("changed@x.org bio 5");
                v.neu("INSERT INTO members VALUES (200, 'new@x.org', 'new bio')");
                assertThat(v.oldValue("SELECT a.email || ' ' || p.bio FROM accounts a JOIN profiles p USING (id) WHERE id = 200"))
                        .isEqualTo("new@x.org new bio");
                v.neu("UPDATE members SET bio = NULL WHERE id = 3");
                assertThat(v.oldValue("SELECT coalesce(bio, 'null') FROM profiles WHERE id = 3")).isEqualTo("null");
                v.neu("UPDATE members SET email = 'no profile@x.org' WHERE id = 4");
                assertThat(v.oldValue("SELECT count(*) FROM profiles WHERE id = 4")).isEqualTo("0");
                v.neu("DELETE FROM members WHERE id = 7");
                assertThat(v.oldValue("SELECT count(*) FROM accounts WHERE id = 7")).isEqualTo("0");
            }, v -> {
                assertThat(v.newValue("SELECT count(*) FROM pg_tables WHERE schemaname = (current_schemas(false))[2]"
                        + " AND tablename IN ('accounts', 'profiles')")).isEqualTo("0");
                assertThat(v.newValue("SELECT count(*) || '/' || count(bio) FROM members")).isEqualTo("61/29");
                assertThat(v.newValue("SELECT nextval(pg_get_serial_sequence((current_schemas(false))[2] || '.members', 'id'))"))
                        .isEqualTo("61");
            });
        }

        @Test
        void rollbackRestoresEverything() throws Exception {
            scenario.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM members")).isEqualTo("60"));
        }
    }
}
