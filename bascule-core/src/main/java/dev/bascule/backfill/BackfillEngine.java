package dev.bascule.backfill;

import dev.bascule.api.BasculeException;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Step;
import dev.bascule.state.BackfillProgress;
import dev.bascule.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Fills new columns of existing rows in keyset batches over the primary key, up to the key that
 * was highest when the backfill began (rows written later get their values from the sync
 * trigger). Each batch is one short transaction that also moves the checkpoint, so a batch is
 * done exactly once whatever is killed when, and each batch is a range scan of the key index
 * from the checkpoint, so its cost does not grow with the table.
 */
public final class BackfillEngine {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillEngine.class);
    private static final String STATEMENT_TIMEOUT = "57014";
    private static final int MAX_RETRIES = 5;

    private final Dialect dialect;
    private final StateStore state;
    private final BackfillOptions options;
    private final BackfillListener listener;

    public BackfillEngine(Dialect dialect, StateStore state, BackfillOptions options, BackfillListener listener) {
        this.dialect = dialect;
        this.state = state;
        this.options = options;
        this.listener = listener;
    }

    /** Runs or resumes the backfill of {@code step}; returns when every row up to the watermark is done. */
    public void run(Connection c, long migrationId, int seq, Step.BackfillStep step) throws SQLException {
        BackfillProgress progress = state.backfill(c, migrationId, seq).orElse(null);
        if (progress == null) {
            List<String> watermark = highWatermark(c, step);
            state.beginBackfill(c, migrationId, seq, step.table(), watermark, watermark == null ? 0 : estimateRows(c, step));
            progress = state.backfill(c, migrationId, seq).orElseThrow();
        }
        if (progress.finished()) {
            listener.progress(step.table(), progress.rowsDone(), progress.rowsTotal(), 0, Duration.ZERO, 0, "done");
            return;
        }
        Batch batch = new Batch(step);
        BatchSizer sizer = new BatchSizer(options);
        List<String> lastKey = progress.lastKey();
        long rowsDone = progress.rowsDone();
        long rowsThisRun = 0;
        long runStart = System.nanoTime();
        int retries = 0;
        while (true) {
            if (state.paused(c, migrationId)) {
                listener.progress(step.table(), rowsDone, progress.rowsTotal(), 0, null, sizer.size(), "paused");
                sleep(Duration.ofMillis(500));
                continue;
            }
            long t0 = System.nanoTime();
            BatchResult result;
            try {
                result = batch.run(c, lastKey, progress.highWatermark(), sizer.size(), migrationId, seq);
                retries = 0;
            } catch (SQLException e) {
                if (++retries > MAX_RETRIES) {
                    throw new BasculeException("backfill of " + step.table() + " failed " + MAX_RETRIES
                            + " times in a row, last: " + e.getMessage() + ". Progress is saved: rerun start to resume.", e);
                }
                if (STATEMENT_TIMEOUT.equals(e.getSQLState())) {
                    sizer.split();
                    LOG.warn("backfill batch of {} hit the statement timeout; retrying with {} rows", step.table(), sizer.size());
                } else {
                    LOG.warn("backfill batch of {} failed ({}); retrying", step.table(), e.getMessage());
                    sleep(Duration.ofMillis(100L << retries));
                }
                continue;
            }
            long elapsed = System.nanoTime() - t0;
            if (result == null) {
                state.finishBackfill(c, migrationId, seq);
                listener.progress(step.table(), rowsDone, Math.max(rowsDone, progress.rowsTotal()), rate(rowsThisRun, runStart),
                        Duration.ZERO, sizer.size(), "done");
                return;
            }
            lastKey = result.lastKey();
            rowsDone += result.rows();
            rowsThisRun += result.rows();
            sizer.observe(result.rows(), elapsed);
            double rate = rate(rowsThisRun, runStart);
            long total = Math.max(rowsDone, progress.rowsTotal());
            Duration eta = rate > 0 ? Duration.ofMillis((long) ((total - rowsDone) / rate * 1000)) : null;
            listener.progress(step.table(), rowsDone, total, rate, eta, sizer.size(), "running");
            pace(result.rows(), elapsed);
        }
    }

    private void pace(int rows, long elapsedNanos) {
        long waitNanos = options.batchDelay().toNanos();
        if (options.maxRowsPerSecond() > 0) {
            long minNanos = rows * 1_000_000_000L / options.maxRowsPerSecond();
            waitNanos = Math.max(waitNanos, minNanos - elapsedNanos);
        }
        if (waitNanos > 0) {
            sleep(Duration.ofNanos(waitNanos));
        }
    }

    private static double rate(long rows, long sinceNanos) {
        double secs = (System.nanoTime() - sinceNanos) / 1e9;
        return secs <= 0 ? 0 : rows / secs;
    }

    private List<String> highWatermark(Connection c, Step.BackfillStep step) throws SQLException {
        // aliased: ORDER BY "id" would otherwise sort the text output column, and '999' > '5000'
        String cols = IntStream.range(0, step.key().size())
                .mapToObj(i -> dialect.quote(step.key().get(i).name()) + "::text AS bascule_k" + i).collect(Collectors.joining(", "));
        String order = step.key().stream().map(k -> dialect.quote(k.name()) + " DESC").collect(Collectors.joining(", "));
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + cols + " FROM " + dialect.qualify(step.schema(), step.table())
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
        try (PreparedStatement ps = c.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, dialect.qualify(step.schema(), step.table()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(1) > 0) {
                    return rs.getLong(1);
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + dialect.qualify(step.schema(), step.table()))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BasculeException("backfill interrupted; progress is saved, rerun start to resume");
        }
    }

    private record BatchResult(int rows, List<String> lastKey) {}

    /** The batch statement of one table, with and without a lower bound. */
    private final class Batch {
        private final Step.BackfillStep step;
        private final String first;
        private final String next;

        Batch(Step.BackfillStep step) {
            this.step = step;
            this.first = sql(false);
            this.next = sql(true);
        }

        private String sql(boolean lowerBound) {
            List<Step.KeyColumn> key = step.key();
            String table = dialect.qualify(step.schema(), step.table());
            String keyList = key.stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
            String params = key.stream().map(k -> "CAST(? AS " + k.type() + ")").collect(Collectors.joining(", "));
            // batch columns get names of their own: an expression may name a key column, which
            // must mean the table's column, not the batch's
            String aliased = IntStream.range(0, key.size())
                    .mapToObj(i -> dialect.quote(key.get(i).name()) + " AS bascule_k" + i).collect(Collectors.joining(", "));
            String join = IntStream.range(0, key.size())
                    .mapToObj(i -> "t." + dialect.quote(key.get(i).name()) + " = b.bascule_k" + i).collect(Collectors.joining(" AND "));
            String lastKeyText = IntStream.range(0, key.size()).mapToObj(i -> "b.bascule_k" + i + "::text").collect(Collectors.joining(", "));
            String orderDesc = IntStream.range(0, key.size()).mapToObj(i -> "b.bascule_k" + i + " DESC").collect(Collectors.joining(", "));
            String set = step.assignments().stream()
                    .map(a -> dialect.quote(a.column()) + " = (" + a.expression() + ")").collect(Collectors.joining(", "));
            String where = (lowerBound ? "(" + keyList + ") > (" + params + ") AND " : "") + "(" + keyList + ") <= (" + params + ")";
            // No SKIP LOCKED: a skipped row whose writer rolls back would never be filled.
            return "WITH b AS (SELECT " + aliased + " FROM " + table + " WHERE " + where + " ORDER BY " + keyList
                    + " LIMIT ? FOR NO KEY UPDATE),"
                    + " u AS (UPDATE " + table + " t SET " + set + " FROM b WHERE " + join + " RETURNING 1)"
                    + " SELECT (SELECT count(*) FROM u), " + lastKeyText + " FROM b ORDER BY " + orderDesc + " LIMIT 1";
        }

        BatchResult run(Connection c, List<String> lastKey, List<String> watermark, int size, long migrationId, int seq)
                throws SQLException {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL bascule.backfill = 'on'");
                    s.execute("SET LOCAL statement_timeout = " + options.statementTimeout().toMillis());
                }
                BatchResult result = null;
                try (PreparedStatement ps = c.prepareStatement(lastKey == null ? first : next)) {
                    int p = 1;
                    if (lastKey != null) {
                        for (String k : lastKey) ps.setString(p++, k);
                    }
                    for (String k : watermark) ps.setString(p++, k);
                    ps.setInt(p, size);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            List<String> key = new ArrayList<>();
                            for (int i = 0; i < step.key().size(); i++) key.add(rs.getString(2 + i));
                            result = new BatchResult(rs.getInt(1), key);
                        }
                    }
                }
                if (result != null) {
                    state.checkpoint(c, migrationId, seq, result.lastKey(), result.rows());
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }
}
