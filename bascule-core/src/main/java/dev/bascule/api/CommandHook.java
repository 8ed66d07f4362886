package dev.bascule.api;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A program run for each event, with the event in its environment and its JSON on stdin.
 *
 * @param argv    the program and its arguments, run as is (no shell); {@link #shell} makes {@code sh -c TEXT}
 * @param events  the event types to run it for; empty for all
 * @param timeout after this long the process (and its children) are killed
 */
public record CommandHook(List<String> argv, Set<Event.Type> events, Duration timeout) {
    /** Shorter than the wait for pending deliveries when a command ends, so that a hung hook is killed, not orphaned. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public CommandHook {
        argv = List.copyOf(argv);
        events = Set.copyOf(events);
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("a command hook needs a program to run");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a command hook timeout must be positive");
        }
    }

    /** {@code sh -c script}, for every event, with the default timeout. */
    public static CommandHook shell(String script) {
        return new CommandHook(List.of("sh", "-c", script), Set.of(), DEFAULT_TIMEOUT);
    }

    public static CommandHook argv(List<String> argv) {
        return new CommandHook(argv, Set.of(), DEFAULT_TIMEOUT);
    }

    public CommandHook withEvents(Set<Event.Type> events) {
        return new CommandHook(argv, events, timeout);
    }

    public CommandHook withTimeout(Duration timeout) {
        return new CommandHook(argv, events, timeout);
    }

    public boolean wants(Event.Type type) {
        return events.isEmpty() || events.contains(type);
    }

    /**
     * The program's name for logs: the first word of a shell script, else the program. Never the
     * whole command line, which may hold a token ({@code curl -H "Authorization: ..."}).
     */
    public String displayName() {
        String first = argv.size() == 3 && argv.get(0).equals("sh") && argv.get(1).equals("-c")
                ? argv.get(2).strip().split("\\s+", 2)[0] : argv.get(0);
        return first.isEmpty() ? "sh" : first;
    }

    @Override
    public String toString() {
        return "CommandHook[" + displayName() + ", events=" + events + ", timeout=" + timeout + "]";
    }
}
