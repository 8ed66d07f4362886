package dev.bascule.rehearsal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Threads that play application clients: each runs its loop while {@link #running()} is true,
 * and {@link #stop()} waits for the statement each has in flight. Shared by the rehearsal's
 * synthetic clients and the demo's.
 */
public final class ClientThreads {
    private final String name;
    private final int count;
    private final IntConsumer loop;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    private long startedNanos;
    private long stoppedNanos;

    /** @param loop runs client {@code n} (1-based) until {@link #running()} turns false */
    public ClientThreads(String name, int count, IntConsumer loop) {
        this.name = name;
        this.count = count;
        this.loop = loop;
    }

    public boolean running() {
        return running;
    }

    public void start() {
        running = true;
        startedNanos = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int n = i + 1;
            Thread t = new Thread(() -> loop.accept(n), name + "-" + n);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Stops the clients, waiting at most {@code patience} for each one's statement in flight. */
    public void stop(Duration patience) {
        if (!running) {
            return;
        }
        running = false;
        for (Thread t : workers) {
            try {
                t.join(patience.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        stoppedNanos = System.nanoTime();
    }

    /** From start to stop (or to now while running); zero before start. */
    public Duration elapsed() {
        if (startedNanos == 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((stoppedNanos == 0 ? System.nanoTime() : stoppedNanos) - startedNanos);
    }

    /** Whether a client's connection survived its last failure; a broken one is replaced. */
    public static boolean usable(java.sql.Connection c) {
        try {
            return !c.isClosed() && c.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    public static void closeQuietly(java.sql.Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (java.sql.SQLException ignored) {
                // the connection is going away anyway
            }
        }
    }

    /** A client's think time; an interrupt ends it, and the client's loop sees the flag and stops. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
