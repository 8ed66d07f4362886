package dev.bascule.notify;

import dev.bascule.api.Notifier;
import dev.bascule.api.Event;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Turns the states a backfill reports after every batch or wait ({@code running},
 * {@code throttled: REASON}, {@code paused[: REASON]}, {@code done}) into the events of one
 * table: {@code paused} and {@code resumed} on each change, {@code backfill_finished} once, and
 * {@code throttled} when throttling begins. A throttling episode ends only after
 * {@link #THROTTLE_QUIET} without a throttled report: a signal hovering at its threshold, or
 * several workers taking turns, would otherwise notify every few batches. Thread-safe: workers
 * report from threads of their own.
 */
public final class BackfillStateEvents {
    public static final Duration THROTTLE_QUIET = Duration.ofMinutes(1);
    private static final String THROTTLED = "throttled";
    private static final String PAUSED = "paused";

    private final Notifier notifier;
    private final String command;
    private final String migration;
    private final String schema;
    private final String table;
    private final Duration throttleQuiet;
    private final LongSupplier nanoClock;
    private boolean paused;
    private boolean finished;
    private long lastThrottled;
    private boolean everThrottled;

    public BackfillStateEvents(Notifier notifier, String command, String migration, String schema, String table) {
        this(notifier, command, migration, schema, table, THROTTLE_QUIET, System::nanoTime);
    }

    BackfillStateEvents(Notifier notifier, String command, String migration, String schema, String table,
                        Duration throttleQuiet, LongSupplier nanoClock) {
        this.notifier = notifier;
        this.command = command;
        this.migration = migration;
        this.schema = schema;
        this.table = table;
        this.throttleQuiet = throttleQuiet;
        this.nanoClock = nanoClock;
    }

    public synchronized void report(String state) {
        if (state == null || finished) {
            return;
        }
        String what = state;
        String reason = null;
        int colon = state.indexOf(": ");
        if (colon >= 0) {
            what = state.substring(0, colon);
            reason = state.substring(colon + 2);
        }
        if (what.equals(PAUSED)) {
            if (!paused) {
                paused = true;
                send(Event.Type.PAUSED, reason);
            }
            return;
        }
        if (paused) {
            paused = false;
            send(Event.Type.RESUMED, null);
        }
        if (what.equals(THROTTLED)) {
            long now = nanoClock.getAsLong();
            if (!everThrottled || now - lastThrottled >= throttleQuiet.toNanos()) {
                send(Event.Type.THROTTLED, reason);
            }
            everThrottled = true;
            lastThrottled = now;
        } else if (what.equals("done")) {
            finished = true;
            send(Event.Type.BACKFILL_FINISHED, null);
        }
    }

    private void send(Event.Type type, String reason) {
        notifier.send(Event.of(type, command, migration, schema).withTable(table).withReason(reason));
    }
}
