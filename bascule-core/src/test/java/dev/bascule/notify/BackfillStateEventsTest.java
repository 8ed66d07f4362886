package dev.bascule.notify;

import dev.bascule.api.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The debounce of backfill states into events, on a clock the test moves. */
class BackfillStateEventsTest {
    private final List<Event> sent = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final BackfillStateEvents events = new BackfillStateEvents(sent::add, "start", "0001_m", "public", "users",
            Duration.ofSeconds(60), clock::get);

    private List<String> sent() {
        return sent.stream().map(e -> e.type().wireName() + (e.reason() == null ? "" : " (" + e.reason() + ")")).toList();
    }

    private void at(long seconds, String state) {
        clock.set(Duration.ofSeconds(seconds).toNanos());
        events.report(state);
    }

    @Test
    void throttlingNotifiesWhenItBeginsNotEveryBatch() {
        at(0, "running");
        at(1, "throttled: replication lag 80 MiB");
        at(2, "throttled: replication lag 90 MiB");
        at(3, "running"); // a lag hovering at the threshold, or another worker's batch
        at(4, "throttled: replication lag 70 MiB");
        at(50, "running");
        assertThat(sent()).containsExactly("throttled (replication lag 80 MiB)");
        at(200, "throttled: vacuum is running on users"); // a minute and more without throttling: a new episode
        assertThat(sent()).containsExactly("throttled (replication lag 80 MiB)", "throttled (vacuum is running on users)");
    }

    @Test
    void pausedAndResumedOnEachChangeFinishedOnce() {
        at(0, "running");
        at(1, "paused: paused by alice");
        at(2, "paused: paused by alice");
        at(3, "running");
        at(4, "paused: replication lag 2 GiB >= critical 1 GiB");
        at(5, "throttled: replication lag 900 MiB");
        at(6, "done");
        at(7, "done");
        assertThat(sent()).containsExactly("paused (paused by alice)", "resumed", "paused (replication lag 2 GiB >= critical 1 GiB)",
                "resumed", "throttled (replication lag 900 MiB)", "backfill_finished");
        assertThat(sent).allSatisfy(e -> {
            assertThat(e.table()).isEqualTo("users");
            assertThat(e.migration()).isEqualTo("0001_m");
            assertThat(e.command()).isEqualTo("start");
        });
    }
}
