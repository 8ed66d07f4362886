package dev.bascule.safety;

import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * No query still scans an index drop_index removes: it would turn into a sequential scan once the
 * index is gone. Read from pg_stat_user_indexes: scans since start began (recorded then) must have
 * stopped for a quiet time.
 */
public final class IndexUnusedGate implements Gate {
    private final Duration quiet;

    public IndexUnusedGate(Duration quiet) {
        this.quiet = quiet;
    }

    @Override
    public String name() {
        return "index_unused";
    }

    @Override
    public Optional<String> baseline(Connection c, Plan plan) throws SQLException {
        return plan.droppedIndexes().isEmpty() ? Optional.empty() : Optional.of(RecentUse.write(scans(c, plan)));
    }

    @Override
    public Optional<String> check(Input in) throws SQLException {
        Plan plan = in.plan();
        if (plan.droppedIndexes().isEmpty()) {
            return Optional.empty();
        }
        String json = in.baselines().get(name());
        if (json == null) {
            in.note().accept("gate index_unused cannot tell whether " + String.join(", ", plan.droppedIndexes())
                    + " are still scanned: no index scans were recorded when start began");
            return Optional.empty();
        }
        Map<String, Long> still = RecentUse.stillMoving(RecentUse.readCounts(json, name()), scans(in.connection(), plan),
                () -> scans(in.connection(), plan), quiet, "indexes complete drops were scanned", in.note());
        if (still.isEmpty()) {
            return Optional.empty();
        }
        List<String> used = still.entrySet().stream().map(e -> "index " + e.getKey() + " was scanned " + e.getValue()
                + " time(s) in the last " + quiet.toSeconds() + " s").toList();
        return Optional.of(String.join("; ", used) + " (queries still use it: find them in pg_stat_statements, or keep the index)");
    }

    private static Map<String, Long> scans(Connection c, Plan plan) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()"); // counters as they are now, not as this transaction first saw them
        }
        Map<String, Long> scans = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes"
                + " WHERE schemaname = ? AND indexrelname = ANY (?) ORDER BY 1")) {
            ps.setString(1, plan.schema());
            ps.setArray(2, c.createArrayOf("text", plan.droppedIndexes().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scans.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return scans;
    }
}
