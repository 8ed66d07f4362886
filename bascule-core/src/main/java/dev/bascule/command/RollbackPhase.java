package dev.bascule.command;

import dev.bascule.api.RollbackOutcome;
import dev.bascule.api.BasculeException;
import dev.bascule.dialect.Dialect;
import dev.bascule.api.Event;
import dev.bascule.plan.Plan;
import dev.bascule.step.Step;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.MigrationRecord.Phase;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Undoes every start step that began, newest first: the database is as before start. */
public final class RollbackPhase {

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;
    /** The active migration, once known: named in a {@code failed} event. */
    private String migration;

    public RollbackPhase(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    /**
     * Whether a contract step changed anything. Complete marks the migration completing before its
     * first step; a step that failed inside its one transaction (a swap that could not take its
     * lock, say) changed nothing, and rollback is still whole.
     */
    private static boolean contractHasBegun(Session session, MigrationRecord record, Plan plan) throws SQLException {
        if (!session.state().doneSteps(session.control(), record.id(), "complete").isEmpty()) {
            return true;
        }
        for (int step : session.state().touchedSteps(session.control(), record.id(), "complete")) {
            if (!(plan.contract().get(step) instanceof dev.bascule.step.Step.SqlStep sql) || !sql.transactional()) {
                return true;
            }
        }
        return false;
    }

    public RollbackOutcome run() {
        try {
            return undoStart();
        } catch (RuntimeException e) {
            settings.notifier().send(Event.of(Event.Type.FAILED, "rollback", migration, settings.schema())
                    .withReason(e.getMessage()));
            throw e;
        }
    }

    private RollbackOutcome undoStart() {
        try (Session session = Session.open(dataSource, dialect, settings, true)) {
            session.state().init(session.control());
            Optional<MigrationRecord> active = session.state().active(session.control());
            if (active.isEmpty()) {
                settings.listener().note("no migration is started; nothing to roll back");
                return RollbackOutcome.NOTHING_TO_ROLL_BACK;
            }
            MigrationRecord record = active.get();
            migration = record.name();
            Plan plan = session.state().plan(session.control(), record.id());
            if (record.phase() == Phase.COMPLETING && contractHasBegun(session, record, plan)) {
                throw new BasculeException("complete of " + record.name() + " has begun removing the old version"
                        + " and cannot be undone; run complete again to finish it");
            }
            Set<Integer> began = session.state().touchedSteps(session.control(), record.id(), "start");
            Set<Integer> finished = session.state().doneSteps(session.control(), record.id(), "start");
            List<Step> steps = plan.rollback(began, finished);
            VersionSchemaContents.requireOnlyOwn(session.work(), dialect, steps, "rollback");
            session.state().setPhase(session.control(), record.id(), Phase.ROLLING_BACK);
            try {
                new StepRunner(dialect, settings, session).runPhase(record.id(), "rollback", steps, false);
            } catch (RuntimeException e) {
                session.state().recordError(session.control(), record.id(), e.getMessage());
                throw StartPhase.withAdvice(e, "rollback");
            }
            session.state().setPhase(session.control(), record.id(), Phase.ROLLED_BACK);
            settings.notifier().send(Event.of(Event.Type.ROLLED_BACK, "rollback", record.name(), settings.schema())
                    .withVersion(plan.previousVersionSchema() != null ? plan.previousVersionSchema() : settings.schema()));
            return RollbackOutcome.ROLLED_BACK;
        } catch (SQLException e) {
            throw new BasculeException("rollback failed: " + e.getMessage() + ". Run rollback again to continue.", e);
        }
    }
}
