package dev.bascule.cli;

import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bascule serve --port 0} run in-process on a thread of its own, as a user would start it;
 * closing interrupts the command, which stops the server.
 */
final class RunningServe implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+?:\\d+)/");

    private final Thread thread;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Integer exit;
    private final String base;

    private RunningServe(Map<String, String> env, List<String> args) throws InterruptedException {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        thread = new Thread(() -> exit = new BasculeCli(env, Path.of(""), Terminal.NONE, o, e)
                .run(args.toArray(String[]::new)), "serve-under-test");
        thread.setDaemon(true);
        thread.start();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Matcher m;
        while (!(m = SERVING.matcher(out())).find()) {
            if (exit != null || System.nanoTime() > end) {
                throw new AssertionError("serve did not start (exit " + exit + ")\n" + out() + err());
            }
            Thread.sleep(20);
        }
        base = m.group(1);
    }

    /** serve on {@code schema}, on a free port of 127.0.0.1, with {@code args} and the environment given. */
    static RunningServe on(TestSchema schema, Map<String, String> env, String... args) throws InterruptedException {
        return at(PostgresServer.jdbcUrl(), schema, env, args);
    }

    /** serve on {@code schema} of the database at {@code url}. */
    static RunningServe at(String url, TestSchema schema, Map<String, String> env, String... args) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of("--url", url, "--schema", schema.name(),
                "--state-schema", schema.stateSchema(), "serve", "--port", "0"));
        all.addAll(List.of(args));
        return new RunningServe(env, all);
    }

    /** serve with {@code args} only (a fleet's serve names its members in the fleet file). */
    static RunningServe with(Map<String, String> env, String... args) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of("serve", "--port", "0"));
        all.addAll(List.of(args));
        return new RunningServe(env, all);
    }

    String url(String path) {
        return base + path;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST with the given headers (name, value, ...) and a form body, or none. */
    HttpResponse<String> post(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10))
                .POST(form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
        if (thread.isAlive() || exit == null || exit != 0) {
            throw new AssertionError("serve did not stop cleanly (exit " + exit + ")\n" + out() + err());
        }
    }
}
