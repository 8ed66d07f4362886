package dev.bascule;

import dev.bascule.api.StartOutcome;
import dev.bascule.api.RollbackOutcome;
import dev.bascule.api.CompleteOutcome;
import dev.bascule.api.BaselineOutcome;
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
import dev.bascule.api.PlanView;
import dev.bascule.api.VerifyResult;
import dev.bascule.api.BackfillOptions;
import dev.bascule.command.Baseline;
import dev.bascule.command.CompletePhase;
import dev.bascule.command.DeprecatedPurge;
import dev.bascule.command.DeprecatedRestore;
import dev.bascule.command.RollbackPhase;
import dev.bascule.command.Session;
import dev.bascule.command.Settings;
import dev.bascule.command.StartPhase;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.dialect.detect.Dialects;
import dev.bascule.api.InputLimits;
import dev.bascule.api.Identifiers;
import dev.bascule.model.MigrationReader;
import dev.bascule.notify.CommandHookNotifier;
import dev.bascule.api.Event;
import dev.bascule.api.Notifier;
import dev.bascule.notify.Notifiers;
import dev.bascule.plan.Plan;
import dev.bascule.plan.TableEffects;
import dev.bascule.rehearsal.Rehearsal;
import dev.bascule.api.RehearsalOptions;
import dev.bascule.api.RehearsalReport;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Entry point of the library: applies migrations with expand/contract.
 *
 * <pre>{@code
 * Bascule bascule = Bascule.configure().dataSource(ds).schema("public").load();
 * bascule.start(Bascule.read(Path.of("migrations/0002_users_email.yaml")));
 * // deploy code that uses bascule.latest() in its search_path
 * bascule.complete();
 * }</pre>
 */
public final class Bascule {
    public static final Duration DEFAULT_NOTIFICATION_WAIT = Duration.ofSeconds(20);
    public static final String DEFAULT_BASELINE_NAME = Baseline.DEFAULT_NAME;
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
    Dialect dialect() {
        return dialect;
    }

    public static Builder configure() {
        return new Builder();
    }

    /** Reads a migration file; see {@link Migrations#read(Path)}. */
    public static Migration read(Path file) {
        return Migrations.read(file);
    }

    /** Reads a migration file; see {@link Migrations#read(Path, InputLimits)}. */
    public static Migration read(Path file, InputLimits limits) {
        return Migrations.read(file, limits);
    }

    /** Creates the state schema if missing. */
    public void init() {
        try (Session session = Session.open(dataSource, dialect, settings, false)) {
            session.state().init(session.control());
        } catch (SQLException e) {
            throw new BasculeException("init failed: " + e.getMessage(), e);
        }
    }

    /**
     * What each phase would run, with each step's lock and effect on its table and the tables'
     * estimated size; validates the migration against the live catalog. Changes nothing.
     */
    public PlanView plan(Migration migration) {
        Plan plan = planOf(migration);
        TableEffects effects = tableEffects(plan);
        return PlanViews.of(plan, dialect, effects, tableEstimates(effects.tables()));
    }

    Plan planOf(Migration migration) {
        return readings().plan(migration);
    }

    /** What each step of {@code plan} does to its table's rows: catalog only, a scan, batched writes, a rewrite. */
    TableEffects tableEffects(Plan plan) {
        return TableEffects.of(plan, dialect);
    }

    /** The estimated rows and size of each of {@code tables} that exists, from the statistics. Reads the catalog only. */
    Map<TableEffects.TableRef, CatalogReader.TableEstimate> tableEstimates(Collection<TableEffects.TableRef> tables) {
        return readings().tableEstimates(tables);
    }

    /** Expand and backfill. Running it again continues an interrupted start; on a started migration it does nothing. */
    public StartOutcome start(Migration migration) {
        return start(migration, false);
    }

    /** @param skipBackfill leave backfills for a later run of start (complete refuses until they ran) */
    public StartOutcome start(Migration migration, boolean skipBackfill) {
        return start(migration, skipBackfill, Set.of());
    }

    /** @param forcedPreflight preflight checks to override, by name ({@code long_transactions}, ...); recorded in the history */
    public StartOutcome start(Migration migration, boolean skipBackfill, Set<String> forcedPreflight) {
        return notifying(() -> new StartPhase(dataSource, dialect, settings).run(migration, skipBackfill, forcedPreflight));
    }

    /** Contract with every gate and preflight check in force, dropping what only old code used. */
    public CompleteOutcome complete() {
        return complete(Set.of());
    }

    /**
     * Contract: runs the gates, then removes what only old code used.
     *
     * @param forcedGates gates to override, by name; recorded in the history
     */
    public CompleteOutcome complete(Set<String> forcedGates) {
        return complete(forcedGates, Set.of());
    }

    /** @param forcedPreflight preflight checks to override, by name; recorded in the history */
    public CompleteOutcome complete(Set<String> forcedGates, Set<String> forcedPreflight) {
        return complete(forcedGates, forcedPreflight, ContractMode.DROP);
    }

    /**
     * @param mode {@link ContractMode#DEPRECATE} keeps the tables and columns complete would drop
     *             under a marked name, until {@link #purge} drops them or {@link #restore} gives
     *             them their name back. A complete that has begun goes on in the mode it began with.
     */
    public CompleteOutcome complete(Set<String> forcedGates, Set<String> forcedPreflight, ContractMode mode) {
        return notifying(() -> new CompletePhase(dataSource, dialect, settings).run(forcedGates, forcedPreflight, mode));
    }

    /** The tables and columns complete --deprecate kept in the base schema, from the catalog. */
    public List<DeprecatedObject> deprecated() {
        return readings().deprecated();
    }

    /**
     * Drops the deprecated tables and columns deprecated at least {@code olderThan} ago
     * ({@link Duration#ZERO}: all of them).
     *
     * @param dryRun change nothing, return what would be dropped
     * @return what was (or would be) dropped
     */
    public List<DeprecatedObject> purge(Duration olderThan, boolean dryRun) {
        return new DeprecatedPurge(dataSource, dialect, settings).run(olderThan, dryRun);
    }

    /** Drops those of {@code confirmed} (a dry run's list a user agreed to) that are still deprecated and old enough. */
    public List<DeprecatedObject> purge(Duration olderThan, List<DeprecatedObject> confirmed) {
        return new DeprecatedPurge(dataSource, dialect, settings).run(olderThan, false, List.copyOf(confirmed));
    }

    /**
     * Gives a deprecated table or column its name back, with the data it held when it was deprecated.
     *
     * @return what was restored; empty when the name is in place and nothing of that name is deprecated
     */
    public Optional<DeprecatedObject> restore(RestoreTarget target) {
        return new DeprecatedRestore(dataSource, dialect, settings).run(target);
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
        Plan plan = planOf(migration); // checks the file against the real catalog, changes nothing
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
    public RollbackOutcome rollback() {
        return notifying(() -> new RollbackPhase(dataSource, dialect, settings).run());
    }

    /**
     * Pauses or resumes the active migration's backfill, from any process; takes effect within one
     * batch. Sends {@code paused} or {@code resumed} from this process; the process running the
     * backfill sends its own once the backfill has stopped or goes on.
     */
    public void pause(boolean paused) {
        notifying(() -> {
            new PauseSwitch(dataSource, dialect, settings).set(paused);
            return null;
        });
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

    /** Starts, then completes, each migration of {@code dir} that has not completed, in file-name order. */
    public List<String> migrate(Path dir) {
        return migrate(readFolder(dir, inputLimits));
    }

    /** The migrations of a folder; see {@link Migrations#folder(Path, InputLimits)}. */
    public static List<Migration> readFolder(Path dir, InputLimits limits) {
        return Migrations.folder(dir, limits);
    }

    /** Starts, then completes, each of {@code migrations} that has not completed, in their order. */
    public List<String> migrate(List<Migration> migrations) {
        List<String> applied = new ArrayList<>();
        for (Migration m : migrations) {
            if (start(m) == StartOutcome.ALREADY_COMPLETED) {
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
        return readings().verify();
    }

    /** The active migration, its phase and its backfills' progress, and the schema new code should use. */
    public MigrationStatus status() {
        return readings().status();
    }

    /**
     * Replication lag, sessions waiting on locks on the active migration's tables, and the
     * application's statement times: what {@code bascule serve} shows beside the status. Read-only,
     * each query in its own short transaction.
     */
    public DatabaseSignals signals() {
        return readings().signals();
    }

    /** Every migration and baseline recorded, oldest first. */
    public List<HistoryEntry> history() {
        return readings().history();
    }

    /** The schema new code should put first in its search_path. */
    public String latest() {
        return readings().latest();
    }

    private StateReadings readings() {
        return new StateReadings(dataSource, dialect, settings);
    }

    /**
     * Publishes the application's tables as they are as a first version (a schema of views), recorded
     * as a completed migration named {@code name}: old code runs on it from the start, and the next
     * migration takes it as the previous version. A database Flyway or Liquibase managed is adopted at
     * its last applied migration. A second call does nothing; refused once a migration is active or
     * completed.
     */
    public BaselineOutcome baseline(String name) {
        return new Baseline(dataSource, dialect, settings).run(name);
    }

    /** {@link #baseline(String)} named {@link #DEFAULT_BASELINE_NAME}. */
    public BaselineOutcome baseline() {
        return baseline(DEFAULT_BASELINE_NAME);
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

        /**
         * Every setting of {@code bascule.yaml} but the connection: schema, state schema, lock timeout and
         * attempts, notifiers and the backfill options of its {@code start:}. What is set after it wins.
         */
        public Builder config(BasculeConfig config) {
            return config.applyTo(this);
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
         * {@code rolled_back} (see {@link Event}). {@link Notifications} makes
         * webhooks and command hooks; a notifier that throws is logged and ignored.
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
         * The database is the one {@code jdbcUrl} names ({@code jdbc:postgresql:}, {@code jdbc:mariadb:},
         * {@code jdbc:mysql:}); by default the data source's connection metadata tells.
         */
        public Builder jdbcUrl(String jdbcUrl) {
            this.dialect = Dialects.forUrl(jdbcUrl).orElseThrow(() -> new InvalidMigrationException(
                    "not a PostgreSQL, MariaDB or MySQL JDBC URL"));
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
            // a MySQL-family URL does not tell MariaDB from MySQL: the server does
            Dialect chosen = dialect != null && !dialect.name().equals("mariadb") ? dialect : Dialects.detect(dataSource);
            String appSchema = schema != null ? schema : DefaultSchema.of(chosen, dataSource);
            return new Bascule(dataSource, chosen, new Settings(appSchema, stateSchema, lockTimeout, lockAttempts,
                    backfill, listener, quietTime, Notifiers.of(notifiers)), notificationWait, inputLimits);
        }
    }
}
