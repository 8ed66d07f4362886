package dev.bascule.notify;

import dev.bascule.api.Notifier;
import dev.bascule.api.Event;
import dev.bascule.api.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs each event's JSON to one URL, on a background thread, with a timeout per attempt and
 * retries with exponential backoff on what may pass (connection errors, timeouts, 429, 5xx).
 * Another 4xx is the receiver refusing this request, so it is not repeated. Failures are logged
 * without the URL's path or the header values, which may be secrets.
 */
public final class WebhookNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    private final Webhook webhook;
    private final BackgroundDelivery delivery;
    /** Made on the delivery thread at the first event: a command that sends none starts no client thread. */
    private HttpClient client;

    public WebhookNotifier(Webhook webhook) {
        this.webhook = webhook;
        this.delivery = new BackgroundDelivery("bascule-webhook " + webhook.displayName());
    }

    @Override
    public void send(Event event) {
        if (webhook.wants(event.type())) {
            String body = EventJson.of(event);
            delivery.submit(() -> deliver(event, body));
        }
    }

    @Override
    public boolean flush(Duration wait) {
        boolean done = delivery.flush(wait);
        if (!done) {
            LOG.warn("webhook {}: deliveries still pending after {} ms; not waiting longer", webhook.displayName(), wait.toMillis());
        }
        return done;
    }

    private void deliver(Event event, String body) {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(webhook.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url()).timeout(webhook.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "bascule")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        webhook.headers().forEach(request::header);
        HttpRequest built = request.build();
        String last = null;
        for (int attempt = 1; attempt <= webhook.attempts(); attempt++) {
            if (attempt > 1 && !sleep(webhook.backoff().multipliedBy(1L << (attempt - 2)))) {
                return;
            }
            try {
                int status = client.send(built, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 300) {
                    LOG.debug("webhook {}: {} delivered (attempt {})", webhook.displayName(), event.type().wireName(), attempt);
                    return;
                }
                last = "HTTP " + status;
                if (status != 429 && status < 500) {
                    break;
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (RuntimeException e) {
                last = e.getClass().getSimpleName(); // the client refused the request: trying again would not help
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("webhook {}: event {} not delivered ({}); giving up", webhook.displayName(), event.type().wireName(), last);
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "WebhookNotifier[" + webhook + "]";
    }
}
