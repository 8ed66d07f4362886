package dev.bascule.bench.ptosc;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.Migration;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.Migrations;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The change as a Bascule migration, start then complete through the library, with only old code
 * running (on the table itself). {@code tuning} is null for Bascule's defaults.
 */
record BasculeChange(DataSource dataSource, Kind kind, Tuning tuning) implements SchemaChange {

    /** What Bascule is asked to do. */
    enum Kind {
        /** The change itself: {@code alter_column amount type bigint}. */
        ALTER_COLUMN("0001_orders_amount_bigint.yaml", """
                operations:
                  - alter_column:
                      table: orders
                      column: amount
                      type: bigint
                """),
        /**
         * While MariaDB had no {@code alter_column}: a new {@code amount2 bigint} filled from amount
         * by the sync triggers and the backfill. The same copy of every row's amount into a bigint,
         * but no swap at complete, so it says nothing about the cut-over.
         */
        STAND_IN("0001_orders_amount2.yaml", """
                operations:
                  - add_column:
                      table: orders
                      column: {name: amount2, type: bigint}
                      up: amount
                """);

        final String file;
        final String yaml;

        Kind(String file, String yaml) {
            this.file = file;
            this.yaml = yaml;
        }

        static Kind parse(String s) {
            return switch (s) {
                case "alter" -> ALTER_COLUMN;
                case "stand-in" -> STAND_IN;
                default -> throw new IllegalArgumentException("--change must be alter or stand-in, not " + s);
            };
        }
    }

    /**
     * Settings other than the defaults, toward a p99 or a rate: the target batch time (null: the
     * default), a rows per second limit (0: none), and whether the backfill throttles on sessions
     * waiting for its row locks.
     */
    record Tuning(Duration batchTime, long maxRowsPerSecond, boolean lockWaitThrottle) {
        String label() {
            java.util.List<String> parts = new java.util.ArrayList<>();
            if (batchTime != null) parts.add("batch " + batchTime.toMillis() + " ms");
            if (maxRowsPerSecond > 0) parts.add(String.format(Locale.ROOT, "max %,d rows/s", maxRowsPerSecond));
            if (!lockWaitThrottle) parts.add("no lock-wait throttle");
            return String.join(", ", parts);
        }

        BackfillOptions apply(BackfillOptions o) {
            if (batchTime != null) o = o.withTargetBatchTime(batchTime);
            if (!lockWaitThrottle) o = o.withThrottle(o.throttle().withLockWaiters(ThrottleOptions.Limit.OFF));
            return o.withMaxRowsPerSecond(maxRowsPerSecond);
        }
    }

    @Override
    public String name() {
        return "Bascule" + (kind == Kind.STAND_IN ? " (stand-in)" : "") + (tuning == null ? "" : " (" + tuning.label() + ")");
    }

    @Override
    public String checkedColumn() {
        return kind == Kind.STAND_IN ? "amount2" : "amount";
    }

    @Override
    public String run(OrdersTable table, CopyPhase copy) {
        Migration migration = Migrations.fromText(kind.file, kind.yaml);
        AtomicInteger lockRetries = new AtomicInteger();
        int[] largestBatch = {0};
        BatchTimes times = new BatchTimes();
        Map<String, Integer> states = new TreeMap<>();
        BasculeListener listener = new BasculeListener() {
            @Override
            public void stepStarted(String phase, int index, int total, String description, String lock) {
                if (isCopy(phase, description)) copy.started();
            }

            @Override
            public void stepFinished(String phase, int index, int total, String description, Duration took, boolean skipped) {
                if (isCopy(phase, description)) copy.finished();
            }

            @Override
            public void backfill(String t, long rowsDone, long rowsTotal, double rowsPerSecond, Duration eta, int batchSize,
                                 String state) {
                copy.reported(rowsDone);
                largestBatch[0] = Math.max(largestBatch[0], batchSize);
                states.merge(state, 1, Integer::sum);
            }

            @Override
            public void backfillBatch(dev.bascule.api.BackfillBatch b) {
                times.add(b);
            }

            @Override
            public void backfillWaited(String t, String reason, Duration waited) {
                times.waited(waited);
            }

            @Override
            public void lockRetry(String description, int attempt, Duration wait) {
                lockRetries.incrementAndGet();
            }
        };
        BackfillOptions backfill = BackfillOptions.defaults();
        if (tuning != null) {
            backfill = tuning.apply(backfill);
        }
        Bascule bascule = Bascule.configure().dataSource(dataSource).schema(table.database())
                .stateSchema(table.database() + "_state").backfill(backfill).listener(listener).load();
        long t0 = System.nanoTime();
        bascule.start(migration);
        long start = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        bascule.complete(Set.of());
        long complete = System.nanoTime() - t1;
        return String.format(Locale.ROOT, "start %.1f s, complete %.1f s, largest batch %,d rows, backfill reports %s,"
                + " %d lock retries; %s", start / 1e9, complete / 1e9, largestBatch[0], states, lockRetries.get(), times.summary());
    }

    /** Where the backfill's time went, summed over its batches: the per-row account of the report. */
    static final class BatchTimes {
        private int batches;
        private long rows;
        private int waits;
        private final long[] nanos = new long[8]; // between, settings, bound, write, checkpoint, commit, pause, waited

        synchronized void add(dev.bascule.api.BackfillBatch b) {
            batches++;
            rows += b.rows();
            Duration[] parts = {b.between(), b.settings(), b.bound(), b.write(), b.checkpoint(), b.commit(), b.pause()};
            for (int i = 0; i < parts.length; i++) nanos[i] += parts[i].toNanos();
        }

        synchronized void waited(Duration d) {
            waits++;
            nanos[7] += d.toNanos();
        }

        synchronized String summary() {
            return String.format(Locale.ROOT, "%,d batches, %,d rows each on average; s: between batches %.2f, settings %.2f,"
                    + " bound %.2f, copy statements %.2f, checkpoint %.2f, commit %.2f, paced %.2f, throttled %.2f (%d times)",
                    batches, batches == 0 ? 0 : rows / batches, nanos[0] / 1e9, nanos[1] / 1e9, nanos[2] / 1e9, nanos[3] / 1e9,
                    nanos[4] / 1e9, nanos[5] / 1e9, nanos[6] / 1e9, nanos[7] / 1e9, waits);
        }
    }

    private static boolean isCopy(String phase, String description) {
        return phase.equals("start") && description.startsWith("backfill");
    }
}
