package dev.bascule.api;

import java.time.Duration;

/**
 * Tells someone about {@link Event}s. {@link #send} is called on the thread that saw the event
 * (a backfill worker, say), so it must return at once: deliver on a thread of your own, and wait
 * for what is pending in {@link #flush}. A notifier must not throw; if it does, the exception is
 * logged and the migration goes on.
 */
public interface Notifier {

    void send(Event event);

    /**
     * Waits up to {@code wait} for the deliveries sent so far; called when a command ends.
     *
     * @return true when nothing is left pending
     */
    default boolean flush(Duration wait) {
        return true;
    }

    Notifier NONE = event -> { };
}
