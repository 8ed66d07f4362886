package dev.bascule.plan;

import dev.bascule.api.Migration;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.model.MigrationReader;
import dev.bascule.plan.operation.Planner;
import dev.bascule.step.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * What pgroll's examples do that the planner plans too, with no database: dropping a default with
 * alter_column, add_check on a column the same migration adds, and the note on an up or down
 * expression the verified gate cannot compute again to the same value.
 */
class PlannerParityTest {

    /** users (id, status with a default 'active', name). */
    static Catalog catalog(Dialect dialect) {
        boolean mariaDb = dialect instanceof MariaDbDialect;
        String text = mariaDb ? "varchar(20)" : "text";
        return CatalogBuilder.of(dialect, "app")
                .table("users", t -> t.notNull("id", mariaDb ? "int(11)" : "integer")
                        .withDefault("status", text, "'active'" + (mariaDb ? "" : "::text")).column("name", text).primaryKey("id"))
                .build();
    }

    static Plan plan(Dialect dialect, String operations) {
        Migration migration = MigrationReader.read(PlannerTest.FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        return new Planner(dialect, catalog(dialect), migration, "app_state", "app").plan();
    }

    static Step.SqlStep addShadow(Plan plan) {
        return plan.start().stream().map(PlannedStep::action)
                .filter(s -> s.description().startsWith("add column users._bascule_new_status"))
                .map(Step.SqlStep.class::cast).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("dev.bascule.plan.PlannerTest#dialects")
    void defaultNullGivesTheNewColumnNoDefaultWhereAnAbsentDefaultKeepsIt(Dialect dialect) {
        Plan dropped = plan(dialect, "  - alter_column: {table: users, column: status, default: null}\n");
        assertThat(PlannerTest.start(dropped)).first().isEqualTo("SCHEMA add column users._bascule_new_status (new status)");
        assertThat(String.join("\n", addShadow(dropped).statements())).doesNotContainIgnoringCase("default");
        // the old column keeps its default for old code until the swap drops it
        assertThat(dropped.droppedColumns()).containsExactly("users.status");

        Plan kept = plan(dialect, "  - alter_column: {table: users, column: status, up: \"upper(status)\"}\n");
        assertThat(String.join("\n", addShadow(kept).statements())).containsIgnoringCase("default").contains("'active'");
    }

    @ParameterizedTest
    @MethodSource("dev.bascule.plan.PlannerTest#dialects")
    void defaultNullAloneIsSomethingToAlter(Dialect dialect) {
        assertThat(PlannerTest.start(plan(dialect, "  - alter_column: {table: users, column: status, default: ~}\n")))
                .contains("BACKFILL backfill users");
        PlannerTest.refused(dialect, "  - alter_column: {table: users, column: email}\n", "operations[0].alter_column.column",
                "nothing to alter");
        PlannerTest.refused(dialect, "  - alter_column: {table: users, column: email, default: null}\n",
                "operations[0].alter_column.default", "nothing to alter: column 'email' has no default to drop");
        // with something else to change, a default that is not there is simply not there after either
        assertThat(PlannerTest.start(PlannerTest.plan(dialect, "  - alter_column: {table: users, column: email, default: null,"
                + " nullable: false, up: \"coalesce(email, 'none')\"}\n"))).contains("BACKFILL backfill users");
    }

    @Test
    void onPostgresqlACheckOnAColumnAddedEarlierIsAddedAfterTheColumn() {
        Plan plan = plan(new PostgresDialect(), """
                  - add_column: {table: users, column: {name: age, type: int}}
                  - add_check: {table: users, name: age_ok, expression: "age >= 0"}
                """);
        assertThat(PlannerTest.start(plan)).containsSubsequence("SCHEMA add column users.age",
                "CONSTRAINTS add constraint age_ok (NOT VALID)");
        assertThat(PlannerTest.descriptions(plan.validations())).containsExactly("validate age_ok");
    }

    @Test
    void onMariaDbAddCheckIsStillRefused() {
        PlannerTest.refused(new MariaDbDialect(), """
                  - add_check: {table: users, name: age_ok, expression: "id >= 0"}
                """, "operations[0].add_check",
                "MariaDB has no NOT VALID constraints, and ADD CONSTRAINT .. CHECK needs ALGORITHM=COPY");
    }

    @ParameterizedTest
    @MethodSource("dev.bascule.plan.PlannerTest#dialects")
    void aVolatileUpOrDownIsNotedWithItsOperationFieldAndFunction(Dialect dialect) {
        boolean mariaDb = dialect instanceof MariaDbDialect;
        String up = mariaDb ? "concat(status, rand())" : "coalesce(status, gen_random_uuid()::text)";
        Plan plan = plan(dialect, "  - alter_column: {table: users, column: status, type: varchar(60), up: \"" + up
                + "\", down: \"CURRENT_TIMESTAMP\"}\n");
        assertThat(plan.notes()).hasSize(2);
        assertThat(plan.notes().get(0)).startsWith("operation 1 (alter_column) up calls " + (mariaDb ? "rand()" : "gen_random_uuid()"))
                .contains("the verified gate computes 'up' again and will report the rows it filled as mismatches")
                .contains("--force-gate verified");
        assertThat(plan.notes().get(1)).startsWith("operation 1 (alter_column) down calls current_timestamp()");
    }

    @ParameterizedTest
    @MethodSource("dev.bascule.plan.PlannerTest#dialects")
    void aDeterministicUpHasNoNote(Dialect dialect) {
        Plan plan = plan(dialect, "  - alter_column: {table: users, column: status, type: varchar(60),"
                + " up: \"coalesce(upper(status), 'now')\", down: \"lower(status)\"}\n");
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void theCallsOfAnExpressionAreItsFunctionsAndClockWordsNotItsCastsOrStrings() {
        assertThat(VolatileCalls.calls("pg_catalog.random() + x::numeric(3) + length('now()') + \"f\"(1)"
                + " + extract(epoch from current_timestamp)", "postgresql"))
                .containsExactly("random", "length", "f", "extract", "current_timestamp");
        assertThat(VolatileCalls.known(List.of("random", "length", "now", "nextval"))).containsExactly("random", "now", "nextval");
    }
}
