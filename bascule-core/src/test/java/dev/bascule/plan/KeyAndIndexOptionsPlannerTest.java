package dev.bascule.plan;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.step.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * Foreign keys' ON UPDATE and MATCH, and indexes' operator classes, INCLUDE and storage parameters,
 * planned on a hand-built catalog with no database: the statements each dialect makes, and what
 * MariaDB refuses at plan time (exit 2) rather than lose silently.
 */
class KeyAndIndexOptionsPlannerTest {
    private static final Dialect PG = new PostgresDialect();
    private static final Dialect MARIADB = new MariaDbDialect();

    private static String startSql(Dialect dialect, String operations) {
        Plan plan = PlannerTest.plan(dialect, operations);
        return String.join("\n", plan.start().stream().map(PlannedStep::action).flatMap(s -> s instanceof Step.SqlStep sql
                ? sql.statements().stream() : s instanceof Step.IndexBuildStep ib ? java.util.stream.Stream.of(ib.create())
                : java.util.stream.Stream.empty()).toList());
    }

    private static void refused(Dialect dialect, String operations, String message) {
        assertThatThrownBy(() -> PlannerTest.plan(dialect, operations)).asInstanceOf(type(InvalidMigrationException.class))
                .satisfies(e -> {
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void postgresKeysCarryTheirMatchTypeAndActions() {
        String sql = startSql(PG, """
                  - add_column: {table: orders, column: {name: buyer, type: int, references: {table: users, columns: [id],
                                 on_delete: set null, on_update: cascade, match_type: full}}}
                  - add_foreign_key: {table: orders, name: orders_total_fk, columns: [total], references: {table: users},
                                      on_delete: restrict, on_update: set_default, match_type: simple}
                  - create_table:
                      name: notes
                      columns: [{name: id, type: int}, {name: user_id, type: int, references: {table: users, on_update: cascade}}]
                """);
        assertThat(sql).contains("ADD CONSTRAINT \"orders_buyer_fkey\" FOREIGN KEY (\"buyer\") REFERENCES \"app\".\"users\""
                + " (\"id\") MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL NOT VALID");
        assertThat(sql).contains("ADD CONSTRAINT \"orders_total_fk\" FOREIGN KEY (\"total\") REFERENCES \"app\".\"users\""
                + " ON UPDATE SET DEFAULT ON DELETE RESTRICT NOT VALID");
        assertThat(sql).contains("\"user_id\" int REFERENCES \"app\".\"users\" ON UPDATE CASCADE");
    }

    @Test
    void alterColumnsNewKeyOnTheShadowColumnKeepsItsOptions() {
        String sql = startSql(PG, "  - alter_column: {table: orders, column: total, type: bigint, references: {table: users,"
                + " columns: [id], on_update: restrict, match_type: full}}\n");
        assertThat(sql).containsPattern("FOREIGN KEY \\(\"_bascule_[a-z_]*total\"\\) REFERENCES \"app\".\"users\" \\(\"id\"\\)"
                + " MATCH FULL ON UPDATE RESTRICT NOT VALID");
    }

    @Test
    void mariaDbKeepsOnUpdate() {
        String sql = startSql(MARIADB, "  - add_foreign_key: {table: orders, name: orders_total_fk, columns: [total],"
                + " references: {table: users, columns: [id]}, on_delete: cascade, on_update: cascade}\n");
        assertThat(sql).contains("REFERENCES `app`.`users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, ALGORITHM=INPLACE, LOCK=NONE");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "  - add_foreign_key: {table: orders, columns: [total], references: {table: users, columns: [id]}, match_type: full}\n",
            "  - add_column: {table: orders, column: {name: b, type: int, references: {table: users, columns: [id], match_type: FULL}}}\n",
            "  - create_table: {name: n, columns: [{name: u, type: int, references: {table: users, columns: [id], match_type: full}}]}\n",
    })
    void mariaDbRefusesMatchFullItWouldIgnore(String operations) {
        refused(MARIADB, operations, "parses MATCH FULL and ignores it");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "  - add_foreign_key: {table: orders, columns: [total], references: {table: users, columns: [id]}, on_update: set default}\n",
            "  - add_foreign_key: {table: orders, columns: [total], references: {table: users, columns: [id]}, on_delete: set default}\n",
            "  - add_column: {table: orders, column: {name: b, type: int, references: {table: users, columns: [id], on_update: set default}}}\n",
    })
    void mariaDbRefusesSetDefaultItWouldIgnore(String operations) {
        refused(MARIADB, operations, "parses SET DEFAULT and keeps no action");
    }

    @Test
    void postgresIndexHasOperatorClassesIncludeAndStorageParametersAndStaysConcurrent() {
        Plan plan = PlannerTest.plan(PG, """
                  - create_index:
                      name: users_email_idx
                      table: users
                      columns: [{name: email, opclass: text_pattern_ops}, {name: id, opclass: pg_catalog.int4_ops}]
                      include: [name]
                      storage_parameters: {fillfactor: 70, deduplicate_items: false, ratio: 0.5, mode: auto}
                      where: "email IS NOT NULL"
                """);
        // built as every index is: a step that waits, retries and drops an invalid index it left
        Step.IndexBuildStep build = (Step.IndexBuildStep) plan.start().get(0).action();
        String sql = build.create();
        assertThat(sql).isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"users_email_idx\" ON \"app\".\"users\""
                + " (\"email\" \"text_pattern_ops\", \"id\" \"pg_catalog\".\"int4_ops\") INCLUDE (\"name\")"
                + " WITH (\"fillfactor\" = 70, \"deduplicate_items\" = false, \"ratio\" = 0.5, \"mode\" = 'auto')"
                + " WHERE email IS NOT NULL");
        assertThat(build.index()).isEqualTo("users_email_idx");
        assertThat(PlannerTest.descriptions(plan.start().get(0).undo())).containsExactly("drop index users_email_idx");
    }

    @Test
    void includeAndOpclassColumnsMustExist() {
        PlannerTest.refused(PG, "  - create_index: {name: i, table: users, columns: [id], include: [nope]}\n",
                "operations[0].create_index.include[0]", "unknown column 'nope'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "columns: [id], include: [name]",
            "columns: [{name: id, opclass: int4_ops}]",
            "columns: [id], storage_parameters: {fillfactor: 70}",
    })
    void mariaDbRefusesIndexOptions(String fields) {
        refused(MARIADB, "  - create_index: {name: i, table: users, " + fields + "}\n", "MariaDB has no");
        // the plain index is planned as before
        assertThat(startSql(MARIADB, "  - create_index: {name: i, table: users, columns: [id]}\n"))
                .contains("ADD INDEX IF NOT EXISTS `i` (`id`), ALGORITHM=INPLACE, LOCK=NONE");
    }

    @Test
    void theSameKeyStatementsWithoutOptionsAsBefore() {
        assertThat(startSql(PG, "  - add_foreign_key: {table: orders, name: f, columns: [total], references: {table: users},"
                + " on_delete: cascade}\n")).contains("REFERENCES \"app\".\"users\" ON DELETE CASCADE NOT VALID");
        assertThat(startSql(PG, "  - create_index: {name: i, table: users, columns: [id, name]}\n"))
                .startsWith("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"i\" ON \"app\".\"users\" (\"id\", \"name\")");
    }
}
