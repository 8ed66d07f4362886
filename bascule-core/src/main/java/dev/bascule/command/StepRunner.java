package dev.bascule.command;

import dev.bascule.api.BasculeException;
import dev.bascule.backfill.BackfillEngine;
import dev.bascule.backfill.BackfillListener;
import dev.bascule.dialect.Dialect;
import dev.bascule.jdbc.Transaction;
import dev.bascule.notify.BackfillStateEvents;
import dev.bascule.step.Step;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs the steps of a phase in order, recording each, skipping those already done. */
final class StepRunner {
    private final Dialect dialect;
    private final Settings settings;
    private final Session session;
    private final LockRetry retry;
    /** The migration the steps belong to, named in the backfill's events; null outside a migration. */
    private final String migration;

    StepRunner(Dialect dialect, Settings settings, Session session) {
        this(dialect, settings, session, null);
    }

    StepRunner(Dialect dialect, Settings settings, Session session, String migration) {
        this.dialect = dialect;
        this.settings = settings;
        this.session = session;
        this.retry = new LockRetry(dialect, settings);
        this.migration = migration;
    }

    /**
     * Runs {@code steps} of {@code phase} for migration {@code id}, each recorded as running then
     * done. Steps already done are skipped. With {@code stopAtBackfill} it stops before the first
     * backfill step not done: what comes after it (indexes over the new values, the new version)
     * must not exist before the rows are filled.
     *
     * @return true when every step is done
     */
    boolean runPhase(long id, String phase, List<Step> steps, boolean stopAtBackfill) throws SQLException {
        var done = session.state().doneSteps(session.control(), id, phase);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (done.contains(i)) {
                continue;
            }
            if (stopAtBackfill && step instanceof Step.BackfillStep) {
                settings.listener().note("stopped before " + step.description() + " (--no-backfill): run start again"
                        + " to backfill and publish the new version");
                return false;
            }
            runReported(phase, id, i, steps.size(), step);
        }
        return true;
    }

    /**
     * Runs {@code steps} in order, reported like a phase but recorded nowhere: for commands outside
     * a migration (purge, restore), whose steps are idempotent on their own and are listed again
     * from the catalog by a rerun.
     */
    void runUnrecorded(String phase, List<Step> steps) throws SQLException {
        for (int i = 0; i < steps.size(); i++) {
            runReported(phase, -1, i, steps.size(), steps.get(i));
        }
    }

    /** Runs one step between the listener's started and finished reports. */
    private void runReported(String phase, long id, int i, int total, Step step) throws SQLException {
        settings.listener().stepStarted(phase, i + 1, total, step.description(), step.lock());
        long t0 = System.nanoTime();
        if (id >= 0) {
            session.state().stepRunning(session.control(), id, phase, i, step.description());
        }
        DoneRecord done = c -> {
            if (id >= 0) {
                session.state().stepDone(c, id, phase, i);
            }
        };
        Ran ran;
        try {
            ran = run(phase, id, i, step, done);
        } catch (SQLException e) {
            throw new BasculeException("step '" + step.description() + "' of " + phase + " failed: "
                    + dev.bascule.api.Excerpts.bounded(e.getMessage()), e);
        }
        if (!ran.recorded()) {
            done.write(session.control());
        }
        boolean skipped = ran.skipped();
        settings.listener().stepFinished(phase, i + 1, total, step.description(), Duration.ofNanos(System.nanoTime() - t0), skipped);
    }

    /** Writes a step's "done" record on the given connection (nothing outside a migration). */
    @FunctionalInterface
    private interface DoneRecord {
        void write(Connection c) throws SQLException;
    }

    /**
     * @param skipped  the step's effect was already there
     * @param recorded its "done" record was committed with its effect
     */
    private record Ran(boolean skipped, boolean recorded) {
        static final Ran SKIPPED = new Ran(true, false);
        static final Ran RAN = new Ran(false, false);
        static final Ran RECORDED = new Ran(false, true);
    }

    /** PostgreSQL's SQLSTATE for a statement that cannot run inside a transaction block (VACUUM, ... CONCURRENTLY). */
    private static final String NOT_IN_A_TRANSACTION = "25001";

    private Ran run(String phase, long id, int seq, Step step, DoneRecord done) throws SQLException {
        Connection work = session.work();
        if (step instanceof Step.SqlStep sql) {
            if (sql.skipIf() != null && query(work, sql.skipIf())) {
                return Ran.SKIPPED;
            }
            // Where DDL is transactional, the step's "done" record commits with its statements: a
            // command killed between the two would otherwise run them again on resume, and a sql
            // operation (an INSERT ...) is not idempotent.
            boolean recordInside = dialect.capabilities().transactionalDdl();
            if (sql.transactional()) {
                retry.run(sql.description(), () -> inTransaction(work, phase, sql, recordInside ? done : null));
                return recordInside ? Ran.RECORDED : Ran.RAN;
            }
            if (recordInside && !sql.concurrent() && sql.statements().size() == 1) {
                // one statement in autocommit is a transaction of its own: in an explicit one, with
                // the record, it does the same, unless it may not run in a transaction block at all
                try {
                    retry.run(sql.description(), () -> inTransaction(work, phase, sql, done));
                    return Ran.RECORDED;
                } catch (SQLException e) {
                    if (!NOT_IN_A_TRANSACTION.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            if (sql.concurrent() && dialect.capabilities().onlineIndexWaitsForTransactions()) {
                // CONCURRENTLY waits for older transactions without blocking anyone: no lock timeout.
                // Where an online index change takes a metadata lock instead (MariaDB), it gets the
                // lock timeout and the retries like any DDL, below.
                withoutLockTimeout(work, () -> {
                    for (String statement : sql.statements()) {
                        execute(work, statement);
                    }
                });
            } else {
                try {
                    for (String statement : sql.statements()) {
                        retry.run(sql.description(), () -> underLockTimeout(work, statement));
                    }
                } catch (SQLException | RuntimeException e) {
                    releaseTableLocks(work, e);
                    throw e;
                }
            }
            return Ran.RAN;
        }
        if (step instanceof Step.IndexBuildStep index) {
            return buildIndex(work, index) ? Ran.SKIPPED : Ran.RAN;
        }
        Step.BackfillStep backfill = (Step.BackfillStep) step;
        BackfillStateEvents events = new BackfillStateEvents(settings.notifier(), phase, migration, settings.schema(),
                backfill.table());
        BackfillListener progress = new BackfillListener() {
            @Override
            public void progress(String table, long rows, long total, double rate, java.time.Duration eta, int batch,
                                 String state) {
                settings.listener().backfill(table, rows, total, rate, eta, batch, state);
                events.report(state);
            }

            @Override
            public void batch(dev.bascule.api.BackfillBatch batch) {
                settings.listener().backfillBatch(batch);
            }

            @Override
            public void waited(String table, String reason, java.time.Duration waited) {
                settings.listener().backfillWaited(table, reason, waited);
            }

            @Override
            public void note(String message) {
                settings.listener().note(message);
            }
        };
        new BackfillEngine(dialect, session.state(), settings.backfill(), progress, session::requireLock)
                .run(work, session::newConnection, id, seq, backfill);
        return Ran.RAN;
    }

    /**
     * CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which no read or write waits on, but
     * it must wait for older transactions to end; it therefore runs without the short lock timeout
     * (which would abort it behind any long transaction). An interrupted or failed build leaves an
     * INVALID index: it is dropped, and the build retried or the failure reported.
     */
    private boolean buildIndex(Connection work, Step.IndexBuildStep step) throws SQLException {
        Boolean valid = dialect.catalog().indexValid(work, step.schema(), step.table(), step.index());
        if (Boolean.TRUE.equals(valid)) {
            return true;
        }
        String drop = dialect.constraints().dropIndexOnline(step.schema(), step.table(), step.index());
        if (!dialect.capabilities().onlineIndexWaitsForTransactions()) {
            // MySQL/MariaDB: ALGORITHM=INPLACE, LOCK=NONE takes an exclusive metadata lock for a
            // moment at its start and end, and queries queue behind a waiting one: the lock
            // timeout and retries apply. A failed build leaves no index behind.
            retry.run(step.description(), () -> underLockTimeout(work, step.create()));
            return false;
        }
        withoutLockTimeout(work, () -> {
            if (valid != null) {
                execute(work, drop);
            }
            try {
                execute(work, step.create());
            } catch (SQLException e) {
                if (dialect.catalog().indexValid(work, step.schema(), step.table(), step.index()) != null) {
                    execute(work, drop);
                }
                throw e;
            }
        });
        if (!Boolean.TRUE.equals(dialect.catalog().indexValid(work, step.schema(), step.table(), step.index()))) {
            throw new BasculeException("index " + step.index() + " was built but is not valid; rerun to rebuild it");
        }
        return false;
    }

    /** A step cut off between LOCK TABLES and UNLOCK TABLES must not leave the application's writers waiting. */
    private void releaseTableLocks(Connection c, Exception failure) {
        for (String statement : dialect.session().releaseTableLocks()) {
            try {
                execute(c, statement);
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private void withoutLockTimeout(Connection c, LockRetry.SqlAction action) throws SQLException {
        execute(c, dialect.session().setLockTimeout(0));
        try {
            action.run();
        } finally {
            execute(c, dialect.session().setLockTimeout(settings.lockTimeout().toMillis()));
        }
    }

    /** @param done written in the transaction, after the statements; null to leave it to the caller */
    private void inTransaction(Connection c, String phase, Step.SqlStep step, DoneRecord done) throws SQLException {
        long t0 = System.nanoTime();
        Map<String, String> locks = Transaction.commit(c, () -> {
            if (step.lockedTogether() != null) {
                for (String statement : dialect.session().lockTogether(step.lockedTogether())) {
                    underLockTimeout(c, statement);
                }
            }
            for (String statement : step.statements()) {
                underLockTimeout(c, statement);
            }
            Map<String, String> held = dialect.session().heldTableLocks(c); // read before commit releases them
            if (done != null) {
                done.write(c);
            }
            return held;
        });
        settings.listener().locksHeld(phase, step.description(), locks, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Runs a statement that gives up a lock wait after the lock timeout, to the millisecond on every server. */
    private void underLockTimeout(Connection c, String statement) throws SQLException {
        dialect.session().executeUnderLockTimeout(c, statement, settings.lockTimeout(), session::newConnection);
    }

    private static void execute(Connection c, String statement) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static boolean query(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
