package dev.bascule.plan;

import dev.bascule.step.TableEffect;

import dev.bascule.step.Step;
import dev.bascule.BasculeInternals;
import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.dialect.CatalogReader.TableEstimate;
import dev.bascule.model.MigrationReader;
import dev.bascule.plan.TableEffects.Effect;
import dev.bascule.plan.TableEffects.TableRef;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each step's effect on its table, on plans made against a real PostgreSQL, and the tables' estimates. */
class TableEffectsTest {
    private static final int ROWS = 5000;

    TestSchema schema;
    Bascule bascule;

    @BeforeEach
    void setUp() {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id serial PRIMARY KEY, email text, n int)",
                "INSERT INTO users (email, n) SELECT 'u' || g || '@x.org', g FROM generate_series(1, " + ROWS + ") g",
                "CREATE TABLE orders (id bigint PRIMARY KEY, user_id int REFERENCES users)",
                "ANALYZE users");
        bascule = schema.bascule().load();
    }

    @AfterEach
    void tearDown() {
        schema.close();
    }

    private Plan plan(String operations) {
        Migration m = MigrationReader.read("0001_m.yaml", ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
        return BasculeInternals.plan(bascule, m);
    }

    /** Every step of the plan in the order the phases run them, by description. */
    private static List<Step> steps(Plan plan) {
        List<Step> steps = new ArrayList<>();
        plan.start().forEach(p -> steps.add(p.action()));
        steps.addAll(plan.validations());
        steps.addAll(plan.complete());
        return steps;
    }

    private static Effect effect(Plan plan, TableEffects effects, String description) {
        Step step = steps(plan).stream().filter(s -> s.description().startsWith(description)).findFirst()
                .orElseThrow(() -> new AssertionError("no step '" + description + "' in " + steps(plan).stream()
                        .map(Step::description).toList()));
        return effects.of(step);
    }

    private TableRef users() {
        return new TableRef(schema.name(), "users");
    }

    @Test
    void addColumnWithConstantDefaultIsCatalogOnlyAndSetNotNullIsSparedByTheValidatedCheck() {
        Plan plan = plan("""
                  - add_column: {table: users, column: {name: active, type: boolean, nullable: false, default: "true"}}
                """);
        TableEffects effects = BasculeInternals.tableEffects(bascule, plan);

        Effect add = effect(plan, effects, "add column users.active");
        assertThat(add.kind()).isEqualTo(TableEffect.CATALOG);
        assertThat(add.table()).isEqualTo(users());
        assertThat(effect(plan, effects, "add constraint").kind()).isEqualTo(TableEffect.CATALOG);
        Effect validate = effect(plan, effects, "validate");
        assertThat(validate.kind()).isEqualTo(TableEffect.SCAN);
        assertThat(validate.reason()).contains("VALIDATE CONSTRAINT");
        Effect notNull = effect(plan, effects, "set users.active not null");
        assertThat(notNull.kind()).as(notNull.reason()).isEqualTo(TableEffect.CATALOG);
        assertThat(notNull.reason()).contains("spares SET NOT NULL the scan");
        assertThat(steps(plan).stream().map(effects::of).map(Effect::kind)).doesNotContain(TableEffect.BATCHED_WRITES);
    }

    @Test
    void addColumnWithVolatileDefaultIsBackfilledInBatchesNotRewritten() {
        Plan plan = plan("""
                  - add_column: {table: users, column: {name: token, type: uuid, default: "gen_random_uuid()"}}
                """);
        TableEffects effects = BasculeInternals.tableEffects(bascule, plan);

        assertThat(effect(plan, effects, "add column users.token").kind()).isEqualTo(TableEffect.CATALOG);
        Effect backfill = effect(plan, effects, "backfill users");
        assertThat(backfill.kind()).isEqualTo(TableEffect.BATCHED_WRITES);
        assertThat(backfill.table()).isEqualTo(users());
        assertThat(steps(plan).stream().map(effects::of).map(Effect::kind)).doesNotContain(TableEffect.REWRITE);
    }

    @Test
    void alterColumnIsAShadowColumnBackfilledInBatchesIndexesBuiltOnlineAndACatalogSwap() {
        Plan plan = plan("""
                  - alter_column: {table: users, column: id, type: bigint}
                """);
        TableEffects effects = BasculeInternals.tableEffects(bascule, plan);

        assertThat(effect(plan, effects, "add column users._bascule_new").kind()).isEqualTo(TableEffect.CATALOG);
        assertThat(effect(plan, effects, "sync trigger on users").kind()).isEqualTo(TableEffect.CATALOG);
        assertThat(effect(plan, effects, "backfill users").kind()).isEqualTo(TableEffect.BATCHED_WRITES);
        Effect index = effect(plan, effects, "build index _bascule_new_users_pkey");
        assertThat(index.kind()).isEqualTo(TableEffect.SCAN);
        assertThat(index.reason()).contains("CONCURRENTLY");
        Effect swap = effect(plan, effects, "swap altered columns of users");
        assertThat(swap.kind()).as(swap.reason()).isEqualTo(TableEffect.CATALOG);
        // orders' foreign key is put back NOT VALID in the swap, then validated: a scan of orders
        Effect fk = effect(plan, effects, "validate orders_user_id_fkey");
        assertThat(fk.kind()).isEqualTo(TableEffect.SCAN);
        assertThat(fk.table()).isEqualTo(new TableRef(schema.name(), "orders"));
        assertThat(effects.tables()).contains(users(), new TableRef(schema.name(), "orders"));
    }

    @Test
    void addCheckIsCatalogOnlyAtStartAndAScanWhenValidated() {
        Plan plan = plan("""
                  - add_check: {table: users, name: users_n_positive, expression: "n > 0"}
                """);
        TableEffects effects = BasculeInternals.tableEffects(bascule, plan);

        assertThat(effect(plan, effects, "add constraint users_n_positive").kind()).isEqualTo(TableEffect.CATALOG);
        assertThat(effect(plan, effects, "validate users_n_positive").kind()).isEqualTo(TableEffect.SCAN);
    }

    @Test
    void createIndexScans() {
        Plan plan = plan("""
                  - create_index: {name: users_email_idx, table: users, columns: [email]}
                """);
        TableEffects effects = BasculeInternals.tableEffects(bascule, plan);

        Effect build = effect(plan, effects, "build index users_email_idx");
        assertThat(build.kind()).isEqualTo(TableEffect.SCAN);
        assertThat(build.table()).isEqualTo(users());
        // rollback drops it again: catalog only
        assertThat(plan.rollback()).isNotEmpty();
        assertThat(effects.of(plan.rollback().get(0)).kind()).isEqualTo(TableEffect.CATALOG);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "UPDATE users SET n = n + 1                                   | writes    | every row",
            "UPDATE users SET n = 0 WHERE id < 10                         | writes    | WHERE",
            "ALTER TABLE users ALTER COLUMN n TYPE bigint                 | rewrite   | ALTER COLUMN TYPE",
            "ALTER TABLE users ALTER COLUMN email TYPE varchar(400)       | unknown   | binary-coercible",
            "ALTER TABLE users ADD COLUMN r float8 DEFAULT random()       | rewrite   | random()",
            "ALTER TABLE users ADD COLUMN f int DEFAULT 0                 | catalog   | ADD COLUMN",
            "ALTER TABLE users ADD COLUMN g int DEFAULT my_func()         | unknown   | my_func()",
            "ALTER TABLE users ALTER COLUMN email SET NOT NULL            | scan      | SET NOT NULL",
            "ALTER TABLE users ADD CONSTRAINT c CHECK (n > 0)             | scan      | ADD CHECK",
            "ALTER TABLE users ADD CONSTRAINT c CHECK (n > 0) NOT VALID   | catalog   | NOT VALID",
            "CREATE INDEX users_n_idx ON users (n)                        | scan      | CREATE INDEX",
            "ALTER TABLE users SET LOGGED                                 | rewrite   | SET LOGGED",
            "VACUUM FULL users                                            | rewrite   | VACUUM FULL",
            "DO $$ BEGIN PERFORM 1; END $$                                | unknown   | DO",
            "ALTER TABLE users RENAME COLUMN n TO m                       | catalog   | RENAME",
    })
    void sqlOperationsAreClassifiedFromTheirStatements(String sql, String expected, String reason) {
        Plan plan = plan("  - sql: {up: \"" + sql + "\"}\n");
        TableEffects effects = BasculeInternals.tableEffects(bascule, plan);

        Effect effect = effect(plan, effects, "sql of operation 1");
        assertThat(effect.kind().label()).as(effect.reason()).isEqualTo(expected);
        assertThat(effect.reason()).contains(reason);
        if (!sql.startsWith("DO") && !sql.startsWith("VACUUM")) {
            assertThat(effect.table()).isEqualTo(users());
        }
    }

    @Test
    void aSqlOperationIsAsCostlyAsItsCostliestStatementAndSetNotNullAfterItsValidationIsCatalogOnly() {
        Plan plan = plan("""
                  - sql:
                      up: |
                        ALTER TABLE users ADD CONSTRAINT email_nn CHECK ("email" IS NOT NULL) NOT VALID;
                        ALTER TABLE users VALIDATE CONSTRAINT email_nn;
                        ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                        UPDATE users SET n = n + 1;
                """);
        Effect effect = BasculeInternals.tableEffects(bascule, plan).of(plan.start().get(0).action());
        assertThat(effect.kind()).isEqualTo(TableEffect.WRITES);

        Plan withoutUpdate = plan("""
                  - sql:
                      up: |
                        ALTER TABLE users ADD CONSTRAINT email_nn CHECK ("email" IS NOT NULL) NOT VALID;
                        ALTER TABLE users VALIDATE CONSTRAINT email_nn;
                        ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                """);
        // the validation is the only scan: SET NOT NULL is spared one by the validated check
        Effect scan = BasculeInternals.tableEffects(bascule, withoutUpdate).of(withoutUpdate.start().get(0).action());
        assertThat(scan.kind()).isEqualTo(TableEffect.SCAN);
        assertThat(scan.reason()).contains("VALIDATE CONSTRAINT");
    }

    @Test
    void costsCombineWithUnknownWinningOverAllButARewrite() {
        assertThat(TableEffect.CATALOG.and(TableEffect.SCAN)).isEqualTo(TableEffect.SCAN);
        assertThat(TableEffect.SCAN.and(TableEffect.BATCHED_WRITES)).isEqualTo(TableEffect.BATCHED_WRITES);
        assertThat(TableEffect.WRITES.and(TableEffect.UNKNOWN)).isEqualTo(TableEffect.UNKNOWN);
        assertThat(TableEffect.UNKNOWN.and(TableEffect.REWRITE)).isEqualTo(TableEffect.REWRITE);
    }

    @Test
    void tableEstimatesComeFromTheStatisticsAfterAnalyze() {
        TableRef orders = new TableRef(schema.name(), "orders");
        TableRef missing = new TableRef(schema.name(), "no_such_table");
        Map<TableRef, TableEstimate> before = BasculeInternals.tableEstimates(bascule, List.of(users(), orders, missing));

        assertThat(before).containsOnlyKeys(users(), orders);
        assertThat(before.get(users()).rows()).isEqualTo(ROWS); // ANALYZE reads every row of a table this small
        assertThat(before.get(users()).bytes()).isEqualTo(Long.parseLong(
                schema.value("SELECT pg_total_relation_size('users')")));
        assertThat(before.get(orders).rows()).as("never analyzed: unknown, not 0").isNull();

        schema.exec("INSERT INTO orders SELECT g, 1 + g % 100 FROM generate_series(1, 300) g", "ANALYZE orders");
        TableEstimate after = BasculeInternals.tableEstimates(bascule, Set.of(orders)).get(orders);
        assertThat(after.rows()).isEqualTo(300);
        assertThat(after.bytes()).isGreaterThan(before.get(orders).bytes());
    }

    @Test
    void aPartitionedTableIsEstimatedFromItsPartitions() {
        schema.exec("CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "INSERT INTO events SELECT g, date '2024-06-01' + (g % 400) FROM generate_series(1, 2000) g",
                "ANALYZE events");
        TableRef events = new TableRef(schema.name(), "events");
        TableEstimate e = BasculeInternals.tableEstimates(bascule, List.of(events)).get(events);

        assertThat(e.rows()).isEqualTo(2000);
        assertThat(e.bytes()).isEqualTo(Long.parseLong(schema.value(
                "SELECT pg_total_relation_size('events_2024') + pg_total_relation_size('events_2025')")));
    }
}
