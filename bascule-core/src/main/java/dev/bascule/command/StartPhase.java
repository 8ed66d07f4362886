package dev.bascule.command;

import dev.bascule.api.StartOutcome;
import dev.bascule.api.BasculeException;
import dev.bascule.api.RefusedException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.dialect.Dialect;
import dev.bascule.api.Event;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.safety.Gate;
import dev.bascule.safety.Gates;
import dev.bascule.safety.Preflight;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.MigrationRecord.Phase;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** expand + backfill: add the new elements beside the old, fill them, publish the new version. */
public final class StartPhase {
    /** EXPANDED: stopped before the backfill (--no-backfill); start again to finish. */

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    public StartPhase(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    public StartOutcome run(Migration migration, boolean skipBackfill) {
        return run(migration, skipBackfill, Set.of());
    }

    /** @param forcedPreflight preflight checks to override, by name; recorded in the history */
    public StartOutcome run(Migration migration, boolean skipBackfill, Set<String> forcedPreflight) {
        try {
            return expandAndBackfill(migration, skipBackfill, forcedPreflight);
        } catch (RuntimeException e) {
            settings.notifier().send(Event.of(Event.Type.FAILED, "start", migration.name(), settings.schema())
                    .withReason(e.getMessage()));
            throw e;
        }
    }

    private StartOutcome expandAndBackfill(Migration migration, boolean skipBackfill, Set<String> forcedPreflight) {
        Preflight.requireKnown(forcedPreflight);
        try (Session session = Session.open(dataSource, dialect, settings, true)) {
            // Bad input must leave the database untouched, state schema included: plan before init.
            boolean hasState = session.state().exists(session.control());
            Optional<MigrationRecord> same = hasState
                    ? session.state().find(session.control(), settings.schema(), migration.name()) : Optional.empty();
            MigrationRecord record;
            if (same.isPresent()) {
                record = same.get();
                requireSameFile(migration, record);
                switch (record.phase()) {
                    case COMPLETED:
                        settings.listener().note("migration " + migration.name() + " is already completed; nothing to do");
                        return StartOutcome.ALREADY_COMPLETED;
                    case COMPLETING:
                        throw new BasculeException("migration " + migration.name() + " is being completed; run complete again to finish it");
                    case ROLLING_BACK:
                        throw new BasculeException("migration " + migration.name() + " is being rolled back; run rollback again to finish it");
                    default:
                        break; // STARTING: resume; STARTED: nothing left to do
                }
            } else {
                Optional<MigrationRecord> active = hasState ? session.state().active(session.control()) : Optional.empty();
                if (active.isPresent()) {
                    // a refusal with nothing changed (exit 3), as baseline's and another state schema's are
                    throw new RefusedException("migration " + active.get().name() + " is " + active.get().phase().dbName()
                            + "; complete or roll it back before starting " + migration.name());
                }
                try {
                    OtherToolsCheck.refuseWhileBusy(session.work(), dialect, settings.schema());
                } catch (java.sql.SQLException e) {
                    throw new BasculeException("reading Flyway's and Liquibase's history tables: " + e.getMessage(), e);
                }
                Plan plan = Planning.plan(session.work(), dialect, session.state(), settings.schema(), migration);
                dev.bascule.safety.DuplicateKeys.refuse(session.work(), dialect, settings.schema(), migration);
                dev.bascule.safety.ValuesThatDoNotFit.refuse(session.work(), dialect, settings.schema(), migration);
                Set<String> forced = preflight(session, plan, forcedPreflight);
                session.state().init(session.control());
                session.state().insert(session.control(), settings.schema(), migration.name(), migration.checksum(), plan);
                record = session.state().find(session.control(), settings.schema(), migration.name()).orElseThrow();
                recordForced(session, record.id(), forced);
                recordBaselines(session, plan, record.id());
            }
            Plan plan = session.state().plan(session.control(), record.id());
            plan.notes().forEach(settings.listener()::note);
            List<Step> steps = plan.start().stream().map(PlannedStep::action).toList();
            if (record.phase() == Phase.STARTED) {
                settings.listener().note("migration " + migration.name() + " is already started; nothing to do");
                return StartOutcome.ALREADY_STARTED;
            }
            if (same.isPresent()) {
                recordForced(session, record.id(), preflight(session, plan, forcedPreflight));
                recordBaselines(session, plan, record.id()); // those a cut-off first run did not record
            }
            boolean finished;
            try {
                finished = new StepRunner(dialect, settings, session, migration.name())
                        .runPhase(record.id(), "start", steps, skipBackfill);
            } catch (RuntimeException e) {
                session.state().recordError(session.control(), record.id(), e.getMessage());
                throw withAdvice(e, "start");
            }
            if (!finished) {
                return StartOutcome.EXPANDED;
            }
            session.state().setPhase(session.control(), record.id(), Phase.STARTED);
            settings.notifier().send(Event.of(Event.Type.STARTED, "start", migration.name(), settings.schema())
                    .withVersion(plan.versionSchema()));
            return StartOutcome.STARTED;
        } catch (SQLException e) {
            throw new BasculeException("start failed: " + e.getMessage()
                    + ". State is saved: run start again to continue, or rollback.", e);
        }
    }

    /**
     * "Since start" for the gates complete runs: counters as they are before anything changes. A
     * counter that cannot be read is left out (the gate then says it cannot tell), not a reason to
     * refuse the start.
     */
    private void recordBaselines(Session session, Plan plan, long id) throws SQLException {
        java.util.Map<String, String> recorded = session.state().baselines(session.control(), id);
        for (Gate gate : Gates.all(dialect, settings.quietTime())) {
            if (recorded.containsKey(gate.name())) {
                continue;
            }
            Optional<String> baseline;
            try {
                baseline = gate.baseline(session.work(), plan);
            } catch (SQLException e) {
                settings.listener().note("gate " + gate.name() + " could not record what it compares with at complete: "
                        + e.getMessage());
                continue;
            }
            if (baseline.isPresent()) {
                session.state().saveBaseline(session.control(), id, gate.name(), baseline.get());
            }
        }
    }

    /** The preflight checks on the tables the plan's start touches; returns those forced open. */
    private Set<String> preflight(Session session, Plan plan, Set<String> forced) throws SQLException {
        List<String> tables = plan.start().stream().map(s -> s.action().table()).filter(java.util.Objects::nonNull).toList();
        return preflight(settings, session, plan, tables, forced);
    }

    static Set<String> preflight(Settings settings, Session session, Plan plan, List<String> tables, Set<String> forced)
            throws SQLException {
        long lag = (long) settings.backfill().throttle().replicationLagBytes().throttle();
        return new Preflight(session.dialect(), lag, Preflight.LONG_TRANSACTION, settings.backfill().workers()).run(session.work(), plan.schema(), tables, forced, settings.listener()::note);
    }

    static void recordForced(Session session, long id, Set<String> forced) throws SQLException {
        if (!forced.isEmpty()) {
            session.state().addForcedGates(session.control(), id,
                    forced.stream().map(f -> "preflight:" + f).collect(java.util.stream.Collectors.toSet()));
        }
    }

    static void requireSameFile(Migration migration, MigrationRecord record) {
        if (!record.checksum().equals(migration.checksum())) {
            throw new InvalidMigrationException(migration.source().file(), 1, 1, "",
                    "migration " + migration.name() + " already ran (" + record.phase().dbName() + ") from a file with"
                            + " checksum " + record.checksum().substring(0, 12) + "..., and this file differs ("
                            + migration.checksum().substring(0, 12) + "...). A migration that ran must not change:"
                            + " restore the file, or write the change as a new migration");
        }
    }

    static BasculeException withAdvice(RuntimeException e, String command) {
        if (e instanceof BasculeException be && be.getMessage().contains("run the command again")) {
            return be;
        }
        String advice = command.equals("start") ? " State is saved: fix the cause and run start again to continue, or rollback."
                : " State is saved: fix the cause and run " + command + " again to continue.";
        if (e instanceof BasculeException be && be.exitCode() != 1) {
            return be;
        }
        return new BasculeException(e.getMessage() + advice, e);
    }
}
