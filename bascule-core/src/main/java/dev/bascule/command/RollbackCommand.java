package dev.bascule.command;

import dev.bascule.api.BasculeException;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Plan;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.MigrationRecord.Phase;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Undoes every start step that began, newest first: the database is as before start. */
public final class RollbackCommand {
    public enum Outcome { ROLLED_BACK, NOTHING_TO_ROLL_BACK }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    public RollbackCommand(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    public Outcome run() {
        try (Session session = Session.open(dataSource, dialect, settings, true)) {
            session.state().init(session.control());
            Optional<MigrationRecord> active = session.state().active(session.control());
            if (active.isEmpty()) {
                settings.listener().note("no migration is started; nothing to roll back");
                return Outcome.NOTHING_TO_ROLL_BACK;
            }
            MigrationRecord record = active.get();
            if (record.phase() == Phase.COMPLETING) {
                // complete marks the migration completing before its first contract step: until that
                // step begins, nothing is dropped and rollback is still whole
                if (!session.state().touchedSteps(session.control(), record.id(), "complete").isEmpty()) {
                    throw new BasculeException("complete of " + record.name() + " has begun removing the old version"
                            + " and cannot be undone; run complete again to finish it");
                }
            }
            Plan plan = session.state().plan(session.control(), record.id());
            Set<Integer> began = session.state().touchedSteps(session.control(), record.id(), "start");
            Set<Integer> finished = session.state().doneSteps(session.control(), record.id(), "start");
            session.state().setPhase(session.control(), record.id(), Phase.ROLLING_BACK);
            try {
                new StepRunner(dialect, settings, session).runPhase(record.id(), "rollback", plan.rollback(began, finished), false);
            } catch (RuntimeException e) {
                session.state().recordError(session.control(), record.id(), e.getMessage());
                throw StartCommand.withAdvice(e, "rollback");
            }
            session.state().setPhase(session.control(), record.id(), Phase.ROLLED_BACK);
            return Outcome.ROLLED_BACK;
        } catch (SQLException e) {
            throw new BasculeException("rollback failed: " + e.getMessage() + ". Run rollback again to continue.", e);
        }
    }
}
