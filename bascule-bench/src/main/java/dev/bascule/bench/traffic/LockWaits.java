package dev.bascule.bench.traffic;

/**
 * Client sessions the monitor saw waiting on a lock ({@code pg_stat_activity.wait_event_type =
 * 'Lock'}) during a phase: how many distinct waits, the longest, and their total, each wait as
 * long as it was last seen (so a lower bound, to within the sampling interval).
 *
 * @param blocker what the session that held up the longest wait was running, or "" when none was seen
 */
public record LockWaits(int waits, double longestMillis, double totalMillis, String blocker) {
    public static final LockWaits NONE = new LockWaits(0, 0, 0, "");
}
