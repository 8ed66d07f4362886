package dev.bascule.bench.traffic;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * One phase of a run, as measured.
 *
 * @param all            every operation's latency in microseconds, to merge phases of the same stage (a copy
 *                       nobody records into any more)
 * @param longestMillis  the longest single operation, failed or not: from the client side, the
 *                       longest any client was held up
 * @param operationsBy   operations that succeeded, by what ran them (version and search_path)
 * @param messages       the first distinct error messages
 */
public record PhaseResult(Phase phase, long millis, Map<Op, OpStats> ops, OpStats total, Histogram all,
                          double longestMillis, String longestWhat, LockWaits lockWaits, Map<String, Long> operationsBy,
                          List<String> messages) {
    public PhaseResult {
        ops = Map.copyOf(ops);
        operationsBy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(operationsBy));
        messages = List.copyOf(messages);
    }

    public long errors() {
        return total.errors();
    }
}
