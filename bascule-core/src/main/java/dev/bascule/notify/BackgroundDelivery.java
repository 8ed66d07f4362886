package dev.bascule.notify;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One daemon thread per destination that runs deliveries in the order they were sent. One
 * thread keeps each destination's events in order (paused before resumed) and keeps a slow or
 * dead destination from delaying the others; daemon, so a delivery still retrying never keeps
 * the JVM alive after the command's bounded {@link #flush}.
 */
final class BackgroundDelivery {
    private final ExecutorService executor;

    BackgroundDelivery(String threadName) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    void submit(Runnable delivery) {
        executor.execute(delivery);
    }

    /** Waits until every delivery submitted before this call has run, or {@code wait} has passed. */
    boolean flush(Duration wait) {
        try {
            // the executor runs in order: once this marker has run, so has everything before it
            executor.submit(() -> { }).get(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // the marker does nothing and cannot fail
        }
    }
}
