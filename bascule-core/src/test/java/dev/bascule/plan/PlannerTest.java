package dev.bascule.plan;

import dev.bascule.plan.operation.Planner;

import dev.bascule.step.Step;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.model.MigrationReader;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * The planner on a catalog written by hand, with no database: the steps of each phase and their
 * stages, what the contract drops and retires, and the errors that name the file and the field,
 * on every dialect.
 */
class PlannerTest {
    static final String FILE = "0002_change.yaml";

    static Stream<Named<Dialect>> dialects() {
        return Stream.of(Named.of("postgresql", new PostgresDialect()), Named.of("mariadb", new MariaDbDialect()));
    }

    /** users (id, name, email, legacy) with an index on name; orders (id, user_id, total) referencing users. */
    static Catalog catalog(Dialect dialect) {
        boolean mariaDb = dialect instanceof MariaDbDialect;
        String integer = mariaDb ? "int(11)" : "integer";
        return CatalogBuilder.of(dialect, "app")
                .table("users", t -> t.notNull("id", integer).notNull("name", mariaDb ? "varchar(50)" : "character varying(50)")
                        .column("email", mariaDb ? "varchar(100)" : "text").column("legacy", mariaDb ? "varchar(20)" : "text")
                        .primaryKey("id").index("users_name_idx", "name"))
                .table("orders", t -> t.notNull("id", integer).column("user_id", integer).column("total", integer)
                        .primaryKey("id").foreignKey("orders_user_fk", List.of("user_id"), "users", List.of("id")))
                .build();
    }

    static Plan plan(Dialect dialect, String operations) {
        Migration migration = MigrationReader.read(FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        return new Planner(dialect, catalog(dialect), migration, "app_state", "app").plan();
    }

    static List<String> start(Plan plan) {
        return plan.start().stream().map(s -> s.stage() + " " + s.action().description()).toList();
    }

    static List<String> descriptions(List<Step> steps) {
        return steps.stream().map(Step::description).toList();
    }

    /** The plan is refused with an error at {@code field} of {@link #FILE} whose message holds {@code message}. */
    static void refused(Dialect dialect, String operations, String field, String message) {
        assertThatThrownBy(() -> plan(dialect, operations)).asInstanceOf(type(InvalidMigrationException.class))
                .satisfies(e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).startsWith(FILE + ":2:").contains(field + ": " + message);
                });
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void everyPlanNamesItsVersionAndEndsStartWithTheVersionSchema(Dialect dialect) {
        Plan plan = plan(dialect, "  - drop_column: {table: users, column: legacy}\n");
        assertThat(plan.migration()).isEqualTo("0002_change");
        assertThat(plan.schema()).isEqualTo("app");
        assertThat(plan.versionSchema()).isEqualTo("app_0002_change");
        assertThat(plan.previousVersionSchema()).isEqualTo("app");
        assertThat(plan.start()).last().satisfies(s -> {
            assertThat(s.stage()).isEqualTo(Stage.VIEWS);
            assertThat(s.action().description()).isEqualTo("create version schema app_0002_change");
            assertThat(descriptions(s.undo())).containsExactly("drop version schema app_0002_change");
        });
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void addColumnWithUpIsAddedSyncedBackfilledAndItsTriggerGoesAtComplete(Dialect dialect) {
        Plan plan = plan(dialect, "  - add_column: {table: users, column: {name: email_lower, type: varchar(100)}, up: \"lower(email)\"}\n");
        assertThat(start(plan)).containsExactly("SCHEMA add column users.email_lower", "TRIGGERS sync trigger on users",
                "BACKFILL backfill users", "VIEWS create version schema app_0002_change");
        assertThat(plan.start().get(2).action()).isInstanceOf(Step.BackfillStep.class);
        // rollback drops what start added, newest first
        assertThat(descriptions(plan.rollback())).containsExactly("drop version schema app_0002_change",
                "drop sync trigger on users", "drop column users.email_lower");
        // PostgreSQL drops the trigger first (SET NOT NULL and the check refuse a row it missed); MariaDB keeps it
        // to complete's last step, so a row old code writes while the column is revealed still gets up's value
        assertThat(descriptions(plan.complete())).contains("drop sync trigger on users");
        assertThat(plan.validations()).isEmpty();
        assertThat(plan.droppedColumns()).isEmpty();
        assertThat(plan.retiredNames()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void renameColumnChangesNothingAtStartAndRetiresTheOldNameAtComplete(Dialect dialect) {
        Plan plan = plan(dialect, "  - rename_column: {table: users, from: name, to: full_name}\n");
        assertThat(start(plan)).containsExactly("VIEWS create version schema app_0002_change");
        assertThat(descriptions(plan.complete())).startsWith("rename column users.name to full_name");
        assertThat(plan.retiredNames()).containsExactly("users.name");
        assertThat(plan.droppedColumns()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void dropColumnAndDropIndexAndDropTableHappenAtCompleteAndAreRecordedForTheGates(Dialect dialect) {
        Plan column = plan(dialect, "  - drop_column: {table: users, column: legacy}\n");
        assertThat(descriptions(column.complete())).containsExactly("drop column users.legacy");
        assertThat(column.droppedColumns()).containsExactly("users.legacy");
        assertThat(column.retiredNames()).containsExactly("users.legacy");
        Plan index = plan(dialect, "  - drop_index: {name: users_name_idx}\n");
        assertThat(descriptions(index.complete())).containsExactly("drop index users_name_idx");
        assertThat(index.droppedIndexes()).containsExactly("users_name_idx");
        Plan table = plan(dialect, "  - drop_table: {name: orders}\n");
        assertThat(descriptions(table.complete())).containsExactly("drop table orders");
        assertThat(table.droppedTables()).containsExactly("orders");
        assertThat(table.retiredNames()).containsExactly("orders");
        assertThat(table.complete().get(0)).asInstanceOf(type(Step.SqlStep.class))
                .satisfies(s -> assertThat(s.statements()).containsExactly("DROP TABLE IF EXISTS "
                        + dialect.quote("app") + "." + dialect.quote("orders")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void createIndexIsBuiltOnlineAtStartAndDroppedOnRollback(Dialect dialect) {
        Plan plan = plan(dialect, "  - create_index: {name: users_email_idx, table: users, columns: [email]}\n");
        assertThat(start(plan)).containsExactly("INDEXES build index users_email_idx", "VIEWS create version schema app_0002_change");
        assertThat(plan.start().get(0).action()).isInstanceOf(Step.IndexBuildStep.class);
        assertThat(plan.start().get(0).action().lock()).isEqualTo(dialect.locks().onlineIndex());
        assertThat(descriptions(plan.start().get(0).undo())).containsExactly("drop index users_email_idx");
        assertThat(plan.complete()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void aForeignKeyIsAddedWithoutCheckingRowsAtStartAndValidatedWhenCompleteBegins(Dialect dialect) {
        Plan plan = plan(dialect, "  - add_foreign_key: {table: orders, name: orders_total_fk, columns: [total],"
                + " references: {table: users, columns: [id]}}\n");
        assertThat(plan.start().get(0).stage()).isEqualTo(Stage.CONSTRAINTS);
        assertThat(plan.start().get(0).action().description()).startsWith("add constraint orders_total_fk (");
        assertThat(descriptions(plan.start().get(0).undo())).containsExactly("drop constraint orders_total_fk");
        assertThat(descriptions(plan.validations())).containsExactly("validate orders_total_fk");
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void anUnknownTableOrColumnIsAnErrorAtItsField(Dialect dialect) {
        refused(dialect, "  - add_column: {table: nope, column: {name: x, type: int}}\n", "operations[0].add_column.table",
                "unknown table 'nope' in schema 'app'");
        refused(dialect, "  - rename_column: {table: users, from: nope, to: x}\n", "operations[0].rename_column.from",
                "unknown column 'nope' in table 'users'");
        refused(dialect, "  - add_column: {table: users, column: {name: name, type: int}}\n", "operations[0].add_column.column.name",
                "column 'name' already exists in table 'users'");
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void aNameBasculeKeepsForItselfIsRefused(Dialect dialect) {
        refused(dialect, "  - add_column: {table: users, column: {name: _bascule_x, type: int}}\n",
                "operations[0].add_column.column.name", "'_bascule_x' starts with '_bascule', which Bascule keeps");
    }

    @Test
    void onPostgresqlACheckIsAddedNotValidAndAPartialIndexIsPlanned() {
        Dialect dialect = new PostgresDialect();
        Plan check = plan(dialect, "  - add_check: {table: orders, name: orders_total_positive, expression: \"total > 0\"}\n");
        assertThat(start(check)).containsExactly("CONSTRAINTS add constraint orders_total_positive (NOT VALID)",
                "VIEWS create version schema app_0002_change");
        assertThat(descriptions(check.validations())).containsExactly("validate orders_total_positive");
        Plan partial = plan(dialect, "  - create_index: {name: users_p, table: users, columns: [name], where: \"id > 2\"}\n");
        assertThat(start(partial)).containsExactly("INDEXES build index users_p", "VIEWS create version schema app_0002_change");
    }

    @Test
    void onMariaDbWhatWouldCopyTheTableOrDoesNotExistIsRefusedAtTheOperation() {
        Dialect dialect = new MariaDbDialect();
        refused(dialect, "  - add_check: {table: orders, name: orders_total_positive, expression: \"total > 0\"}\n",
                "operations[0].add_check", "MariaDB has no NOT VALID constraints, and ADD CONSTRAINT .. CHECK needs ALGORITHM=COPY");
        refused(dialect, "  - create_index: {name: users_p, table: users, columns: [name], where: \"id > 2\"}\n",
                "operations[0].create_index", "MariaDB has no partial indexes ('where')");
    }

    @Test
    void onMariaDbEveryAlterSaysItsAlgorithmAndARenameRemakesTheViewsAtOnce() {
        Dialect dialect = new MariaDbDialect();
        Plan drop = plan(dialect, "  - drop_column: {table: users, column: legacy}\n");
        assertThat(drop.complete().get(0)).asInstanceOf(type(Step.SqlStep.class)).satisfies(s -> assertThat(s.statements())
                .containsExactly("ALTER TABLE `app`.`users` DROP COLUMN IF EXISTS `legacy`, ALGORITHM=INSTANT"));
        Plan index = plan(dialect, "  - drop_index: {name: users_name_idx}\n");
        assertThat(index.complete().get(0)).asInstanceOf(type(Step.SqlStep.class)).satisfies(s -> assertThat(s.statements())
                .containsExactly("ALTER TABLE `app`.`users` DROP INDEX IF EXISTS `users_name_idx`, ALGORITHM=INPLACE, LOCK=NONE"));
        Plan rename = plan(dialect, "  - rename_column: {table: users, from: name, to: full_name}\n");
        assertThat(descriptions(rename.complete())).containsExactly("rename column users.name to full_name",
                "re-create the views of app_0002_change over the renamed tables and columns");
    }

    @Test
    void onPostgresqlAnIndexIsDroppedConcurrently() {
        Plan plan = plan(new PostgresDialect(), "  - drop_index: {name: users_name_idx}\n");
        assertThat(plan.complete().get(0)).asInstanceOf(type(Step.SqlStep.class)).satisfies(s -> assertThat(s.statements())
                .containsExactly("DROP INDEX CONCURRENTLY IF EXISTS \"app\".\"users_name_idx\""));
    }
}
