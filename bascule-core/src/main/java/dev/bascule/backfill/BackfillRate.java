package dev.bascule.backfill;

import dev.bascule.state.BackfillProgress;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Rows done across a backfill's workers, and the rate of this run, reported to the listener after every batch. */
final class BackfillRate {
    private final BackfillListener listener;
    private final String table;
    private final AtomicLong rowsDone;
    private final long rowsTotal;
    private final AtomicLong rowsThisRun = new AtomicLong();
    private final long since = System.nanoTime();

    BackfillRate(BackfillListener listener, String table, List<BackfillProgress> workers) {
        this.listener = listener;
        this.table = table;
        this.rowsDone = new AtomicLong(workers.stream().mapToLong(BackfillProgress::rowsDone).sum());
        this.rowsTotal = workers.stream().mapToLong(BackfillProgress::rowsTotal).sum();
    }

    void add(int rows, int batchSize) {
        rowsDone.addAndGet(rows);
        rowsThisRun.addAndGet(rows);
        report(batchSize, "running", null);
    }

    void report(int batchSize, String what, String reason) {
        double secs = (System.nanoTime() - since) / 1e9;
        double rate = secs > 0 ? rowsThisRun.get() / secs : 0;
        long done = rowsDone.get();
        long total = Math.max(done, rowsTotal);
        Duration eta = what.equals("done") ? Duration.ZERO : BackfillListener.eta(done, total, rate);
        listener.progress(table, done, total, rate, eta, batchSize, reason == null ? what : what + ": " + reason);
    }
}
