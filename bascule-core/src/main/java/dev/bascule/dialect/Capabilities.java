package dev.bascule.dialect;

import dev.bascule.api.Operation;

import java.util.Optional;
import java.util.Set;

/**
 * What a server can do safely, as planning needs to know it: planning consults these to choose how
 * to make a change, or to refuse an operation before anything changes. A dialect never refuses an
 * operation at run time for want of a feature; it says here that it lacks it.
 *
 * @param server                           the server's name in messages ("PostgreSQL", "MariaDB")
 * @param transactionalDdl                 a step of several DDL statements commits all or none; without it, a
 *                                         dialect has {@link Dialect#shadows() shadow tables}
 * @param notValidConstraints              constraints can be added NOT VALID and validated later; without them,
 *                                         NOT NULL is checked by a query when complete begins and set by the contract
 * @param checkNeedsTableCopy              where there are no NOT VALID constraints: why adding a CHECK copies the
 *                                         table under a lock (the reason a check is refused)
 * @param viewsFollowRenames               views follow a renamed table or column; else complete creates them again
 *                                         after renames
 * @param deprecation                      complete can keep tables and columns instead of dropping them
 *                                         ({@code --deprecate})
 * @param gatesOnly                        the gates that read something this server has; empty when every gate does
 * @param onlineIndexWaitsForTransactions  an online index build waits for older transactions (CREATE INDEX
 *                                         CONCURRENTLY) and so runs without the lock timeout; false when it takes a
 *                                         metadata lock queries queue behind, and so runs under the lock timeout
 * @param parallelBackfill                 a backfill may split a table's key range between parallel workers
 * @param maxColumns                       the most columns a table may have
 * @param defaultMayNameColumns            a column's DEFAULT may name other columns of its row
 * @param foreignKeyMakesIndex             adding a foreign key makes an index named like the constraint if no index
 *                                         starts with the key's columns (InnoDB): its rollback drops that index too
 * @param foreignKeyNeedsReferencedColumns a foreign key must name the referenced columns (no implicit primary key)
 * @param partialIndexes                   indexes may have a WHERE
 * @param onlineIndexMethod                the one index method built online, when there is only one
 * @param uniqueOnAddColumn                add_column can make its column unique
 * @param timestampNotNullNeedsConstantDefault a timestamp column with a non-constant default is set NOT NULL only
 *                                         by copying the table
 * @param triggersMayWriteTheirStatementsTable a trigger may write a table the statement that fired it also uses
 *                                         (MariaDB refuses it: error 1442)
 * @param replicaIdentity                  a table has a replica identity (what logical replication carries of a
 *                                         changed row's old version) that ALTER TABLE sets
 * @param namedPrimaryKey                  a primary key keeps the name CREATE TABLE gives it (MariaDB names every
 *                                         one PRIMARY)
 * @param foreignKeyMatchFull              a foreign key can be MATCH FULL (InnoDB parses MATCH and ignores it)
 * @param foreignKeySetDefault             a foreign key's action can be SET DEFAULT (InnoDB parses it and keeps
 *                                         no action)
 * @param indexOptions                     an index built online may have operator classes, INCLUDE columns and
 *                                         storage parameters
 * @param virtualGeneratedColumns          a generated column may be computed when read (VIRTUAL), not only stored
 * @param generatedColumnsNotNull          a generated column may be declared NOT NULL
 * @param addGeneratedColumn               add_column can add a stored generated column to a table without rows
 *                                         (PostgreSQL rewrites the table for it, which is free only when it is empty)
 * @param addVirtualColumn                 add_column can add a virtual generated column to any table without a copy
 *                                         (MariaDB: ALGORITHM=INSTANT)
 */
public record Capabilities(String server, boolean transactionalDdl, boolean notValidConstraints,
                           Optional<String> checkNeedsTableCopy, boolean viewsFollowRenames, boolean deprecation,
                           Optional<Set<String>> gatesOnly, boolean onlineIndexWaitsForTransactions,
                           boolean parallelBackfill, int maxColumns, boolean defaultMayNameColumns,
                           boolean foreignKeyMakesIndex, boolean foreignKeyNeedsReferencedColumns,
                           boolean partialIndexes, Optional<String> onlineIndexMethod, boolean uniqueOnAddColumn,
                           boolean timestampNotNullNeedsConstantDefault, boolean triggersMayWriteTheirStatementsTable,
                           boolean replicaIdentity, boolean namedPrimaryKey, boolean foreignKeyMatchFull,
                           boolean foreignKeySetDefault, boolean indexOptions, boolean virtualGeneratedColumns,
                           boolean generatedColumnsNotNull, boolean addGeneratedColumn, boolean addVirtualColumn) {

    /** Whether the gate of that name reads something this server has. */
    public boolean supportsGate(String name) {
        return gatesOnly.map(gates -> gates.contains(name)).orElse(true);
    }

    /**
     * Why {@code op} is refused on this server at plan time (it is never half-applied), or empty
     * when it can be done safely.
     */
    public Optional<String> refusal(Operation op) {
        return OperationSupport.refusal(op, this);
    }

    /**
     * What the application must know about how {@code op} is done here (a statement shape the
     * server refuses while it is started, say), for plan's notes; empty when it works as documented
     * for every server.
     */
    public Optional<String> note(Operation op) {
        return OperationSupport.note(op, this);
    }
}
