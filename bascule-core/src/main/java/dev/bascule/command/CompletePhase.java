package dev.bascule.command;

import dev.bascule.api.CompleteOutcome;
import dev.bascule.api.BasculeException;
import dev.bascule.api.ContractMode;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;
import dev.bascule.dialect.Dialect;
import dev.bascule.api.Event;
import dev.bascule.plan.Plan;
import dev.bascule.safety.Gate;
import dev.bascule.safety.Gates;
import dev.bascule.safety.Preflight;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.MigrationRecord.Phase;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** contract: after the gates pass, remove what only the old version used and finalize. */
public final class CompletePhase {

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;
    /** The active migration, once known: named in a {@code failed} event. */
    private String migration;

    public CompletePhase(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    /**
     * VALIDATE every constraint added NOT VALID, while the migration is still started: rows that
     * break one refuse complete (exit 3) with nothing changed, and rollback stays possible.
     */
    private void validate(Session session, MigrationRecord record, Plan plan) throws SQLException {
        try {
            new StepRunner(dialect, settings, session).runPhase(record.id(), "validate", plan.validations(), false);
        } catch (BasculeException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException se && se.getSQLState() != null && se.getSQLState().startsWith("23")) {
                throw new RefusedException("complete refused: " + se.getMessage().replaceFirst("^ERROR: |^\\(conn=\\d+\\) ", "")
                        + ". Existing rows break a constraint this migration adds; nothing was changed."
                        + " Fix those rows and run complete again, or rollback.");
            }
            throw e;
        }
    }

    public CompleteOutcome run(Set<String> forcedGates) {
        return run(forcedGates, Set.of());
    }

    /** @param forcedPreflight preflight checks to override, by name; recorded in the history */
    public CompleteOutcome run(Set<String> forcedGates, Set<String> forcedPreflight) {
        return run(forcedGates, forcedPreflight, ContractMode.DROP);
    }

    /**
     * @param mode what to do with the tables and columns only old code used. A complete that has
     *             begun goes on in the mode it began with: asked to deprecate what it has begun to
     *             drop, it refuses (exit 2, nothing changed); asked to drop what it has begun to
     *             deprecate, it goes on deprecating (nothing is lost, and purge drops it later)
     */
    public CompleteOutcome run(Set<String> forcedGates, Set<String> forcedPreflight, ContractMode mode) {
        try {
            return contract(forcedGates, forcedPreflight, mode);
        } catch (RuntimeException e) {
            settings.notifier().send(Event.of(Event.Type.FAILED, "complete", migration, settings.schema())
                    .withReason(e.getMessage()));
            throw e;
        }
    }

    private CompleteOutcome contract(Set<String> forcedGates, Set<String> forcedPreflight, ContractMode mode) {
        Preflight.requireKnown(forcedPreflight);
        if (mode == ContractMode.DEPRECATE && !dialect.capabilities().deprecation()) {
            throw new InvalidMigrationException("complete --deprecate is not supported on " + dialect.name()
                    + " yet; complete without it (or rollback). Nothing was changed.");
        }
        List<Gate> gates = Gates.all(dialect, settings.quietTime());
        Set<String> known = Set.copyOf(gates.stream().map(Gate::name).toList());
        for (String g : forcedGates) {
            if (!known.contains(g)) {
                throw new InvalidMigrationException("unknown gate '" + g + "' in --force-gate; gates are "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
        try (Session session = Session.open(dataSource, dialect, settings, true)) {
            session.state().init(session.control());
            Optional<MigrationRecord> active = session.state().active(session.control());
            if (active.isEmpty()) {
                settings.listener().note("no migration is started; nothing to complete");
                return CompleteOutcome.NOTHING_TO_COMPLETE;
            }
            MigrationRecord record = active.get();
            migration = record.name();
            if (record.phase() == Phase.STARTING) {
                throw new BasculeException("start of " + record.name() + " has not finished; run start again to finish it, or rollback");
            }
            if (record.phase() == Phase.ROLLING_BACK) {
                throw new BasculeException("migration " + record.name() + " is being rolled back; run rollback again to finish it");
            }
            Plan plan = session.state().plan(session.control(), record.id());
            if (mode == ContractMode.DEPRECATE && !plan.canDeprecate()) {
                throw new InvalidMigrationException("migration " + record.name() + " was started by an earlier release"
                        + " of Bascule, whose plan has no deprecation steps; complete it without --deprecate");
            }
            if (record.phase() == Phase.COMPLETING) {
                ContractMode begun = plan.contractMode() == null ? ContractMode.DROP : plan.contractMode();
                if (mode == ContractMode.DEPRECATE && begun == ContractMode.DROP) {
                    throw new InvalidMigrationException("complete of " + record.name() + " began without --deprecate and"
                            + " may have dropped tables or columns already; run complete again without --deprecate to finish it");
                }
                if (mode == ContractMode.DROP && begun == ContractMode.DEPRECATE) {
                    settings.listener().note("complete of " + record.name() + " began with --deprecate; it goes on"
                            + " deprecating (bascule purge drops deprecated tables and columns)");
                }
            }
            VersionSchemaContents.requireOnlyOwn(session.work(), dialect, plan.contract(), "complete");
            if (record.phase() == Phase.STARTED) {
                // the tables the contract changes, and those its swaps lock (other tables' foreign keys)
                List<String> tables = plan.complete().stream().map(dev.bascule.step.Step::table)
                        .filter(java.util.Objects::nonNull).distinct().toList();
                Set<String> forcedChecks = StartPhase.preflight(settings, session, plan, tables, forcedPreflight);
                Set<Integer> done = session.state().doneSteps(session.control(), record.id(), "start");
                List<String> closed = new ArrayList<>();
                Gate.Input input = new Gate.Input(session.work(), plan, done,
                        session.state().baselines(session.control(), record.id()), settings.listener()::note);
                for (Gate gate : gates) {
                    if (forcedGates.contains(gate.name())) {
                        // not checked: a forced gate's answer changes nothing, and some watch for a quiet time
                        settings.listener().note("gate " + gate.name() + " forced open (not checked)");
                        continue;
                    }
                    gate.check(input).ifPresent(w -> closed.add(gate.name() + ": " + w));
                }
                if (!closed.isEmpty()) {
                    throw new RefusedException("complete refused by " + closed.size() + " gate(s):\n  " + String.join("\n  ", closed)
                            + "\nNothing was changed. Fix the cause, or override one gate with --force-gate NAME (recorded).");
                }
                validate(session, record, plan);
                StartPhase.recordForced(session, record.id(), forcedChecks); // only once the contract goes ahead
                if (!forcedGates.isEmpty()) {
                    session.state().addForcedGates(session.control(), record.id(), forcedGates);
                }
                session.state().beginComplete(session.control(), record.id(), mode);
                // read back what was recorded: a rerun decides from the same place
                plan = session.state().plan(session.control(), record.id());
            }
            try {
                new StepRunner(dialect, settings, session).runPhase(record.id(), "complete", plan.contract(), false);
            } catch (RuntimeException e) {
                session.state().recordError(session.control(), record.id(), e.getMessage());
                throw StartPhase.withAdvice(e, "complete");
            }
            session.state().setPhase(session.control(), record.id(), Phase.COMPLETED);
            settings.notifier().send(Event.of(Event.Type.COMPLETED, "complete", record.name(), settings.schema())
                    .withVersion(plan.versionSchema()));
            return CompleteOutcome.COMPLETED;
        } catch (SQLException e) {
            throw new BasculeException("complete failed: " + e.getMessage() + ". Run complete again to continue.", e);
        }
    }
}
