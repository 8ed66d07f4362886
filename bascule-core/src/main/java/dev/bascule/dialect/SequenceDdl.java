package dev.bascule.dialect;

import java.util.List;

/** The SQL text of changes to sequences and identity columns, where the server has them apart from tables. */
public interface SequenceDdl {

    String setSequenceOwner(String sequenceSchema, String sequence, String schema, String table, String column);

    String setSequenceType(String sequenceSchema, String sequence, String type);

    /** An expression taking the sequence's next value (a default). */
    String nextValue(String sequenceSchema, String sequence);

    /**
     * Takes the sequence's next value and keeps it, under {@code key}, until the transaction ends:
     * an identity column's sequence is dropped with the column, and the new identity goes on from it.
     */
    String rememberNextValue(String key, String sequenceSchema, String sequence);

    /** Makes {@code column} an identity column ({@code ALWAYS} or {@code BY DEFAULT}) that goes on from the value kept under {@code key}. */
    List<String> addIdentityFromRemembered(String key, String schema, String table, String column, String kind);
}
