package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line against a real PostgreSQL, one schema and state schema per test. */
class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ADD_EMAIL_LOWER = """
            operations:
              - add_column:
                  table: users
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
            """;

    @TempDir
    Path dir;

    TestSchema schema;
    Cli cli;

    @BeforeEach
    void setUp() {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)",
                "INSERT INTO users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, 3000) g");
        cli = Cli.on(schema).dir(dir);
    }

    @AfterEach
    void tearDown() {
        schema.close();
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    private boolean stateSchemaExists() {
        return "true".equals(schema.value("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '" + schema.stateSchema() + "')::text"));
    }

    private List<String> columns(String table) {
        return schema.column("SELECT attname FROM pg_attribute WHERE attrelid = '" + schema.name() + "." + table
                + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    }

    @Test
    void baselinePublishesAFirstVersionThatHistoryAndLatestShowAndTheNextMigrationReplaces() throws IOException {
        Cli.Result r = cli.run("baseline");
        assertThat(r.exit()).as(r.err()).isZero();
        String baseline = schema.name() + "_baseline";
        assertThat(r.out()).contains("published version " + baseline);
        assertThat(cli.run("latest").out().strip()).isEqualTo(baseline);
        assertThat(schema.value("SELECT count(*) FROM pg_views WHERE schemaname = '" + baseline + "' AND viewname = 'users'"))
                .isEqualTo("1");
        assertThat(cli.run("history").out()).contains("baseline").contains("completed").contains("(baseline)");
        JsonNode h = JSON.readTree(cli.run("history", "--json").out());
        assertThat(h.get(0).get("baseline").asBoolean()).isTrue();
        Cli.Result again = cli.run("baseline");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already baselined");

        Path m = file("0001_email.yaml", ADD_EMAIL_LOWER);
        assertThat(cli.run("start", m.toString()).exit()).isZero();
        assertThat(cli.run("baseline").out()).contains("already baselined"); // the baseline stays a no-op
        assertThat(cli.run("complete", "--yes").exit()).isZero();
        assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + baseline + "'")).isEqualTo("0");
        assertThat(cli.run("latest").out().strip()).isEqualTo(schema.name() + "_0001_email");
        Cli.Result badName = cli.run("baseline", "--name", "bad-name");
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).contains("invalid baseline name");
    }

    @Test
    void aSchemaWithTheBaselinesNameThatBasculeDidNotMakeIsExit2AndLeftAlone() {
        String foreign = schema.name() + "_baseline";
        schema.exec("CREATE SCHEMA " + foreign, "CREATE TABLE " + foreign + ".important (id int)",
                "INSERT INTO " + foreign + ".important VALUES (42)");
        Cli.Result r = cli.run("baseline");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(foreign);
        assertThat(schema.value("SELECT id FROM " + foreign + ".important")).isEqualTo("42");
        assertThat(cli.run("history").out()).contains("no migrations yet");
        assertThat(cli.run("baseline", "--name", "v0").exit()).isZero();
    }

    @Test
    void baselineIsExit3OnceAMigrationIsActiveWithoutOne() throws IOException {
        assertThat(cli.run("start", file("0001_email.yaml", ADD_EMAIL_LOWER).toString()).exit()).isZero();
        Cli.Result active = cli.run("baseline");
        assertThat(active.exit()).isEqualTo(3);
        assertThat(active.err()).contains("0001_email is started");
        assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema.name() + "_baseline'")).isEqualTo("0");
    }

    // ---- bad input: exit 2, file:line:col and field, nothing changed ----------------------------

    @Test
    void unknownOperationIsExit2WithPositionAndFieldAndChangesNothing() throws IOException {
        Path bad = file("0001_bad.yaml", """
                operations:
                  - add_colum:
                      table: users
                """);
        for (String command : List.of("plan", "start")) {
            Cli.Result r = cli.run(command, bad.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).startsWith("bascule: error: ")
                    .contains("0001_bad.yaml:2:5")
                    .contains("operations[0].add_colum")
                    .contains("unknown operation 'add_colum'");
            assertThat(r.out()).isEmpty();
        }
        assertThat(stateSchemaExists()).isFalse();
        assertThat(columns("users")).containsExactly("id", "name", "email");
    }

    @Test
    void aSchemaWithTheVersionsNameThatBasculeDidNotMakeIsExit2AndLeftAlone() throws IOException {
        String foreign = schema.name() + "_coll";
        schema.exec("CREATE SCHEMA " + foreign, "CREATE TABLE " + foreign + ".important (id int PRIMARY KEY)",
                "INSERT INTO " + foreign + ".important VALUES (42)");
        Path m = file("coll.yaml", ADD_EMAIL_LOWER);
        for (String command : List.of("plan", "start")) {
            Cli.Result r = cli.run(command, m.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("coll.yaml").contains("schema " + foreign + " exists and was not made by Bascule")
                    .contains("another name");
        }
        assertThat(schema.value("SELECT id FROM " + foreign + ".important")).isEqualTo("42");
        assertThat(stateSchemaExists()).isFalse();
        assertThat(columns("users")).containsExactly("id", "name", "email");
    }

    @Test
    void whatStartsDdlWouldRefuseIsExit2AtPlanAndStartChangesNothing() throws IOException {
        StringBuilder wide = new StringBuilder("operations:\n  - create_table:\n      name: wide\n      columns:\n");
        for (int c = 0; c < 20_000; c++) {
            wide.append("        - {name: c").append(c).append(", type: int}\n");
        }
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("0001_type.yaml|2:|operations[0].add_column.column.type|no_such_type", "operations:\n  - add_column:"
                + " {table: users, column: {name: mood, type: no_such_type}}\n");
        cases.put("0001_default.yaml|2:|operations[0].create_table.columns[1].default|no_such_function", "operations:\n"
                + "  - create_table: {name: events, columns: [{name: id, type: bigint}, {name: at, type: int, default:"
                + " \"no_such_function()\"}], primary_key: [id]}\n");
        cases.put("0001_reads.yaml|2:|operations[0].create_table.name|_bascule", "operations:\n  - create_table:"
                + " {name: _bascule_reads, columns: [{name: id, type: bigint}]}\n");
        cases.put("0001_wide.yaml|5:9|operations[0].create_table.columns|20000 items: at most 1600", wide.toString());
        for (Map.Entry<String, String> e : cases.entrySet()) {
            String[] expected = e.getKey().split("\\|");
            Path bad = file(expected[0], e.getValue());
            for (String command : List.of("plan", "start")) {
                long started = System.nanoTime();
                Cli.Result r = cli.run(command, bad.toString());
                assertThat(r.exit()).as(command + " " + expected[0] + ": " + r).isEqualTo(2);
                assertThat(r.err()).contains(expected[0] + ":" + expected[1]).contains(expected[2]).contains(expected[3]);
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("refused quickly")
                        .isLessThan(java.time.Duration.ofSeconds(10));
            }
        }
        assertThat(stateSchemaExists()).isFalse();
        assertThat(schema.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema.name()
                + "'")).containsExactly("users");
        assertThat(columns("users")).containsExactly("id", "name", "email");
    }

    @Test
    void aTableAMigrationOfAnotherStateSchemaChangesIsExit3() throws IOException {
        Path a = file("a_alter.yaml", "operations:\n  - alter_column: {table: users, column: name, type: varchar(80)}\n");
        Path b = file("b_drop.yaml", "operations:\n  - drop_column: {table: users, column: name}\n");
        assertThat(cli.run("start", a.toString()).exit()).isZero();
        Cli other = new Cli().dir(dir).globals("--url", PostgresServer.jdbcUrl(), "--schema", schema.name(),
                "--state-schema", schema.name() + "_other");
        for (String command : List.of("plan", "start")) {
            Cli.Result r = other.run(command, b.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).contains("migration a_alter").contains("state schema " + schema.stateSchema());
        }
        schema.exec("INSERT INTO users (name, email) VALUES ('late', 'x')"); // a's trigger still works
        assertThat(cli.run("complete", "--yes").exit()).isZero();
        assertThat(schema.value("SELECT count(*) FROM users WHERE name = 'late'")).isEqualTo("1");
    }

    @Test
    void unknownColumnIsCheckedAgainstTheLiveCatalogByPlan() throws IOException {
        Path bad = file("0001_drop.yaml", """
                operations:
                  - drop_column: {table: users, column: nosuch}
                """);
        Cli.Result r = cli.run("plan", bad.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("0001_drop.yaml:2:").contains("operations[0].drop_column.column").contains("nosuch");
        assertThat(stateSchemaExists()).as("plan creates no state schema").isFalse();
        assertThat(columns("users")).containsExactly("id", "name", "email");
    }

    @Test
    void unknownColumnRefusedByStartChangesNoTable() throws IOException {
        Path bad = file("0001_bad_up.yaml", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email_lower, type: text}
                      up: lower(no_such_column)
                """);
        Cli.Result r = cli.run("start", bad.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("0001_bad_up.yaml:").contains("operations[0].add_column.up");
        assertThat(columns("users")).containsExactly("id", "name", "email");
        assertThat(cli.run("status").out()).contains("no active migration");
        assertThat(cli.run("history").out()).contains("no migrations yet");
    }

    @Test
    void planPrintsEveryPhaseAndChangesNothing() throws IOException {
        Path m = file("0001_users.yaml", ADD_EMAIL_LOWER);
        Cli.Result r = cli.run("plan", m.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("start (expand + backfill)", "[backfill] backfill users", "lock: ",
                "complete (contract", "rollback (instead of complete)", "ALTER TABLE", "Nothing was changed");

        Cli.Result json = cli.run("plan", "--json", m.toString());
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode plan = JSON.readTree(json.out());
        assertThat(plan.get("version_schema").asText()).isEqualTo(schema.name() + "_0001_users");
        assertThat(plan.get("start")).isNotEmpty();
        for (JsonNode step : plan.get("start")) {
            assertThat(step.get("stage").asText()).isNotBlank();
            assertThat(step.get("lock").asText()).isNotBlank();
        }
        assertThat(plan.get("complete")).isNotEmpty();
        assertThat(plan.get("rollback")).isNotEmpty();

        assertThat(stateSchemaExists()).isFalse();
        assertThat(columns("users")).containsExactly("id", "name", "email");
    }

    // ---- the life of a migration -----------------------------------------------------------

    @Test
    void lintExitCodesAndFormats() throws IOException {
        Path bad = file("sql/V1__bad.sql", "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n");
        Path warn = file("sql/V2__warn.sql", "SET lock_timeout = '1s';\nCREATE TABLE logs (id bigint PRIMARY KEY, doc json);\n");
        Cli.Result r = cli.run("lint", bad.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).contains("V1__bad.sql:3: error [set-not-null]", "instead: ", "1 error(s), 0 warning(s)");
        Cli.Result w = cli.run("lint", warn.toString());
        assertThat(w.exit()).as(w.toString()).isZero();
        assertThat(w.out()).contains("warning [json-type]");
        Cli.Result gh = cli.run("lint", "--format", "github", dir.resolve("sql").toString());
        assertThat(gh.exit()).isEqualTo(3);
        assertThat(gh.out()).contains("::error file=" + bad + ",line=3,title=set-not-null::", "::warning file=" + warn + ",line=2,title=json-type::");
        JsonNode json = JSON.readTree(cli.run("lint", "--format", "json", bad.toString()).out());
        assertThat(json.get(0).get("rule").asText()).isEqualTo("set-not-null");
        assertThat(json.get(0).get("line").asInt()).isEqualTo(3);
        Cli.Result missing = cli.run("lint", dir.resolve("nope.sql").toString());
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.sql");
    }

    @Test
    void verifyReportsDifferingRowsWithExit3AndCompleteIsRefused() throws IOException {
        assertThat(cli.run("verify").out()).contains("nothing to verify");
        Path m = file("0001_email.yaml", """
                operations:
                  - alter_column: {table: users, column: email, type: varchar(100), up: lower(email), down: email}
                """);
        assertThat(cli.run("start", m.toString()).exit()).isZero();
        Cli.Result ok = cli.run("verify");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).isEqualTo("users: 3000 rows checked, all match\n");

        schema.exec("SET bascule.backfill = 'on'", "UPDATE users SET _bascule_new_email = 'x' WHERE id IN (7, 9)");
        Cli.Result bad = cli.run("verify");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(3);
        assertThat(bad.out()).contains("users: 3000 rows checked, 2 differ", "key (7): column email", "key (9): column email");
        JsonNode json = JSON.readTree(cli.run("verify", "--json").out());
        assertThat(json.get(0).get("mismatched").asLong()).isEqualTo(2);
        Cli.Result complete = cli.run("complete", "--yes");
        assertThat(complete.exit()).as(complete.toString()).isEqualTo(3);
        assertThat(complete.err()).contains("verified:");
        assertThat(cli.run("complete", "--yes", "--force-gate", "verified").exit()).isZero();
        assertThat(cli.run("history").out()).contains("forced gates: verified");
    }

    @Test
    void startStatusLatestCompleteHistory() throws IOException {
        Path m = file("0001_users.yaml", ADD_EMAIL_LOWER);
        String version = schema.name() + "_0001_users";

        Cli.Result start = cli.run("start", m.toString(), "--batch-size", "500");
        assertThat(start.exit()).as(start.toString()).isZero();
        assertThat(start.out()).contains("[start 1/", "lock: ", "backfill users: 3,000/3,000 rows (100%)", "started 0001_users");

        Cli.Result status = cli.run("status", "--json");
        assertThat(status.exit()).as(status.toString()).isZero();
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.at("/active/name").asText()).isEqualTo("0001_users");
        assertThat(s.at("/active/phase").asText()).isEqualTo("started");
        assertThat(s.at("/active/backfills/0/rows_done").asLong()).isEqualTo(3000);
        assertThat(s.at("/active/backfills/0/finished").asBoolean()).isTrue();
        assertThat(cli.run("status").out()).contains("active migration: 0001_users", "phase:           started");

        Cli.Result latest = cli.run("latest");
        assertThat(latest.exit()).isZero();
        assertThat(latest.out()).isEqualTo(version + System.lineSeparator());

        Cli.Result again = cli.run("start", m.toString());
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("already started");

        Cli.Result complete = cli.run("complete", "--yes");
        assertThat(complete.exit()).as(complete.toString()).isZero();
        assertThat(complete.out()).contains("[complete 1/", "completed 0001_users");
        assertThat(schema.value("SELECT count(*) FROM users WHERE email_lower IS NULL")).isEqualTo("0");

        Cli.Result history = cli.run("history");
        assertThat(history.exit()).isZero();
        assertThat(history.out()).contains("0001_users").contains("completed");
        JsonNode h = JSON.readTree(cli.run("history", "--json").out());
        assertThat(h).hasSize(1);
        assertThat(h.get(0).get("phase").asText()).isEqualTo("completed");
        assertThat(h.get(0).get("checksum").asText()).hasSize(64);

        assertThat(cli.run("status").out()).contains("no active migration");
        assertThat(cli.run("complete", "--yes").out()).contains("nothing to complete");
    }

    @Test
    void rollbackRestoresTheDatabase() throws IOException {
        Path m = file("0001_users.yaml", ADD_EMAIL_LOWER);
        assertThat(cli.run("start", m.toString()).exit()).isZero();
        assertThat(columns("users")).contains("email_lower");

        Cli.Result r = cli.run("rollback");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("[rollback 1/", "rolled back 0001_users");
        assertThat(columns("users")).containsExactly("id", "name", "email");
        assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema.name() + "_0001_users'")).isEqualTo("0");
        assertThat(cli.run("latest").out().strip()).isEqualTo(schema.name());
        assertThat(cli.run("history").out()).contains("rolled_back");

        Cli.Result again = cli.run("rollback");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("nothing to roll back");
    }

    @Test
    void completeWithoutYesAndWithoutConsoleIsRefusedWithExit2() throws IOException {
        assertThat(cli.run("start", file("0001_users.yaml", ADD_EMAIL_LOWER).toString()).exit()).isZero();
        Cli.Result r = cli.run("complete");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("bascule: error: ").contains("--yes");
        assertThat(cli.run("status", "--json").out()).contains("\"phase\" : \"started\"");
    }

    @Test
    void completeAsksOnTheConsole() throws IOException {
        assertThat(cli.run("start", file("0001_users.yaml", ADD_EMAIL_LOWER).toString()).exit()).isZero();

        Cli.FakeConsole no = new Cli.FakeConsole("n");
        Cli.Result declined = cli.terminal(no).run("complete");
        assertThat(no.asked).containsExactly("Complete migration 0001_users? This cannot be undone [y/N] ");
        assertThat(declined.exit()).as(declined.toString()).isEqualTo(1);
        assertThat(declined.err()).contains("cancelled");
        assertThat(cli.run("status", "--json").out()).contains("\"phase\" : \"started\"");

        Cli.Result accepted = cli.terminal(new Cli.FakeConsole("y")).run("complete");
        assertThat(accepted.exit()).as(accepted.toString()).isZero();
        assertThat(cli.terminal(Terminal.NONE).run("history").out()).contains("completed");
    }

    @Test
    void forceGateWithAnUnknownNameIsExit2() throws IOException {
        assertThat(cli.run("start", file("0001_users.yaml", ADD_EMAIL_LOWER).toString()).exit()).isZero();
        Cli.Result r = cli.run("complete", "--yes", "--force-gate", "no_such_gate");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("no_such_gate").contains("backfill_finished");
        assertThat(cli.run("status", "--json").out()).contains("\"phase\" : \"started\"");
    }

    @Test
    void noBackfillThenAClosedGateIsExit3AndForcingItIsRecorded() throws IOException {
        schema.exec("CREATE TABLE legacy (id bigint PRIMARY KEY)", "CREATE TABLE notes (id bigint PRIMARY KEY, legacy_id bigint)");
        Path m = file("0001_users.yaml", ADD_EMAIL_LOWER + "  - drop_table: {name: legacy}\n");
        Cli.Result start = cli.run("start", "--no-backfill", m.toString());
        assertThat(start.exit()).as(start.toString()).isZero();
        assertThat(start.out()).contains("--no-backfill");

        Cli.Result early = cli.run("complete", "--yes");
        assertThat(early.exit()).as(early.toString()).isEqualTo(1);
        assertThat(early.err()).contains("has not finished");

        // running start again does the backfill it left out and publishes the new version
        assertThat(cli.run("start", m.toString()).exit()).isZero();
        schema.exec("CREATE VIEW legacy_report AS SELECT id FROM legacy"); // someone still uses the table
        Cli.Result refused = cli.run("complete", "--yes");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).startsWith("bascule: error: complete refused").contains("no_references")
                .contains("legacy_report");

        schema.exec("DROP VIEW legacy_report");
        Cli.Result complete = cli.run("complete", "--yes", "--force-gate", "backfill_finished");
        assertThat(complete.exit()).as(complete.toString()).isZero();
        assertThat(schema.value("SELECT array_to_string(forced_gates, ',') FROM " + schema.stateSchema() + ".migrations"))
                .isEqualTo("backfill_finished");
        Cli.Result history = cli.run("history");
        assertThat(history.out()).contains("(forced gates: backfill_finished)");
    }

    @Test
    void aSecondProcessIsRefusedWhileTheAdvisoryLockIsHeld() throws Exception {
        Path m = file("0001_users.yaml", ADD_EMAIL_LOWER);
        try (Connection other = PostgresServer.dataSource().getConnection()) {
            try (PreparedStatement ps = other.prepareStatement("SELECT pg_advisory_lock(hashtext('bascule:' || ?))")) {
                ps.setString(1, schema.stateSchema());
                ps.executeQuery().close();
            }
            Cli.Result r = cli.run("start", m.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).startsWith("bascule: error: ").contains("another Bascule command");
        }
        assertThat(columns("users")).containsExactly("id", "name", "email");
        assertThat(cli.run("start", m.toString()).exit()).as("the lock is gone with its session").isZero();
    }

    @Test
    void migrateAppliesFilesInOrderAndRerunningIsANoOp() throws IOException {
        Path migrations = dir.resolve("migrations");
        // 0002 needs what 0001 adds: only file-name order works
        file("migrations/0002_index_email_lower.yaml", """
                operations:
                  - create_index: {name: users_email_lower_idx, table: users, columns: [email_lower]}
                """);
        file("migrations/0001_email_lower.yaml", ADD_EMAIL_LOWER);
        file("migrations/README.md", "not a migration");

        Cli.Result r = cli.run("migrate", migrations.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("applied 2 migrations: 0001_email_lower, 0002_index_email_lower");
        assertThat(r.out().indexOf("0001_email_lower")).isLessThan(r.out().indexOf("0002_index_email_lower"));
        assertThat(schema.value("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + schema.name()
                + "' AND indexname = 'users_email_lower_idx'")).isEqualTo("1");

        JsonNode history = JSON.readTree(cli.run("history", "--json").out());
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("name").asText()).isEqualTo("0001_email_lower");
        assertThat(history.get(1).get("name").asText()).isEqualTo("0002_index_email_lower");
        assertThat(history.get(1).get("phase").asText()).isEqualTo("completed");

        Cli.Result again = cli.run("migrate", migrations.toString());
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("nothing to migrate");
        assertThat(JSON.readTree(cli.run("history", "--json").out())).hasSize(2);
        assertThat(cli.run("latest").out().strip()).isEqualTo(schema.name() + "_0002_index_email_lower");
    }

    @Test
    void migrateRefusesAFolderOfFlywaySqlFilesInsteadOfSayingNothingToMigrate() throws IOException {
        Path flyway = dir.resolve("flyway");
        file("flyway/V1__init.sql", "CREATE TABLE shop (id bigint PRIMARY KEY);");
        file("flyway/V2__add_name.sql", "ALTER TABLE shop ADD COLUMN name text;");
        file("flyway/.gitkeep", "");

        Cli.Result r = cli.run("migrate", flyway.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("V1__init.sql is a SQL file: Bascule migrations are .yaml, .yml or .json files;"
                + " see `bascule lint` for SQL files", "V2__add_name.sql is a SQL file").doesNotContain(".gitkeep");
        assertThat(r.out()).doesNotContain("nothing to migrate");
        assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema.stateSchema() + "'"))
                .as("nothing was run").isEqualTo("0");
    }

    @Test
    void migrateRefusesAnEntryThatIsNotAMigrationBeforeRunningAny() throws IOException {
        Path migrations = dir.resolve("migrations");
        file("migrations/0001_email_lower.yaml", ADD_EMAIL_LOWER);
        file("migrations/0002_index.yam", "operations: []");
        file("migrations/README.md", "how we migrate");
        Files.createDirectories(migrations.resolve("old"));

        Cli.Result r = cli.run("migrate", migrations.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("0002_index.yam is not a migration", "old is a folder").doesNotContain("README.md");
        assertThat(columns("users")).as("0001 was not run either").containsExactly("id", "name", "email");
    }

    @Test
    void migrateRefusesAFolderWithoutMigrations() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        file("empty/.gitkeep", "");
        Cli.Result r = cli.run("migrate", empty.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("holds no migration", "only .gitkeep");
    }

    @Test
    void pauseAndResumeAreShownByStatus() throws IOException {
        assertThat(cli.run("pause").exit()).as("nothing to pause").isEqualTo(1);
        assertThat(cli.run("start", "--no-backfill", file("0001_users.yaml", ADD_EMAIL_LOWER).toString()).exit()).isZero();
        assertThat(cli.run("pause").exit()).isZero();
        assertThat(cli.run("status").out()).contains("paused", "(bascule resume to go on)");
        assertThat(cli.run("status", "--json").out()).contains("\"paused\" : true", "\"pause_reason\"");
        assertThat(cli.run("resume").exit()).isZero();
        assertThat(cli.run("status", "--json").out()).contains("\"paused\" : false");
    }

    @Test
    void initIsIdempotent() {
        Cli.Result first = cli.run("init");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out()).contains(schema.stateSchema());
        assertThat(stateSchemaExists()).isTrue();
        assertThat(cli.run("init").exit()).isZero();
    }

    // ---- settings: option > environment > config file ------------------------------------

    @Test
    void globalSettingsComeFromOptionThenEnvironmentThenConfigFile() throws IOException {
        // latest prints the base schema while nothing ran: it shows which schema won
        file("bascule.yaml", "url: " + PostgresServer.jdbcUrl() + "\nschema: from_file\nstate_schema: " + schema.stateSchema() + "\n");
        Cli bare = new Cli().dir(dir);
        assertThat(bare.run("latest").out().strip()).isEqualTo("from_file");
        assertThat(bare.env(Map.of("BASCULE_SCHEMA", "from_env")).run("latest").out().strip()).isEqualTo("from_env");
        assertThat(bare.env(Map.of("BASCULE_SCHEMA", "from_env")).run("--schema", "from_option", "latest").out().strip())
                .isEqualTo("from_option");
        assertThat(bare.env(Map.of()).run("latest", "--schema", "after_the_command").out().strip())
                .as("global options are accepted after the command too").isEqualTo("after_the_command");

        file("other.yaml", "url: " + PostgresServer.jdbcUrl() + "\nschema: from_other\nstate_schema: " + schema.stateSchema() + "\n");
        assertThat(bare.run("--config", "other.yaml", "latest").out().strip()).isEqualTo("from_other");

        Cli.Result missing = bare.run("--config", "missing.yaml", "latest");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.yaml");

        file("typo.yaml", "urll: x\n");
        Cli.Result typo = bare.run("--config", "typo.yaml", "latest");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown key 'urll'");
    }

    @Test
    void relativeFileArgumentsAreResolvedFromTheWorkingDirectory() throws IOException {
        file("m/0001_users.yaml", ADD_EMAIL_LOWER);
        Cli.Result r = cli.run("plan", "m/0001_users.yaml");
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    // ---- passwords ----------------------------------------------------------------------

    @Test
    void thePasswordNeverAppearsInOutput() {
        String secret = "s3cr3t-value";
        List<List<String>> attempts = List.of(
                List.of("--url", "jdbc:postgresql://127.0.0.1:1/db", "--user", "someone", "--password", secret, "status"),
                List.of("--url", "jdbc:postgresql://127.0.0.1:1/db?user=someone&password=" + secret, "status"),
                List.of("--url", "postgres://someone:" + secret + "@127.0.0.1:1/db", "start", "x.yaml"),
                List.of("--url", "jdbc:mysql://127.0.0.1:1/db?password=" + secret, "history"),
                List.of("--url", "jdbc:postgresql://127.0.0.1:1/db", "--password=" + secret, "complete", "--yes"),
                List.of("--url", "jdbc:postgresql://127.0.0.1:1/db", "--pasword", secret, "status"),
                List.of("--url", "not a url password=" + secret, "status"),
                List.of("--password", secret, "no-such-command", secret));
        for (List<String> args : attempts) {
            Cli.Result r = new Cli().dir(dir).run(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isIn(1, 2);
            assertThat(r.err()).as(r.toString()).startsWith("bascule: error: ");
            assertThat(r.all()).as(String.join(" ", args)).doesNotContain(secret);
        }
        Cli.Result fromEnv = new Cli().dir(dir).env(Map.of("BASCULE_URL", "jdbc:postgresql://127.0.0.1:1/db?password=" + secret,
                "BASCULE_PASSWORD", secret)).run("status");
        assertThat(fromEnv.exit()).isEqualTo(1);
        assertThat(fromEnv.all()).doesNotContain(secret);
    }

    @Test
    void aClosedPortIsExit1WithTheServersMessage() {
        Cli.Result r = new Cli().dir(dir).run("--url", "jdbc:postgresql://127.0.0.1:1/db", "status");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("bascule: error: ").contains("127.0.0.1:1");
        assertThat(r.err().lines()).hasSize(1);
    }

    // ---- usage errors -------------------------------------------------------------------

    @Test
    void usageErrorsAreExit2() {
        Cli c = new Cli().dir(dir);
        for (String[] args : List.of(new String[] {"teleport"}, new String[] {},
                new String[] {"start"}, new String[] {"start", "--batch-size", "lots", "x.yaml"},
                new String[] {"--lock-timeout", "soon", "status"}, new String[] {"status", "--bogus"})) {
            Cli.Result r = c.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.err()).startsWith("bascule: error: ").contains("--help");
            assertThat(r.out()).isEmpty();
        }
        // MySQL and MariaDB URLs are accepted (docs/guides/mariadb.md); a database of another kind is not
        assertThat(c.run("--url", "jdbc:sqlserver://localhost/db", "status").err()).contains("'sqlserver'");
        assertThat(c.run("--url", "jdbc:sqlserver://localhost/db", "status").exit()).isEqualTo(2);
        assertThat(c.run("status").err()).contains("no database URL");
        assertThat(c.run("status").exit()).isEqualTo(2);
        assertThat(c.run("--url", "jdbc:postgresql://127.0.0.1:1/db", "start", "--batch-size", "0", "x.yaml").exit()).isEqualTo(2);
        Cli.Result contended = c.run("--url", "jdbc:postgresql://127.0.0.1:1/db", "start", "--contended-batch-time", "0", "x.yaml");
        assertThat(contended.exit()).isEqualTo(2);
        assertThat(contended.err()).contains("--contended-batch-time must be at least 1");
    }

    @Test
    void helpAndVersionAreExit0() {
        Cli c = new Cli().dir(dir);
        Cli.Result help = c.run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: bascule", "start", "complete", "rollback", "migrate", "latest", "demo");
        assertThat(help.out()).contains("lint", "serve");
        assertThat(c.run("serve", "--help").out()).contains("--port", "--bind", "--token", "BASCULE_SERVE_TOKEN");
        assertThat(c.run("complete", "--help").out()).contains("--force-gate", "--yes", "backfill_finished");
        assertThat(c.run("--version").out()).startsWith("bascule ");
    }

    @Test
    void statusAndHistoryWithoutStateSchema() throws Exception {
        assertThat(cli.run("status").out()).contains("no active migration", "latest schema: " + schema.name());
        assertThat(JSON.readTree(cli.run("status", "--json").out()).get("active").isNull()).isTrue();
        assertThat(cli.run("history", "--json").out().strip()).isEqualTo("[ ]");
        assertThat(stateSchemaExists()).isFalse();
    }
}
