package dev.bascule.dialect.mysql;

import dev.bascule.dialect.CopySql;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.SyncTriggers.MergeSync;
import dev.bascule.dialect.SyncTriggers.SplitPart;
import dev.bascule.step.Step.RangeStatement;
import dev.bascule.step.Step;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The MySQL family's backfill statements. */
final class MySqlCopy extends MySqlRole implements CopySql {

    MySqlCopy(Dialect dialect) {
        super(dialect);
    }

    /**
     * The rows of the range, locked in share mode as an INSERT .. SELECT reads them under REPEATABLE
     * READ anyway: a row old code deletes meanwhile waits for the copy, whose part row its trigger
     * then deletes. A part row already there was written by a trigger, later than this read: kept.
     */
    @Override
    public RangeStatement splitCopy(String schema, String from, SplitPart p) {
        String part = qualify(schema, p.table());
        return new RangeStatement("INSERT INTO " + part + " (" + quoteAll(p.columns()) + ") SELECT "
                + fields("bascule_row", p.columns()) + " FROM (SELECT * FROM " + qualify(schema, from) + " WHERE ",
                " LOCK IN SHARE MODE) AS bascule_row WHERE " + p.key().stream().map(k -> "bascule_row." + quote(k) + " IS NOT NULL")
                        .collect(Collectors.joining(" AND ")) + onDuplicate(part, p.key(), List.of()));
    }

    /** As {@link #splitCopy}: the first table's rows of the range locked in share mode, the others' joined. */
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
                        .append(" ON ").append(joinOn("bascule_s" + i, "bascule_s0", m.key()));
            }
        }
        String into = qualify(m.schema(), m.into());
        return new RangeStatement("INSERT INTO " + into + " (" + quoteAll(columns) + ") SELECT " + String.join(", ", select)
                + " FROM (SELECT * FROM " + qualify(m.schema(), m.sources().get(0).table()) + " WHERE ",
                " LOCK IN SHARE MODE) AS bascule_s0" + joins + onDuplicate(into, m.key(), List.of()));
    }

    @Override
    public Optional<String> backfillKeyProblem(List<Step.KeyColumn> key) {
        if (key.size() > 1) {
            // MariaDB plans a row-value comparison (a, b) > (?, ?) as a full index scan: every batch
            // would read, and under REPEATABLE READ lock, the whole table
            return Optional.of("its key (" + key.stream().map(Step.KeyColumn::name).collect(Collectors.joining(", "))
                    + ") has several columns, which the MariaDB backfill cannot walk by ranges yet; add a single-column"
                    + " unique key (a BIGINT AUTO_INCREMENT column) first");
        }
        String type = key.get(0).type().toLowerCase(java.util.Locale.ROOT);
        if (type.contains("binary") || type.contains("blob") || type.contains("bit")) {
            // the key travels as text between batches: bytes that are not valid characters would be mangled
            return Optional.of("its key " + key.get(0).name() + " is of type " + key.get(0).type() + ", which the MariaDB"
                    + " backfill cannot carry between batches yet; add a single-column integer or character key first");
        }
        return Optional.empty();
    }

    @Override
    public String keyAsText(String quotedColumn) {
        return "CAST(" + quotedColumn + " AS CHAR)";
    }

    /**
     * The text as is: MariaDB converts a constant to the column's type for the comparison, so the
     * key index serves the range (CAST to the catalog's COLUMN_TYPE, "int(11)", would not parse).
     */
    @Override
    public String keyParameter(String type) {
        return "?";
    }

    @Override
    public String offsetOneRow() {
        return "LIMIT 1 OFFSET ?";
    }

    /**
     * Session settings (MariaDB has no SET LOCAL), undone by {@link #backfillBatchReset}. Row locks
     * are waited for up to the statement timeout, as on PostgreSQL. READ COMMITTED: a batch locks
     * the rows it reads and writes, not the gaps between them, so an application insert into the
     * batch's key range does not wait for it, and a copy into a second table (a part) cannot
     * deadlock with writers through gap locks; the version of a row a batch reads does not matter,
     * each row is read under a lock. Kept at the session's level when the binary
     * log is written as statements, which InnoDB refuses under READ COMMITTED.
     */
    @Override
    public List<String> backfillBatchSettings(Duration statementTimeout) {
        return backfillBatchSettings(statementTimeout, List.of());
    }

    /**
     * REPEATABLE READ for a shadow table's copy instead: its INSERT .. SELECT holds the shadow's
     * AUTO-INC lock while it reads, so no row may be inserted into its range after its locking read
     * (see {@link MySqlShadowTables#shadowTableCopy}); the next-key locks of that read keep the gaps.
     * A shadow table is written by its copy and the table's triggers only: no gap lock there meets
     * a writer that did not wait for the table's range first.
     */
    @Override
    public List<String> backfillBatchSettings(Duration statementTimeout, List<RangeStatement> copies) {
        double seconds = statementTimeout.toMillis() / 1000.0;
        String isolation = copies.stream().anyMatch(MySqlShadowTables::isShadowTableCopy) ? "REPEATABLE-READ" : "READ-COMMITTED";
        return oneSet(BACKFILL_VARIABLE + " = 1",
                "SESSION " + family().isolationVariable() + " = IF(@@log_bin AND @@binlog_format = 'STATEMENT', @@"
                        + family().isolationVariable() + ", '" + isolation + "')",
                // MySQL's max_execution_time bounds a batch's reads only, not its INSERT .. SELECT or UPDATE
                "SESSION " + family().statementTimeVariable() + " = " + family().statementTime(seconds),
                "SESSION innodb_lock_wait_timeout = " + Math.max(1, (long) Math.ceil(seconds)));
    }

    @Override
    public List<String> backfillBatchReset() {
        return oneSet(BACKFILL_VARIABLE + " = NULL", "SESSION " + family().statementTimeVariable() + " = " + family().statementTime(0),
                "SESSION innodb_lock_wait_timeout = " + saved("innodb_lock_wait_timeout", "UNSIGNED"),
                "SESSION " + family().isolationVariable() + " = " + saved("tx_isolation", family().isolationVariable(), null));
    }

    /**
     * One SET for all of them: they run twice a batch, and each statement is a round trip that
     * costs as much as copying a few hundred rows on a busy server.
     */
    private static List<String> oneSet(String... assignments) {
        return List.of("SET " + String.join(", ", assignments));
    }

    /** None: there is no percentile over a sample here, so the table is one range (parallelBackfill is off). */
    @Override
    public List<String> splitPoints(Connection c, String schema, String table, Step.KeyColumn key, String watermark,
                                    int parts, long estimatedRows) {
        return List.of();
    }
}
