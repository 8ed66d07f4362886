package dev.bascule;

import dev.bascule.api.BasculeException;
import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.DatabaseSignals;
import dev.bascule.api.HistoryEntry;
import dev.bascule.api.MigrationStatus;
import dev.bascule.api.VerifyResult;
import dev.bascule.backfill.BackfillListener;
import dev.bascule.command.Baseline;
import dev.bascule.command.Planning;
import dev.bascule.command.Settings;
import dev.bascule.deprecation.DeprecatedObjects;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.plan.Plan;
import dev.bascule.plan.TableEffects;
import dev.bascule.safety.Verifier;
import dev.bascule.state.BackfillProgress;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.StateStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the facade reads of the state schema and the server without changing anything: status,
 * history, the latest version schema, the database's signals, and the verification of a started
 * migration's rows.
 */
final class StateReadings {
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    StateReadings(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    /**
     * Checks every row of the tables the started migration changes: new values must be what its
     * expressions give (complete runs the same check as the {@code verified} gate).
     *
     * @return one result per table checked; empty when no migration is started or it has nothing to verify
     */
    List<VerifyResult> verify() {
        try (Connection c = dataSource.getConnection()) {
            StateStore state = new StateStore(settings.stateSchema(), dialect.stateSql());
            Optional<MigrationRecord> active = state.exists(c) ? state.active(c) : Optional.empty();
            if (active.isEmpty()) {
                settings.listener().note("no migration is started; nothing to verify");
                return List.of();
            }
            Plan plan = state.plan(c, active.get().id());
            if (!Verifier.backfilled(plan, state.doneSteps(c, active.get().id(), "start"))) {
                throw new BasculeException("the backfill of " + active.get().name() + " has not finished; run start"
                        + " again to finish it, then verify");
            }
            return new Verifier(dialect, 10_000).run(c, plan);
        } catch (SQLException e) {
            throw new BasculeException("verify failed: " + e.getMessage(), e);
        }
    }

    MigrationStatus status() {
        try (Connection c = dataSource.getConnection()) {
            StateStore state = new StateStore(settings.stateSchema(), dialect.stateSql());
            if (!state.exists(c)) {
                return new MigrationStatus(null, settings.schema());
            }
            Optional<MigrationRecord> active = state.active(c);
            MigrationStatus.Active a = null;
            if (active.isPresent()) {
                MigrationRecord r = active.get();
                Map<Integer, List<BackfillProgress>> bySteps = new TreeMap<>();
                for (BackfillProgress p : state.backfills(c, r.id())) {
                    bySteps.computeIfAbsent(p.step(), k -> new ArrayList<>()).add(p);
                }
                List<MigrationStatus.Backfill> backfills = bySteps.values().stream().map(StateReadings::backfillStatus).toList();
                a = new MigrationStatus.Active(r.name(), r.schema(), r.phase().dbName(), r.versionSchema(),
                        r.previousVersionSchema(), r.startedAt(), r.paused(), r.pauseReason(), r.lastError(), backfills);
            }
            return new MigrationStatus(a, latest(c, state));
        } catch (SQLException e) {
            throw new BasculeException("status failed: " + e.getMessage(), e);
        }
    }

    private static MigrationStatus.Backfill backfillStatus(List<BackfillProgress> workers) {
        BackfillProgress any = workers.get(0);
        boolean finished = workers.stream().allMatch(BackfillProgress::finished);
        long done = workers.stream().mapToLong(BackfillProgress::rowsDone).sum();
        long total = Math.max(done, workers.stream().mapToLong(BackfillProgress::rowsTotal).sum());
        OffsetDateTime end = workers.stream().map(p -> p.finished() ? p.finishedAt() : p.updatedAt())
                .max(OffsetDateTime::compareTo).orElse(any.updatedAt());
        double secs = Duration.between(any.startedAt(), end).toMillis() / 1000.0;
        double rate = secs > 0 ? done / secs : 0;
        Duration eta = finished ? Duration.ZERO : BackfillListener.eta(done, total, rate);
        String reason = workers.stream().map(BackfillProgress::throttleReason).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        int batch = workers.stream().mapToInt(BackfillProgress::batchSize).max().orElse(0);
        return new MigrationStatus.Backfill(any.table(), done, total, rate, eta, finished, workers.size(), batch, reason);
    }

    /**
     * Replication lag, sessions waiting on locks on the active migration's tables, and the
     * application's statement times: what {@code bascule serve} shows beside the status. Read-only,
     * each query in its own short transaction.
     */
    DatabaseSignals signals() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // never an open transaction: a pooled connection may not commit by itself
            StateStore state = new StateStore(settings.stateSchema(), dialect.stateSql());
            Optional<MigrationRecord> active = state.exists(c) ? state.active(c) : Optional.empty();
            List<DatabaseSignals.LockWait> waits = List.of();
            if (active.isPresent()) {
                Plan plan = state.plan(c, active.get().id());
                waits = dialect.signals().lockWaits(c, plan.schema(), tables(plan));
            }
            return new DatabaseSignals(dialect.signals().replication(c), waits,
                    dialect.signals().statementTimes(c, settings.stateSchema()).orElse(null));
        } catch (SQLException e) {
            throw new BasculeException("reading the database's signals failed: " + e.getMessage(), e);
        }
    }

    /** The physical tables a plan's start and complete steps work on. */
    private static Set<String> tables(Plan plan) {
        Set<String> tables = new java.util.TreeSet<>();
        plan.start().forEach(s -> {
            if (s.action().table() != null) {
                tables.add(s.action().table());
            }
        });
        plan.contract().stream().map(dev.bascule.step.Step::table).filter(java.util.Objects::nonNull).forEach(tables::add);
        return tables;
    }

    List<HistoryEntry> history() {
        try (Connection c = dataSource.getConnection()) {
            StateStore state = new StateStore(settings.stateSchema(), dialect.stateSql());
            if (!state.exists(c)) {
                return List.of();
            }
            List<HistoryEntry> entries = new java.util.ArrayList<>();
            boolean baselines = state.hasBaselines(c);
            for (MigrationRecord r : state.history(c)) {
                entries.add(new HistoryEntry(r.name(), r.schema(), r.phase().dbName(), r.checksum(), r.appliedBy(),
                        r.startedAt(), r.completedAt(), r.rolledBackAt(), r.forcedGates(),
                        baselines ? baselineNote(state, c, r.id()) : null));
            }
            return entries;
        } catch (SQLException e) {
            throw new BasculeException("history failed: " + e.getMessage(), e);
        }
    }

    /** For a baseline's record, what it adopted ("" if nothing); null for a migration. */
    private static String baselineNote(StateStore state, Connection c, long id) throws SQLException {
        String marker = state.baselines(c, id).get(Baseline.MARKER);
        return marker == null ? null : Baseline.adoptedNote(marker);
    }

    /** The schema new code should put first in its search_path. */
    String latest() {
        try (Connection c = dataSource.getConnection()) {
            return latest(c, new StateStore(settings.stateSchema(), dialect.stateSql()));
        } catch (SQLException e) {
            throw new BasculeException("latest failed: " + e.getMessage(), e);
        }
    }

    private String latest(Connection c, StateStore state) throws SQLException {
        if (!state.exists(c)) {
            return settings.schema();
        }
        Optional<MigrationRecord> active = state.active(c);
        if (active.isPresent() && (active.get().phase() == MigrationRecord.Phase.STARTED
                || active.get().phase() == MigrationRecord.Phase.COMPLETING)) {
            return active.get().versionSchema();
        }
        if (active.isPresent()) {
            return active.get().previousVersionSchema();
        }
        Optional<MigrationRecord> last = state.lastCompleted(c, settings.schema());
        return last.map(MigrationRecord::versionSchema).orElse(settings.schema());
    }

    /** The tables and columns complete --deprecate kept in the base schema, from the catalog. */
    List<DeprecatedObject> deprecated() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return DeprecatedObjects.read(c, dialect, settings.schema());
        } catch (SQLException e) {
            throw new BasculeException("listing deprecated objects failed: " + e.getMessage(), e);
        }
    }

    /** The estimated rows and size of each of {@code tables} that exists, from the statistics. */
    Map<TableEffects.TableRef, CatalogReader.TableEstimate> tableEstimates(Collection<TableEffects.TableRef> tables) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            Map<TableEffects.TableRef, CatalogReader.TableEstimate> estimates = new LinkedHashMap<>();
            for (TableEffects.TableRef t : tables) {
                dialect.catalog().estimateTable(c, t.schema(), t.name()).ifPresent(e -> estimates.put(t, e));
            }
            return estimates;
        } catch (SQLException e) {
            throw new BasculeException("table estimates failed: " + e.getMessage(), e);
        }
    }

    /** The planner's plan of {@code migration} against the live catalog. */
    Plan plan(dev.bascule.api.Migration migration) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return Planning.planOnOwnSettings(c, dialect, new StateStore(settings.stateSchema(), dialect.stateSql()), settings.schema(), migration);
        } catch (SQLException e) {
            throw new BasculeException("plan failed: " + e.getMessage(), e);
        }
    }
}
