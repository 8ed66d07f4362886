package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.testing.MariaDbServer;
import dev.bascule.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof of issue 19: 20 PostgreSQL databases and 20 tenant schemas of one more database (one
 * fleet of 40 members on one server), and 5 MariaDB databases (a second fleet: the user differs),
 * through start, complete, and a second migration's start and rollback, with a concurrency cap of
 * 4, a canary, an injected failure that the stop policy answers by beginning no other member, and
 * a {@code kill -9} of a separate fleet process followed by a resume. Every member ends consistent,
 * every row kept; the members of the one server never held more connections than the cap allows.
 */
class FleetProofTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DBS = 20;
    private static final int SCHEMAS = 20;
    private static final int MARIA = 5;
    private static final int DB_ROWS = 3000;
    private static final int SCHEMA_ROWS = 600;
    private static final int MARIA_ROWS = 1000;
    private static final int BROKEN = 5; // the member whose table is missing at first
    private static final String EMAIL = """
            operations:
              - add_column:
                  table: users
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
            """;
    private static final String NAME = """
            operations:
              - add_column:
                  table: users
                  column: {name: name_upper, type: text}
                  up: upper(name)
            """;

    @TempDir
    Path dir;

    private final String prefix = "bascule_proof_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private final List<String> pgDatabases = new ArrayList<>();
    private final List<String> mariaDatabases = new ArrayList<>();
    private final Map<String, String> pgEnv = new HashMap<>();
    private final Map<String, String> mariaEnv = new HashMap<>();

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = PostgresServer.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String db : pgDatabases) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
        if (!mariaDatabases.isEmpty()) {
            try (Connection c = MariaDbServer.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (String db : mariaDatabases) {
                    for (String d : List.of(db, "bascule_" + db, db + "_0001_email", db + "_0002_name")) {
                        s.execute("DROP DATABASE IF EXISTS " + d);
                    }
                }
            }
        }
    }

    @Test
    void fortyPostgresMembersAndFiveMariaDbMembersThroughEveryPhaseWithAFailureAndAKill() throws Exception {
        String pgBase = base(PostgresServer.jdbcUrl(), pgEnv);
        String mariaBase = base(MariaDbServer.jdbcUrl(), mariaEnv);
        Path email = file("0001_email.yaml", EMAIL);
        Path name = file("0002_name.yaml", NAME);

        // ---- the members: 20 databases, 20 schemas of one more, 5 MariaDB databases -------------
        StringBuilder pg = new StringBuilder("members:\n");
        try (Connection c = PostgresServer.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < DBS; i++) {
                String db = prefix + "_" + i;
                s.execute("CREATE DATABASE " + db);
                pgDatabases.add(db);
                if (i != BROKEN) {
                    pgExec(pgBase + db, "CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)",
                            "INSERT INTO users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, " + DB_ROWS + ") g");
                }
                pg.append("  - ").append(pgBase).append(db).append('\n');
            }
            s.execute("CREATE DATABASE " + prefix + "_tenants");
            pgDatabases.add(prefix + "_tenants");
        }
        String tenants = pgBase + prefix + "_tenants";
        List<String> sql = new ArrayList<>();
        for (int t = 0; t < SCHEMAS; t++) {
            sql.add("CREATE SCHEMA tenant_" + t);
            sql.add("CREATE TABLE tenant_" + t + ".users (id bigserial PRIMARY KEY, name text, email text)");
            sql.add("INSERT INTO tenant_" + t + ".users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, "
                    + SCHEMA_ROWS + ") g");
            pg.append("  - {url: ").append(tenants).append(", schema: tenant_").append(t).append("}\n");
        }
        pgExec(tenants, sql.toArray(String[]::new));
        Path pgFleet = file("pg.yaml", pg.append("concurrency: 4\ncanary: 1\non_failure: stop\n").toString());

        StringBuilder maria = new StringBuilder("members:\n");
        try (Connection c = MariaDbServer.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < MARIA; i++) {
                String db = prefix + "_m" + i;
                mariaDatabases.add(db);
                s.execute("CREATE DATABASE " + db);
                s.execute("CREATE TABLE " + db + ".users (id bigint AUTO_INCREMENT PRIMARY KEY, name text, email text)");
                s.execute("INSERT INTO " + db + ".users (name, email) SELECT concat('n', seq), concat('E', seq, '@X.org') FROM seq_1_to_"
                        + MARIA_ROWS);
                maria.append("  - {url: ").append(mariaBase).append(db).append(", state_schema: bascule_").append(db).append("}\n");
            }
        }
        Path mariaFleet = file("maria.yaml", maria.append("concurrency: 4\ncanary: 1\n").toString());

        // ---- the connections the 40 members of one server hold, sampled all along -------------
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger peak = new AtomicInteger();
        Thread sampler = new Thread(() -> sample(sampling, peak), "connections");
        sampler.setDaemon(true);
        sampler.start();

        // ---- start with a broken member: the canary first, then the stop policy ---------------
        Cli.Result failed = pg().run("fleet", "start", pgFleet.toString(), email.toString(), "--json");
        assertThat(failed.exit()).as(failed.all()).isEqualTo(1);
        JsonNode report = json(failed);
        assertThat(report.get("stopped").asBoolean()).isTrue();
        assertThat(report.get("peak_concurrency").asInt()).isBetween(2, 4);
        List<String> outcomes = new ArrayList<>();
        report.get("members").forEach(m -> outcomes.add(m.get("outcome").asText()));
        assertThat(outcomes.get(0)).isEqualTo("done"); // the canary
        assertThat(outcomes.get(BROKEN)).isEqualTo("failed");
        assertThat(outcomes.stream().filter("failed"::equals).count()).isEqualTo(1);
        // at most the 3 other slots were running when the failure was known; every member after them never began
        int firstNotStarted = outcomes.indexOf("not_started");
        assertThat(firstNotStarted).isBetween(BROKEN + 1, BROKEN + 4);
        assertThat(outcomes.subList(firstNotStarted, outcomes.size())).allMatch("not_started"::equals);
        for (int i = firstNotStarted; i < DBS; i++) {
            assertThat(pgValue(pgBase + prefix + "_" + i, "SELECT count(*) FROM pg_namespace WHERE nspname = 'bascule'"))
                    .as("member %d never touched", i).isEqualTo("0");
        }
        assertThat(pgValue(tenants, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'bascule_tenant_%'")).isEqualTo("0");

        // ---- repaired; a separate fleet process resumes, and is killed (SIGKILL) midway -----------
        pgExec(pgBase + prefix + "_" + BROKEN, "CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)",
                "INSERT INTO users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, " + DB_ROWS + ") g");
        Path journal = dir.resolve("pg.yaml.journal.json");
        int doneBefore = done(journal);
        Process child = fleetProcess(pgEnv, "fleet", "start", pgFleet.toString(), email.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (child.isAlive() && done(journal) < doneBefore + 6 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(child.isAlive()).as("the fleet process ended before the kill: " + Files.readString(dir.resolve("child.out"))).isTrue();
        Cli.Result refused = pg().run("fleet", "start", pgFleet.toString(), email.toString());
        assertThat(refused.exit()).as(refused.all()).isEqualTo(3);
        assertThat(refused.err()).contains("another fleet command is running", "pid " + child.pid());
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int doneAtKill = done(journal);
        assertThat(doneAtKill).isLessThan(DBS + SCHEMAS);

        Cli.Result resumed = pg().run("fleet", "start", pgFleet.toString(), email.toString(), "--json");
        assertThat(resumed.exit()).as(resumed.all()).isZero();
        long skipped = 0;
        for (JsonNode m : json(resumed).get("members")) {
            skipped += m.get("detail").asText().contains("journal") ? 1 : 0;
        }
        assertThat(skipped).isEqualTo(doneAtKill);
        JsonNode status = json(pg().run("fleet", "status", pgFleet.toString(), "--json"));
        assertThat(status.get("phases").get("started").asInt()).isEqualTo(DBS + SCHEMAS);
        for (JsonNode m : status.get("members")) {
            assertThat(m.get("backfilled").asBoolean()).as(m.toString()).isTrue();
            assertThat(m.get("rows_done").asLong()).isEqualTo(m.get("member").asText().contains("/tenant_") ? SCHEMA_ROWS : DB_ROWS);
        }

        // ---- complete, then a second migration started and rolled back everywhere -----------------
        Cli.Result complete = pg().run("fleet", "complete", pgFleet.toString(), "--yes", "--quiet-time", "0");
        assertThat(complete.exit()).as(complete.all()).isZero();
        Cli.Result second = pg().run("fleet", "start", pgFleet.toString(), name.toString());
        assertThat(second.exit()).as(second.all()).isZero();
        assertThat(second.out()).contains((DBS + SCHEMAS) + " of " + (DBS + SCHEMAS) + " members done, 0 failed");
        Cli.Result rollback = pg().run("fleet", "rollback", pgFleet.toString());
        assertThat(rollback.exit()).as(rollback.all()).isZero();

        for (Path f : List.of(email, name)) {
            Cli.Result r = maria().run("fleet", "start", mariaFleet.toString(), f.toString());
            assertThat(r.exit()).as(r.all()).isZero();
            r = f == email ? maria().run("fleet", "complete", mariaFleet.toString(), "--yes", "--quiet-time", "0")
                    : maria().run("fleet", "rollback", mariaFleet.toString());
            assertThat(r.exit()).as(r.all()).isZero();
        }
        sampling.set(false);
        sampler.join(5000);

        // ---- every member consistent, every row kept ---------------------------------------------
        for (int i = 0; i < DBS; i++) {
            consistent(pgBase + prefix + "_" + i, "public", "bascule", DB_ROWS);
        }
        for (int t = 0; t < SCHEMAS; t++) {
            consistent(tenants, "tenant_" + t, "bascule_tenant_" + t, SCHEMA_ROWS);
        }
        try (Connection c = MariaDbServer.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String db : mariaDatabases) {
                assertThat(one(s, "SELECT group_concat(column_name ORDER BY ordinal_position) FROM information_schema.columns"
                        + " WHERE table_schema = '" + db + "' AND table_name = 'users'")).isEqualTo("id,name,email,email_lower");
                assertThat(one(s, "SELECT count(*) FROM " + db + ".users")).isEqualTo(String.valueOf(MARIA_ROWS));
                assertThat(one(s, "SELECT count(*) FROM " + db + ".users WHERE email_lower = lower(email)")).isEqualTo(String.valueOf(MARIA_ROWS));
                assertThat(one(s, "SELECT group_concat(phase ORDER BY name) FROM bascule_" + db + ".migrations"))
                        .isEqualTo("completed,rolled_back");
            }
        }
        // at most 4 members at once on the one server, each with a few connections (its command's, its
        // backfill's, the lock between commands): the cap on members is what bounds the connections
        assertThat(peak.get()).as("connections to the 40 members' databases at once").isBetween(1, 4 * 4);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void consistent(String url, String schema, String state, int rows) throws SQLException {
        assertThat(pgValue(url, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                + " WHERE table_schema = '" + schema + "' AND table_name = 'users'")).as(url + " " + schema).isEqualTo("id,name,email,email_lower");
        assertThat(pgValue(url, "SELECT count(*) FROM " + schema + ".users")).isEqualTo(String.valueOf(rows));
        assertThat(pgValue(url, "SELECT count(*) FROM " + schema + ".users WHERE email_lower = lower(email)")).isEqualTo(String.valueOf(rows));
        assertThat(pgValue(url, "SELECT string_agg(phase, ',' ORDER BY name) FROM " + state + ".migrations"))
                .as(url + " " + schema).isEqualTo("completed,rolled_back");
    }

    /** The most connections open at once to the PostgreSQL members' databases (this sampler's own is elsewhere). */
    private void sample(AtomicBoolean on, AtomicInteger peak) {
        try (Connection c = PostgresServer.dataSource().getConnection();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname LIKE ?")) {
            s.setString(1, prefix + "%");
            while (on.get()) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    peak.accumulateAndGet(rs.getInt(1), Math::max);
                }
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            peak.set(-1);
        }
    }

    private Process fleetProcess(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), BasculeCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile())
                .directory(dir.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static int done(Path journal) {
        if (!Files.exists(journal)) {
            return 0;
        }
        try {
            int n = 0;
            for (JsonNode m : JSON.readTree(journal.toFile()).get("members")) {
                n += m.get("state").asText().equals("done") ? 1 : 0;
            }
            return n;
        } catch (IOException e) {
            return 0; // read between a write and its rename
        }
    }

    /** {@code jdbc:...://host:port/} of {@code url}, with its user and password put in {@code env}. */
    private static String base(String url, Map<String, String> env) {
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        if (q >= 0) {
            for (String kv : url.substring(q + 1).split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && (p[0].equals("user") || p[0].equals("password"))) {
                    env.put(p[0].equals("user") ? "BASCULE_USER" : "BASCULE_PASSWORD", URLDecoder.decode(p[1], StandardCharsets.UTF_8));
                }
            }
        }
        return path.substring(0, path.lastIndexOf('/') + 1);
    }

    private Connection pgConnect(String url) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(pgEnv.getOrDefault("BASCULE_USER", System.getProperty("user.name")));
        if (pgEnv.containsKey("BASCULE_PASSWORD")) {
            ds.setPassword(pgEnv.get("BASCULE_PASSWORD"));
        }
        return ds.getConnection();
    }

    private void pgExec(String url, String... sql) throws SQLException {
        try (Connection c = pgConnect(url); Statement s = c.createStatement()) {
            for (String x : sql) {
                s.execute(x);
            }
        }
    }

    private String pgValue(String url, String sql) throws SQLException {
        try (Connection c = pgConnect(url); Statement s = c.createStatement()) {
            return one(s, sql);
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private Cli pg() {
        return new Cli().env(pgEnv).dir(dir);
    }

    private Cli maria() {
        return new Cli().env(mariaEnv).dir(dir);
    }

    private static JsonNode json(Cli.Result r) throws IOException {
        return JSON.readTree(r.out());
    }
}
