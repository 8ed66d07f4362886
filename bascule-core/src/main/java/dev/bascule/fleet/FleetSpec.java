package dev.bascule.fleet;

import java.nio.file.Path;
import java.util.List;

/**
 * A fleet file as read by {@link FleetFile}.
 *
 * @param file          where it was read from
 * @param members       the members listed in the file, in its order
 * @param query         SQL listing more members (first column a JDBC URL, optional second a schema), or null
 * @param concurrency   how many members run a phase at once, at least 1
 * @param canaryCount   members that run first, alone, and must all succeed before the rest begin (or null)
 * @param canaryPercent the canary as a percentage of the members (or null)
 * @param maxFailures   failures tolerated after the canary before no further member begins (0: stop
 *                      at the first); {@link Integer#MAX_VALUE} with {@code on_failure: continue}
 * @param perServer     how many members of one server ({@link FleetMember#server()}) run at once, at most
 *                      {@code concurrency}: what bounds the connections a fleet takes from one server
 *                      when its members are that server's databases or schemas
 */
public record FleetSpec(Path file, List<FleetMember> members, String query, int concurrency, Integer canaryCount,
                        Integer canaryPercent, int maxFailures, int perServer) {
    public static final int DEFAULT_CONCURRENCY = 4;

    /** How many of {@code total} members are the canary: at least one when a percentage is set. */
    public int canary(int total) {
        if (canaryCount != null) {
            return Math.min(canaryCount, total);
        }
        if (canaryPercent != null && canaryPercent > 0) {
            return Math.min(total, Math.max(1, (int) Math.ceil(total * canaryPercent / 100.0)));
        }
        return 0;
    }
}
