package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Batch sizing toward the target batch time, and toward the shorter contended time while sessions wait on the batches. */
class BatchSizerTest {
    private static final long MS = 1_000_000L;

    /** Batches whose time is proportional to their rows: {@code microsPerRow} per row. */
    private static int settle(BatchSizer sizer, double microsPerRow, boolean contended) {
        for (int i = 0; i < 40; i++) {
            int rows = sizer.size();
            sizer.observe(rows, (long) (rows * microsPerRow * 1000), contended);
        }
        return sizer.size();
    }

    @Test
    void growsTowardTheTargetWhenNoSessionWaits() {
        BatchSizer sizer = new BatchSizer(BackfillOptions.defaults());
        int rows = settle(sizer, 10, false); // 200 ms at 10 µs a row: 20 000 rows
        assertThat(rows * 10L * 1000).isBetween(160 * MS, 220 * MS);
    }

    @Test
    void aimsAtTheContendedTimeWhileSessionsWaitAndGrowsBackAfter() {
        BatchSizer sizer = new BatchSizer(BackfillOptions.defaults());
        settle(sizer, 10, false);
        int contended = settle(sizer, 10, true);
        assertThat(contended * 10L * 1000).isBetween(40 * MS, 55 * MS);
        assertThat(settle(sizer, 10, false)).isGreaterThan(3 * contended);
    }

    @Test
    void whereABatchsCommitIsLongTheContendedTimeIsTenTimesIt() {
        BatchSizer sizer = new BatchSizer(BackfillOptions.defaults());
        // a commit of 12 ms a batch (MySQL flushing its binary log and redo log)
        for (int i = 0; i < 40; i++) {
            int rows = sizer.size();
            sizer.observe(rows, rows * 10_000L + 12 * MS, true, 12 * MS);
        }
        assertThat(sizer.contendedTarget()).isEqualTo(120 * MS);
        assertThat(sizer.size() * 10_000L + 12 * MS).isBetween(100 * MS, 132 * MS);
        // a short commit leaves the contended time as it is
        BatchSizer cheap = new BatchSizer(BackfillOptions.defaults());
        cheap.observe(1000, 10 * MS, true, 2 * MS);
        assertThat(cheap.contendedTarget()).isEqualTo(50 * MS);
        // and the target stays the ceiling
        BatchSizer slow = new BatchSizer(BackfillOptions.defaults());
        slow.observe(1000, 100 * MS, true, 40 * MS);
        assertThat(slow.contendedTarget()).isEqualTo(200 * MS);
    }

    @Test
    void theContendedTimeNeverExceedsTheTarget() {
        BatchSizer sizer = new BatchSizer(BackfillOptions.defaults().withTargetBatchTime(Duration.ofMillis(20)));
        int rows = settle(sizer, 10, true);
        assertThat(rows * 10L * 1000).isBetween(15 * MS, 22 * MS);
    }

    @Test
    void aFixedSizeStaysFixed() {
        BatchSizer sizer = new BatchSizer(BackfillOptions.defaults().withBatchSize(500));
        assertThat(settle(sizer, 1000, true)).isEqualTo(500);
    }
}
