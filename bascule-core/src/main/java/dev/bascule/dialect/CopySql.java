package dev.bascule.dialect;

import dev.bascule.dialect.SyncTriggers.MergeSync;
import dev.bascule.dialect.SyncTriggers.SplitPart;
import dev.bascule.step.Step.RangeStatement;
import dev.bascule.step.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The backfill's statements: keyset walking, its batch settings, and the copies of split and merged rows. */
public interface CopySql {

    /**
     * An expression of the migration as it must be written inside the text of a JDBC prepared
     * statement that has parameters of its own (the backfill's and the verifier's key bounds): a
     * driver that reads {@code ?} as a parameter must see the expression's own {@code ?} escaped.
     */
    default String preparedText(String expression) {
        return expression;
    }

    /**
     * Why the backfill cannot walk a table by this key on this database, or empty when it can.
     *
     * @param key the key's columns with their types, in key order
     */
    default Optional<String> backfillKeyProblem(List<Step.KeyColumn> key) {
        return Optional.empty();
    }

    /** A key column's value as text, as the checkpoints store it. */
    String keyAsText(String quotedColumn);

    /** A parameter holding a key value as text, compared with a key column of {@code type}. */
    String keyParameter(String type);

    /** Skip the number of rows given as the last parameter, then take one. */
    String offsetOneRow();

    /** Run first in each batch's transaction: marks the session as the backfill's, bounds its statements. */
    List<String> backfillBatchSettings(java.time.Duration statementTimeout);

    /** As {@link #backfillBatchSettings(java.time.Duration)}, for a batch that runs {@code copies} too. */
    default List<String> backfillBatchSettings(java.time.Duration statementTimeout, List<dev.bascule.step.Step.RangeStatement> copies) {
        return backfillBatchSettings(statementTimeout);
    }

    /**
     * A query run in each batch's transaction just before it commits, giving the number of other
     * sessions waiting on this session's locks: every session the batch blocked is still blocked
     * then, so the count says exactly whether this batch made the application wait, where a
     * monitor sampling now and then misses waits shorter than its interval. Empty when this server
     * cannot tell cheaply (the health monitor's samples are then the only signal).
     */
    default Optional<String> waitersOnThisSession() {
        return Optional.empty();
    }

    /**
     * Run after each batch's transaction ends: undoes settings of {@link #backfillBatchSettings} that
     * outlive a transaction on this server (the backfill's connection may run DDL next).
     */
    default List<String> backfillBatchReset() {
        return List.of();
    }

    /** A backfill statement copying one key range of the split table into a part. */
    RangeStatement splitCopy(String schema, String from, SplitPart part);

    /** A backfill statement copying one key range of the first merged table, joined with the others. */
    RangeStatement mergeCopy(MergeSync merge);

    /**
     * Key values dividing the rows of {@code schema.table} up to {@code watermark} into {@code parts}
     * parts of about the same size, from a sample of the table (about {@code estimatedRows} rows),
     * for parallel workers ({@link Capabilities#parallelBackfill}); empty when there is no sample to
     * take them from, and the table is one range.
     */
    List<String> splitPoints(Connection c, String schema, String table, Step.KeyColumn key, String watermark, int parts,
                             long estimatedRows) throws SQLException;
}
