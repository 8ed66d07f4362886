package dev.bascule.safety;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An index drop_index removes has not been scanned since start began: a query that still scans it
 * would turn into a sequential scan once it is gone. Read from pg_stat_user_indexes, compared with
 * the counts recorded when start began.
 */
public final class IndexUnusedGate implements Gate {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "index_unused";
    }

    @Override
    public Optional<String> baseline(Connection c, Plan plan) throws SQLException {
        if (plan.droppedIndexes().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.writeValueAsString(scans(c, plan)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
                    + " were scanned: start began before this Bascule recorded index scans");
            return Optional.empty();
        }
        Map<String, Long> before;
        try {
            before = JSON.readValue(json, new TypeReference<Map<String, Long>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable baseline of index_unused: " + e.getMessage(), e);
        }
        List<String> used = new ArrayList<>();
        for (Map.Entry<String, Long> now : scans(in.connection(), plan).entrySet()) {
            long then = before.getOrDefault(now.getKey(), 0L);
            // fewer than before: statistics were reset since start, and every scan counted is a recent one
            long since = now.getValue() >= then ? now.getValue() - then : now.getValue();
            if (since > 0) {
                used.add("index " + now.getKey() + " was scanned " + since + " time(s) since start");
            }
        }
        return used.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", used)
                + " (queries still use it: find them in pg_stat_statements, or keep the index)");
    }

    private static Map<String, Long> scans(Connection c, Plan plan) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()"); // counters as they are now, not as this transaction first saw them
        }
        Map<String, Long> scans = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes"
                + " WHERE schemaname = ? AND indexrelname = ANY (?) ORDER BY indexrelname")) {
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
