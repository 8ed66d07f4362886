package dev.bascule.api;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where and how to POST events.
 *
 * @param url      http or https
 * @param events   the event types to send; empty for all
 * @param headers  added to each request (an {@code Authorization} token, say); their values are secret
 * @param timeout  for connecting, and for the response of one attempt
 * @param attempts tries of one event, on connection errors, timeouts, 429 and 5xx
 * @param backoff  the wait before the second attempt, doubled before each further one
 */
public record Webhook(URI url, Set<Event.Type> events, Map<String, String> headers, Duration timeout, int attempts,
                      Duration backoff) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
    /** Set by Bascule (the body's type) or refused by {@link java.net.http.HttpClient}. */
    public static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host", "connection",
            "expect", "upgrade");

    public Webhook {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("a webhook URL must be http:// or https:// with a host");
        }
        events = Set.copyOf(events);
        headers = Map.copyOf(headers);
        for (String name : headers.keySet()) {
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is set by Bascule or the HTTP client; it cannot be configured");
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a webhook timeout must be positive");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("a webhook needs at least 1 attempt");
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("a webhook backoff must not be negative");
        }
    }

    /** Every event, no header, the default timeout, attempts and backoff. */
    public static Webhook to(URI url) {
        return new Webhook(url, Set.of(), Map.of(), DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF);
    }

    public Webhook withEvents(Set<Event.Type> events) {
        return new Webhook(url, events, headers, timeout, attempts, backoff);
    }

    public Webhook withHeaders(Map<String, String> headers) {
        return new Webhook(url, events, headers, timeout, attempts, backoff);
    }

    public Webhook withTimeout(Duration timeout) {
        return new Webhook(url, events, headers, timeout, attempts, backoff);
    }

    public Webhook withAttempts(int attempts, Duration backoff) {
        return new Webhook(url, events, headers, timeout, attempts, backoff);
    }

    public boolean wants(Event.Type type) {
        return events.isEmpty() || events.contains(type);
    }

    /**
     * The URL without user info, path or query, for logs: chat webhooks carry their secret in the
     * path ({@code /services/T00/B00/XXXX}), and a URL may carry a password.
     */
    public String displayName() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/") ? "" : "/...");
    }

    /** Header names only: a record's default toString would print the tokens. */
    @Override
    public String toString() {
        return "Webhook[" + displayName() + ", events=" + events + ", headers=" + new TreeMap<>(headers).keySet()
                + ", timeout=" + timeout + ", attempts=" + attempts + "]";
    }
}
