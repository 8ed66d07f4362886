package dev.bascule.plan;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.model.MigrationReader;
import dev.bascule.plan.operation.Planner;
import dev.bascule.step.Step;
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
 * Constraint names the file gives (create_table, add_column, alter_column), rename_constraint,
 * create_constraint and drop_constraint with up/down, planned on a catalog written by hand, with no
 * database, on every dialect.
 */
class ConstraintPlannerTest {
    private static final Dialect PG = new PostgresDialect();
    private static final Dialect MARIA = new MariaDbDialect();

    static Stream<Named<Dialect>> dialects() {
        return PlannerTest.dialects();
    }

    /** users (id, email with a unique key, age with a check), orders (id, user_id with a foreign key, total). */
    static Catalog catalog(Dialect dialect) {
        boolean mariaDb = dialect instanceof MariaDbDialect;
        String integer = mariaDb ? "int(11)" : "integer";
        return CatalogBuilder.of(dialect, "app")
                .table("users", t -> t.notNull("id", integer).column("email", mariaDb ? "varchar(100)" : "text")
                        .column("age", integer).primaryKey("id").uniqueKey("users_email_key", "email")
                        .check("users_age_check", "age >= 0", "age").index("users_age_idx", "age"))
                .table("orders", t -> t.notNull("id", integer).column("user_id", integer).column("total", integer)
                        .primaryKey("id").foreignKey("orders_user_fk", List.of("user_id"), "users", List.of("id"))
                        .check("orders_total_over_user", "total > user_id", "total", "user_id"))
                .build();
    }

    static Plan plan(Dialect dialect, String operations) {
        Migration migration = MigrationReader.read(PlannerTest.FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        return new Planner(dialect, catalog(dialect), migration, "app_state", "app").plan();
    }

    static void refused(Dialect dialect, String operations, String field, String message) {
        assertThatThrownBy(() -> plan(dialect, operations)).asInstanceOf(type(InvalidMigrationException.class))
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains(field + ": " + message);
                });
    }

    static String statements(Step step) {
        return String.join("\n", ((Step.SqlStep) step).statements());
    }

    static String all(List<? extends Step> steps) {
        return String.join("\n", steps.stream().map(ConstraintPlannerTest::statements).toList());
    }

    static String startStatements(Plan plan) {
        return String.join("\n", plan.start().stream().map(s -> s.action() instanceof Step.SqlStep
                ? statements(s.action()) : s.action().toString()).toList());
    }

    @Test
    void createTableNamesEveryConstraintOnPostgres() {
        Plan plan = plan(PG, """
                  - create_table:
                      name: staff
                      columns:
                        - {name: id, type: int, nullable: false}
                        - {name: code, type: text, unique: {name: staff_code_uq}, check: {name: staff_code_len, expression: "length(code) > 1"}}
                        - {name: user_id, type: int, references: {name: staff_user_fk, table: users}}
                        - {name: plain, type: int, unique: true, check: "plain > 0"}
                      primary_key: [id]
                      primary_key_name: staff_pk
                """);
        String create = statements(plan.start().get(0).action());
        assertThat(create).contains("\"code\" text CONSTRAINT \"staff_code_uq\" UNIQUE CONSTRAINT \"staff_code_len\" CHECK (length(code) > 1)")
                .contains("\"user_id\" int CONSTRAINT \"staff_user_fk\" REFERENCES \"app\".\"users\"")
                .contains("\"plain\" int UNIQUE CHECK (plain > 0)")
                .contains("CONSTRAINT \"staff_pk\" PRIMARY KEY (\"id\")");
    }

    @Test
    void createTableNamesUniqueCheckAndForeignKeyOnMariaDbAndRefusesAPrimaryKeyName() {
        Plan plan = plan(MARIA, """
                  - create_table:
                      name: staff
                      columns:
                        - {name: id, type: int, nullable: false}
                        - {name: code, type: varchar(10), unique: {name: staff_code_uq}, check: {name: staff_code_len, expression: "length(code) > 1"}}
                        - {name: user_id, type: int, references: {name: staff_user_fk, table: users, columns: [id]}}
                      primary_key: [id]
                """);
        String create = statements(plan.start().get(0).action());
        assertThat(create).contains("`code` varchar(10) NULL,")
                .contains("CONSTRAINT `staff_code_uq` UNIQUE (`code`)")
                .contains("CONSTRAINT `staff_code_len` CHECK (length(code) > 1)")
                .contains("CONSTRAINT `staff_user_fk` FOREIGN KEY (`user_id`) REFERENCES");
        refused(MARIA, """
                  - create_table: {name: staff, columns: [{name: id, type: int, nullable: false}], primary_key: [id], primary_key_name: staff_pk}
                """, "operations[0].create_table", "MariaDB names every primary key PRIMARY: 'primary_key_name' cannot be kept");
    }

    @Test
    void aNamedKeyOfANewTableMayNotTakeAnExistingIndexName() {
        refused(PG, """
                  - create_table: {name: staff, columns: [{name: id, type: int, nullable: false}], primary_key: [id], primary_key_name: users_age_idx}
                """, "operations[0].create_table.primary_key_name", "an index or table named 'users_age_idx' already exists");
        refused(MARIA, """
                  - create_table: {name: staff, columns: [{name: u, type: int, references: {name: orders_user_fk, table: users, columns: [id]}}]}
                """, "operations[0].create_table.columns[0].references.name", "a foreign key named 'orders_user_fk' already exists on table 'orders'");
    }

    @Test
    void addColumnBuildsItsConstraintsUnderTheGivenNames() {
        Plan plan = plan(PG, """
                  - add_column:
                      table: orders
                      column:
                        name: ref
                        type: int
                        unique: {name: orders_ref_uq}
                        check: {name: orders_ref_positive, expression: "ref > 0"}
                        references: {name: orders_ref_fk, table: users}
                """);
        String start = startStatements(plan);
        assertThat(start).contains("ADD CONSTRAINT \"orders_ref_positive\" CHECK (ref > 0) NOT VALID")
                .contains("ADD CONSTRAINT \"orders_ref_fk\" FOREIGN KEY (\"ref\")")
                .contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"orders_ref_uq\"")
                .doesNotContain("orders_ref_key").doesNotContain("orders_ref_check").doesNotContain("orders_ref_fkey");
        assertThat(all(plan.contract())).contains("ADD CONSTRAINT \"orders_ref_uq\" UNIQUE USING INDEX \"orders_ref_uq\"");
        refused(PG, "  - add_column: {table: orders, column: {name: ref, type: int, check: {name: orders_user_fk, expression: \"ref > 0\"}}}\n",
                "operations[0].add_column.column.check.name", "constraint 'orders_user_fk' already exists on table 'orders'");
        refused(PG, "  - add_column: {table: orders, column: {name: ref, type: int, unique: {name: users_age_idx}}}\n",
                "operations[0].add_column.column.unique.name", "an index named 'users_age_idx' already exists");
    }

    @Test
    void alterColumnSwapsItsNewConstraintsInUnderTheGivenNames() {
        Plan plan = plan(PG, """
                  - alter_column: {table: orders, column: total, unique: {name: orders_total_uq}, check: {name: orders_total_positive, expression: "total > 0"}}
                """);
        String contract = all(plan.contract());
        assertThat(contract).contains("\"orders_total_uq\"").contains("\"orders_total_positive\"")
                .doesNotContain("\"orders_total_key\"").doesNotContain("orders_total_check");
        refused(PG, "  - alter_column: {table: users, column: email, unique: {name: users_email_uq}}\n",
                "operations[0].alter_column.unique.name", "column 'email' is unique already; rename its constraint with rename_constraint");
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void renameConstraintOfAUniqueKeyAtStartAndBackAtRollback(Dialect dialect) {
        Plan plan = plan(dialect, "  - rename_constraint: {table: users, from: users_email_key, to: users_email_uq}\n");
        assertThat(PlannerTest.start(plan)).containsExactly("SCHEMA rename constraint users.users_email_key to users_email_uq",
                "VIEWS create version schema app_0002_change");
        PlannedStep rename = plan.start().get(0);
        Step.SqlStep action = (Step.SqlStep) rename.action();
        assertThat(action.lock()).isEqualTo(dialect.locks().brief());
        assertThat(action.skipIf()).isNotNull();
        assertThat(action.effect()).isNotNull();
        assertThat(PlannerTest.descriptions(rename.undo())).containsExactly("rename constraint users.users_email_uq back to users_email_key");
        if (dialect instanceof MariaDbDialect) {
            assertThat(statements(action)).isEqualTo("ALTER TABLE `app`.`users` RENAME INDEX `users_email_key` TO `users_email_uq`,"
                    + " ALGORITHM=INSTANT, LOCK=NONE");
            assertThat(statements(rename.undo().get(0))).isEqualTo("ALTER TABLE `app`.`users` RENAME INDEX `users_email_uq` TO"
                    + " `users_email_key`, ALGORITHM=INSTANT, LOCK=NONE");
        } else {
            assertThat(statements(action)).isEqualTo("ALTER TABLE \"app\".\"users\" RENAME CONSTRAINT \"users_email_key\" TO \"users_email_uq\"");
            assertThat(statements(rename.undo().get(0))).isEqualTo("ALTER TABLE \"app\".\"users\" RENAME CONSTRAINT \"users_email_uq\" TO \"users_email_key\"");
        }
        assertThat(plan.contract()).isEmpty();
    }

    @Test
    void renameConstraintOfEveryKindOnPostgres() {
        for (String from : List.of("users_age_check", "users_pkey", "users_email_key")) {
            Plan plan = plan(PG, "  - rename_constraint: {table: users, from: " + from + ", to: renamed}\n");
            assertThat(statements(plan.start().get(0).action())).endsWith("RENAME CONSTRAINT \"" + from + "\" TO \"renamed\"");
        }
        Plan fk = plan(PG, "  - rename_constraint: {table: orders, from: orders_user_fk, to: orders_user_id_fkey}\n");
        assertThat(statements(fk.start().get(0).action())).isEqualTo(
                "ALTER TABLE \"app\".\"orders\" RENAME CONSTRAINT \"orders_user_fk\" TO \"orders_user_id_fkey\"");
    }

    @Test
    void mariaDbRefusesRenamingWhatItCannotRename() {
        refused(MARIA, "  - rename_constraint: {table: users, from: users_age_check, to: users_age_positive}\n",
                "operations[0].rename_constraint.from", "MariaDB has no statement that renames a CHECK constraint");
        refused(MARIA, "  - rename_constraint: {table: orders, from: orders_user_fk, to: orders_user_fkey}\n",
                "operations[0].rename_constraint.from", "MariaDB has no statement that renames a foreign key");
        refused(MARIA, "  - rename_constraint: {table: users, from: PRIMARY, to: users_pk}\n",
                "operations[0].rename_constraint.from", "MariaDB names every primary key PRIMARY; it cannot be renamed");
        refused(MARIA, "  - rename_constraint: {table: users, from: users_email_key, to: users_age_idx}\n",
                "operations[0].rename_constraint.to", "an index of table 'users' named 'users_age_idx' already exists");
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void renameConstraintRefusals(Dialect dialect) {
        refused(dialect, "  - rename_constraint: {table: users, from: nope, to: other}\n",
                "operations[0].rename_constraint.from", "table 'users' has no constraint 'nope'");
        refused(dialect, "  - rename_constraint: {table: users, from: users_email_key, to: users_age_check}\n",
                "operations[0].rename_constraint.to", "constraint 'users_age_check' already exists on table 'users'");
        refused(dialect, "  - rename_constraint: {table: users, from: users_email_key, to: users_email_key}\n",
                "operations[0].rename_constraint.to", "the constraint is called 'users_email_key' already");
        refused(dialect, "  - create_table: {name: t, columns: [{name: a, type: int, unique: true}]}\n"
                        + "  - rename_constraint: {table: t, from: t_a_key, to: t_a_uq}\n",
                "operations[1].rename_constraint.table", "table 't' is created by this same migration; give the constraint its name there");
        refused(dialect, "  - drop_constraint: {table: users, name: users_email_key}\n"
                        + "  - rename_constraint: {table: users, from: users_email_key, to: users_email_uq}\n",
                "operations[1].rename_constraint.from", "constraint 'users_email_key' is dropped by this same migration");
    }

    @Test
    void renamedConstraintIsDroppedOrRenamedAgainByItsNewNameOnly() {
        Plan plan = plan(PG, "  - rename_constraint: {table: users, from: users_age_check, to: users_age_positive}\n"
                + "  - drop_constraint: {table: users, name: users_age_positive}\n");
        assertThat(all(plan.contract())).contains("DROP CONSTRAINT IF EXISTS \"users_age_positive\"");
        refused(PG, "  - rename_constraint: {table: users, from: users_age_check, to: users_age_positive}\n"
                        + "  - drop_constraint: {table: users, name: users_age_check}\n",
                "operations[1].drop_constraint.name", "table 'users' has no constraint 'users_age_check'");
        refused(PG, "  - rename_constraint: {table: users, from: users_age_check, to: users_age_positive}\n"
                        + "  - add_check: {table: users, name: users_age_positive, expression: \"age < 200\"}\n",
                "operations[1].add_check.name", "constraint 'users_age_positive' already exists on table 'users'");
    }

    @Test
    void dropConstraintWithUpAndDownCopiesTheColumnWithoutTheConstraint() {
        Plan plan = plan(PG, "  - drop_constraint: {table: users, name: users_age_check, up: age, down: \"greatest(age, 0)\"}\n");
        String start = startStatements(plan);
        assertThat(start).contains("ADD COLUMN IF NOT EXISTS \"_bascule_new_age\"")
                .contains("\"_bascule_new_users_age_idx\"") // the column's other index is built again on the copy
                .doesNotContain("age >= 0");    // the dropped check is not
        String contract = all(plan.contract());
        assertThat(contract).contains("DROP COLUMN IF EXISTS \"age\"").contains("RENAME COLUMN \"_bascule_new_age\" TO \"age\"")
                .doesNotContain("users_age_check");
        // without up/down: dropped at complete, nothing at start
        Plan plain = plan(PG, "  - drop_constraint: {table: users, name: users_age_check}\n");
        assertThat(all(plain.contract())).contains("DROP CONSTRAINT IF EXISTS \"users_age_check\"");
        assertThat(PlannerTest.start(plain)).containsExactly("VIEWS create version schema app_0002_change");
    }

    @Test
    void dropConstraintWithUpOrDownRefusals() {
        refused(PG, "  - drop_constraint: {table: users, name: users_pkey, up: id}\n",
                "operations[0].drop_constraint.up", "'up'/'down' copy the constraint's column without it, and a primary key column keeps its key");
        refused(PG, "  - drop_constraint: {table: orders, name: orders_total_over_user, down: total}\n",
                "operations[0].drop_constraint.down", "constraint 'orders_total_over_user' uses 2 columns");
        refused(MARIA, "  - drop_constraint: {table: users, name: users_email_key, down: email}\n",
                "operations[0].drop_constraint", "MariaDB: 'up'/'down' on drop_constraint copy the constraint's column");
    }

    @Test
    void createConstraintBuildsTheKeyOnCopiesOfItsColumns() {
        Plan plan = plan(PG, """
                  - create_constraint: {table: users, name: users_email_age_uq, type: unique, columns: [email, age], up: {age: "coalesce(age, 0)"}}
                """);
        String start = startStatements(plan);
        assertThat(start).contains("ADD COLUMN IF NOT EXISTS \"_bascule_new_email\"").contains("ADD COLUMN IF NOT EXISTS \"_bascule_new_age\"")
                .contains("\"_bascule_new_users_email_age_uq\"").contains("(\"_bascule_new_email\", \"_bascule_new_age\")")
                .contains("coalesce(age, 0)");
        assertThat(all(plan.contract())).contains("ADD CONSTRAINT \"users_email_age_uq\" UNIQUE USING INDEX \"_bascule_new_users_email_age_uq\"");
        Plan check = plan(PG, """
                  - create_constraint: {table: users, name: users_age_email, type: check, columns: [age, email], check: "age < 200 OR email IS NULL"}
                """);
        assertThat(startStatements(check)).contains("ADD CONSTRAINT \"_bascule_new_users_age_email\" CHECK (\"_bascule_new_age\" < 200 OR"
                + " \"_bascule_new_email\" IS NULL) NOT VALID");
        assertThat(all(check.contract())).contains("RENAME CONSTRAINT \"_bascule_new_users_age_email\" TO \"users_age_email\"");
    }

    @Test
    void createConstraintRefusals() {
        refused(PG, "  - create_constraint: {table: users, name: users_pk2, type: primary_key, columns: [email]}\n",
                "operations[0].create_constraint.type", "create_constraint does not make a primary key");
        refused(PG, "  - create_constraint: {table: users, name: users_age_check, type: unique, columns: [age]}\n",
                "operations[0].create_constraint.name", "constraint 'users_age_check' already exists on table 'users'");
        refused(PG, "  - create_constraint: {table: orders, name: orders_k, type: unique, columns: [total, user_id]}\n",
                "operations[0].create_constraint.columns[1]", "check 'orders_total_over_user' uses both");
        // errors name the fields the file has: alter_column's 'column' and 'up' are not create_constraint's
        refused(PG, "  - create_constraint: {table: users, name: users_k, type: unique, columns: [email, age], up: {age: \"age; DROP TABLE users\"}}\n",
                "operations[0].create_constraint.up.age", "");
        refused(MARIA, "  - create_constraint: {table: users, name: users_k, type: unique, columns: [email, age]}\n",
                "operations[0].create_constraint", "MariaDB: create_constraint copies its columns");
    }

    @Test
    void renameConstraintAndAlterColumnOfOneTableAreRefusedTogether() {
        refused(PG, "  - rename_constraint: {table: users, from: users_age_check, to: users_age_positive}\n"
                        + "  - alter_column: {table: users, column: age, type: bigint}\n",
                "operations[1].alter_column.table", "rename_constraint renames a constraint of table 'users' earlier in this migration");
        refused(PG, "  - alter_column: {table: users, column: age, type: bigint}\n"
                        + "  - rename_constraint: {table: users, from: users_age_check, to: users_age_positive}\n",
                "operations[1].rename_constraint.table", "an alter_column of table 'users' earlier in this migration");
    }
}
