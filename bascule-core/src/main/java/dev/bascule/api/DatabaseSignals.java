package dev.bascule.api;

import java.util.List;

/**
 * What an operator watches while a migration runs, read from the server's statistics views at
 * one moment (see {@code Bascule#signals()}).
 *
 * @param replication  how far the standbys are behind
 * @param lockWaits    sessions waiting on a lock on one of the active migration's tables (empty
 *                     when no migration is active)
 * @param statements   the application's statement times, or null when the server does not
 *                     collect them (PostgreSQL: pg_stat_statements not installed or not loaded)
 */
public record DatabaseSignals(Replication replication, List<LockWait> lockWaits, StatementTimes statements) {

    public DatabaseSignals {
        lockWaits = List.copyOf(lockWaits);
    }

    /**
     * @param standbys  standbys streaming from this server (0 also on a standby itself)
     * @param lagBytes  WAL bytes the furthest standby has yet to replay; null when there is no
     *                  standby or the role may not see their positions
     * @param lagSeconds the furthest standby's replay delay; null when unknown
     */
    public record Replication(int standbys, Long lagBytes, Double lagSeconds) {}

    /**
     * One waiting session.
     *
     * @param table          the migrated table it waits on (a lock on the table or on one of its rows)
     * @param lock           what it waits for (PostgreSQL: the lock mode, or "row" for a row lock)
     * @param waitingSeconds how long it has waited
     * @param blockedBy      the sessions holding what it waits for
     */
    public record LockWait(int pid, String table, String lock, double waitingSeconds, List<Integer> blockedBy) {
        public LockWait {
            blockedBy = List.copyOf(blockedBy);
        }
    }

    /**
     * Totals over the application's statements since the server's statistics were last reset,
     * Bascule's own left out. Two readings give the mean over the time between them.
     */
    public record StatementTimes(long calls, double totalMillis) {
        public Double meanMillis() {
            return calls > 0 ? totalMillis / calls : null;
        }
    }
}
