package dev.bascule;

import dev.bascule.api.BasculeException;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.ContractMode;
import dev.bascule.api.DatabaseSignals;
import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.RestoreTarget;
import dev.bascule.api.HistoryEntry;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationStatus;
import dev.bascule.api.VerifyResult;
import dev.bascule.backfill.BackfillListener;
import dev.bascule.backfill.BackfillOptions;
import dev.bascule.command.BaselineCommand;
import dev.bascule.command.CompleteCommand;
import dev.bascule.command.Planning;
import dev.bascule.command.PurgeCommand;
import dev.bascule.command.RestoreCommand;
import dev.bascule.command.RollbackCommand;
import dev.bascule.command.Session;
import dev.bascule.command.Settings;
import dev.bascule.command.StartCommand;
import dev.bascule.deprecation.DeprecatedObjects;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.dialect.detect.Dialects;
import dev.bascule.input.InputLimits;
import dev.bascule.model.Identifiers;
import dev.bascule.model.MigrationReader;
import dev.bascule.notify.CommandHookNotifier;
import dev.bascule.notify.Event;
import dev.bascule.notify.Notifier;
import dev.bascule.notify.Notifiers;
import dev.bascule.notify.WebhookNotifier;
import dev.bascule.plan.Plan;
import dev.bascule.plan.TableEffects;
import dev.bascule.rehearsal.Rehearsal;
import dev.bascule.rehearsal.RehearsalOptions;
import dev.bascule.rehearsal.RehearsalReport;
import dev.bascule.safety.Verifier;
import dev.bascule.state.BackfillProgress;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.StateStore;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;

/**
 * Entry point of the library: applies migrations with expand/contract.
 *
 * <pre>{@code
 * Bascule bascule = Bascule.configure().dataSource(ds).schema("public").load();
 * bascule.start(Bascule.read(Path.of("migrations/0002_users_email.yaml")));
 * // deploy code that uses bascule.latest() in its search_path
 * bascule.complete(Set.of());
 * }</pre>
 */
public final class Bascule {
    public static final Duration DEFAULT_NOTIFICATION_WAIT = Duration.ofSeconds(20);
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;
    private final Duration notificationWait;
    private final InputLimits inputLimits;

    private Bascule(DataSource dataSource, Dialect dialect, Settings settings, Duration notificationWait, InputLimits inputLimits) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
        this.notificationWait = notificationWait;
        this.inputLimits = inputLimits;
    }

    /** The dialect of the database this facade works on (chosen by {@link Builder#dialect} or from the data source). */
    public Dialect dialect() {
        return dialect;
    }

    public static Builder configure() {
        return new Builder();
    }

    /**
     * Reads a migration file (YAML or JSON) within the default {@link InputLimits} (10 MiB); a bad
     * file, one that is not a regular file, or a larger one throws {@link InvalidMigrationException}.
     */
    public static Migration read(Path file) {
        return MigrationReader.read(file);
    }

    /** Reads a migration file of at most {@code limits.maxFileSize()} bytes. */
    public static Migration read(Path file, InputLimits limits) {
        return MigrationReader.read(file, limits);
    }

    /** Creates the state schema if missing. */
    public void init() {
        try (Session session = Session.open(dataSource, dialect, settings, false)) {
            session.state().init(session.control());
        } catch (SQLException e) {
            throw new BasculeException("init failed: " + e.getMessage(), e);
        }
    }

    /** The statements each phase would run; validates the migration against the live catalog. Changes nothing. */
    public Plan plan(Migration migration) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return Planning.planOnOwnSettings(c, dialect, new StateStore(settings.stateSchema(), dialect.stateSql()), settings.schema(), migration);
        } catch (SQLException e) {
            throw new BasculeException("plan failed: " + e.getMessage(), e);
        }
    }

    /** What each step of {@code plan} does to its table's rows: catalog only, a scan, batched writes, a rewrite. */
    public TableEffects tableEffects(Plan plan) {
        return TableEffects.of(plan, dialect);
    }

    /**
     * The estimated rows and size of each of {@code tables} that exists, from the statistics.
     * Reads the catalog only.
     */
    public Map<TableEffects.TableRef, CatalogReader.TableEstimate> tableEstimates(Collection<TableEffects.TableRef> tables) {
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

    /** Expand and backfill. Running it again continues an interrupted start; on a started migration it does nothing. */
    public StartCommand.Outcome start(Migration migration) {
        return start(migration, false);
    }

    /** @param skipBackfill leave backfills for a later run of start (complete refuses until they ran) */
    public StartCommand.Outcome start(Migration migration, boolean skipBackfill) {
        return start(migration, skipBackfill, Set.of());
    }

    /** @param forcedPreflight preflight checks to override, by name ({@code long_transactions}, ...); recorded in the history */
    public StartCommand.Outcome start(Migration migration, boolean skipBackfill, Set<String> forcedPreflight) {
        return notifying(() -> new StartCommand(dataSource, dialect, settings).run(migration, skipBackfill, forcedPreflight));
    }

    /**
     * Contract: runs the gates, then removes what only old code used.
     *
     * @param forcedGates gates to override, by name; recorded in the history
     */
    public CompleteCommand.Outcome complete(Set<String> forcedGates) {
        return complete(forcedGates, Set.of());
    }

    /** @param forcedPreflight preflight checks to override, by name; recorded in the history */
    public CompleteCommand.Outcome complete(Set<String> forcedGates, Set<String> forcedPreflight) {
        return complete(forcedGates, forcedPreflight, ContractMode.DROP);
    }

    /**
     * @param mode {@link ContractMode#DEPRECATE} keeps the tables and columns complete would drop
     *             under a marked name, until {@link #purge} drops them or {@link #restore} gives
     *             them their name back. A complete that has begun goes on in the mode it began with.
     */
    public CompleteCommand.Outcome complete(Set<String> forcedGates, Set<String> forcedPreflight, ContractMode mode) {
        return notifying(() -> new CompleteCommand(dataSource, dialect, settings).run(forcedGates, forcedPreflight, mode));
    }

    /** The tables and columns complete --deprecate kept in the base schema, from the catalog. */
    public List<DeprecatedObject> deprecated() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return DeprecatedObjects.read(c, dialect, settings.schema());
        } catch (SQLException e) {
            throw new BasculeException("listing deprecated objects failed: " + e.getMessage(), e);
        }
    }

    /**
     * Drops the deprecated tables and columns deprecated at least {@code olderThan} ago
     * ({@link Duration#ZERO}: all of them).
     *
     * @param dryRun change nothing, return what would be dropped
     * @return what was (or would be) dropped
     */
    public List<DeprecatedObject> purge(Duration olderThan, boolean dryRun) {
        return new PurgeCommand(dataSource, dialect, settings).run(olderThan, dryRun);
    }

    /** Drops those of {@code confirmed} (a dry run's list a user agreed to) that are still deprecated and old enough. */
    public List<DeprecatedObject> purge(Duration olderThan, List<DeprecatedObject> confirmed) {
        return new PurgeCommand(dataSource, dialect, settings).run(olderThan, false, List.copyOf(confirmed));
    }

    /**
     * Gives a deprecated table or column its name back, with the data it held when it was deprecated.
     *
     * @return what was restored; empty when the name is in place and nothing of that name is deprecated
     */
    public Optional<DeprecatedObject> restore(RestoreTarget target) {
        return new RestoreCommand(dataSource, dialect, settings).run(target);
    }

    /**
     * Rehearses {@code migration} on copies of the tables it touches, with a sample of their rows, in
     * a scratch schema of the same database with a state schema of its own, under synthetic clients
     * of the old and the new version; reports phases, locks, client latencies and errors. The real
     * tables and the real state schema are only read. Bad input throws before anything is created.
     */
    public RehearsalReport rehearse(Migration migration, RehearsalOptions options) {
        if (dialect.rehearsal().isEmpty()) {
            throw new InvalidMigrationException("rehearse is available on PostgreSQL only (its scratch copies use"
                    + " PostgreSQL's catalog); on " + dialect.name() + " run the migration on a staging copy instead");
        }
        Plan plan = plan(migration); // checks the file against the real catalog, changes nothing
        List<String> touched = new ArrayList<>();
        tableEffects(plan).tables().stream().filter(t -> t.schema().equals(settings.schema()))
                .forEach(t -> touched.add(t.name()));
        for (dev.bascule.api.Operation op : migration.operations()) {
            // a new foreign key's target must be there to point at
            dev.bascule.plan.operation.OperationPlanners.of(op).referencedTable().ifPresent(touched::add);
        }
        return new Rehearsal(dataSource, dialect, settings).run(migration, touched, options);
    }

    /** Undoes the active migration's start. */
    public RollbackCommand.Outcome rollback() {
        return notifying(() -> new RollbackCommand(dataSource, dialect, settings).run());
    }

    /**
     * Pauses or resumes the active migration's backfill, from any process; takes effect within one
     * batch. Sends {@code paused} or {@code resumed} from this process; the process running the
     * backfill sends its own once the backfill has stopped or goes on.
     */
    public void pause(boolean paused) {
        notifying(() -> {
            setPaused(paused);
            return null;
        });
    }

    private void setPaused(boolean paused) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // a pool may hand out connections that do not commit by themselves
            StateStore state = new StateStore(settings.stateSchema(), dialect.stateSql());
            if (!state.exists(c)) {
                throw new BasculeException("no migration is started; nothing to " + (paused ? "pause" : "resume"));
            }
            MigrationRecord active = state.active(c).orElseThrow(() ->
                    new BasculeException("no migration is started; nothing to " + (paused ? "pause" : "resume")));
            String reason = paused ? "paused by " + userOf(c) : null;
            state.setPaused(c, active.id(), paused, reason);
            settings.notifier().send(Event.of(paused ? Event.Type.PAUSED : Event.Type.RESUMED, paused ? "pause" : "resume",
                    active.name(), settings.schema()).withReason(reason));
        } catch (SQLException e) {
            throw new BasculeException((paused ? "pause" : "resume") + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a command, then gives its notifications a bounded time to be delivered: they go out on
     * background threads, and a process that exits right after the command would drop them.
     */
    private <T> T notifying(java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } finally {
            settings.notifier().flush(notificationWait);
        }
    }

    private static String userOf(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Starts, then completes, each migration of {@code dir} that has not completed, in file-name order. */
    public List<String> migrate(Path dir) {
        return migrate(readFolder(dir, inputLimits));
    }

    /**
     * The migrations of {@code dir} in file-name order, every file read before anything runs; an
     * entry that is not a migration (a Flyway {@code V1__init.sql}, a subfolder) is refused, and so is
     * a folder of more files or bytes than {@code limits} allow (all are held until the run starts).
     */
    public static List<Migration> readFolder(Path dir, InputLimits limits) {
        List<Migration> migrations = new ArrayList<>();
        for (Path file : dev.bascule.model.MigrationFolder.files(dir, limits)) {
            migrations.add(MigrationReader.read(file, limits));
        }
        return migrations;
    }

    /** Starts, then completes, each of {@code migrations} that has not completed, in their order. */
    public List<String> migrate(List<Migration> migrations) {
        List<String> applied = new ArrayList<>();
        for (Migration m : migrations) {
            if (start(m) == StartCommand.Outcome.ALREADY_COMPLETED) {
                continue;
            }
            complete(Set.of());
            applied.add(m.name());
        }
        return applied;
    }

    /**
     * Checks every row of the tables the started migration changes: new values must be what its
     * expressions give (complete runs the same check as the {@code verified} gate).
     *
     * @return one result per table checked; empty when no migration is started or it has nothing to verify
     */
    public List<VerifyResult> verify() {
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

    public MigrationStatus status() {
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
                List<MigrationStatus.Backfill> backfills = bySteps.values().stream().map(Bascule::backfillStatus).toList();
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
    public DatabaseSignals signals() {
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

    public List<HistoryEntry> history() {
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
        String marker = state.baselines(c, id).get(BaselineCommand.MARKER);
        return marker == null ? null : BaselineCommand.adoptedNote(marker);
    }

    /**
     * Publishes the application's tables as they are as a first version (a schema of views), recorded
     * as a completed migration named {@code name}: old code runs on it from the start, and the next
     * migration takes it as the previous version. A database Flyway or Liquibase managed is adopted at
     * its last applied migration. A second call does nothing; refused once a migration is active or
     * completed.
     */
    public BaselineCommand.Outcome baseline(String name) {
        return new BaselineCommand(dataSource, dialect, settings).run(name);
    }

    /** {@link #baseline(String)} named {@code baseline}. */
    public BaselineCommand.Outcome baseline() {
        return baseline(BaselineCommand.DEFAULT_NAME);
    }

    /** The schema new code should put first in its search_path. */
    public String latest() {
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

    /** Settings of a {@link Bascule}; every one has a safe default but the data source. */
    public static final class Builder {
        private DataSource dataSource;
        private String schema; // null: the dialect's default, see load()
        private String stateSchema = "bascule";
        private Duration lockTimeout = Duration.ofMillis(250);
        private int lockAttempts = 10;
        private BackfillOptions backfill = BackfillOptions.defaults();
        private BasculeListener listener = BasculeListener.NONE;
        private Duration quietTime = Settings.DEFAULT_QUIET_TIME;
        private final List<Notifier> notifiers = new ArrayList<>();
        private Duration notificationWait = DEFAULT_NOTIFICATION_WAIT;
        private Dialect dialect;
        private InputLimits inputLimits = InputLimits.DEFAULT;
        private Long maxTotalSize;

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /**
         * The schema of the application's tables. By default {@code public} on PostgreSQL; on
         * MariaDB/MySQL the connection's current database (the one the JDBC URL names), asked once
         * at {@link #load()}.
         */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** Where Bascule keeps its state (default {@code bascule}). One migration runs at a time per state schema. */
        public Builder stateSchema(String stateSchema) {
            this.stateSchema = stateSchema;
            return this;
        }

        /** The longest a DDL statement waits for a lock before it gives up and retries (default 250 ms). */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        /** How many times a DDL statement is tried on lock timeouts before the command fails (default 10). */
        public Builder lockAttempts(int lockAttempts) {
            this.lockAttempts = lockAttempts;
            return this;
        }

        public Builder backfill(BackfillOptions backfill) {
            this.backfill = backfill;
            return this;
        }

        public Builder listener(BasculeListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * How long, at complete, what was in use since start (an index the migration drops, a name it
         * removes, the previous version's views) must then go unused for the gates to open (default
         * 15 s, longer than PostgreSQL's statistics delay).
         */
        public Builder quietTime(Duration quiet) {
            this.quietTime = quiet;
            return this;
        }

        /**
         * Adds a notifier: it hears {@code started}, {@code throttled}, {@code paused},
         * {@code resumed}, {@code backfill_finished}, {@code completed}, {@code failed} and
         * {@code rolled_back} (see {@link Event}). {@link WebhookNotifier} and
         * {@link CommandHookNotifier} are ready-made; a notifier that throws is logged and ignored.
         */
        public Builder notifier(Notifier notifier) {
            this.notifiers.add(java.util.Objects.requireNonNull(notifier, "notifier"));
            return this;
        }

        /**
         * How long a command waits, when it ends, for its notifications still being delivered
         * (default 20 s: a webhook's three attempts of 5 s and their backoff). Zero does not wait.
         */
        public Builder notificationWait(Duration wait) {
            this.notificationWait = wait;
            return this;
        }

        /**
         * The database's dialect; by default chosen from the data source's connection metadata
         * ({@link Dialects#detect}): PostgreSQL, or MariaDB/MySQL.
         */
        public Builder dialect(Dialect dialect) {
            this.dialect = dialect;
            return this;
        }

        /**
         * The largest migration file {@link #migrate(Path)} reads, in bytes (default 10 MiB,
         * {@link InputLimits#DEFAULT_MAX_FILE_SIZE}); {@link Bascule#read(Path, InputLimits)} takes it per call.
         */
        public Builder maxFileSize(long bytes) {
            try {
                this.inputLimits = maxTotalSize == null ? new InputLimits(bytes) : new InputLimits(bytes, maxTotalSize);
            } catch (IllegalArgumentException e) {
                throw new InvalidMigrationException(e.getMessage());
            }
            return this;
        }

        /**
         * The most bytes {@link #migrate(Path)} reads from its folder, all files together, checked before
         * any is read (default 64 MiB, {@link InputLimits#DEFAULT_MAX_TOTAL_SIZE}, or the file limit when larger).
         */
        public Builder maxTotalSize(long bytes) {
            try {
                this.inputLimits = new InputLimits(inputLimits.maxFileSize(), bytes);
            } catch (IllegalArgumentException e) {
                throw new InvalidMigrationException(e.getMessage());
            }
            this.maxTotalSize = bytes;
            return this;
        }

        public Bascule load() {
            if (dataSource == null) {
                throw new InvalidMigrationException("no data source: call dataSource(...) before load()");
            }
            for (String s : schema == null ? List.of(stateSchema) : List.of(schema, stateSchema)) {
                if (!Identifiers.isValid(s)) {
                    throw new InvalidMigrationException("invalid schema name '" + s + "'");
                }
            }
            if (lockTimeout.isNegative() || lockTimeout.isZero()) {
                throw new InvalidMigrationException("the lock timeout must be positive");
            }
            if (lockAttempts < 1) {
                throw new InvalidMigrationException("lock attempts must be at least 1");
            }
            if (quietTime.isNegative()) {
                throw new InvalidMigrationException("the quiet time must not be negative");
            }
            if (notificationWait.isNegative()) {
                throw new InvalidMigrationException("the notification wait must not be negative");
            }
            // asked last: every setting is checked before the server is
            Dialect chosen = dialect != null ? dialect : Dialects.detect(dataSource);
            String appSchema = schema != null ? schema : defaultSchema(chosen);
            return new Bascule(dataSource, chosen, new Settings(appSchema, stateSchema, lockTimeout, lockAttempts,
                    backfill, listener, quietTime, Notifiers.of(notifiers)), notificationWait, inputLimits);
        }

        private String defaultSchema(Dialect chosen) {
            try {
                String found = chosen.session().defaultSchema(dataSource::getConnection).orElseThrow(() -> new InvalidMigrationException(
                        "no schema given and the connection has no current database: name the application's database"
                        + " in the URL (jdbc:mariadb://host:3306/app), with --schema (BASCULE_SCHEMA) or with schema(...)"));
                if (!Identifiers.isValid(found)) {
                    throw new InvalidMigrationException("invalid schema name '" + found + "' (the connection's current"
                            + " database); give the schema explicitly");
                }
                return found;
            } catch (java.sql.SQLException e) {
                throw new BasculeException("cannot connect to the database to read its current database: "
                        + e.getMessage(), e);
            }
        }
    }
}
