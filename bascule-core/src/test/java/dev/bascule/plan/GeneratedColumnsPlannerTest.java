package dev.bascule.plan;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.model.MigrationReader;
import dev.bascule.plan.operation.Planner;
import dev.bascule.step.Step;
import dev.bascule.step.TableEffect;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** Generated columns planned on a hand-built catalog with no database, on both dialects. */
class GeneratedColumnsPlannerTest {
    private static final Dialect PG = new PostgresDialect();
    private static final Dialect MARIADB = new MariaDbDialect();

    private static Planner planner(Dialect dialect, String operations) {
        Migration migration = MigrationReader.read(PlannerTest.FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        return new Planner(dialect, PlannerTest.catalog(dialect), migration, "app_state", "app");
    }

    private static Step.SqlStep first(Plan plan) {
        return (Step.SqlStep) plan.start().get(0).action();
    }

    private static void refused(Dialect dialect, String operations, String message) {
        assertThatThrownBy(() -> planner(dialect, operations).plan()).asInstanceOf(type(InvalidMigrationException.class))
                .satisfies(e -> {
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private static final String TABLE = """
              - create_table:
                  name: items
                  columns:
                    - {name: id, type: int, nullable: false}
                    - {name: price, type: int}
                    - {name: total, type: int, generated: {expression: "price * 2"}, unique: true, comment: "twice"}
                  primary_key: [id]
            """;

    @Test
    void createTableOnPostgresDeclaresAStoredColumnAndProvesItsExpression() {
        Planner planner = planner(PG, TABLE);
        Plan plan = planner.plan();
        assertThat(String.join("\n", first(plan).statements())).contains("\"total\" int GENERATED ALWAYS AS (price * 2) STORED UNIQUE");
        // proven with the server's parser at plan time, as a value of the column's type over the new row
        assertThat(planner.expressionChecks()).anySatisfy(c -> {
            assertThat(c.path()).isEqualTo("/operations/0/create_table/columns/2/generated/expression");
            assertThat(c.query()).contains("CAST((price * 2) AS int)").contains("AS \"price\"");
        });
        assertThat(planner.mustBeEmpty()).isEmpty();
    }

    @Test
    void createTableOnMariaDbTakesPersistentAndVirtual() {
        String sql = String.join("\n", first(planner(MARIADB, TABLE.replace("\"price * 2\"}", "\"price * 2\", stored: false}"))
                .plan()).statements());
        assertThat(sql).contains("`total` int AS (price * 2) VIRTUAL UNIQUE COMMENT 'twice'");
        sql = String.join("\n", first(planner(MARIADB, TABLE).plan()).statements());
        assertThat(sql).contains("`total` int AS (price * 2) PERSISTENT UNIQUE").doesNotContain("`total` int NULL");
    }

    @Test
    void whatEachServerRefuses() {
        refused(PG, TABLE.replace("\"price * 2\"}", "\"price * 2\", stored: false}"), "PostgreSQL has stored generated columns only");
        refused(MARIADB, TABLE.replace("unique: true", "nullable: false"), "MariaDB takes no NOT NULL on a generated column");
        refused(MARIADB, "  - add_column: {table: users, column: {name: n, type: int, generated: {expression: \"id + 1\"}}}\n",
                "MariaDB: add_column adds a stored (PERSISTENT) generated column only by copying the table");
        refused(PG, TABLE.replace("price * 2", "now()"), "a generated column is computed from its row alone, and now()");
        refused(PG, "  - add_column: {table: users, column: {name: n, type: int, generated: {expression: \"id + 1\"}}, up: \"1\"}\n",
                "a generated column takes no 'up'");
        refused(PG, "  - create_table: {name: n, columns: [{name: id, type: bigint generated always as identity,"
                + " generated: {expression: \"1\"}}]}\n", "an identity column is numbered by the server");
    }

    @Test
    void addColumnOnPostgresLooksForRowsAtPlanAndAgainUnderTheLockAtStart() {
        Planner planner = planner(PG, "  - add_column: {table: users, column: {name: id2, type: bigint, nullable: false,"
                + " generated: {expression: \"id * 2\"}, check: \"id2 > 0\"}}\n");
        Plan plan = planner.plan();
        assertThat(planner.mustBeEmpty()).isEqualTo(Map.of("/operations/0/add_column/column/generated", "users"));
        Step.SqlStep add = first(plan);
        assertThat(add.statements()).hasSize(3);
        assertThat(add.statements().get(0)).isEqualTo("LOCK TABLE \"app\".\"users\" IN ACCESS EXCLUSIVE MODE");
        assertThat(add.statements().get(1)).contains("IF EXISTS (SELECT FROM \"app\".\"users\") THEN").contains("RAISE EXCEPTION");
        assertThat(add.statements().get(2)).isEqualTo("ALTER TABLE \"app\".\"users\" ADD COLUMN IF NOT EXISTS \"id2\" bigint"
                + " GENERATED ALWAYS AS (id * 2) STORED NOT NULL CHECK (id2 > 0)");
        assertThat(add.effect().kind()).isEqualTo(TableEffect.REWRITE);
        assertThat(PlannerTest.descriptions(plan.start().get(0).undo())).containsExactly("drop column users.id2");
        // no backfill, no sync trigger: the server computes the column for every writer
        assertThat(PlannerTest.start(plan)).noneMatch(s -> s.contains("backfill") || s.contains("trigger"));
    }

    @Test
    void addColumnOnMariaDbAddsAVirtualColumnInstantlyAndShowsItAtComplete() {
        Planner planner = planner(MARIADB, "  - add_column: {table: users, column: {name: id2, type: bigint,"
                + " generated: {expression: \"id * 2\", stored: false}, comment: \"twice\"}}\n");
        Plan plan = planner.plan();
        assertThat(planner.mustBeEmpty()).isEmpty();
        assertThat(first(plan).statements()).containsExactly("ALTER TABLE `app`.`users` ADD COLUMN IF NOT EXISTS `id2` bigint"
                + " AS (id * 2) VIRTUAL INVISIBLE COMMENT 'twice', ALGORITHM=INSTANT");
        assertThat(first(plan).effect().kind()).isEqualTo(TableEffect.CATALOG);
        assertThat(planner.expressionChecks()).anySatisfy(c -> assertThat(c.path())
                .isEqualTo("/operations/0/add_column/column/generated/expression"));
        assertThat(plan.contract().stream().map(Step::description)).contains("show column users.id2 to every query");
    }
}
