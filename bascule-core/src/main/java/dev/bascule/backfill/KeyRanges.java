package dev.bascule.backfill;

import dev.bascule.api.BackfillOptions;
import dev.bascule.dialect.Dialect;
import dev.bascule.state.StateStore;
import dev.bascule.step.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The key ranges a backfill walks, fixed once when it begins: up to the key that was highest then
 * (rows written later get their values from the sync trigger), split between the workers when the
 * table is large enough for more than one to pay off. Stored in the state schema, so a resumed
 * backfill walks the same ranges.
 */
final class KeyRanges {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRanges.class);
    /** Below this many rows per worker, more workers only add overhead. */
    private static final long MIN_ROWS_PER_WORKER = 10_000;

    private final Dialect dialect;
    private final StateStore state;
    private final BackfillOptions options;

    KeyRanges(Dialect dialect, StateStore state, BackfillOptions options) {
        this.dialect = dialect;
        this.state = state;
        this.options = options;
    }

    /** Takes the high-watermark and splits the key range between the workers. */
    void plan(Connection c, long migrationId, int seq, Step.BackfillStep step) throws SQLException {
        List<String> watermark = highWatermark(c, step);
        if (watermark == null) {
            state.beginBackfill(c, migrationId, seq, step.table(), List.of(), 0);
            return;
        }
        long estimate = estimateRows(c, step);
        int n = step.key().size() == 1 && dialect.capabilities().parallelBackfill()
                ? (int) Math.max(1, Math.min(options.workers(), estimate / MIN_ROWS_PER_WORKER)) : 1;
        if (n < options.workers()) {
            LOG.info("backfill of {} uses {} worker(s): {}", step.table(), n, step.key().size() == 1
                    ? "the table is small" : "parallel workers need a single-column key");
        }
        List<String> bounds = n > 1 ? dialect.copy().splitPoints(c, step.schema(), step.table(), step.key().get(0), watermark.get(0), n,
                estimate) : List.of();
        List<List<List<String>>> ranges = new ArrayList<>();
        List<String> lower = null;
        for (String b : bounds) {
            ranges.add(Arrays.asList(lower, List.of(b)));
            lower = List.of(b);
        }
        ranges.add(Arrays.asList(lower, watermark));
        state.beginBackfill(c, migrationId, seq, step.table(), ranges, estimate);
    }

    private List<String> highWatermark(Connection c, Step.BackfillStep step) throws SQLException {
        // aliased: ORDER BY "id" would otherwise sort the text output column, and '999' > '5000'
        String cols = IntStream.range(0, step.key().size())
                .mapToObj(i -> dialect.copy().keyAsText(dialect.quote(step.key().get(i).name())) + " AS bascule_k" + i).collect(Collectors.joining(", "));
        String order = step.key().stream().map(k -> dialect.quote(k.name()) + " DESC").collect(Collectors.joining(", "));
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT + "SELECT " + cols + " FROM " + dialect.qualify(step.schema(), step.table())
                     + " ORDER BY " + order + " LIMIT 1")) {
            if (!rs.next()) {
                return null;
            }
            List<String> key = new ArrayList<>();
            for (int i = 1; i <= step.key().size(); i++) {
                key.add(rs.getString(i));
            }
            return key;
        }
    }

    private long estimateRows(Connection c, Step.BackfillStep step) throws SQLException {
        long statistics = dialect.catalog().statisticsRows(c, step.schema(), step.table());
        if (statistics > 0) {
            return statistics;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT + "SELECT count(*) FROM " + dialect.qualify(step.schema(), step.table()))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
