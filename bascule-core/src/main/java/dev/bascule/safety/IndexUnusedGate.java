package dev.bascule.safety;

import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Health;
import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * No query still scans an index drop_index removes: it would turn into a sequential scan once the
 * index is gone. Read from the server's index statistics ({@link Health#indexUse}: PostgreSQL's
 * pg_stat_user_indexes, MariaDB's INDEX_STATISTICS with userstat ON): use since start began
 * (recorded then) must have stopped for a quiet time. A server that does not count it now opens
 * the gate with a note saying the gate cannot tell.
 */
final class IndexUnusedGate implements Gate {
    private final Dialect dialect;
    private final Duration quiet;

    public IndexUnusedGate(Dialect dialect, Duration quiet) {
        this.dialect = dialect;
        this.quiet = quiet;
    }

    @Override
    public String name() {
        return "index_unused";
    }

    @Override
    public Optional<String> baseline(Connection c, Plan plan) throws SQLException {
        if (plan.droppedIndexes().isEmpty()) {
            return Optional.empty();
        }
        // without statistics now, nothing is recorded, and complete says it cannot tell
        return dialect.health().indexUse(c, plan.schema(), plan.droppedIndexes(), why -> { })
                .map(use -> RecentUse.write(use.counts()));
    }

    @Override
    public Optional<String> check(Input in) throws SQLException {
        Plan plan = in.plan();
        if (plan.droppedIndexes().isEmpty()) {
            return Optional.empty();
        }
        String indexes = String.join(", ", plan.droppedIndexes());
        StringBuilder why = new StringBuilder();
        Optional<Health.IndexUse> now = dialect.health().indexUse(in.connection(), plan.schema(), plan.droppedIndexes(), why::append);
        if (now.isEmpty()) {
            in.note().accept("gate index_unused cannot tell whether " + indexes + " are still used: " + why);
            return Optional.empty();
        }
        String json = in.baselines().get(name());
        if (json == null) {
            in.note().accept("gate index_unused cannot tell whether " + indexes
                    + " are still scanned: no index scans were recorded when start began");
            return Optional.empty();
        }
        Map<String, Long> still = RecentUse.stillMoving(RecentUse.readCounts(json, name()), now.get().counts(),
                () -> counts(in.connection(), plan), quiet, "indexes complete drops were used", in.note());
        if (still.isEmpty()) {
            return Optional.empty();
        }
        String counted = now.get().counted();
        List<String> used = still.entrySet().stream().map(e -> counted.startsWith("time")
                ? "index " + e.getKey() + " was scanned " + e.getValue() + " time(s) in the last " + quiet.toSeconds() + " s"
                : "index " + e.getKey() + ": " + e.getValue() + " " + counted + " in the last " + quiet.toSeconds() + " s").toList();
        return Optional.of(String.join("; ", used) + " (queries still use it: find them in "
                + (counted.startsWith("time") ? "pg_stat_statements" : "the slow query log") + ", or keep the index)");
    }

    /** The counts again, after the quiet time; a server that stopped counting meanwhile counts nothing new. */
    private Map<String, Long> counts(Connection c, Plan plan) throws SQLException {
        return dialect.health().indexUse(c, plan.schema(), plan.droppedIndexes(), why -> { })
                .map(Health.IndexUse::counts).orElse(Map.of());
    }
}
