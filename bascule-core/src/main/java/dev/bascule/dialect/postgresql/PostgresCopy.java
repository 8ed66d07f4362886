package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.CopySql;
import dev.bascule.dialect.SyncTriggers.MergeSync;
import dev.bascule.dialect.SyncTriggers.SplitPart;
import dev.bascule.step.Step.RangeStatement;
import dev.bascule.step.Step;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.bascule.dialect.Dialect.OWN_STATEMENT;

/** PostgreSQL's backfill statements. */
final class PostgresCopy extends PostgresRole implements CopySql {

    PostgresCopy(PostgresDialect dialect) {
        super(dialect);
    }

    /** pgjdbc reads a {@code ?} outside literals as a parameter, and {@code ??} as jsonb's {@code ?} operator. */
    @Override
    public String preparedText(String expression) {
        StringBuilder escaped = new StringBuilder();
        int at = 0;
        for (dev.bascule.sql.SqlLexer.Token t : dev.bascule.sql.SqlLexer.tokens(expression, 1)) {
            if (t.kind() == dev.bascule.sql.SqlLexer.Kind.SYMBOL && t.text().equals("?")) {
                escaped.append(expression, at, t.end()).append('?');
                at = t.end();
            }
        }
        return escaped.append(expression.substring(at)).toString();
    }

    @Override
    public String keyAsText(String quotedColumn) {
        return quotedColumn + "::text";
    }

    @Override
    public String keyParameter(String type) {
        return "CAST(? AS " + type + ")";
    }

    @Override
    public String offsetOneRow() {
        return "OFFSET ? LIMIT 1";
    }

    /**
     * One round trip: {@code set_config(.., true)} is {@code SET LOCAL}. {@code bascule.backfill}
     * marks the session as the backfill's (the sync trigger skips its rows); row locks are waited
     * for, the statement timeout bounds the wait, and a batch that reaches it is split. The
     * checkpoint commits with the rows: a commit lost in a crash loses both and the batch is done
     * again, so the batch need not wait for its WAL flush, which would otherwise queue behind (and
     * delay) the application's own commits.
     */
    @Override
    public List<String> backfillBatchSettings(java.time.Duration statementTimeout) {
        return List.of("SELECT set_config('bascule.backfill', 'on', true), set_config('statement_timeout', '"
                + statementTimeout.toMillis() + "', true), set_config('lock_timeout', '0', true),"
                + " set_config('synchronous_commit', 'off', true)");
    }

    /**
     * The sessions waiting for this transaction to end: an application's UPDATE of a row the batch
     * wrote waits on the batch's transaction id (the next ones on the same row wait behind it, on
     * the row). One pass over the lock table, without pg_blocking_pids, which takes a snapshot of
     * the whole lock manager per waiting lock on the server; run while the batch holds its row
     * locks, it must not grow with other sessions' contention.
     */
    @Override
    public Optional<String> waitersOnThisSession() {
        return Optional.of(OWN_STATEMENT + "SELECT count(*) FROM pg_locks w JOIN pg_locks mine ON mine.locktype = 'transactionid'"
                + " AND mine.pid = pg_backend_pid() AND mine.granted AND mine.transactionid = w.transactionid"
                + " WHERE w.locktype = 'transactionid' AND NOT w.granted");
    }

    @Override
    public RangeStatement splitCopy(String schema, String from, SplitPart p) {
        List<String> nonKey = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
        return new RangeStatement("INSERT INTO " + qualify(schema, p.table()) + " (" + quoteAll(p.columns()) + ") SELECT "
                + fields("bascule_row", p.columns()) + " FROM (SELECT * FROM " + qualify(schema, from) + " WHERE ",
                // FOR KEY SHARE: a row deleted meanwhile waits for the copy, whose part row its trigger then deletes
                " FOR KEY SHARE) AS bascule_row WHERE " + p.key().stream().map(k -> "bascule_row." + quote(k) + " IS NOT NULL")
                        .collect(Collectors.joining(" AND ")) + onConflict(p.key(), List.of()));
    }

    @Override
    public RangeStatement mergeCopy(MergeSync m) {
        List<String> columns = new ArrayList<>(m.key());
        List<String> select = new ArrayList<>();
        m.key().forEach(k -> select.add("bascule_s0." + quote(k)));
        StringBuilder joins = new StringBuilder();
        for (int i = 0; i < m.sources().size(); i++) {
            for (String c : m.sources().get(i).columns()) {
                columns.add(c);
                select.add("bascule_s" + i + "." + quote(c));
            }
            if (i > 0) {
                joins.append(" LEFT JOIN ").append(qualify(m.schema(), m.sources().get(i).table())).append(" AS bascule_s").append(i)
                        .append(" ON ").append(row("bascule_s" + i, m.key())).append(" = ").append(row("bascule_s0", m.key()));
            }
        }
        return new RangeStatement("INSERT INTO " + qualify(m.schema(), m.into()) + " (" + quoteAll(columns) + ") SELECT "
                + String.join(", ", select) + " FROM (SELECT * FROM " + qualify(m.schema(), m.sources().get(0).table()) + " WHERE ",
                " FOR KEY SHARE) AS bascule_s0" + joins + onConflict(m.key(), List.of()));
    }

    /** percentile_disc over a TABLESAMPLE SYSTEM of about 200 000 rows. */
    @Override
    public List<String> splitPoints(Connection c, String schema, String table, Step.KeyColumn key, String watermark,
                                    int parts, long estimatedRows) throws SQLException {
        double percent = Math.min(100.0, Math.max(0.01, 200_000.0 * 100 / Math.max(1, estimatedRows)));
        Double[] fractions = IntStream.range(1, parts).mapToObj(i -> (double) i / parts).toArray(Double[]::new);
        String sql = OWN_STATEMENT + "SELECT (percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY " + quote(key.name()) + "))::text[]"
                + " FROM " + qualify(schema, table) + " TABLESAMPLE SYSTEM (" + percent + ")"
                + " WHERE " + quote(key.name()) + " <= CAST(? AS " + key.type() + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("float8", fractions));
            ps.setString(2, watermark);
            try (ResultSet rs = ps.executeQuery()) {
                Array a = rs.next() ? rs.getArray(1) : null;
                if (a == null) {
                    return List.of();
                }
                LinkedHashSet<String> distinct = new LinkedHashSet<>(Arrays.asList((String[]) a.getArray()));
                distinct.remove(watermark);
                distinct.remove(null);
                return List.copyOf(distinct);
            }
        }
    }
}
