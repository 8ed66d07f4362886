package dev.bascule.plan;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation.ReplicaIdentity;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.model.MigrationReader;
import dev.bascule.plan.operation.Planner;
import dev.bascule.step.Step;
import dev.bascule.step.TableEffect;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.bascule.plan.PlannerTest.FILE;
import static dev.bascule.plan.PlannerTest.descriptions;
import static dev.bascule.plan.PlannerTest.plan;
import static dev.bascule.plan.PlannerTest.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** sql with on_complete and set_replica_identity, planned on a catalog written by hand. */
class SqlOpsPlannerTest {
    private static final Dialect PG = new PostgresDialect();

    /** PlannerTest's catalog, with accounts: a unique index on NOT NULL columns, a partial one, one on a nullable column. */
    private static Catalog catalog(ReplicaIdentity identity, String index) {
        return CatalogBuilder.of(PG, "app")
                .table("users", t -> t.notNull("id", "integer").notNull("name", "character varying(50)")
                        .column("email", "text").column("legacy", "text").primaryKey("id").index("users_name_idx", "name"))
                .table("accounts", t -> t.notNull("id", "integer").notNull("code", "text").column("nick", "text")
                        .primaryKey("id").uniqueIndex("accounts_code_key", "code").uniqueIndex("accounts_nick_key", "nick")
                        .partialUniqueIndex("accounts_code_live", "id > 0", "code").replicaIdentity(identity, index))
                .build();
    }

    private static Plan planOn(Catalog catalog, String operations) {
        Migration migration = MigrationReader.read(FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        return new Planner(PG, catalog, migration, "app_state", "app").plan();
    }

    private static List<String> statements(Step step) {
        return ((Step.SqlStep) step).statements();
    }

    private static void refusedAt(Dialect dialect, Catalog catalog, String operations, String field, String message) {
        Migration migration = MigrationReader.read(FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new Planner(dialect, catalog, migration, "app_state", "app").plan())
                .asInstanceOf(type(InvalidMigrationException.class)).satisfies(e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).startsWith(FILE + ":2:").contains(field + ": " + message);
                });
    }

    // ------------------------------------------------------------------ sql on_complete

    @Test
    void onCompleteSqlRunsNothingAtStartNorAtRollbackAndRunsAtComplete() {
        Plan plan = plan(PG, "  - sql: {up: \"alter table users add column birth_date timestamp\", on_complete: true}\n");
        assertThat(start(plan)).containsExactly("VIEWS create version schema app_0002_change");
        assertThat(descriptions(plan.rollback())).containsExactly("drop version schema app_0002_change");
        assertThat(descriptions(plan.complete())).containsExactly("sql of operation 1 (on complete)");
        Step.SqlStep sql = (Step.SqlStep) plan.complete().get(0);
        assertThat(sql.statements()).containsExactly("alter table users add column birth_date timestamp");
        assertThat(sql.table()).isNull();
        assertThat(sql.effect()).as("read from the statements, as a start sql's is").isNull();
        assertThat(plan.deprecatingComplete()).extracting(Step::description).contains("sql of operation 1 (on complete)");
        assertThat(plan.notes()).contains("operation 1 (sql) runs at complete, after what complete does for the"
                        + " operations before it; start and rollback run nothing of it",
                "operation 1 (sql) runs as written; it is not marked online and may take long locks");
        assertThat(plan.notes()).noneMatch(n -> n.contains("has no 'down'"));
    }

    @Test
    void onCompleteSqlRunsInFileOrderAmongTheContractSteps() {
        Plan plan = plan(PG, """
                  - rename_column: {table: users, from: name, to: full_name}
                  - sql: {up: "update users set full_name = upper(full_name)", on_complete: true, online: true}
                  - drop_column: {table: users, column: legacy}
                """);
        assertThat(descriptions(plan.complete())).containsExactly("rename column users.name to full_name",
                "sql of operation 2 (on complete)", "drop column users.legacy");
        assertThat(plan.notes()).noneMatch(n -> n.contains("not marked online"));
    }

    @Test
    void onCompleteSqlComesAfterTheSyncTriggersAreDropped() {
        Plan plan = plan(PG, """
                  - add_column: {table: users, column: {name: email_lower, type: text}, up: "lower(email)"}
                  - sql: {up: "update users set email_lower = lower(email) where email_lower is null", on_complete: true}
                """);
        assertThat(descriptions(plan.complete())).containsExactly("drop sync trigger on users",
                "sql of operation 2 (on complete)");
    }

    @Test
    void aStartSqlKeepsItsStepsAndNotes() {
        Plan plan = plan(PG, "  - sql: {up: \"create table t (id int)\"}\n");
        assertThat(start(plan)).containsExactly("SCHEMA sql of operation 1", "VIEWS create version schema app_0002_change");
        assertThat(plan.complete()).isEmpty();
        assertThat(plan.notes()).contains("operation 1 (sql) has no 'down': rollback cannot undo it");
    }

    @Test
    void aTypeAnOnCompleteSqlCreatesIsNotThereForTheOperationsAfterIt() {
        String operations = "  - sql: {up: \"CREATE TYPE mood AS ENUM ('ok', 'sad')\"%s}\n"
                + "  - add_column: {table: users, column: {name: feeling, type: mood}}\n";
        List<ExpressionCheck> atStart = checks(String.format(operations, ""));
        List<ExpressionCheck> atComplete = checks(String.format(operations, ", on_complete: true"));
        assertThat(atStart).filteredOn(ExpressionCheck::type).isNotEmpty().allMatch(ExpressionCheck::syntaxOnly);
        // the type is compiled against the live schema: start would not find it either
        assertThat(atComplete).filteredOn(ExpressionCheck::type).isNotEmpty().noneMatch(ExpressionCheck::syntaxOnly);
    }

    private static List<ExpressionCheck> checks(String operations) {
        Migration migration = MigrationReader.read(FILE, ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        Planner planner = new Planner(PG, PlannerTest.catalog(PG), migration, "app_state", "app");
        planner.plan();
        return planner.expressionChecks();
    }

    @Test
    void mariaDbRefusesOnCompleteSqlAsItRefusesSql() {
        Dialect maria = new MariaDbDialect();
        refusedAt(maria, PlannerTest.catalog(maria), "  - sql: {up: \"select 1\", on_complete: true}\n", "operations[0].sql",
                "MariaDB has no transactional DDL: a sql operation cut off midway could not be undone or rerun safely; refused");
    }

    // ------------------------------------------------------------------ set_replica_identity

    @Test
    void replicaIdentityIsSetAtStartUnderABriefLockAndSetBackOnRollback() {
        Plan plan = plan(PG, "  - set_replica_identity: {table: users, identity: {type: full}}\n");
        assertThat(start(plan)).containsExactly("SCHEMA set replica identity of users to full",
                "VIEWS create version schema app_0002_change");
        Step set = plan.start().get(0).action();
        assertThat(statements(set)).containsExactly("ALTER TABLE \"app\".\"users\" REPLICA IDENTITY FULL");
        assertThat(set.lock()).isEqualTo(PG.locks().brief());
        assertThat(set.table()).isEqualTo("users");
        assertThat(set.effect().kind()).isEqualTo(TableEffect.CATALOG);
        assertThat(plan.start().get(0).undo()).singleElement().satisfies(undo -> {
            assertThat(undo.description()).isEqualTo("set replica identity of users back to default");
            assertThat(statements(undo)).containsExactly("ALTER TABLE \"app\".\"users\" REPLICA IDENTITY DEFAULT");
        });
        assertThat(plan.complete()).isEmpty();
    }

    @Test
    void rollbackRestoresTheIdentityTheCatalogHad() {
        Plan fromIndex = planOn(catalog(ReplicaIdentity.INDEX, "accounts_code_key"),
                "  - set_replica_identity: {table: accounts, identity: {type: nothing}}\n");
        assertThat(statements(fromIndex.start().get(0).action()))
                .containsExactly("ALTER TABLE \"app\".\"accounts\" REPLICA IDENTITY NOTHING");
        assertThat(statements(fromIndex.start().get(0).undo().get(0)))
                .containsExactly("ALTER TABLE \"app\".\"accounts\" REPLICA IDENTITY USING INDEX \"accounts_code_key\"");
        Plan fromFull = planOn(catalog(ReplicaIdentity.FULL, null),
                "  - set_replica_identity: {table: accounts, identity: {type: index, index: accounts_code_key}}\n");
        assertThat(start(fromFull)).first().isEqualTo("SCHEMA set replica identity of accounts to index accounts_code_key");
        assertThat(statements(fromFull.start().get(0).action()))
                .containsExactly("ALTER TABLE \"app\".\"accounts\" REPLICA IDENTITY USING INDEX \"accounts_code_key\"");
        assertThat(statements(fromFull.start().get(0).undo().get(0)))
                .containsExactly("ALTER TABLE \"app\".\"accounts\" REPLICA IDENTITY FULL");
        // an identity index dropped since: relreplident 'i' with no index behaves as NOTHING
        Plan gone = planOn(catalog(ReplicaIdentity.INDEX, null),
                "  - set_replica_identity: {table: accounts, identity: {type: full}}\n");
        assertThat(statements(gone.start().get(0).undo().get(0)))
                .containsExactly("ALTER TABLE \"app\".\"accounts\" REPLICA IDENTITY NOTHING");
    }

    @Test
    void aTableRenamedEarlierInTheMigrationIsSetUnderItsNameAtStart() {
        Plan plan = plan(PG, """
                  - rename_table: {from: users, to: people}
                  - set_replica_identity: {table: people, identity: {type: full}}
                """);
        assertThat(statements(plan.start().get(0).action())).containsExactly("ALTER TABLE \"app\".\"users\" REPLICA IDENTITY FULL");
    }

    @Test
    void anIdentityIndexMustExistOnTheTableBeUniqueWholeAndOnNotNullColumns() {
        Catalog catalog = catalog(ReplicaIdentity.DEFAULT, null);
        String field = "operations[0].set_replica_identity.identity.index";
        refusedAt(PG, catalog, "  - set_replica_identity: {table: accounts, identity: {type: index, index: nope}}\n", field,
                "index 'nope' does not exist on table 'accounts'");
        refusedAt(PG, catalog, "  - set_replica_identity: {table: accounts, identity: {type: index, index: users_name_idx}}\n",
                field, "index 'users_name_idx' does not exist on table 'accounts'");
        refusedAt(PG, catalog, "  - set_replica_identity: {table: users, identity: {type: index, index: users_name_idx}}\n",
                field, "index 'users_name_idx' is not unique");
        refusedAt(PG, catalog, "  - set_replica_identity: {table: accounts, identity: {type: index, index: accounts_code_live}}\n",
                field, "index 'accounts_code_live' is partial (WHERE id > 0)");
        refusedAt(PG, catalog, "  - set_replica_identity: {table: accounts, identity: {type: index, index: accounts_nick_key}}\n",
                field, "index 'accounts_nick_key' is on column 'nick', which is nullable");
        refusedAt(PG, catalog, "  - set_replica_identity: {table: nope, identity: {type: full}}\n",
                "operations[0].set_replica_identity.table", "unknown table 'nope' in schema 'app'");
    }

    @Test
    void anIdentityIndexOnAColumnTheMigrationAltersIsRefused() {
        Migration migration = MigrationReader.read(FILE, """
                operations:
                  - alter_column: {table: accounts, column: code, type: varchar(40)}
                  - set_replica_identity: {table: accounts, identity: {type: index, index: accounts_code_key}}
                """.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new Planner(PG, catalog(ReplicaIdentity.DEFAULT, null), migration, "app_state", "app").plan())
                .asInstanceOf(type(InvalidMigrationException.class)).satisfies(e -> {
                    assertThat(e.field()).isEqualTo("operations[1].set_replica_identity.identity.index");
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("index 'accounts_code_key' is on column 'code', which this"
                            + " migration alters");
                });
    }

    @Test
    void mariaDbRefusesSetReplicaIdentity() {
        Dialect maria = new MariaDbDialect();
        refusedAt(maria, PlannerTest.catalog(maria), "  - set_replica_identity: {table: users, identity: {type: full}}\n",
                "operations[0].set_replica_identity", "MariaDB has no replica identity (its row-based binary log carries"
                        + " whole rows): set_replica_identity is for PostgreSQL; remove the operation");
    }
}
