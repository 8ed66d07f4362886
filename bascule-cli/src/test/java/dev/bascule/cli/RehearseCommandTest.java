package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.testing.CatalogSnapshot;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** bascule rehearse: exit 0 when the guarantees held, 3 when the migration failed on the copy, 2 for bad input. */
class RehearseCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] QUICK = {"--sample-rows", "300", "--clients", "2", "--side-by-side", "500", "--margin", "2000"};

    @TempDir
    Path dir;

    TestSchema schema;
    Cli cli;

    @BeforeEach
    void setUp() {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text)",
                "CREATE TABLE posts (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), title text NOT NULL)",
                "INSERT INTO users (name, email) SELECT 'u' || g, 'U' || g || '@Example.org' FROM generate_series(1, 1000) g",
                "INSERT INTO posts (user_id, title) SELECT 1 + g % 1000, 'post ' || g FROM generate_series(1, 3000) g",
                "ANALYZE users", "ANALYZE posts");
        cli = Cli.on(schema).dir(dir);
    }

    @AfterEach
    void tearDown() {
        schema.close();
    }

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("0001_rehearsed.yaml"), content);
    }

    private List<String> realCatalog() throws SQLException {
        try (Connection c = schema.dataSource().getConnection()) {
            return CatalogSnapshot.take(c, schema.name(), schema.stateSchema());
        }
    }

    private Cli.Result rehearse(String... args) {
        List<String> all = new ArrayList<>(List.of("rehearse"));
        all.addAll(List.of(QUICK));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    private long schemas(String like) {
        return Long.parseLong(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" + like + "'"));
    }

    @Test
    void reportsPhasesLocksClientsAndExitsZeroWhenTheGuaranteesHeld() throws IOException, SQLException {
        List<String> before = realCatalog();
        file("""
                operations:
                  - add_column:
                      table: users
                      column: {name: email_lower, type: text, nullable: false, default: "''"}
                      up: "coalesce(lower(email), '')"
                  - rename_column: {table: posts, from: title, to: headline}
                """);

        Cli.Result r = rehearse("0001_rehearsed.yaml");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Rehearsal of 0001_rehearsed in scratch schema " + schema.name() + "_rehearsal_")
                .contains("copied from " + schema.name() + ": posts ", "users 300 of ~1 000 rows")
                .containsPattern("start +\\d+ ms  ok").containsPattern("complete +\\d+ ms  ok")
                .contains("backfill users").contains("longest held: ")
                .containsPattern("old +2 ").containsPattern("new +2 ")
                .contains("The real tables' catalog and the real state schema are as they were.")
                .contains("Rehearsal met the guarantees");
        assertThat(realCatalog()).isEqualTo(before);
        assertThat(schemas(schema.name() + "\\_rehearsal\\_%")).isZero();
        assertThat(schemas(schema.stateSchema())).isZero();
    }

    @Test
    void jsonReportAndKeep() throws IOException {
        file("""
                operations:
                  - create_index: {name: posts_user_idx, table: posts, columns: [user_id]}
                """);
        String scratch = schema.name() + "_kept";

        Cli.Result r = rehearse("0001_rehearsed.yaml", "--json", "--keep", "--scratch-schema", scratch, "--rollback");

        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode json = JSON.readTree(r.out()); // stdout is the JSON document alone
        assertThat(json.get("met_guarantees").asBoolean()).isTrue();
        assertThat(json.get("scratch_schema").asText()).isEqualTo(scratch);
        assertThat(json.get("kept").asBoolean()).isTrue();
        assertThat(json.get("phases").findValuesAsText("name")).containsExactly("start", "rollback");
        assertThat(json.get("tables").findValuesAsText("name")).containsExactly("posts", "users");
        assertThat(json.get("clients").findValuesAsText("version")).containsExactly("old", "new");
        assertThat(json.get("clients").get(0).get("errors").asLong()).isZero();
        assertThat(json.get("clients").get(0).get("selects").asLong()).isPositive();
        assertThat(json.get("real_catalog_unchanged").asBoolean()).isTrue();
        assertThat(schemas(scratch)).isOne();
        // kept by a role of their own that is no superuser (issue 14), every kept schema named
        assertThat(json.get("notes").toString()).contains("kept: schemas " + scratch + ", " + scratch + "_bascule")
                .contains("owned by the role bascule_rehearsal_kept_");
        assertThat(schema.value("SELECT r.rolsuper OR r.rolcanlogin FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner"
                + " WHERE n.nspname = '" + scratch + "'")).isEqualTo("f");
        // the sample, and the copies of rows the synthetic clients inserted
        assertThat(Long.parseLong(schema.value("SELECT count(*) FROM " + scratch + ".posts")))
                .isGreaterThanOrEqualTo(json.get("tables").get(0).get("rows_copied").asLong());
        assertThat(schema.value("SELECT to_regclass('" + scratch + ".posts_user_idx')")).isNull(); // rolled back on the copy
    }

    @Test
    void aCheckExistingRowsBreakIsExitThreeWithTheReason() throws IOException, SQLException {
        List<String> before = realCatalog();
        file("""
                operations:
                  - add_check: {table: posts, name: posts_title_short, expression: "length(title) < 8"}
                """);

        Cli.Result r = rehearse("0001_rehearsed.yaml");

        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).contains("complete  ").contains("FAILED").contains("posts_title_short")
                .containsPattern("rollback +\\d+ ms  ok")
                .contains("Rehearsal did NOT meet the guarantees:\n  - complete failed: ");
        assertThat(realCatalog()).isEqualTo(before);
        assertThat(schemas(schema.name() + "\\_rehearsal\\_%")).isZero();
    }

    @Test
    void sqlThatMovesToTheSchemaPublicCannotDeleteARealRow() throws IOException {
        String victim = "victim_" + schema.name(); // in public: its name must be this test's own
        schema.exec("CREATE TABLE public." + victim + " (id int PRIMARY KEY)", "INSERT INTO public." + victim + " VALUES (1), (2)");
        try {
            for (String attack : List.of("SET search_path = public; DELETE FROM " + victim + " WHERE id = 1",
                    "RESET ROLE; SET search_path = public; DELETE FROM " + victim + " WHERE id = 1")) {
                file("""
                        operations:
                          - add_column: {table: users, column: {name: nickname, type: text}}
                          - sql: {up: "%s"}
                        """.formatted(attack));

                Cli.Result r = rehearse("0001_rehearsed.yaml");

                assertThat(schema.column("SELECT id::text FROM public." + victim + " ORDER BY id")).as(attack)
                        .containsExactly("1", "2");
                assertThat(r.exit()).as(r.toString()).isEqualTo(3);
                assertThat(r.out()).contains("Rehearsal did NOT meet the guarantees:\n  - start failed: ")
                        .contains("permission denied for table " + victim)
                        .contains("ran as the temporary role bascule_rehearse_")
                        .doesNotContain("Rehearsal met the guarantees");
                assertThat(schemas(schema.name() + "\\_rehearsal\\_%")).isZero();
            }
        } finally {
            schema.exec("DROP TABLE IF EXISTS public." + victim);
        }
    }

    @Test
    void badInputIsExitTwoAndCreatesNothing() throws IOException, SQLException {
        List<String> before = realCatalog();
        file("operations:\n  - sql: {up: \"UPDATE " + schema.name() + ".users SET name = upper(name)\", down: \"SELECT 1\"}\n");

        Cli.Result qualified = rehearse("0001_rehearsed.yaml");
        assertThat(qualified.exit()).as(qualified.toString()).isEqualTo(2);
        assertThat(qualified.err()).contains("names schema " + schema.name() + " explicitly");

        // a DO block could name the real schema in a way the tokens do not show
        file("operations:\n  - sql: {up: \"DO $$ BEGIN EXECUTE 'UPDATE ' || 'users SET name = 1'; END $$\", down: \"SELECT 1\"}\n");
        Cli.Result opaque = rehearse("0001_rehearsed.yaml");
        assertThat(opaque.exit()).as(opaque.toString()).isEqualTo(2);
        assertThat(opaque.err()).contains("a DO block, a dollar-quoted body or EXECUTE");

        file("operations:\n  - sql: {up: \"UPDATE users SET name = upper(name)\", down: \"SELECT 1\"}\n");
        Cli.Result both = cli.run("rehearse", "0001_rehearsed.yaml", "--sample-rows", "10", "--sample-percent", "5");
        assertThat(both.exit()).as(both.toString()).isEqualTo(2);
        assertThat(both.err()).contains("exclude each other");

        Cli.Result taken = rehearse("0001_rehearsed.yaml", "--scratch-schema", schema.name());
        assertThat(taken.exit()).as(taken.toString()).isEqualTo(2);
        assertThat(taken.err()).contains("schema " + schema.name() + " already exists");

        file("operations:\n  - add_column: {table: usrs, column: {name: x, type: int}}\n");
        Cli.Result unknown = rehearse("0001_rehearsed.yaml");
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("0001_rehearsed.yaml").contains("usrs");

        assertThat(realCatalog()).isEqualTo(before);
        assertThat(schemas(schema.name() + "\\_rehearsal\\_%")).isZero();
    }
}
