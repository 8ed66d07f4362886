package dev.bascule.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real HTTP server on 127.0.0.1 that records every request it gets and answers with the
 * statuses it was told to (then 200), for webhook tests.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received: its method, headers (names lower-case) and body. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** The {@code event} field of the body. */
        public String event() {
            return json().path("event").asText();
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Integer> statuses = new ArrayDeque<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
            int status;
            synchronized (this) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
                status = statuses.isEmpty() ? 200 : statuses.removeFirst();
                notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The next requests are answered with these statuses, in order; later ones with 200. */
    public synchronized WebhookReceiver answer(Integer... statuses) {
        this.statuses.addAll(List.of(statuses));
        return this;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The {@code event} of each request received so far that {@code filter} accepts, in order. */
    public synchronized List<String> events(Predicate<Request> filter) {
        return requests.stream().filter(filter).map(Request::event).toList();
    }

    /** Waits until a request that {@code condition} accepts has come; fails after 60 s. */
    public synchronized Request await(String what, Predicate<Request> condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            for (Request r : requests) {
                if (condition.test(r)) {
                    return r;
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; received " + requests.stream().map(Request::body).toList());
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
