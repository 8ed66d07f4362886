package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.testing.PostgresServer;
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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet command meets what users and attackers give it: a second migration while the journal's is
 * in flight, a member that has a migration of its own, a member completed alone, a catalog query
 * returning odd rows. Each is refused (exit 2 for bad input, 3 for a refusal) with no change to any
 * database, or, for the member completed alone, taken as done.
 */
class FleetRefusalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MIGRATION = """
            operations:
              - add_column:
                  table: users
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
            """;
    private static final String OTHER = """
            operations:
              - add_column:
                  table: users
                  column: {name: nickname, type: text, nullable: true}
            """;

    @TempDir
    Path dir;

    private final String prefix = "bascule_fleetr_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final List<String> databases = new ArrayList<>();
    private String base;
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
        admin("DROP TABLE IF EXISTS " + prefix + "_tenants");
    }

    private void admin(String... sql) throws SQLException {
        try (Connection c = PostgresServer.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String x : sql) {
                s.execute(x);
            }
        }
    }

    private List<String> databases(int n) throws SQLException {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String db = prefix + "_" + i;
            admin("CREATE DATABASE " + db);
            databases.add(db);
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)");
                s.execute("INSERT INTO users (name, email) SELECT 'n' || g, 'E' || g || '@X.org' FROM generate_series(1, 50) g");
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

    private String value(String db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Each migration's phase on {@code db}, "name=phase" in name order. */
    private String phases(String db) throws SQLException {
        return value(db, "SELECT coalesce(string_agg(name || '=' || phase, ',' ORDER BY name), '') FROM bascule.migrations");
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private Path fleet(List<String> urls, String settings) throws IOException {
        StringBuilder sb = new StringBuilder("members:\n");
        urls.forEach(u -> sb.append("  - ").append(u).append('\n'));
        return file("fleet.yaml", sb.append(settings).toString());
    }

    private Cli cli() {
        return new Cli().env(env).dir(dir);
    }

    private Cli.Result run(String... args) {
        return cli().run(args);
    }

    @Test
    void aStartOfAnotherMigrationWhileTheJournalsIsInFlightIsRefusedAndTheJournalKept() throws Exception {
        List<String> urls = databases(2);
        Path fleet = fleet(urls, "canary: 1\n");
        Path a = file("0001_email.yaml", MIGRATION);
        Path b = file("0002_nickname.yaml", OTHER);
        assertThat(run("fleet", "start", fleet.toString(), a.toString()).exit()).isZero();
        Path journal = dir.resolve("fleet.yaml.journal.json");
        String before = Files.readString(journal);

        Cli.Result other = run("fleet", "start", fleet.toString(), b.toString());
        assertThat(other.exit()).as(other.all()).isEqualTo(3);
        assertThat(other.err()).contains("0001_email").contains(journal.toString()).contains("nothing was changed");
        assertThat(Files.readString(journal)).isEqualTo(before);
        for (String db : databases) {
            assertThat(phases(db)).isEqualTo("0001_email=started");
        }
        // once the journal's migration is completed everywhere, the next one starts
        assertThat(run("fleet", "complete", fleet.toString(), "--yes").exit()).isZero();
        Cli.Result next = run("fleet", "start", fleet.toString(), b.toString());
        assertThat(next.exit()).as(next.all()).isZero();
        for (String db : databases) {
            assertThat(phases(db)).isEqualTo("0001_email=completed,0002_nickname=started");
        }
    }

    @Test
    void aFleetRollbackLeavesAMigrationStartedOnAMemberAloneAsItIs() throws Exception {
        List<String> urls = databases(2);
        Path fleet = fleet(urls, "on_failure: continue\n");
        Path a = file("0001_email.yaml", MIGRATION);
        Path b = file("0002_nickname.yaml", OTHER);
        // member 1 is driven alone with a migration of its own
        Cli.Result alone = cli().globals("--url", urls.get(1)).run("start", b.toString());
        assertThat(alone.exit()).as(alone.all()).isZero();
        Cli.Result start = run("fleet", "start", fleet.toString(), a.toString());
        assertThat(start.exit()).as(start.all()).isEqualTo(1); // member 1 refuses: 0002_nickname is active there

        Cli.Result rollback = run("fleet", "rollback", fleet.toString());
        assertThat(rollback.exit()).as(rollback.all()).isEqualTo(3);
        assertThat(rollback.err()).contains(prefix + "_1: 0002_nickname is started").contains("nothing was changed");
        assertThat(phases(databases.get(0))).isEqualTo("0001_email=started");
        assertThat(phases(databases.get(1))).isEqualTo("0002_nickname=started");
    }

    @Test
    void aMemberCompletedAloneCountsAsDoneWhenTheFleetCompletes() throws Exception {
        List<String> urls = databases(2);
        Path fleet = fleet(urls, "canary: 1\n");
        Path a = file("0001_email.yaml", MIGRATION);
        assertThat(run("fleet", "start", fleet.toString(), a.toString()).exit()).isZero();
        // what a fleet complete killed after member 0's contract and before its journal write leaves, too
        Cli.Result alone = cli().globals("--url", urls.get(0)).run("complete", "--yes");
        assertThat(alone.exit()).as(alone.all()).isZero();

        Cli.Result complete = run("fleet", "complete", fleet.toString(), "--yes", "--json");
        assertThat(complete.exit()).as(complete.all()).isZero();
        JsonNode report = JSON.readTree(complete.out());
        assertThat(report.get("members").get(0).get("outcome").asText()).isEqualTo("done");
        assertThat(report.get("members").get(1).get("outcome").asText()).isEqualTo("done");
        for (String db : databases) {
            assertThat(phases(db)).isEqualTo("0001_email=completed");
        }
    }

    @Test
    void aQueryReturningOddRowsIsExitTwoNamingFileQueryAndRowAndChangesNothing() throws Exception {
        List<String> urls = databases(1);
        admin("CREATE TABLE " + prefix + "_tenants (id int, url text, schema_name text)");
        Path a = file("0001_email.yaml", MIGRATION);
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        rows.put("(1, 'jdbc:postgresql://u:hunter2@127.0.0.1/x', null)", "row 1: credentials in the fleet file are refused");
        rows.put("(1, '" + base + "x?sslpassword=hunter2', null)", "row 1: credentials");
        rows.put("(1, '" + base + "x', null), (2, null, null)", "row 2: the first column is empty");
        rows.put("(1, '" + base + "x', E'a\\nb')", "row 1: the second column is not a valid schema name");
        rows.put("(1, '" + urls.get(0) + "', null)", "is listed twice");
        for (Map.Entry<String, String> c : rows.entrySet()) {
            admin("DELETE FROM " + prefix + "_tenants", "INSERT INTO " + prefix + "_tenants VALUES " + c.getKey());
            Path fleet = file("fleet.yaml", "members:\n  - " + urls.get(0) + "\nquery: select url, schema_name from " + prefix
                    + "_tenants order by id\n");
            Cli.Result r = cli().globals("--url", PostgresServer.jdbcUrl()).run("fleet", "start", fleet.toString(), a.toString());
            assertThat(r.exit()).as(c.getKey() + r.all()).isEqualTo(2);
            assertThat(r.err()).as(c.getKey()).contains("fleet.yaml").contains("query").contains(c.getValue()).doesNotContain("hunter2");
        }
        // none listed at all, and a canary larger than what the query listed
        admin("DELETE FROM " + prefix + "_tenants");
        Path none = file("none.yaml", "query: select url from " + prefix + "_tenants\n");
        Cli.Result empty = cli().globals("--url", PostgresServer.jdbcUrl()).run("fleet", "start", none.toString(), a.toString());
        assertThat(empty.exit()).as(empty.all()).isEqualTo(2);
        assertThat(empty.err()).contains("none.yaml").contains("no members");
        admin("INSERT INTO " + prefix + "_tenants VALUES (1, '" + urls.get(0) + "', null)");
        Path big = file("big.yaml", "query: select url from " + prefix + "_tenants\ncanary: 5\n");
        Cli.Result canary = cli().globals("--url", PostgresServer.jdbcUrl()).run("fleet", "start", big.toString(), a.toString());
        assertThat(canary.exit()).as(canary.all()).isEqualTo(2);
        assertThat(canary.err()).contains("big.yaml").contains("canary").contains("larger than the fleet's 1");
        // a query that would change its catalog runs read-only and changes nothing
        Path writes = file("writes.yaml", "query: delete from " + prefix + "_tenants returning url\n");
        Cli.Result w = cli().globals("--url", PostgresServer.jdbcUrl()).run("fleet", "start", writes.toString(), a.toString());
        assertThat(w.exit()).as(w.all()).isNotZero();
        try (Connection c = PostgresServer.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + prefix + "_tenants")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        assertThat(value(databases.get(0), "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'bascule'")).isEqualTo("0");
    }

    @Test
    void aGateClosedOnOneMemberRefusesTheFleetsCompleteBeforeAnyMemberIsContracted() throws Exception {
        List<String> urls = databases(2);
        Path fleet = fleet(urls, "canary: 1\nconcurrency: 1\n");
        Path drop = file("0001_drop_name.yaml", "operations:\n  - drop_column: {table: users, column: name}\n");
        Cli.Result start = run("fleet", "start", fleet.toString(), drop.toString());
        assertThat(start.exit()).as(start.all()).isZero();
        // on member 1 a view of the application uses the column complete drops: its no_references gate is closed
        try (Connection c = connect(databases.get(1)); Statement s = c.createStatement()) {
            s.execute("CREATE VIEW public.user_names AS SELECT name FROM public.users");
        }
        Cli.Result complete = run("fleet", "complete", fleet.toString(), "--yes", "--quiet-time", "0");
        assertThat(complete.exit()).as(complete.all()).isEqualTo(3);
        assertThat(complete.err()).contains(prefix + "_1: no_references").contains("nothing was changed");
        for (String db : databases) {
            assertThat(phases(db)).isEqualTo("0001_drop_name=started");
            assertThat(value(db, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
                    + " AND table_name = 'users' AND column_name = 'name'")).isEqualTo("1");
        }
    }

    @Test
    void aQueryNamesItsMembersSoShardsOfOneDatabaseNameOnTwoServersCanBeListed() throws Exception {
        List<String> urls = databases(2);
        admin("CREATE TABLE " + prefix + "_tenants (id int, url text, schema_name text, name text)");
        // shard databases are often named alike on every server: the database alone cannot name them
        admin("INSERT INTO " + prefix + "_tenants VALUES (1, '" + urls.get(0) + "', null, 'east'), (2, '" + urls.get(1)
                + "', null, 'west')");
        Path a = file("0001_email.yaml", MIGRATION);
        Path fleet = file("fleet.yaml", "query: select url, schema_name, name from " + prefix + "_tenants order by id\n");
        Cli.Result start = cli().globals("--url", PostgresServer.jdbcUrl()).run("fleet", "start", fleet.toString(), a.toString(), "--json");
        assertThat(start.exit()).as(start.all()).isZero();
        JsonNode report = JSON.readTree(start.out());
        assertThat(report.get("members").get(0).get("member").asText()).isEqualTo("east");
        assertThat(report.get("members").get(1).get("member").asText()).isEqualTo("west");
        admin("UPDATE " + prefix + "_tenants SET name = E'we\\u001bst' WHERE id = 2");
        Cli.Result bad = cli().globals("--url", PostgresServer.jdbcUrl()).run("fleet", "status", fleet.toString());
        assertThat(bad.exit()).as(bad.all()).isEqualTo(2);
        assertThat(bad.err()).contains("fleet.yaml: query: row 2: the third column");
    }
}
