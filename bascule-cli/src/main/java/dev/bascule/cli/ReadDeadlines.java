package dev.bascule.cli;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Drops a connection whose request is not read in full (request line, headers and body) within a
 * timeout of the worker taking it up, so that clients that send a request slowly, or never finish
 * it, cannot hold serve's workers.
 *
 * <p>The JDK's server reads a request on the worker thread, from a blocking socket channel. Its own
 * limit ({@code sun.net.httpserver.maxReqTime}) is read once, when its classes are initialized, so
 * it is lost to any process that started an HTTP server before serve's. This does not depend on
 * that: it interrupts the worker, which closes the channel (an interrupted read on an {@link
 * java.nio.channels.InterruptibleChannel} closes it), and the server drops the connection. The
 * handler marks the request read before it goes to the database; no interrupt comes after that.
 */
final class ReadDeadlines implements AutoCloseable {
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final Duration timeout;
    private final ScheduledThreadPoolExecutor timer;

    ReadDeadlines(Duration timeout) {
        this.timeout = timeout;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bascule-serve-read-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** {@code workers} with a deadline on each exchange's reading. */
    Executor around(Executor workers) {
        return exchange -> workers.execute(() -> {
            Deadline d = new Deadline(Thread.currentThread());
            ScheduledFuture<?> expiry = timer.schedule(d::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
            CURRENT.set(d);
            try {
                exchange.run();
            } finally {
                d.markRead(); // from here on, no interrupt can reach this thread
                expiry.cancel(false);
                CURRENT.remove();
                Thread.interrupted(); // a pooled thread goes back clean
            }
        });
    }

    /**
     * Called by the handler once the request is read in full.
     *
     * @return false when the deadline passed first: the connection is being dropped
     */
    static boolean requestRead() {
        Deadline d = CURRENT.get();
        return d == null || d.markRead();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One exchange's deadline: it either expires (and interrupts) or is met, never both. */
    private static final class Deadline {
        private final Thread worker;
        private boolean read;
        private boolean expired;

        Deadline(Thread worker) {
            this.worker = worker;
        }

        synchronized void expire() {
            if (!read) {
                expired = true;
                worker.interrupt();
            }
        }

        synchronized boolean markRead() {
            if (!expired) {
                read = true;
            }
            return !expired;
        }
    }
}
