package dev.bascule.faults;

import dev.bascule.api.BasculeException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs a command again until it succeeds, as an operator would after a failure: each failure's
 * message is kept (exit 1 must say how to go on), and a short pause lets the sessions of a killed
 * process end on the server.
 */
final class Reruns {
    static final int MAX_ATTEMPTS = 8;

    /** @param attempts runs made, the successful one included; {@code done} false when none succeeded */
    record Outcome(int attempts, boolean done, Object result, List<String> failures) {}

    private Reruns() {}

    static Outcome untilDone(Callable<?> command) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return new Outcome(attempt, true, command.call(), List.copyOf(failures));
            } catch (BasculeException e) {
                failures.add("exit " + e.exitCode() + ": " + e.getMessage());
                if (e.exitCode() != 1) {
                    break; // invalid input or a refusal by a gate: running it again changes nothing
                }
            } catch (Exception e) {
                failures.add("unexpected " + e);
                break;
            }
            Thread.sleep(300L * attempt);
        }
        return new Outcome(failures.size(), false, null, List.copyOf(failures));
    }
}
