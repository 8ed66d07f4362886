package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
import dev.bascule.step.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A copy's batch holds its rows' shared locks for the batch: the lock-wait signal counts only waits
 * longer than a batch, else it halves every batch (issue 20). Other backfills keep the minimum given.
 */
class CopyLockWaitMinimumTest {
    private static final List<Step.KeyColumn> KEY = List.of(new Step.KeyColumn("id", "bigint"));
    private static final Step.BackfillStep COPY = new Step.BackfillStep("backfill orders", "orders", "none", "s", KEY, List.of(),
            List.of(new Step.RangeStatement("INSERT INTO s.t SELECT * FROM s.orders WHERE ", "")));
    private static final Step.BackfillStep UPDATE = new Step.BackfillStep("backfill orders", "orders", "none", "s", KEY,
            List.of(new Step.Assignment("amount2", "amount", false)), List.of());

    @Test
    void aCopyCountsOnlyWaitsLongerThanItsBatchTime() {
        BackfillOptions defaults = BackfillOptions.defaults();
        assertThat(defaults.throttle().lockWaitMinimum()).isEqualTo(Duration.ofMillis(100));
        assertThat(BackfillEngine.throttle(defaults, COPY).lockWaitMinimum()).isEqualTo(Duration.ofMillis(200));
        assertThat(BackfillEngine.throttle(defaults.withTargetBatchTime(Duration.ofMillis(500)), COPY).lockWaitMinimum())
                .isEqualTo(Duration.ofMillis(500));
        // everything else about the throttle stays as given
        assertThat(BackfillEngine.throttle(defaults, COPY).withLockWaitMinimum(Duration.ofMillis(100))).isEqualTo(defaults.throttle());
    }

    @Test
    void aLongerMinimumGivenAndAnUpdateBackfillAreLeftAsTheyAre() {
        BackfillOptions defaults = BackfillOptions.defaults();
        assertThat(BackfillEngine.throttle(defaults, UPDATE)).isEqualTo(defaults.throttle());
        BackfillOptions patient = defaults.withThrottle(defaults.throttle().withLockWaitMinimum(Duration.ofSeconds(1)));
        assertThat(BackfillEngine.throttle(patient, COPY).lockWaitMinimum()).isEqualTo(Duration.ofSeconds(1));
    }
}
