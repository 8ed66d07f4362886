package dev.bascule.faults;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.BackfillOptions;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Runs one Bascule command (start, complete or rollback) in a JVM of its own, so a harness can
 * SIGKILL it at any moment. Prints {@code ready} once loaded, then one {@code event} line per
 * step, commit and batch, so the harness can tell where a kill landed. Exits as the CLI does:
 * 0 done, the exception's exit code otherwise, its message on stderr.
 *
 * <p>Arguments: command url schema stateSchema file slowMillis waitForGo. {@code slowMillis}
 * stretches the command (a sleep before each step and between a step's commit and its "done"
 * record, a delay after each batch) so that a random kill time lands in every kind of window; it
 * adds no code path of its own. With {@code waitForGo} the command begins only when a line arrives
 * on stdin, so two processes can be released at the same instant.
 */
public final class FaultProcessMain {
    public static final String READY = "ready";
    public static final String EVENT = "event ";

    public static void main(String[] args) throws Exception {
        String command = args[0];
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[1]);
        long slow = Long.parseLong(args[5]);
        Bascule bascule = Bascule.configure().dataSource(ds).schema(args[2]).stateSchema(args[3])
                .quietTime(Duration.ofSeconds(1))
                .backfill(BackfillOptions.defaults().withBatchSize(500).withBatchDelay(Duration.ofMillis(slow / 3)))
                .listener(new SlowListener(slow))
                .load();
        var migration = command.equals("start") ? Bascule.read(Path.of(args[4])) : null;
        System.out.println(READY);
        System.out.flush();
        if (Boolean.parseBoolean(args[6])) {
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        try {
            Object outcome = switch (command) {
                case "start" -> bascule.start(migration);
                case "complete" -> bascule.complete(Set.of());
                case "rollback" -> bascule.rollback();
                default -> throw new IllegalArgumentException("unknown command " + command);
            };
            System.out.println("outcome " + outcome);
            System.out.flush();
            System.exit(0);
        } catch (BasculeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(e.exitCode());
        }
    }

    private record SlowListener(long millis) implements BasculeListener {
        @Override
        public void stepStarted(String phase, int index, int total, String description, String lock) {
            event(phase + " step " + index + "/" + total + " begins: " + description);
            pause(millis);
        }

        @Override
        public void locksHeld(String phase, String description, Map<String, String> locks, Duration held) {
            // the step's transaction has committed, its "done" record is not written yet
            event(phase + " committed: " + description);
            pause(millis);
        }

        @Override
        public void stepFinished(String phase, int index, int total, String description, Duration took, boolean skipped) {
            event(phase + " step " + index + "/" + total + " done");
        }

        @Override
        public void backfill(String table, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta,
                             int batchSize, String state) {
            event("backfill " + table + " " + rowsDone + "/" + rowsTotal);
        }

        private static void event(String what) {
            System.out.println(EVENT + what);
            System.out.flush();
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
