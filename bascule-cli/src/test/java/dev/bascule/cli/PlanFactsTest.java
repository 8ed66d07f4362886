package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** plan shows each step's effect on its table's rows and the tables' estimated size, in text and JSON. */
class PlanFactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String MIGRATION = """
            operations:
              - add_column:
                  table: users
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
              - create_index: {name: users_email_idx, table: users, columns: [email]}
              - create_table: {name: tags, columns: [{name: id, type: bigint}], primary_key: [id]}
              - sql: {up: "UPDATE users SET name = upper(name)", down: "SELECT 1"}
            """;

    @TempDir
    Path dir;

    TestSchema schema;
    Cli cli;

    @BeforeEach
    void setUp() {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)",
                "INSERT INTO users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, 12000) g",
                "ANALYZE users");
        cli = Cli.on(schema).dir(dir);
    }

    @AfterEach
    void tearDown() {
        schema.close();
    }

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("0001_facts.yaml"), content);
    }

    private long usersBytes() {
        return Long.parseLong(schema.value("SELECT pg_total_relation_size('users')"));
    }

    @Test
    void textShowsTheTablesOnceAndEachStepsEffectWithItsTablesSize() throws IOException {
        Cli.Result r = cli.run("plan", file(MIGRATION).toString());
        assertThat(r.exit()).as(r.toString()).isZero();

        String users = "users ~12 000 rows, " + PlanCommand.bytes(usersBytes());
        assertThat(r.out()).contains("  tables (estimated from the statistics, not counted):\n    " + users + "\n");
        assertThat(r.out()).contains("    tags not in the database yet\n");
        assertThat(r.out()).contains("[backfill] backfill users\n      lock: ROW EXCLUSIVE",
                "      effect: batched_writes (UPDATE of every row in key order, one short transaction per batch) on " + users);
        assertThat(r.out()).contains("[indexes] build index users_email_idx\n", "      effect: scan (CREATE INDEX CONCURRENTLY");
        assertThat(r.out()).contains("      effect: writes (UPDATE writes every row in one transaction) on " + users);
        assertThat(r.out()).contains("      effect: catalog (creates an empty table) on tags not in the database yet");
        // complete: the validation scans, SET NOT NULL then does not
        assertThat(r.out()).contains("      effect: scan (VALIDATE CONSTRAINT reads every row; writes go on) on " + users);
        assertThat(r.out()).contains("      effect: catalog (2 statements, none reads a row; a validated CHECK (... IS NOT NULL)"
                + " spares SET NOT NULL the scan) on " + users);
        // every step has one effect line right after its lock line
        assertThat(r.out().split("\n      lock: ", -1).length).isEqualTo(r.out().split("\n      effect: ", -1).length);
    }

    @Test
    void jsonHasTheTablesAndEachStepsEffectAndEstimate() throws IOException {
        Cli.Result r = cli.run("plan", "--json", file(MIGRATION).toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode plan = JSON.readTree(r.out());

        JsonNode users = plan.get("tables").get("users");
        assertThat(users.get("estimated_rows").asLong()).isEqualTo(12000);
        assertThat(users.get("size_bytes").asLong()).isEqualTo(usersBytes());
        assertThat(plan.get("tables").has("tags")).isTrue();
        assertThat(plan.get("tables").get("tags").isNull()).as("not in the database yet").isTrue();

        List<String> effects = new ArrayList<>();
        for (String phase : List.of("start", "validate", "complete", "rollback")) {
            for (JsonNode step : plan.get(phase)) {
                String effect = step.get("table_effect").asText();
                assertThat(effect).isIn("catalog", "scan", "batched_writes", "writes", "rewrite", "unknown");
                assertThat(step.get("table_effect_reason").asText()).isNotBlank();
                effects.add(phase + ":" + step.get("description").asText() + "=" + effect);
            }
        }
        assertThat(effects).contains("start:backfill users=batched_writes", "start:build index users_email_idx=scan",
                "start:sql of operation 4=writes", "start:create table tags=catalog",
                "complete:set users.email_lower not null=catalog");
        assertThat(effects).anyMatch(e -> e.startsWith("validate:") && e.endsWith("=scan"));

        JsonNode backfill = stepOf(plan.get("start"), "backfill users");
        assertThat(backfill.get("effect_table").asText()).isEqualTo("users");
        assertThat(backfill.get("table_estimate").get("estimated_rows").asLong()).isEqualTo(12000);
        assertThat(backfill.get("table_estimate").get("size_bytes").asLong()).isEqualTo(usersBytes());
        JsonNode view = stepOf(plan.get("start"), "create version schema");
        assertThat(view.get("table_effect").asText()).isEqualTo("catalog");
        assertThat(view.get("effect_table").isNull()).isTrue();
    }

    @Test
    void aTableNeverAnalyzedHasUnknownRowsNotZero() throws IOException {
        schema.exec("CREATE TABLE fresh (id bigint PRIMARY KEY, v int)", "INSERT INTO fresh SELECT g, g FROM generate_series(1, 50) g");
        Path m = file("""
                operations:
                  - add_check: {table: fresh, name: fresh_v_positive, expression: "v > 0"}
                """);

        Cli.Result text = cli.run("plan", m.toString());
        assertThat(text.exit()).as(text.toString()).isZero();
        assertThat(text.out()).contains("    fresh rows unknown (never analyzed), ");

        JsonNode fresh = JSON.readTree(cli.run("plan", "--json", m.toString()).out()).get("tables").get("fresh");
        assertThat(fresh.get("estimated_rows").isNull()).isTrue();
        assertThat(fresh.get("size_bytes").asLong()).isPositive();
    }

    @Test
    void sizesArePrintedAsPostgresPrintsThem() {
        assertThat(PlanCommand.bytes(8192)).isEqualTo("8192 bytes");
        assertThat(PlanCommand.bytes(10 * 1024)).isEqualTo("10 kB");
        assertThat(PlanCommand.bytes(12L * 1024 * 1024)).isEqualTo("12 MB");
        assertThat(PlanCommand.rows(100_000)).isEqualTo("~100 000 rows");
        assertThat(PlanCommand.rows(1)).isEqualTo("~1 row");
    }

    private static JsonNode stepOf(JsonNode steps, String descriptionStart) {
        for (JsonNode step : steps) {
            if (step.get("description").asText().startsWith(descriptionStart)) {
                return step;
            }
        }
        throw new AssertionError("no step " + descriptionStart + " in " + steps);
    }
}
