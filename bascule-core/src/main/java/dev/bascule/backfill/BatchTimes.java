package dev.bascule.backfill;

import java.util.Locale;

/**
 * Where one worker's time went: the bound query, each statement of the batch, the checkpoint and
 * commit, the session settings around each batch, and the waits between batches (throttled,
 * paced). Told to the user once the worker's range is done, so a slow backfill says why.
 */
final class BatchTimes {
    private final long since = System.nanoTime();
    private final long[] statements;
    private long bound;
    private long settings;
    private long commit;
    private long throttled;
    private int throttles;
    private long paced;
    private int splits;
    private int batches;
    private long rows;

    BatchTimes(int statements) {
        this.statements = new long[statements];
    }

    void bound(long nanos) {
        bound += nanos;
    }

    void statement(int i, long nanos) {
        statements[i] += nanos;
    }

    void settings(long nanos) {
        settings += nanos;
    }

    void commit(long nanos) {
        commit += nanos;
    }

    void batch(int rowsDone) {
        batches++;
        rows += rowsDone;
    }

    void throttled(long nanos) {
        throttled += nanos;
        throttles++;
    }

    void split() {
        splits++;
    }

    void paced(long nanos) {
        paced += nanos;
    }

    /** "backfill of T: 40 batches, 5,000 rows each on average, 8.1 s: bound 0.1 s, statement 1 ..., ..." */
    String summary(String table) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "backfill of %s: %,d batches, %,d rows each on average, %.2f s:"
                + " bound %.2f s", table, batches, batches == 0 ? 0 : rows / batches, (System.nanoTime() - since) / 1e9, bound / 1e9));
        for (int i = 0; i < statements.length; i++) {
            s.append(String.format(Locale.ROOT, ", statement %d %.2f s", i + 1, statements[i] / 1e9));
        }
        return s.append(String.format(Locale.ROOT, ", checkpoint and commit %.2f s, session settings %.2f s, throttled %.2f s"
                + " (%d times), paced %.2f s, batch halved %d times", commit / 1e9, settings / 1e9, throttled / 1e9, throttles, paced / 1e9, splits)).toString();
    }
}
