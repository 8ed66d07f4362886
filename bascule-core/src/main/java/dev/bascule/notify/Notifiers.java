package dev.bascule.notify;

import dev.bascule.api.Notifier;
import dev.bascule.api.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Several notifiers as one. A notifier that throws is logged and skipped: telling people about
 * a migration must never be what breaks it.
 */
public final class Notifiers implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifiers.class);

    private final List<Notifier> notifiers;

    private Notifiers(List<Notifier> notifiers) {
        this.notifiers = List.copyOf(notifiers);
    }

    public static Notifier of(List<Notifier> notifiers) {
        return notifiers.isEmpty() ? NONE : new Notifiers(notifiers);
    }

    @Override
    public void send(Event event) {
        for (Notifier n : notifiers) {
            try {
                n.send(event);
            } catch (RuntimeException e) {
                LOG.warn("notifier {} failed on event {}: {}", n.getClass().getSimpleName(), event.type().wireName(), e.toString());
            }
        }
    }

    /** Waits for all of them within one deadline, not {@code wait} each. */
    @Override
    public boolean flush(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean all = true;
        for (Notifier n : notifiers) {
            try {
                all &= n.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                LOG.warn("notifier {} failed to flush: {}", n.getClass().getSimpleName(), e.toString());
                all = false;
            }
        }
        return all;
    }
}
