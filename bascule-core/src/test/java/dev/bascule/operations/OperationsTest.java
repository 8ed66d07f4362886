package dev.bascule.operations;

import dev.bascule.testing.Server;
import dev.bascule.testing.Scenario;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every operation of this release: both versions live after start, final shape after complete, nothing after rollback. */
class OperationsTest {
    static final String[] BASE = {
            "CREATE TABLE teams (id bigserial PRIMARY KEY, title text NOT NULL)",
            "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text NOT NULL, legacy text NOT NULL,"
                    + " team_id bigint)",
            "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL, total numeric(10,2))",
            "INSERT INTO teams (title) SELECT 'team ' || g FROM generate_series(1, 5) g",
            "INSERT INTO users (name, email, legacy, team_id) SELECT 'user ' || g, 'User' || g || '@Example.org', 'l' || g, 1 + g % 5"
                    + " FROM generate_series(1, 3000) g",
            "INSERT INTO orders (user_id, total) SELECT 1 + g % 3000, g FROM generate_series(1, 500) g",
            "CREATE INDEX users_team_idx ON users (team_id)",
            "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0)"
    };

    static Scenario scenario(String operations) {
        return new Scenario(Server.POSTGRESQL, "operations:\n" + operations, BASE);
    }

    static String catalogValue(Scenario.Versions v, String query) throws SQLException {
        return v.oldValue(query.replace("$S", v.db().name()));
    }

    @Nested
    class CreateTable {
        final Scenario s = scenario("""
                  - create_table:
                      name: projects
                      columns:
                        - {name: id, type: bigserial}
                        - {name: title, type: text, nullable: false, check: "length(title) > 0"}
                        - {name: team_id, type: bigint, references: {table: teams}}
                      primary_key: [id]
                """);

        @Test
        void newVersionUsesTheTable() throws Exception {
            s.completes(v -> {
                v.neu("INSERT INTO projects (title, team_id) VALUES ('p1', 1)");
                assertThat(v.newValue("SELECT title FROM projects")).isEqualTo("p1");
                assertThatThrownBy(() -> v.neu("INSERT INTO projects (title, team_id) VALUES ('p2', 999)"))
                        .hasMessageContaining("foreign key");
            }, v -> assertThat(v.oldValue("SELECT count(*) FROM projects")).isEqualTo("1"));
        }

        @Test
        void rollbackDropsIt() throws Exception {
            s.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM projects")).isEqualTo("0"));
        }
    }

    @Nested
    class DropTable {
        final Scenario s = scenario("  - drop_table: {name: orders}\n");

        @Test
        void hiddenFromNewVersionThenDropped() throws Exception {
            s.completes(v -> {
                v.old("INSERT INTO orders (user_id, total) VALUES (1, 5)");
                assertThat(v.oldValue("SELECT count(*) FROM orders")).isEqualTo("501");
                assertThat(v.newValue("SELECT count(*) FROM pg_tables WHERE tablename = 'orders'"
                        + " AND schemaname = ANY (current_schemas(false))")).isEqualTo("1");
                assertThat(v.newValue("SELECT count(*) FROM information_schema.views WHERE table_schema = current_schema()"
                        + " AND table_name = 'orders'")).isEqualTo("0");
            }, v -> assertThat(catalogValue(v, "SELECT to_regclass('$S.orders')::text")).isNull());
        }

        @Test
        void rollbackKeepsIt() throws Exception {
            s.rollsBack(v -> assertThat(v.oldValue("SELECT count(*) FROM orders")).isEqualTo("500"));
        }
    }

    @Nested
    class RenameTable {
        final Scenario s = scenario("  - rename_table: {from: users, to: customers}\n");

        @Test
        void bothNamesWorkUntilComplete() throws Exception {
            s.completes(v -> {
                v.neu("INSERT INTO customers (name, email, legacy) VALUES ('new', 'n@x', 'l')");
                assertThat(v.oldValue("SELECT name FROM users WHERE email = 'n@x'")).isEqualTo("new");
                v.old("INSERT INTO users (name, email, legacy) VALUES ('old', 'o@x', 'l')");
                assertThat(v.newValue("SELECT name FROM customers WHERE email = 'o@x'")).isEqualTo("old");
            }, v -> {
                assertThat(catalogValue(v, "SELECT to_regclass('$S.users')::text")).isNull();
                assertThat(v.oldValue("SELECT count(*) FROM customers")).isEqualTo("3002");
                assertThat(v.newValue("SELECT count(*) FROM customers")).isEqualTo("3002");
            });
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM customers")).isEqualTo("3000"));
        }
    }

    @Nested
    class AddColumn {
        final Scenario withUp = scenario("""
                  - add_column:
                      table: users
                      column: {name: email_lower, type: text, nullable: false, unique: true, check: "email_lower = lower(email_lower)"}
                      up: lower(email)
                """);

        @Test
        void upFillsOldRowsAndOldWrites() throws Exception {
            withUp.completes(v -> {
                assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 7")).isEqualTo("user7@example.org");
                v.old("INSERT INTO users (name, email, legacy) VALUES ('old', 'OLD@X.ORG', 'l')");
                assertThat(v.newValue("SELECT email_lower FROM users WHERE name = 'old'")).isEqualTo("old@x.org");
                v.old("UPDATE users SET email = 'Changed@X' WHERE id = 8");
                assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 8")).isEqualTo("changed@x");
                v.neu("INSERT INTO users (name, email, legacy, email_lower) VALUES ('new', 'NEW@X', 'l', 'new@x')");
                assertThat(v.oldValue("SELECT name FROM users WHERE email = 'NEW@X'")).isEqualTo("new");
                assertThatThrownBy(() -> v.neu("INSERT INTO users (name, email, legacy, email_lower) VALUES ('n2', 'a', 'l', 'new@x')"))
                        .hasMessageContaining("unique");
            }, v -> {
                assertThat(v.oldValue("SELECT count(*) FROM users WHERE email_lower IS DISTINCT FROM lower(email)")).isEqualTo("0");
                assertThat(catalogValue(v, "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = '$S.users'::regclass"
                        + " AND attname = 'email_lower'")).isEqualTo("true");
                assertThat(catalogValue(v, "SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint"
                        + " WHERE conrelid = '$S.users'::regclass AND contype IN ('c', 'u')"))
                        .isEqualTo("users_email_lower_check:true,users_email_lower_key:true");
            });
        }

        @Test
        void rollbackRemovesColumnTriggerAndIndex() throws Exception {
            withUp.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM users WHERE email_lower IS NULL")).isEqualTo("0"));
        }

        final Scenario withDefaults = scenario("""
                  - add_column:
                      table: users
                      column: {name: status, type: text, nullable: false, default: "'active'"}
                  - add_column:
                      table: users
                      column: {name: seen_at, type: timestamptz, nullable: false, default: "now()"}
                  - add_column:
                      table: users
                      column: {name: team2_id, type: bigint, references: {table: teams}}
                  - add_column:
                      table: users
                      column: {name: note, type: varchar(20)}
                """);

        @Test
        void defaultsForeignKeysAndNullable() throws Exception {
            withDefaults.completes(v -> {
                assertThat(v.newValue("SELECT count(*) FROM users WHERE status = 'active' AND seen_at IS NOT NULL")).isEqualTo("3000");
                v.old("INSERT INTO users (name, email, legacy) VALUES ('old', 'o@x', 'l')");
                assertThat(v.newValue("SELECT status || (seen_at IS NOT NULL) FROM users WHERE name = 'old'")).isEqualTo("activetrue");
                v.neu("INSERT INTO users (name, email, legacy, team2_id, note) VALUES ('new', 'n@x', 'l', 2, 'hello')");
                assertThatThrownBy(() -> v.neu("UPDATE users SET team2_id = 999 WHERE id = 1")).hasMessageContaining("foreign key");
            }, v -> {
                assertThat(catalogValue(v, "SELECT string_agg(attname || ':' || attnotnull, ',' ORDER BY attname) FROM pg_attribute"
                        + " WHERE attrelid = '$S.users'::regclass AND attname IN ('status', 'seen_at', 'team2_id', 'note')"))
                        .isEqualTo("note:false,seen_at:true,status:true,team2_id:false");
                assertThat(catalogValue(v, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'users_team2_id_fkey'"
                        + " AND conrelid = '$S.users'::regclass")).isEqualTo("true");
                assertThat(catalogValue(v, "SELECT count(*) FROM pg_constraint WHERE conrelid = '$S.users'::regclass"
                        + " AND contype = 'c' AND conname LIKE '%not_null'")).isEqualTo("0");
            });
        }

        @Test
        void defaultsRollback() throws Exception {
            withDefaults.rollsBack(v -> assertThat(v.newValue("SELECT count(DISTINCT status) FROM users")).isEqualTo("1"));
        }
    }

    @Nested
    class DropColumn {
        final Scenario s = scenario("  - drop_column: {table: users, column: legacy, down: \"'from new code'\"}\n");

        @Test
        void hiddenFromNewVersionDownFillsIt() throws Exception {
            s.completes(v -> {
                assertThatThrownBy(() -> v.newValue("SELECT legacy FROM users")).hasMessageContaining("legacy");
                v.neu("INSERT INTO users (name, email) VALUES ('new', 'n@x')");
                assertThat(v.oldValue("SELECT legacy FROM users WHERE name = 'new'")).isEqualTo("from new code");
                v.old("INSERT INTO users (name, email, legacy) VALUES ('old', 'o@x', 'mine')");
                assertThat(v.oldValue("SELECT legacy FROM users WHERE name = 'old'")).isEqualTo("mine");
            }, v -> assertThat(catalogValue(v, "SELECT count(*) FROM pg_attribute WHERE attrelid = '$S.users'::regclass"
                    + " AND attname = 'legacy' AND NOT attisdropped")).isEqualTo("0"));
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> assertThat(v.oldValue("SELECT count(*) FROM users WHERE legacy IS NOT NULL")).isEqualTo("3000"));
        }
    }

    @Nested
    class RenameColumn {
        final Scenario s = scenario("  - rename_column: {table: users, from: name, to: full_name}\n");

        @Test
        void eachVersionSeesItsName() throws Exception {
            s.completes(v -> {
                v.neu("UPDATE users SET full_name = 'renamed' WHERE id = 3");
                assertThat(v.oldValue("SELECT name FROM users WHERE id = 3")).isEqualTo("renamed");
                v.old("UPDATE users SET name = 'back' WHERE id = 4");
                assertThat(v.newValue("SELECT full_name FROM users WHERE id = 4")).isEqualTo("back");
            }, v -> {
                assertThat(v.oldValue("SELECT full_name FROM users WHERE id = 3")).isEqualTo("renamed");
                assertThat(v.newValue("SELECT full_name FROM users WHERE id = 4")).isEqualTo("back");
            });
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> assertThat(v.newValue("SELECT full_name FROM users WHERE id = 1")).isEqualTo("user 1"));
        }
    }

    @Nested
    class CreateIndex {
        final Scenario s = scenario("""
                  - create_index: {name: users_email_idx, table: users, columns: [email], unique: true}
                  - create_index: {name: orders_big_idx, table: orders, columns: [user_id, total], where: "total > 100", method: btree}
                """);

        @Test
        void builtOnlineAndValid() throws Exception {
            s.completes(v -> assertThat(catalogValue(v, "SELECT string_agg(c.relname || ':' || i.indisvalid, ',' ORDER BY c.relname)"
                    + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = '$S'::regnamespace"
                    + " AND c.relname IN ('users_email_idx', 'orders_big_idx')")).isEqualTo("orders_big_idx:true,users_email_idx:true"),
                    v -> assertThat(catalogValue(v, "SELECT pg_get_indexdef('$S.orders_big_idx'::regclass)")).contains("WHERE (total > (100)::numeric)"));
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> { });
        }
    }

    @Nested
    class DropIndex {
        final Scenario s = scenario("  - drop_index: {name: users_team_idx}\n");

        @Test
        void droppedAtComplete() throws Exception {
            s.completes(v -> assertThat(catalogValue(v, "SELECT to_regclass('$S.users_team_idx')::text")).isNotNull(),
                    v -> assertThat(catalogValue(v, "SELECT to_regclass('$S.users_team_idx')::text")).isNull());
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> { });
        }
    }

    @Nested
    class AddCheck {
        final Scenario s = scenario("  - add_check: {table: users, name: users_email_at, expression: \"email LIKE '%@%'\"}\n");

        @Test
        void notValidThenValidated() throws Exception {
            s.completes(v -> {
                assertThat(catalogValue(v, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'users_email_at' AND conrelid = '$S.users'::regclass")).isEqualTo("false");
                assertThatThrownBy(() -> v.old("INSERT INTO users (name, email, legacy) VALUES ('x', 'no-at', 'l')"))
                        .hasMessageContaining("users_email_at");
            }, v -> assertThat(catalogValue(v, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'users_email_at' AND conrelid = '$S.users'::regclass")).isEqualTo("true"));
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> { });
        }
    }

    @Nested
    class AddForeignKey {
        final Scenario s = scenario("""
                  - add_foreign_key: {table: orders, columns: [user_id], references: {table: users, columns: [id]}, on_delete: cascade}
                """);

        @Test
        void notValidThenValidated() throws Exception {
            s.completes(v -> {
                assertThat(catalogValue(v, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'orders_user_id_fkey' AND conrelid = '$S.orders'::regclass")).isEqualTo("false");
                assertThatThrownBy(() -> v.neu("INSERT INTO orders (user_id, total) VALUES (999999, 1)")).hasMessageContaining("foreign key");
            }, v -> assertThat(catalogValue(v, "SELECT convalidated || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                    + " WHERE conname = 'orders_user_id_fkey' AND conrelid = '$S.orders'::regclass")).startsWith("true FOREIGN KEY (user_id) REFERENCES").endsWith("ON DELETE CASCADE"));
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> { });
        }
    }

    @Nested
    class DropConstraint {
        final Scenario s = scenario("  - drop_constraint: {table: orders, name: orders_total_positive}\n");

        @Test
        void droppedAtComplete() throws Exception {
            s.completes(v -> assertThatThrownBy(() -> v.old("INSERT INTO orders (user_id, total) VALUES (1, -1)"))
                            .hasMessageContaining("orders_total_positive"),
                    v -> v.old("INSERT INTO orders (user_id, total) VALUES (1, -1)"));
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> { });
        }
    }

    @Nested
    class Sql {
        final Scenario s = scenario("""
                  - sql:
                      up: CREATE TABLE audit (id bigint PRIMARY KEY, what text)
                      down: DROP TABLE audit
                """);

        @Test
        void runsUp() throws Exception {
            s.completes(v -> v.old("INSERT INTO audit VALUES (1, 'x')"),
                    v -> assertThat(v.oldValue("SELECT what FROM audit")).isEqualTo("x"));
        }

        @Test
        void rollbackRunsDown() throws Exception {
            s.rollsBack(v -> assertThat(v.oldValue("SELECT count(*) FROM audit")).isEqualTo("0"));
        }
    }

    @Nested
    class SeveralOperationsOnOneTable {
        final Scenario s = scenario("""
                  - rename_column: {table: users, from: name, to: full_name}
                  - add_column:
                      table: users
                      column: {name: domain, type: text, nullable: false}
                      up: split_part(email, '@', 2)
                  - drop_column: {table: users, column: legacy, down: "'gone:' || full_name"}
                  - rename_table: {from: users, to: people}
                  - create_index: {name: people_domain_idx, table: people, columns: [domain]}
                """);

        @Test
        void composeInOrder() throws Exception {
            s.completes(v -> {
                v.neu("INSERT INTO people (full_name, email, domain) VALUES ('neo', 'neo@matrix.io', 'matrix.io')");
                assertThat(v.oldValue("SELECT legacy FROM users WHERE name = 'neo'")).isEqualTo("gone:neo");
                v.old("INSERT INTO users (name, email, legacy) VALUES ('trin', 'trin@zion.org', 'l')");
                assertThat(v.newValue("SELECT domain FROM people WHERE full_name = 'trin'")).isEqualTo("zion.org");
            }, v -> {
                assertThat(v.oldValue("SELECT domain FROM people WHERE id = 1")).isEqualTo("Example.org");
                assertThat(catalogValue(v, "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute"
                        + " WHERE attrelid = '$S.people'::regclass AND attnum > 0 AND NOT attisdropped"))
                        .isEqualTo("id,full_name,email,team_id,domain");
                assertThat(catalogValue(v, "SELECT to_regclass('$S.people_domain_idx')::text")).isNotNull();
            });
        }

        @Test
        void rollback() throws Exception {
            s.rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM people WHERE domain = 'Example.org'")).isEqualTo("3000"));
        }
    }
}
