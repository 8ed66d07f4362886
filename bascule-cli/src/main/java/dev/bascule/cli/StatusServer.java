package dev.bascule.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of {@code bascule serve}: the status page, {@code /status}, {@code /metrics},
 * and {@code POST /pause} / {@code /resume}. Every request reads the database afresh through the
 * facade (serve is a separate process from the running start).
 *
 * <p>Slow clients cannot starve it: a pool of its own ({@link #WORKERS} threads) takes the requests,
 * a request not read in full within {@link #READ_TIMEOUT} is dropped ({@link ReadDeadlines}), and
 * connections that send nothing wait in the server's selector, holding no worker. The pool also
 * bounds the database connections serve opens.
 */
final class StatusServer implements AutoCloseable {
    /** Enough that dozens of slow or idle connections leave workers for /status, pause and resume. */
    static final int WORKERS = 64;
    /** Requests waiting for a worker; beyond that a connection is closed at once. */
    private static final int QUEUED = 256;
    /** A client that has not sent its whole request (line, headers, body) by then is dropped. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** Host: a name or an IPv4 address, or a bracketed IPv6 address; then an optional port; nothing else. */
    private static final Pattern HOST = Pattern.compile("(\\[[^\\[\\]]*]|[^\\[\\]:]*)(?::\\d{1,5})?");
    private static final String PAGE = "/dev/bascule/cli/status.html";
    private static final String FLEET_PAGE = "/dev/bascule/cli/fleet.html";
    private static final String STYLE = "/dev/bascule/cli/status.css";
    private static final String STYLE_MARKER = "/*bascule-style*/";
    private static final int MAX_FORM_BYTES = 4096;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final ReadDeadlines deadlines = new ReadDeadlines(READ_TIMEOUT);
    private final Bascule bascule; // null when serving a fleet
    private final dev.bascule.fleet.Fleet fleet; // null when serving one database
    private final FleetMetrics fleetMetrics = new FleetMetrics();
    private final BearerToken token; // null: read-only
    private final LatencyWindow latency = new LatencyWindow(Duration.ofSeconds(10));
    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final UnaryOperator<String> scrub;
    private final byte[] page;

    private static String resource(String name) throws IOException {
        try (InputStream in = StatusServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("status page part " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private StatusServer(HttpServer server, Bascule bascule, dev.bascule.fleet.Fleet fleet, BearerToken token,
                         UnaryOperator<String> scrub) throws IOException {
        this.server = server;
        this.bascule = bascule;
        this.fleet = fleet;
        this.token = token;
        this.scrub = scrub;
        // the status and fleet pages share one stylesheet, inlined: the page's CSP allows inline styles only
        String page = resource(fleet == null ? PAGE : FLEET_PAGE);
        this.page = page.replace(STYLE_MARKER, resource(STYLE)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED), r -> {
            Thread t = new Thread(r, "bascule-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }); // a request it rejects when full is a connection the server closes
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(deadlines.around(executor));
        server.createContext("/", this::handle);
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param token the token pause and resume require; null makes the server read-only
     * @param scrub  removes passwords from the database's error messages before they are sent
     * @throws java.net.BindException when the address cannot be bound
     */
    static StatusServer start(InetSocketAddress address, Bascule bascule, BearerToken token, UnaryOperator<String> scrub)
            throws IOException {
        StatusServer s = new StatusServer(HttpServer.create(address, 0), bascule, null, token, scrub);
        s.server.start();
        return s;
    }

    /** As {@link #start}, for a fleet: every member's row on the page and in {@code /status}, {@code /metrics} with a {@code member} label. */
    static StatusServer start(InetSocketAddress address, dev.bascule.fleet.Fleet fleet, BearerToken token,
                              UnaryOperator<String> scrub) throws IOException {
        StatusServer s = new StatusServer(HttpServer.create(address, 0), null, fleet, token, scrub);
        s.server.start();
        return s;
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * A server bound to loopback answers only requests addressed to loopback: a web page whose host
     * name an attacker re-points at 127.0.0.1 (DNS rebinding) sends its own name as Host.
     */
    private boolean addressedToLoopback(HttpExchange ex) {
        if (!server.getAddress().getAddress().isLoopbackAddress()) {
            return true;
        }
        java.util.List<String> hosts = ex.getRequestHeaders().get("Host");
        return hosts != null && hosts.size() == 1 && loopbackName(hosts.get(0));
    }

    /** {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, with an optional port, and nothing before or after. */
    static boolean loopbackName(String host) {
        Matcher m = HOST.matcher(host);
        if (!m.matches()) {
            return false;
        }
        String name = m.group(1);
        return name.equalsIgnoreCase("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }

    /**
     * Reads the whole body (a form of a few fields at most) so that the request is read before the
     * database is; null, with the answer sent, when it is too large.
     */
    private byte[] body(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(MAX_FORM_BYTES + 1);
        if (body.length > MAX_FORM_BYTES) {
            ex.getResponseHeaders().set("Connection", "close");
            json(ex, 413, error("the request body is larger than " + MAX_FORM_BYTES + " bytes"));
            return null;
        }
        if (!ReadDeadlines.requestRead()) {
            throw new IOException("the request was not read within " + READ_TIMEOUT.toSeconds() + " s");
        }
        return body;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = body(ex);
            if (body == null) {
                return;
            }
            if (!addressedToLoopback(ex)) {
                json(ex, 421, error("this server answers requests to localhost, 127.0.0.1 or [::1] only"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            switch (path) {
                case "/", "/index.html" -> {
                    if (allow(ex, "GET")) {
                        send(ex, 200, "text/html; charset=utf-8", page);
                    }
                }
                case "/status" -> {
                    if (allow(ex, "GET")) {
                        status(ex);
                    }
                }
                case "/metrics" -> {
                    if (allow(ex, "GET")) {
                        String text = fleet != null ? fleetMetrics.scrape(fleet.status()) : metrics.scrape(readQuietly());
                        send(ex, 200, PrometheusMetrics.CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "/pause", "/resume" -> {
                    if (allow(ex, "POST")) {
                        pauseOrResume(ex, body, path.equals("/pause"));
                    }
                }
                default -> json(ex, 404, error("no such page: " + path + " (try /, /status or /metrics)"));
            }
        } catch (RuntimeException e) {
            if (ex.getResponseCode() == -1) { // nothing sent yet; otherwise closing the exchange is all there is to do
                json(ex, 500, error("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
    }

    private void status(HttpExchange ex) throws IOException {
        if (fleet != null) {
            Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("read_at", Formats.isoTime(java.time.OffsetDateTime.now()));
            doc.put("fleet", true);
            doc.put("action", fleet.journal().action());
            doc.put("migration", fleet.journal().migration());
            doc.put("paused", fleet.journal().paused());
            doc.putAll(FleetTable.json(fleet.status(), scrub));
            doc.put("pause_resume", token != null);
            json(ex, 200, doc);
            return;
        }
        try {
            json(ex, 200, StatusDocument.of(ServeSnapshot.read(bascule, latency), token != null));
        } catch (BasculeException e) {
            json(ex, 503, StatusDocument.error(scrub.apply(String.valueOf(e.getMessage())), token != null));
        }
    }

    private ServeSnapshot readQuietly() {
        try {
            return ServeSnapshot.read(bascule, latency);
        } catch (BasculeException e) {
            return null; // bascule_up 0 says it
        }
    }

    private void pauseOrResume(HttpExchange ex, byte[] body, boolean pause) throws IOException {
        if (token == null) {
            json(ex, 403, error("pause and resume are disabled: start serve with --token TOKEN"
                    + " (or BASCULE_SERVE_TOKEN)"));
            return;
        }
        String given = BearerToken.fromHeader(ex.getRequestHeaders().getFirst("Authorization"));
        if (given == null) {
            given = formField(ex, body, "token");
        }
        if (!token.matches(given)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"bascule\"");
            json(ex, 401, error(given == null ? "a token is required: Authorization: Bearer TOKEN" : "wrong token"));
            return;
        }
        try {
            if (fleet != null) {
                List<dev.bascule.fleet.Fleet.MemberResult> results = fleet.pause(pause);
                long failed = results.stream().filter(r -> r.outcome().equals(dev.bascule.fleet.FleetJournal.FAILED)).count();
                json(ex, failed == 0 ? 200 : 502, Map.of("paused", pause, "members", results.size(), "failed", failed));
                return;
            }
            bascule.pause(pause);
            json(ex, 200, Map.of("paused", pause));
        } catch (BasculeException e) {
            // the database out of reach is not a conflict with the migration's state
            json(ex, unreachable(e) ? 503 : 409, error(e.getMessage()));
        }
    }

    /** The database refused or lost the connection, or the login: 08 connection, 28 authorization, 3D catalog, 57P shutdown. */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("28") || state.startsWith("3D") || state.startsWith("57P")
                        || sql instanceof java.sql.SQLTransientConnectionException
                        || sql instanceof java.sql.SQLNonTransientConnectionException) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A field of an {@code application/x-www-form-urlencoded} body, or null. */
    private static String formField(HttpExchange ex, byte[] body, String name) {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return null;
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private boolean allow(HttpExchange ex, String method) throws IOException {
        if (ex.getRequestMethod().equals(method) || (method.equals("GET") && ex.getRequestMethod().equals("HEAD"))) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", method.equals("GET") ? "GET, HEAD" : method);
        json(ex, 405, error(ex.getRequestMethod() + " is not allowed here; use " + method));
        return false;
    }

    private Map<String, Object> error(String message) {
        return Map.of("error", message == null ? "unknown error" : scrub.apply(message));
    }

    private void json(HttpExchange ex, int code, Object tree) throws IOException {
        send(ex, code, "application/json; charset=utf-8", Formats.json(tree).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        // the page has a pause button: no other site may frame it, and it loads nothing from elsewhere
        h.set("X-Frame-Options", "DENY");
        h.set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline';"
                + " style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        deadlines.close();
    }
}
