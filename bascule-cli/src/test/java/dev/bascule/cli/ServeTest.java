package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.Bascule;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.bascule.cli.SlowBackfill.until;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code bascule serve} over real HTTP, on a real backfill: /status, /metrics, pause and resume, bad options. */
class ServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-token-for-tests";

    @Test
    void statusAndMetricsFollowARunningBackfill() throws Exception {
        try (TestSchema s = new TestSchema();
             SlowBackfill backfill = SlowBackfill.start(s, 12_000, 1_500);
             RunningServe serve = RunningServe.on(s, Map.of())) {
            until("the backfill to begin", Duration.ofSeconds(30), () -> backfill.rowsDone() > 0);
            List<Long> seen = new ArrayList<>();
            while (backfill.running() || seen.isEmpty()) {
                long before = backfill.rowsDone();
                JsonNode status = json(serve.get("/status"));
                PrometheusText metrics = PrometheusText.parse(serve.get("/metrics").body());
                long after = backfill.rowsDone();
                if (!backfill.running()) {
                    break; // the numbers below may be from after the end; the finished state is checked below
                }
                JsonNode active = status.get("active");
                assertThat(active.get("name").asText()).isEqualTo(SlowBackfill.MIGRATION);
                JsonNode t = active.get("backfills").get(0);
                assertThat(t.get("table").asText()).isEqualTo("t");
                assertThat(t.get("rows_total").asLong()).isEqualTo(12_000);
                long done = t.get("rows_done").asLong();
                assertThat(done).isBetween(before, after);
                assertThat(active.get("paused").asBoolean()).isFalse();
                assertThat(status.get("pause_resume").asBoolean()).isFalse();

                assertThat((long) metrics.value("bascule_backfill_rows_done", "table", "t")).isBetween(before, after);
                assertThat(metrics.value("bascule_backfill_rows_expected", "table", "t")).isEqualTo(12_000);
                assertThat(metrics.value("bascule_backfill_finished", "table", "t")).isZero();
                assertThat(metrics.value("bascule_paused")).isZero();
                assertThat(metrics.value("bascule_up")).isEqualTo(1);
                String phase = active.get("phase").asText();
                assertThat(metrics.value("bascule_phase", "phase", phase)).isEqualTo(1);
                assertThat(metrics.find("bascule_phase").stream().mapToDouble(PrometheusText.Sample::value).sum()).isEqualTo(1);
                assertThat(metrics.value("bascule_migration_active", "name", SlowBackfill.MIGRATION, "schema", s.name()))
                        .isEqualTo(1);
                assertThat(metrics.types()).containsEntry("bascule_backfill_rows_done", "gauge");
                seen.add(done);
                Thread.sleep(300);
            }
            backfill.await(Duration.ofSeconds(60));
            assertThat(seen).as("rows done, request after request").isSorted();
            assertThat(seen.stream().distinct().count()).as("distinct readings while it ran: %s", seen).isGreaterThanOrEqualTo(3);

            JsonNode done = json(serve.get("/status"));
            JsonNode t = done.get("active").get("backfills").get(0);
            assertThat(t.get("rows_done").asLong()).isEqualTo(12_000);
            assertThat(t.get("finished").asBoolean()).isTrue();
            assertThat(t.get("rows_per_second").asDouble()).isPositive();
            assertThat(done.get("active").get("phase").asText()).isEqualTo("started");
            assertThat(done.get("latest_schema").asText()).isEqualTo(s.bascule().load().latest());
            JsonNode history = done.get("history");
            assertThat(history).hasSize(1);
            assertThat(history.get(0).get("name").asText()).isEqualTo(SlowBackfill.MIGRATION);
            assertThat(history.get(0).get("phase").asText()).isEqualTo("started");
            JsonNode replication = done.get("signals").get("replication");
            assertThat(replication.get("standbys").asInt()).isZero(); // the test server has no standby
            assertThat(replication.get("lag_bytes").isNull()).isTrue();
            assertThat(replication.get("lag_seconds").isNull()).isTrue();

            PrometheusText metrics = PrometheusText.parse(serve.get("/metrics").body());
            assertThat(metrics.value("bascule_backfill_rows_done", "table", "t")).isEqualTo(12_000);
            assertThat(metrics.value("bascule_backfill_finished", "table", "t")).isEqualTo(1);
            assertThat(metrics.value("bascule_backfill_eta_seconds", "table", "t")).isZero();
            assertThat(metrics.value("bascule_backfill_rows_per_second", "table", "t")).isPositive();
            assertThat(metrics.value("bascule_phase", "phase", "started")).isEqualTo(1);
            assertThat(metrics.value("bascule_replication_standbys")).isZero();
            assertThat(metrics.value("bascule_replication_lag_bytes")).isNaN();
            assertThat(metrics.value("bascule_replication_lag_seconds")).isNaN();
            assertThat(metrics.value("bascule_lock_waits")).isZero();
            assertThat(serve.out()).doesNotContain("error");
        }
    }

    @Test
    void pauseAndResumeNeedTheTokenAndReachTheRunningBackfill() throws Exception {
        try (TestSchema s = new TestSchema();
             SlowBackfill backfill = SlowBackfill.start(s, 10_000, 2_000);
             RunningServe serve = RunningServe.on(s, Map.of(ServeCommand.TOKEN_ENV, TOKEN))) {
            Bascule facade = s.bascule().load();
            until("the backfill to begin", Duration.ofSeconds(30), () -> backfill.rowsDone() > 0);
            assertThat(json(serve.get("/status")).get("pause_resume").asBoolean()).isTrue();

            HttpResponse<String> none = serve.post("/pause", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(serve.post("/pause", null, "Authorization", "Bearer not-" + TOKEN).statusCode()).isEqualTo(401);
            assertThat(serve.post("/pause", "token=" + TOKEN.substring(1)).statusCode()).isEqualTo(401);
            assertThat(serve.get("/pause").statusCode()).isEqualTo(405);
            assertThat(facade.status().active().paused()).isFalse();

            HttpResponse<String> paused = serve.post("/pause", null, "Authorization", "Bearer " + TOKEN);
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            assertThat(facade.status().active().paused()).isTrue();
            until("the pause to take effect", Duration.ofSeconds(20), () -> "paused".equals(backfill.throttleReason()));
            long atPause = backfill.rowsDone();
            JsonNode status = json(serve.get("/status"));
            assertThat(status.get("active").get("paused").asBoolean()).isTrue();
            assertThat(status.get("active").get("pause_reason").asText()).startsWith("paused by");
            assertThat(PrometheusText.parse(serve.get("/metrics").body()).value("bascule_paused")).isEqualTo(1);
            Thread.sleep(500);
            assertThat(backfill.rowsDone()).as("a paused backfill does not move").isEqualTo(atPause);

            HttpResponse<String> resumed = serve.post("/resume", "token=" + java.net.URLEncoder.encode(TOKEN, StandardCharsets.UTF_8));
            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
            assertThat(facade.status().active().paused()).isFalse();
            until("the backfill to move again", Duration.ofSeconds(20), () -> backfill.rowsDone() > atPause);
            backfill.await(Duration.ofSeconds(60));
            assertThat(s.value("SELECT count(*) FROM t WHERE filled IS DISTINCT FROM upper(payload)")).isEqualTo("0");
            assertThat(serve.out() + serve.err()).doesNotContain(TOKEN);
        }
    }

    @Test
    void onLoopbackOnlyRequestsAddressedToLoopbackAreAnswered() throws Exception {
        try (TestSchema s = new TestSchema(); RunningServe serve = RunningServe.on(s, Map.of())) {
            URI base = URI.create(serve.url("/"));
            assertThat(rawStatusLine(base, "localhost:" + base.getPort())).contains(" 200 ");
            assertThat(rawStatusLine(base, "127.0.0.1:" + base.getPort())).contains(" 200 ");
            assertThat(rawStatusLine(base, "LocalHost")).contains(" 200 ");
            assertThat(rawStatusLine(base, "[::1]:" + base.getPort())).contains(" 200 ");
            // a rebinding page's own name: refused, whatever the address it resolved to
            assertThat(rawStatusLine(base, "attacker.example:" + base.getPort())).contains(" 421 ");
            // a loopback name with text after it is another name: refused too
            for (String host : List.of("[::1]evil.com", "[::1]evil.com:" + base.getPort(), "[::1]:80evil.com", "[::1]:80:81",
                    "[::1", "[::1]]", "[[::1]]", "[127.0.0.1]", "[localhost]", "localhost.evil.com", "127.0.0.1.evil.com",
                    "localhost:80@evil.com", "localhost:", "localhost:abc", "localhost evil.com", "evil.com#localhost",
                    "127.0.0.1:80:80", "", " ")) {
                assertThat(rawStatusLine(base, host)).as("Host: %s", host).contains(" 421 ");
            }
        }
    }

    @Test
    void slowAndIdleClientsNeitherStarveStatusPauseAndResumeNorStayConnected() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL)", "INSERT INTO t VALUES (1, 'a')");
            s.bascule().load().start(MigrationReader.read("0001_fill.yaml", ("operations:\n  - add_column: {table: t,"
                    + " column: {name: filled, type: text}, up: \"upper(payload)\"}\n").getBytes(StandardCharsets.UTF_8)), true);
            try (RunningServe serve = RunningServe.on(s, Map.of(ServeCommand.TOKEN_ENV, TOKEN))) {
                URI base = URI.create(serve.url("/"));
                String host = "127.0.0.1:" + base.getPort();
                List<java.net.Socket> slow = new ArrayList<>();
                try {
                    for (int i = 0; i < 50; i++) {
                        java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort());
                        slow.add(socket);
                        String sent = switch (i % 5) {
                            case 0, 1 -> "GET /status HTTP/1.1\r\nHost: " + host; // headers that never end
                            case 2, 3 -> "POST /pause HTTP/1.1\r\nHost: " + host + "\r\nContent-Type:"
                                    + " application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntoken="; // a body that never ends
                            default -> ""; // connected, silent
                        };
                        socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                    }
                    long sentAt = System.nanoTime();
                    Thread.sleep(500); // the server has read what there is of each

                    assertThat(withinASecond(() -> serve.get("/status")).statusCode()).isEqualTo(200);
                    HttpResponse<String> paused = withinASecond(() -> serve.post("/pause", null, "Authorization", "Bearer " + TOKEN));
                    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
                    assertThat(json(withinASecond(() -> serve.get("/status"))).get("active").get("paused").asBoolean()).isTrue();
                    HttpResponse<String> resumed = withinASecond(() -> serve.post("/resume", "token="
                            + java.net.URLEncoder.encode(TOKEN, StandardCharsets.UTF_8)));
                    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
                    assertThat(withinASecond(() -> serve.get("/")).statusCode()).isEqualTo(200);

                    // a request not read in full within the read timeout is dropped, without an answer
                    for (int i = 0; i < slow.size(); i++) {
                        if (i % 5 == 4) {
                            continue; // silent ones cost no worker; the server closes them when idle long enough
                        }
                        java.net.Socket socket = slow.get(i);
                        socket.setSoTimeout(15_000);
                        int read;
                        try {
                            read = socket.getInputStream().read();
                        } catch (java.net.SocketException reset) {
                            read = -1;
                        }
                        assertThat(read).as("slow client %d gets no answer, only the end of the connection", i).isEqualTo(-1);
                    }
                    Duration waited = Duration.ofNanos(System.nanoTime() - sentAt);
                    assertThat(waited).isLessThan(StatusServer.READ_TIMEOUT.plusSeconds(3));
                    assertThat(withinASecond(() -> serve.get("/status")).statusCode()).isEqualTo(200);
                } finally {
                    for (java.net.Socket socket : slow) {
                        socket.close();
                    }
                }
            }
        }
    }

    /** An exchange that must be answered within a second. */
    private static HttpResponse<String> withinASecond(java.util.concurrent.Callable<HttpResponse<String>> exchange)
            throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = exchange.call();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("%s answered in", r.request().uri())
                .isLessThan(Duration.ofSeconds(1));
        return r;
    }

    @Test
    void aDatabaseThatGoesAwayIs503WithAShortJsonError() throws Exception {
        String url = dev.bascule.testing.PostgresServer.jdbcUrl();
        try (TestSchema s = new TestSchema(); DatabaseDoor door = DatabaseDoor.to(url);
             RunningServe serve = RunningServe.at(door.through(url), s, Map.of(ServeCommand.TOKEN_ENV, TOKEN))) {
            assertThat(serve.get("/status").statusCode()).isEqualTo(200);
            door.shut(); // the server goes away: its port refuses connections

            HttpResponse<String> status = serve.get("/status");
            assertThat(status.statusCode()).as(status.body()).isEqualTo(503);
            JsonNode error = json(status);
            assertThat(error.get("error").asText()).isNotBlank().hasSizeLessThan(400);
            assertThat(PrometheusText.parse(serve.get("/metrics").body()).value("bascule_up")).isZero();
            HttpResponse<String> pause = serve.post("/pause", null, "Authorization", "Bearer " + TOKEN);
            assertThat(pause.statusCode()).as(pause.body()).isEqualTo(503);
            assertThat(json(pause).get("error").asText()).isNotBlank();
            assertThat(serve.get("/").statusCode()).isEqualTo(200); // the page itself needs no database
        }
    }

    @Test
    void aDatabaseThatStopsAnsweringIs503NotAHang() throws Exception {
        String url = dev.bascule.testing.PostgresServer.jdbcUrl();
        try (TestSchema s = new TestSchema(); DatabaseDoor door = DatabaseDoor.to(url);
             // without SSL, pgjdbc's 5 s wait for the server's SSL answer does not stand in for a login timeout
             RunningServe serve = RunningServe.at(door.through(url) + (url.contains("?") ? "&" : "?") + "sslmode=disable",
                     s, Map.of())) {
            assertThat(serve.get("/status").statusCode()).isEqualTo(200);
            door.hang(); // connections are accepted and never answered

            long t0 = System.nanoTime();
            HttpResponse<String> status = serve.get("/status");
            assertThat(status.statusCode()).as(status.body()).isEqualTo(503);
            assertThat(json(status).get("error").asText()).isNotBlank();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(9));
        }
    }

    /** The status line of GET /status sent with {@code host} as the Host header (java.net.http will not send another). */
    private static String rawStatusLine(URI base, String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET /status HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void withoutATokenPauseAndResumeAreForbidden() throws Exception {
        try (TestSchema s = new TestSchema(); RunningServe serve = RunningServe.on(s, Map.of())) {
            assertThat(serve.out()).contains("read-only");
            for (String path : List.of("/pause", "/resume")) {
                HttpResponse<String> r = serve.post(path, "token=anything", "Authorization", "Bearer anything");
                assertThat(r.statusCode()).isEqualTo(403);
                assertThat(json(r).get("error").asText()).contains("--token");
            }
            JsonNode status = json(serve.get("/status"));
            assertThat(status.get("pause_resume").asBoolean()).isFalse();
            assertThat(status.get("active").isNull()).isTrue();
            assertThat(status.get("history")).isEmpty();
            assertThat(serve.get("/nothing-here").statusCode()).isEqualTo(404);
            assertThat(serve.post("/pause", "token=" + "x".repeat(5000)).statusCode()).isEqualTo(413);
            HttpResponse<String> page = serve.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<title>Bascule</title>").doesNotContain("http://", "https://");
            // the stylesheet the status and fleet pages share is in the page, inline
            assertThat(page.body()).contains("--accent:", "prefers-color-scheme").doesNotContain("/*bascule-style*/");
            HttpResponse<String> metrics = serve.get("/metrics");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            PrometheusText parsed = PrometheusText.parse(metrics.body());
            assertThat(parsed.value("bascule_phase", "phase", "none")).isEqualTo(1);
            assertThat(parsed.find("bascule_migration_active")).isEmpty();
            assertThat(parsed.value("bascule_paused")).isZero();
        }
    }

    @Test
    void lockWaitsOnTheMigratedTablesAndApplicationLatency() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public",
                    "CREATE TABLE t (id bigint PRIMARY KEY, payload text NOT NULL)",
                    "CREATE TABLE other (id bigint PRIMARY KEY)",
                    "INSERT INTO t SELECT g, 'p' || g FROM generate_series(1, 100) g", "INSERT INTO other VALUES (1)");
            // expanded, not backfilled: the migration is active and its plan names t
            s.bascule().load().start(MigrationReader.read("0001_fill.yaml", ("operations:\n  - add_column: {table: t,"
                    + " column: {name: filled, type: text}, up: \"upper(payload)\"}\n").getBytes(StandardCharsets.UTF_8)), true);
            try (RunningServe serve = RunningServe.on(s, Map.of());
                 Connection holder = s.connect(s.name())) {
                JsonNode quiet = json(serve.get("/status")).get("signals");
                assertThat(quiet.get("lock_waits")).isEmpty();

                holder.setAutoCommit(false);
                exec(holder, "SELECT * FROM t WHERE id = 1 FOR UPDATE", "LOCK TABLE other IN ACCESS EXCLUSIVE MODE");
                int holderPid = pid(holder);
                List<Integer> waiters = new ArrayList<>();
                List<CompletableFuture<Void>> blocked = new ArrayList<>();
                for (String sql : List.of("UPDATE t SET payload = 'x' WHERE id = 1",   // waits on a row of t
                        "LOCK TABLE t IN EXCLUSIVE MODE",                             // waits on t itself
                        "SELECT * FROM other")) {                                      // waits, but not on a migrated table
                    Connection c = s.connect(s.name());
                    waiters.add(pid(c));
                    blocked.add(CompletableFuture.runAsync(() -> {
                        try (c) {
                            c.setAutoCommit(false); // LOCK TABLE needs a transaction
                            exec(c, sql);
                            c.commit();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, r -> new Thread(r, "blocked-session").start())); // each on its own thread: they all block
                }
                until("three sessions to wait", Duration.ofSeconds(20), () -> Integer.parseInt(s.value(
                        "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid IN (" + waiters.get(0) + ", "
                                + waiters.get(1) + ", " + waiters.get(2) + ")")) == 3);

                JsonNode waits = json(serve.get("/status")).get("signals").get("lock_waits");
                assertThat(waits).hasSize(2);
                JsonNode row = find(waits, waiters.get(0));
                assertThat(row.get("table").asText()).isEqualTo("t");
                assertThat(row.get("lock").asText()).isEqualTo("row");
                assertThat(row.get("blocked_by")).extracting(JsonNode::asInt).containsExactly(holderPid);
                JsonNode table = find(waits, waiters.get(1));
                assertThat(table.get("table").asText()).isEqualTo("t");
                assertThat(table.get("lock").asText()).isEqualTo("ExclusiveLock");
                assertThat(table.get("blocked_by")).extracting(JsonNode::asInt).contains(holderPid);
                assertThat(PrometheusText.parse(serve.get("/metrics").body()).value("bascule_lock_waits")).isEqualTo(2);

                holder.rollback();
                CompletableFuture.allOf(blocked.toArray(CompletableFuture[]::new)).get();

                // application statements between two readings give the recent mean
                json(serve.get("/status"));
                try (Connection app = s.connect(s.name())) {
                    for (int i = 0; i < 50; i++) {
                        exec(app, "SELECT count(*) FROM t WHERE payload LIKE '%" + i + "%'");
                    }
                }
                JsonNode latency = json(serve.get("/status")).get("signals").get("application_latency");
                assertThat(latency.get("available").asBoolean()).isTrue();
                assertThat(latency.get("calls").asLong()).isGreaterThanOrEqualTo(50);
                assertThat(latency.get("mean_ms").asDouble()).isPositive();
                assertThat(latency.get("recent_mean_ms").asDouble()).isPositive();
                assertThat(PrometheusText.parse(serve.get("/metrics").body()).value("bascule_statement_mean_seconds"))
                        .satisfies(v -> assertThat(v.isNaN() || v > 0).isTrue());
            }
        }
    }

    @Test
    void badPortOrAddressIsExit2() throws Exception {
        try (TestSchema s = new TestSchema(); ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli cli = Cli.on(s);
            Cli.Result high = cli.run("serve", "--port", "65536");
            assertThat(high.exit()).as(high.toString()).isEqualTo(2);
            assertThat(high.err()).contains("--port must be between 0 and 65535");
            assertThat(cli.run("serve", "--port", "-1").exit()).isEqualTo(2);
            Cli.Result word = cli.run("serve", "--port", "eighty");
            assertThat(word.exit()).isEqualTo(2);
            assertThat(word.err()).contains("--port");
            Cli.Result unknown = cli.run("serve", "--bind", "no-such-host.invalid");
            assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(2);
            assertThat(unknown.err()).contains("--bind no-such-host.invalid is not an IP address");
            Cli.Result foreign = cli.run("serve", "--bind", "192.0.2.1"); // TEST-NET-1: no interface here has it
            assertThat(foreign.exit()).as(foreign.toString()).isEqualTo(2);
            assertThat(foreign.err()).contains("cannot listen on 192.0.2.1");
            Cli.Result inUse = cli.run("serve", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(inUse.exit()).as(inUse.toString()).isEqualTo(2);
            assertThat(inUse.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            Cli.Result noUrl = new Cli().run("serve");
            assertThat(noUrl.exit()).isEqualTo(2);
            assertThat(noUrl.err()).contains("no database URL");
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(r.body());
    }

    private static JsonNode find(JsonNode waits, int pid) {
        for (JsonNode w : waits) {
            if (w.get("pid").asInt() == pid) {
                return w;
            }
        }
        throw new AssertionError("no lock wait of pid " + pid + " in " + waits);
    }

    private static void exec(Connection c, String... sql) throws Exception {
        try (Statement st = c.createStatement()) {
            for (String q : sql) {
                st.execute(q);
            }
        }
    }

    private static int pid(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
