package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bascule fleet} on the real server: databases created by the test (and tenant schemas of
 * one database) driven through start, complete and rollback with a canary, a concurrency cap, an
 * injected failure, and a kill of the fleet command followed by a resume.
 */
class FleetCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MIGRATION = """
            operations:
              - add_column:
                  table: users
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
            """;

    @TempDir
    Path dir;

    private final String prefix = "bascule_fleet_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final List<String> databases = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();
    private String base;            // jdbc:postgresql://host:port/
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void server() {
        String url = PostgresServer.jdbcUrl();
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        base = path.substring(0, path.lastIndexOf('/') + 1);
        if (q >= 0) {
            for (String kv : url.substring(q + 1).split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[0].equals("user")) {
                    env.put("BASCULE_USER", URLDecoder.decode(p[1], StandardCharsets.UTF_8));
                } else if (p.length == 2 && p[0].equals("password")) {
                    env.put("BASCULE_PASSWORD", URLDecoder.decode(p[1], StandardCharsets.UTF_8));
                }
            }
        }
    }

    @AfterEach
    void drop() throws SQLException {
        for (String db : databases) {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        for (String s : schemas) {
            admin("DROP SCHEMA IF EXISTS " + s + " CASCADE", "DROP SCHEMA IF EXISTS bascule_" + s + " CASCADE",
                    "DROP SCHEMA IF EXISTS " + s + "_0001_email CASCADE");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void admin(String... sql) throws SQLException {
        try (Connection c = PostgresServer.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String x : sql) {
                s.execute(x);
            }
        }
    }

    /** Databases {@code prefix_0..n-1}, each with its users table of {@code rows} rows (none for the broken ones). */
    private List<String> databases(int n, int rows, int... broken) throws SQLException {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String db = prefix + "_" + i;
            admin("CREATE DATABASE " + db);
            databases.add(db);
            boolean isBroken = false;
            for (int b : broken) {
                isBroken |= b == i;
            }
            if (!isBroken) {
                exec(db, "CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)",
                        "INSERT INTO users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, " + rows + ") g");
            }
            urls.add(base + db);
        }
        return urls;
    }

    private Connection connect(String db) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(base + db);
        ds.setUser(env.getOrDefault("BASCULE_USER", System.getProperty("user.name")));
        if (env.containsKey("BASCULE_PASSWORD")) {
            ds.setPassword(env.get("BASCULE_PASSWORD"));
        }
        return ds.getConnection();
    }

    private void exec(String db, String... sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            for (String x : sql) {
                s.execute(x);
            }
        }
    }

    private String value(String db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private String columns(String db, String schema) throws SQLException {
        return value(db, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                + " WHERE table_schema = '" + schema + "' AND table_name = 'users'");
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private String fleetYaml(List<String> urls, String settings) {
        StringBuilder sb = new StringBuilder("members:\n");
        urls.forEach(u -> sb.append("  - ").append(u).append('\n'));
        return sb.append(settings).toString();
    }

    private Cli cli() {
        return new Cli().env(env).dir(dir);
    }

    private Cli.Result run(String... args) {
        return cli().run(args);
    }

    private static JsonNode json(Cli.Result r) throws IOException {
        return JSON.readTree(r.out());
    }

    // ---- tests -----------------------------------------------------------------------------

    @Test
    void theSmallestFleetFileWorksAsWritten() throws Exception {
        List<String> urls = databases(2, 100);
        Path fleet = file("fleet.yaml", fleetYaml(urls, "concurrency: 4\ncanary: 1\n"));
        Path m = file("0001_email.yaml", MIGRATION);

        Cli.Result start = run("fleet", "start", fleet.toString(), m.toString());
        assertThat(start.exit()).as(start.all()).isZero();
        assertThat(start.out()).contains("2 of 2 members done, 0 failed");

        Cli.Result status = run("fleet", "status", fleet.toString(), "--json");
        assertThat(status.exit()).as(status.all()).isZero();
        assertThat(json(status).get("action").asText()).isEqualTo("start");
        assertThat(json(status).get("phases").get("started").asInt()).isEqualTo(2);
        for (JsonNode member : json(status).get("members")) {
            assertThat(member.get("migration").asText()).isEqualTo("0001_email");
            assertThat(member.get("phase").asText()).isEqualTo("started");
            assertThat(member.get("backfilled").asBoolean()).isTrue();
            assertThat(member.get("rows_done").asLong()).isEqualTo(100);
            assertThat(member.get("server").asText()).isNotEmpty();
            for (String field : List.of("rows_per_second", "eta_seconds", "throttle", "error")) {
                assertThat(member.has(field)).as(field).isTrue();
            }
        }
        assertThat(run("fleet", "status", fleet.toString()).out())
                .contains("MEMBER", "PHASE", "PROGRESS", "RATE", "ETA", "THROTTLE", "ERROR", prefix + "_1");

        // the fleet on serve: one row per member, /metrics with a member label, pause and resume for the fleet
        try (RunningServe serve = RunningServe.with(env, "--fleet", fleet.toString(), "--token", "t0ken")) {
            JsonNode doc = JSON.readTree(serve.get("/status").body());
            assertThat(doc.get("fleet").asBoolean()).isTrue();
            assertThat(doc.get("migration").asText()).isEqualTo("0001_email");
            assertThat(doc.get("members")).hasSize(2);
            assertThat(doc.get("members").get(1).get("member").asText()).isEqualTo(prefix + "_1");
            assertThat(doc.get("members").get(1).get("rows_done").asLong()).isEqualTo(100);
            String metrics = serve.get("/metrics").body();
            for (int i = 0; i < 2; i++) {
                assertThat(metrics).contains("bascule_backfill_rows_done{member=\"" + prefix + "_" + i + "\"} 100.0",
                        "bascule_up{member=\"" + prefix + "_" + i + "\"} 1.0",
                        "bascule_phase{member=\"" + prefix + "_" + i + "\",phase=\"started\"} 1.0",
                        "bascule_fleet_member_state{member=\"" + prefix + "_" + i + "\",state=\"done\"} 1.0");
            }
            assertThat(serve.get("/").body()).contains("Bascule fleet", "--accent:").doesNotContain("/*bascule-style*/");
            assertThat(serve.post("/pause", "token=wrong").statusCode()).isEqualTo(401);
            var paused = serve.post("/pause", "token=t0ken");
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            assertThat(JSON.readTree(serve.get("/status").body()).get("members").get(0).get("paused").asBoolean()).isTrue();
            assertThat(serve.post("/resume", "token=t0ken").statusCode()).isEqualTo(200);
            assertThat(dir.resolve("fleet.yaml.journal.json.paused")).doesNotExist();
        }

        Cli.Result pause = run("fleet", "pause", fleet.toString());
        assertThat(pause.exit()).as(pause.all()).isZero();
        assertThat(dir.resolve("fleet.yaml.journal.json.paused")).exists();
        for (JsonNode member : json(run("fleet", "status", fleet.toString(), "--json")).get("members")) {
            assertThat(member.get("paused").asBoolean()).isTrue();
        }
        Cli.Result resume = run("fleet", "resume", fleet.toString());
        assertThat(resume.exit()).as(resume.all()).isZero();
        assertThat(dir.resolve("fleet.yaml.journal.json.paused")).doesNotExist();
        for (JsonNode member : json(run("fleet", "status", fleet.toString(), "--json")).get("members")) {
            assertThat(member.get("paused").asBoolean()).isFalse();
        }

        Cli.Result complete = run("fleet", "complete", fleet.toString(), "--yes");
        assertThat(complete.exit()).as(complete.all()).isZero();
        for (String db : databases) {
            assertThat(columns(db, "public")).isEqualTo("id,name,email,email_lower");
            assertThat(value(db, "SELECT count(*) FROM users WHERE email_lower = lower(email)")).isEqualTo("100");
            assertThat(value(db, "SELECT phase FROM bascule.migrations WHERE name = '0001_email'")).isEqualTo("completed");
        }
        assertThat(json(run("fleet", "status", fleet.toString(), "--json")).get("members").get(0).get("phase").asText())
                .isEqualTo("completed");
    }

    @Test
    void startTakesStartsOptionsAndBasculeYamlsForEveryMember() throws Exception {
        List<String> urls = databases(2, 50);
        Path fleet = file("fleet.yaml", fleetYaml(urls, "concurrency: 2\n"));
        Path m = file("0001_email.yaml", MIGRATION);

        Cli.Result badSize = run("fleet", "start", fleet.toString(), m.toString(), "--batch-size", "0");
        assertThat(badSize.exit()).as(badSize.all()).isEqualTo(2);
        assertThat(badSize.err()).contains("--batch-size");
        Cli.Result replica = run("fleet", "start", fleet.toString(), m.toString(), "--replica", "jdbc:mariadb://127.0.0.1:1/x");
        assertThat(replica.exit()).as(replica.all()).isEqualTo(2);
        assertThat(replica.err()).contains("--replica", "fleet start does not take it");
        for (String db : databases) {
            assertThat(columns(db, "public")).isEqualTo("id,name,email"); // neither refusal changed a member
        }

        file("bascule.yaml", "start:\n  no_backfill: true\n");
        Cli.Result expanded = run("fleet", "start", fleet.toString(), m.toString(), "--batch-size", "10");
        assertThat(expanded.exit()).as(expanded.all()).isZero();
        for (JsonNode member : json(run("fleet", "status", fleet.toString(), "--json")).get("members")) {
            assertThat(member.get("phase").asText()).as(member.toString()).isEqualTo("starting");
            assertThat(member.get("backfilled").asBoolean()).as(member.toString()).isFalse();
        }
        Files.delete(dir.resolve("bascule.yaml"));
        assertThat(run("fleet", "rollback", fleet.toString()).exit()).isZero();
    }

    @Test
    void aLiveTableShowsTheMembersRunningWhileAPhaseRuns() throws Exception {
        List<String> urls = databases(1, 20_000);
        Path fleet = file("fleet.yaml", fleetYaml(urls, ""));
        Path m = file("0001_email.yaml", MIGRATION);
        // the member's start waits on a lock the test holds for 2.2 s (retrying its lock timeout), so
        // the fleet command runs through at least two ticks of a 1 s live table whatever the machine
        Connection holder = connect(databases.get(0));
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
            st.execute("LOCK TABLE users IN ACCESS SHARE MODE");
        }
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(2200);
                holder.rollback();
                holder.close();
            } catch (InterruptedException | SQLException e) {
                Thread.currentThread().interrupt();
            }
        });
        release.start();
        Cli.Result start = cli().globals("--lock-attempts", "60").run("fleet", "start", fleet.toString(), m.toString(), "--live", "1");
        release.join();
        assertThat(start.exit()).as(start.all()).isZero();
        // on standard error, apart from the report: the header, then the member running
        assertThat(start.err()).contains("fleet start: 0 of 1 members done, 0 failed, 1 running",
                "MEMBER", "PHASE", "PROGRESS", "RATE", "ETA", "THROTTLE", "\n" + prefix + "_0  ");
        assertThat(start.out()).doesNotContain("RATE").contains("1 of 1 members done");
        Cli.Result quiet = run("fleet", "rollback", fleet.toString(), "--live", "0");
        assertThat(quiet.exit()).as(quiet.all()).isZero();
        assertThat(quiet.err()).doesNotContain("fleet rollback:");
        Cli.Result negative = run("fleet", "start", fleet.toString(), m.toString(), "--live", "-5");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).contains("--live must be 0 (never) or a number of seconds");
    }

    @Test
    void theCanaryGoesFirstAndTheCapHoldsThenAFailureStopsTheRestBeforeTheyStartAndARunAgainResumes() throws Exception {
        // member 2 has no users table: its start fails before it changes anything
        List<String> urls = databases(6, 500, 2);
        Path m = file("0001_email.yaml", MIGRATION);
        Path fleet = file("fleet.yaml", fleetYaml(urls, "concurrency: 1\ncanary: 1\non_failure: stop\n"));
        WebhookReceiver hook = new WebhookReceiver();
        file("bascule.yaml", "notifications:\n  webhooks:\n    - url: " + hook.url("/fleet") + "\n");

        Cli.Result failed = run("fleet", "start", fleet.toString(), m.toString(), "--json");
        assertThat(failed.exit()).as(failed.all()).isEqualTo(1);
        JsonNode report = json(failed);
        // told once for the fleet and once for the failed member; the members done tell nothing of their own
        List<JsonNode> told = hook.requests().stream().map(WebhookReceiver.Request::json).toList();
        assertThat(told).hasSize(2);
        assertThat(told).allSatisfy(e -> {
            assertThat(e.get("event").asText()).isEqualTo("failed");
            assertThat(e.get("command").asText()).isEqualTo("fleet start");
            assertThat(e.get("migration").asText()).isEqualTo("0001_email");
        });
        JsonNode whole = told.stream().filter(e -> e.get("member").isNull()).findFirst().orElseThrow();
        assertThat(whole.get("reason").asText()).contains("2 of 6 members done, 1 failed", "stopped by the failure policy");
        JsonNode member = told.stream().filter(e -> !e.get("member").isNull()).findFirst().orElseThrow();
        assertThat(member.get("member").asText()).isEqualTo(prefix + "_2");
        assertThat(member.get("reason").asText()).contains("users");
        assertThat(report.get("stopped").asBoolean()).isTrue();
        assertThat(report.get("peak_concurrency").asInt()).isEqualTo(1);
        List<String> outcomes = new ArrayList<>();
        report.get("members").forEach(x -> outcomes.add(x.get("outcome").asText()));
        assertThat(outcomes).containsExactly("done", "done", "failed", "not_started", "not_started", "not_started");
        assertThat(report.get("members").get(2).get("detail").asText()).contains("users");
        for (int i = 3; i < 6; i++) {
            // never touched: no state schema, no new column
            assertThat(value(databases.get(i), "SELECT count(*) FROM pg_namespace WHERE nspname = 'bascule'")).isEqualTo("0");
            assertThat(columns(databases.get(i), "public")).isEqualTo("id,name,email");
        }

        // the member is repaired; a run again skips the members done and starts the others, 3 at a time
        exec(databases.get(2), "CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)",
                "INSERT INTO users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, 500) g");
        Files.writeString(fleet, fleetYaml(urls, "concurrency: 3\ncanary: 1\non_failure: stop\n"));
        Cli.Result resumed = run("fleet", "start", fleet.toString(), m.toString(), "--json");
        assertThat(resumed.exit()).as(resumed.all()).isZero();
        assertThat(hook.requests()).hasSize(3);
        JsonNode ok = hook.requests().get(2).json();
        assertThat(ok.get("event").asText()).isEqualTo("started");
        assertThat(ok.get("member").isNull()).isTrue();
        assertThat(ok.get("reason").asText()).contains("6 of 6 members done, 0 failed");
        hook.close();
        Files.delete(dir.resolve("bascule.yaml"));
        JsonNode again = json(resumed);
        assertThat(again.get("members").get(0).get("detail").asText()).contains("journal");
        assertThat(again.get("members").get(1).get("detail").asText()).contains("journal");
        assertThat(again.get("peak_concurrency").asInt()).isEqualTo(3); // members 2, 3, 4 began together, 5 waited for a slot
        for (String db : databases) {
            assertThat(value(db, "SELECT phase FROM bascule.migrations WHERE name = '0001_email'")).isEqualTo("started");
        }

        // rollback everywhere: every member as before
        Cli.Result rollback = run("fleet", "rollback", fleet.toString());
        assertThat(rollback.exit()).as(rollback.all()).isZero();
        for (String db : databases) {
            assertThat(columns(db, "public")).isEqualTo("id,name,email");
            assertThat(value(db, "SELECT count(*) FROM users")).isEqualTo("500");
            assertThat(value(db, "SELECT phase FROM bascule.migrations WHERE name = '0001_email'")).isEqualTo("rolled_back");
        }
    }

    @Test
    void aQueryListsMembersBesideTheFileOnes() throws Exception {
        List<String> urls = databases(3, 20);
        // a catalog table of tenants, read on --url
        admin("CREATE TABLE IF NOT EXISTS " + prefix + "_tenants (url text)", "INSERT INTO " + prefix + "_tenants VALUES ('"
                + urls.get(1) + "'), ('" + urls.get(2) + "')");
        try {
            Path fleet = file("fleet.yaml", "members:\n  - " + urls.get(0) + "\nquery: select url from " + prefix + "_tenants order by url\n");
            Path m = file("0001_email.yaml", MIGRATION);
            Cli.Result noUrl = run("fleet", "start", fleet.toString(), m.toString());
            assertThat(noUrl.exit()).isEqualTo(2);
            assertThat(noUrl.err()).contains("query").contains("--url");
            Cli.Result start = cli().globals("--url", PostgresServer.jdbcUrl()).run("fleet", "start", fleet.toString(), m.toString(), "--json");
            assertThat(start.exit()).as(start.all()).isZero();
            List<String> names = new ArrayList<>();
            json(start).get("members").forEach(x -> names.add(x.get("member").asText()));
            assertThat(names).containsExactly(prefix + "_0", prefix + "_1", prefix + "_2");
            for (String db : databases) {
                assertThat(value(db, "SELECT phase FROM bascule.migrations WHERE name = '0001_email'")).isEqualTo("started");
            }
        } finally {
            admin("DROP TABLE IF EXISTS " + prefix + "_tenants");
        }
    }

    @Test
    void completeIsRefusedUntilEveryMemberHasStarted() throws Exception {
        List<String> urls = databases(3, 50);
        Path m = file("0001_email.yaml", MIGRATION);
        Path one = file("one.yaml", fleetYaml(urls.subList(0, 1), ""));
        assertThat(run("fleet", "start", one.toString(), m.toString()).exit()).isZero();
        Path fleet = file("fleet.yaml", fleetYaml(urls, "canary: 34%\n"));
        Cli.Result refused = run("fleet", "complete", fleet.toString(), "--yes");
        assertThat(refused.exit()).as(refused.all()).isEqualTo(3);
        assertThat(refused.err()).contains(prefix + "_1: no migration started").contains("nothing was changed");
        assertThat(value(databases.get(0), "SELECT phase FROM bascule.migrations WHERE name = '0001_email'")).isEqualTo("started");

        // rollback: the started member is rolled back, the others had nothing to roll back
        Cli.Result rollback = run("fleet", "rollback", fleet.toString(), "--json");
        assertThat(rollback.exit()).as(rollback.all()).isZero();
        assertThat(json(rollback).get("members").get(0).get("detail").asText()).isEqualTo("rolled_back");
        assertThat(json(rollback).get("members").get(1).get("detail").asText()).isEqualTo("nothing_to_roll_back");
        assertThat(value(databases.get(0), "SELECT phase FROM bascule.migrations WHERE name = '0001_email'")).isEqualTo("rolled_back");
        for (String db : databases) {
            assertThat(columns(db, "public")).isEqualTo("id,name,email");
        }
    }

    @Test
    void aKilledFleetCommandResumesWhereItStoppedAndEveryMemberEndsConsistent() throws Exception {
        List<String> urls = databases(6, 30_000);
        Path m = file("0001_email.yaml", MIGRATION);
        Path fleet = file("fleet.yaml", fleetYaml(urls, "concurrency: 1\ncanary: 1\n"));
        Path journal = dir.resolve("fleet.yaml.journal.json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                BasculeCli.class.getName(), "fleet", "start", fleet.toString(), m.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.out").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int done = 0;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(journal)) {
                try {
                    JsonNode j = JSON.readTree(journal.toFile());
                    done = 0;
                    for (JsonNode x : j.get("members")) {
                        done += x.get("state").asText().equals("done") ? 1 : 0;
                    }
                } catch (IOException ignored) {
                    // read between a write and its rename: try again
                }
            }
            if (done >= 2) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("the fleet command ended before it could be killed: " + Files.readString(dir.resolve("killed.out")))
                .isTrue();
        // the journal is that process's: a second fleet command is refused, whichever phase it runs
        Cli.Result second = run("fleet", "rollback", fleet.toString());
        assertThat(second.exit()).as(second.all()).isEqualTo(3);
        assertThat(second.err()).contains("another fleet command is running on the journal", "held by pid " + p.pid());
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int untouched = 0;
        for (String db : databases) {
            untouched += "0".equals(value(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'bascule'")) ? 1 : 0;
        }
        assertThat(untouched).as("members the killed command never began").isGreaterThan(0);
        assertThat(dir.resolve("fleet.yaml.journal.json.lock")).as("the lock file stays; its lock went with the process").exists();

        Cli.Result resumed = run("fleet", "start", fleet.toString(), m.toString(), "--json");
        assertThat(resumed.exit()).as(resumed.all()).isZero();
        long skipped = 0;
        for (JsonNode x : json(resumed).get("members")) {
            skipped += x.get("detail").asText().contains("journal") ? 1 : 0;
        }
        assertThat(skipped).isGreaterThanOrEqualTo(2);

        Cli.Result complete = run("fleet", "complete", fleet.toString(), "--yes", "--quiet-time", "1");
        assertThat(complete.exit()).as(complete.all()).isZero();
        for (String db : databases) {
            assertThat(value(db, "SELECT count(*) FROM users")).isEqualTo("30000");
            assertThat(value(db, "SELECT count(*) FROM users WHERE email_lower = lower(email)")).isEqualTo("30000");
            assertThat(value(db, "SELECT phase FROM bascule.migrations WHERE name = '0001_email'")).isEqualTo("completed");
        }
    }

    @Test
    void tenantSchemasOfOneDatabaseAreMembersEachWithItsOwnState() throws Exception {
        String db = databases(1, 0, 0).get(0);
        String dbName = databases.get(0);
        List<String> tenants = new ArrayList<>();
        StringBuilder yaml = new StringBuilder("members:\n");
        for (int i = 0; i < 4; i++) {
            String t = "tenant_" + i;
            tenants.add(t);
            exec(dbName, "CREATE SCHEMA " + t, "CREATE TABLE " + t + ".users (id bigserial PRIMARY KEY, name text, email text)",
                    "INSERT INTO " + t + ".users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, " + (100 * (i + 1)) + ") g");
            yaml.append("  - {url: ").append(db).append(", schema: ").append(t).append("}\n");
        }
        // the members share one server: per_server holds them to 2 at once whatever the concurrency
        Path fleet = file("tenants.yaml", yaml.append("concurrency: 4\nper_server: 2\ncanary: 1\n").toString());
        Path m = file("0001_email.yaml", MIGRATION);
        Cli.Result start = run("fleet", "start", fleet.toString(), m.toString(), "--json");
        assertThat(start.exit()).as(start.all()).isZero();
        assertThat(json(start).get("peak_concurrency").asInt()).isEqualTo(2);
        assertThat(json(start).get("members").get(2).get("member").asText()).isEqualTo(dbName + "/tenant_2");
        Cli.Result complete = run("fleet", "complete", fleet.toString(), "--yes", "--quiet-time", "1");
        assertThat(complete.exit()).as(complete.all()).isZero();
        for (int i = 0; i < 4; i++) {
            String t = tenants.get(i);
            assertThat(columns(dbName, t)).isEqualTo("id,name,email,email_lower");
            assertThat(value(dbName, "SELECT count(*) FROM " + t + ".users WHERE email_lower = lower(email)"))
                    .isEqualTo(String.valueOf(100 * (i + 1)));
            assertThat(value(dbName, "SELECT phase FROM bascule_" + t + ".migrations WHERE name = '0001_email'")).isEqualTo("completed");
        }
    }

    @Test
    void mariaDbDatabasesAreMembersEachWithItsOwnStateDatabase() throws Exception {
        String url = dev.bascule.testing.MariaDbServer.jdbcUrl();
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String mBase = path.substring(0, path.lastIndexOf('/') + 1);
        Map<String, String> mEnv = new HashMap<>();
        if (q >= 0) {
            for (String kv : url.substring(q + 1).split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && (p[0].equals("user") || p[0].equals("password"))) {
                    mEnv.put(p[0].equals("user") ? "BASCULE_USER" : "BASCULE_PASSWORD", URLDecoder.decode(p[1], StandardCharsets.UTF_8));
                }
            }
        }
        List<String> dbs = new ArrayList<>();
        StringBuilder yaml = new StringBuilder("members:\n");
        try (Connection c = dev.bascule.testing.MariaDbServer.dataSource().getConnection(); Statement st = c.createStatement()) {
            try {
                for (int i = 0; i < 3; i++) {
                    String db = prefix + "_m" + i;
                    dbs.add(db);
                    st.execute("CREATE DATABASE " + db);
                    st.execute("CREATE TABLE " + db + ".users (id bigint AUTO_INCREMENT PRIMARY KEY, name text, email text)");
                    st.execute("INSERT INTO " + db + ".users (name, email) SELECT concat('n', seq), concat('E', seq, '@X.org') FROM seq_1_to_200");
                    // members of one server: each its own state database
                    yaml.append("  - {url: ").append(mBase).append(db).append(", state_schema: bascule_").append(db).append("}\n");
                }
                Path fleet = file("maria.yaml", yaml.append("concurrency: 2\ncanary: 1\n").toString());
                Path m = file("0001_email.yaml", MIGRATION);
                Cli.Result start = new Cli().env(mEnv).dir(dir).run("fleet", "start", fleet.toString(), m.toString());
                assertThat(start.exit()).as(start.all()).isZero();
                Cli.Result complete = new Cli().env(mEnv).dir(dir).run("fleet", "complete", fleet.toString(), "--yes", "--quiet-time", "1");
                assertThat(complete.exit()).as(complete.all()).isZero();
                for (String db : dbs) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + db + ".users WHERE email_lower = lower(email)")) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(200);
                    }
                    try (ResultSet rs = st.executeQuery("SELECT phase FROM bascule_" + db + ".migrations WHERE name = '0001_email'")) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo("completed");
                    }
                }
            } finally {
                for (String db : dbs) {
                    st.execute("DROP DATABASE IF EXISTS " + db);
                    st.execute("DROP DATABASE IF EXISTS bascule_" + db);
                    st.execute("DROP DATABASE IF EXISTS " + db + "_0001_email");
                }
            }
        }
    }

    @Test
    void aBadFleetFileIsExitTwoNamingFileLineAndField() throws Exception {
        Path m = file("0001_email.yaml", MIGRATION);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("members:\n  - jdbc:postgresql://h/db?password=hunter2\n", "fleet.yaml:2:5: members[0]: credentials in the fleet file are refused");
        cases.put("members:\n  - jdbc:postgresql://u:hunter2@h/db\n", "fleet.yaml:2:5: members[0]: credentials");
        cases.put("members:\n  - jdbc:postgresql://h/db\npassword: hunter2\n", "fleet.yaml:3:11: password: unknown key");
        cases.put("members:\n  - jdbc:postgresql://h/db\ncanary: lots\n", "fleet.yaml:3:9: canary: expected a number");
        cases.put("members:\n  - jdbc:postgresql://h/db\nconcurrency: 0\n", "fleet.yaml:3:14: concurrency: expected a whole number from 1");
        cases.put("members:\n  - http://h/db\n", "fleet.yaml:2:5: members[0]: not a PostgreSQL, MariaDB or MySQL JDBC URL");
        cases.put("members:\n  - {url: jdbc:postgresql://h/db, schema: \"a;b\"}\n", "members[0].schema: not a valid schema name");
        cases.put("members:\n  - jdbc:postgresql://h/db\n  - jdbc:postgresql://h/db\n", "fleet.yaml:3:5: members[1]: member 'db' is listed twice");
        cases.put("members: [\n", "fleet.yaml:");
        cases.put("concurrency: 2\n", "no members");
        cases.put("members:\n  - jdbc:postgresql://h/db\non_failure: maybe\n", "on_failure: expected stop or continue");
        cases.put("members:\n  - jdbc:postgresql://h/db\nper_server: 0\n", "fleet.yaml:3:13: per_server: expected a whole number from 1");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = file("fleet.yaml", c.getKey());
            Cli.Result r = run("fleet", "start", f.toString(), m.toString());
            assertThat(r.exit()).as(c.getKey() + r.all()).isEqualTo(2);
            assertThat(r.err()).as(c.getKey()).contains(c.getValue()).doesNotContain("hunter2");
        }
        Cli.Result missing = run("fleet", "status", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml").contains("file not found");
        Cli.Result big = cli().run("--max-file-size", "100", "fleet", "status",
                file("big.yaml", "members:\n" + "  - jdbc:postgresql://h/db\n".repeat(20)).toString());
        assertThat(big.exit()).isEqualTo(2);
        assertThat(big.err().toLowerCase(Locale.ROOT)).contains("over the limit");
    }
}
