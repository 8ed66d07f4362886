package dev.bascule.dialect.postgresql;

import dev.bascule.backfill.health.ApplicationProbe;
import dev.bascule.dialect.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The share of this database's transactions that roll back, from pg_stat_database: a statement
 * that fails (a lock or statement timeout, a deadlock victim, a serialization failure, a
 * constraint the application trips over) aborts its transaction, so errors the application meets
 * show here whether or not pg_stat_statements is installed. Latency-like counters of
 * pg_stat_database were left out on purpose: {@code blk_read_time} needs track_io_timing and rises
 * with the backfill's own reads, and temporary files come from the application's sorts, which a
 * backfill does not make bigger. Backends publish these counters about once a second, so the
 * sampling interval should not be much shorter.
 */
final class RollbackRateProbe implements ApplicationProbe {
    private long commits = -1;
    private long rollbacks;

    @Override
    public Kind kind() {
        return Kind.ROLLBACKS;
    }

    @Override
    public String source() {
        return "pg_stat_database";
    }

    @Override
    public Interval read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT
                + "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()")) {
            if (!rs.next()) {
                return Interval.EMPTY;
            }
            long nowCommits = rs.getLong(1);
            long nowRollbacks = rs.getLong(2);
            // a stats reset makes the counters go down: start again from there
            boolean fresh = commits < 0 || nowCommits < commits || nowRollbacks < rollbacks;
            Interval interval = fresh ? Interval.EMPTY
                    : new Interval(nowCommits - commits + nowRollbacks - rollbacks, nowRollbacks - rollbacks);
            commits = nowCommits;
            rollbacks = nowRollbacks;
            return interval;
        }
    }
}
