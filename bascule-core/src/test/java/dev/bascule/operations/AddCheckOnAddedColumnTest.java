package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.PlanView;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.Server;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** add_check on a column that an add_column earlier in the same migration adds (PostgreSQL). */
class AddCheckOnAddedColumnTest {
    static final String YAML = """
            operations:
              - add_column: {table: users, column: {name: age, type: int}}
              - add_check: {table: users, name: age_ok, expression: "age >= 0"}
            """;
    final Scenario scenario = new Scenario(Server.POSTGRESQL, YAML,
            "CREATE TABLE users (id int PRIMARY KEY, name text)",
            "INSERT INTO users VALUES (1, 'a')");

    @Test
    void theCheckAppliesToTheColumnStartAdds() throws Exception {
        scenario.completes(v -> {
            v.neu("INSERT INTO users (id, name, age) VALUES (2, 'b', 30)");
            assertThatThrownBy(() -> v.neu("INSERT INTO users (id, name, age) VALUES (3, 'c', -1)"))
                    .hasMessageContaining("age_ok");
            v.old("INSERT INTO users (id, name) VALUES (4, 'd')");
        }, v -> {
            assertThat(v.newValue("SELECT convalidated FROM pg_constraint WHERE conname = 'age_ok'")).isEqualTo("t");
            assertThatThrownBy(() -> v.neu("INSERT INTO users (id, name, age) VALUES (5, 'e', -5)"))
                    .hasMessageContaining("age_ok");
            assertThat(v.newValue("SELECT string_agg(coalesce(age::text, '-'), ',' ORDER BY id) FROM users")).isEqualTo("-,30,-");
        });
    }

    @Test
    void planProvesTheExpressionOverTheAddedColumnAndStillRefusesAnUnknownOne() throws Exception {
        try (TestDb db = Server.POSTGRESQL.get()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name text)");
            Bascule b = db.bascule().load();
            assertThat(b.plan(Scenario.migration(YAML)).start()).extracting(PlanView.Step::description)
                    .containsSubsequence("add column users.age", "add constraint age_ok (NOT VALID)");
            assertThatThrownBy(() -> b.plan(Scenario.migration(YAML.replace("age >= 0", "agee >= 0"))))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[1].add_check.expression")
                    .hasMessageContaining("agee");
        }
    }

    @Test
    void aFilledNotNullColumnTakesTheCheckToo() throws Exception {
        new Scenario(Server.POSTGRESQL, """
                operations:
                  - add_column: {table: users, column: {name: age, type: int, nullable: false, default: "0"}, up: "length(name)"}
                  - add_check: {table: users, name: age_ok, expression: "age >= 0 AND age < 150"}
                """,
                "CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO users VALUES (1, 'abc')").completes(v -> {
            assertThat(v.newValue("SELECT age FROM users WHERE id = 1")).isEqualTo("3");
            assertThatThrownBy(() -> v.neu("INSERT INTO users (id, name, age) VALUES (2, 'b', 200)"))
                    .hasMessageContaining("age_ok");
        }, v -> assertThat(v.newValue("SELECT convalidated FROM pg_constraint WHERE conname = 'age_ok'")).isEqualTo("t"));
    }

    @Test
    void rollbackDropsTheCheckAndTheColumn() throws Exception {
        scenario.rollsBack(v -> assertThatThrownBy(() -> v.neu("INSERT INTO users (id, name, age) VALUES (3, 'c', -1)"))
                .hasMessageContaining("age_ok"));
    }
}
