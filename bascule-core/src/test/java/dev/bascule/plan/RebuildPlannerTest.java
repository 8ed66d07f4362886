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
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * rebuild_table, add_column's position and a dropped column added again, planned with no database:
 * the steps and statements on MariaDB, the refusals on PostgreSQL.
 */
class RebuildPlannerTest {
    static final String FILE = "0003_rebuild.yaml";

    static Catalog catalog(Dialect dialect) {
        boolean mariaDb = dialect instanceof MariaDbDialect;
        return CatalogBuilder.of(dialect, "app")
                .table("events", t -> t.notNull("id", mariaDb ? "int(11)" : "integer").notNull("code", mariaDb ? "varchar(20)" : "text")
                        .column("note", mariaDb ? "varchar(20)" : "text").primaryKey("id").uniqueIndex("events_code", "code"))
                .build();
    }

    static Plan plan(Dialect dialect, String operations) {
        Migration migration = MigrationReader.read(FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        return new Planner(dialect, catalog(dialect), migration, "app_state", "app").plan();
    }

    @Test
    void aPrimaryKeySwapIsAShadowTableCopyAndOneRename() {
        Plan plan = plan(new MariaDbDialect(), "  - rebuild_table: {table: events, primary_key: [code], row_format: compact}\n");
        assertThat(plan.start()).extracting(s -> s.stage() + " " + s.action().description())
                .contains("SCHEMA create table _bascule_new_events (events rebuilt with row format COMPACT, primary key (code))",
                        "TRIGGERS copy triggers of events into _bascule_new_events");
        Step.SqlStep create = (Step.SqlStep) plan.start().stream().filter(s -> s.action().description().startsWith("create table"))
                .findFirst().orElseThrow().action();
        assertThat(create.statements()).last().asString().isEqualTo("ALTER TABLE `app`.`_bascule_new_events` ROW_FORMAT = COMPACT,"
                + " DROP INDEX `events_code`, DROP PRIMARY KEY, ADD PRIMARY KEY (`code`), ADD UNIQUE KEY `events_id_key` (`id`),"
                + " ALGORITHM=COPY");
        assertThat(plan.contract()).extracting(Step::description)
                .contains("rename events to _bascule_old_events and _bascule_new_events to events");
    }

    @Test
    void postgresqlRefusesRebuildTablePositionsAndEnums() {
        refused(new PostgresDialect(), "  - rebuild_table: {table: events, row_format: dynamic}\n", "operations[0].rebuild_table.row_format",
                "pg_repack");
        refused(new PostgresDialect(), "  - add_column: {table: events, column: {name: x, type: int}, after: id}\n",
                "operations[0].add_column.after", "no column order");
    }

    @Test
    void mariaDbRefusesAKeyThatIsNotUnique() {
        refused(new MariaDbDialect(), "  - rebuild_table: {table: events, primary_key: [id, code]}\n", "operations[0].rebuild_table.primary_key",
                "not a unique key");
    }

    static void refused(Dialect dialect, String operations, String field, String message) {
        assertThatThrownBy(() -> plan(dialect, operations)).asInstanceOf(type(InvalidMigrationException.class))
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
