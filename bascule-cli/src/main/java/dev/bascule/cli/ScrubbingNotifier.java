package dev.bascule.cli;

import dev.bascule.api.Event;
import dev.bascule.api.Notifier;

import java.time.Duration;
import java.util.function.UnaryOperator;

/** Passes events on with every known secret (passwords, tokens) masked in their reason. */
final class ScrubbingNotifier implements Notifier {
    private final Notifier next;
    private final UnaryOperator<String> scrub;

    ScrubbingNotifier(Notifier next, UnaryOperator<String> scrub) {
        this.next = next;
        this.scrub = scrub;
    }

    @Override
    public void send(Event e) {
        next.send(e.reason() == null ? e : new Event(e.type(), e.migration(), e.schema(), e.table(), scrub.apply(e.reason()),
                e.version(), e.command(), e.time(), e.member()));
    }

    @Override
    public boolean flush(Duration wait) {
        return next.flush(wait);
    }
}
