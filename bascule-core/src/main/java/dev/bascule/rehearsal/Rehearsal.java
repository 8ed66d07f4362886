package dev.bascule.rehearsal;

import dev.bascule.api.RehearsalReport;
import dev.bascule.api.RehearsalOptions;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import dev.bascule.command.CompletePhase;
import dev.bascule.command.Planning;
import dev.bascule.command.RollbackPhase;
import dev.bascule.command.Settings;
import dev.bascule.command.StartPhase;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.RehearsalCatalog;
import dev.bascule.dialect.Sessions;
import dev.bascule.dialect.SourceTable;
import dev.bascule.sql.SqlLexer;
import dev.bascule.api.Identifiers;
import dev.bascule.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Runs a migration on copies of the tables it touches, under synthetic traffic, and reports what
 * happened: {@code bascule rehearse}. The copies, a version schema and a state schema of their own
 * live beside the real ones in the same database; the real tables and the real state schema are
 * only read, and their catalog is compared before and after.
 *
 * <p>The invoking user copies the rows; start, complete, rollback and the synthetic clients then run
 * on connections that log in as a temporary role ({@link RehearsalRole}) that owns the copies and
 * has no rights on the real tables, so that nothing in the migration file can reach them.
 */
public final class Rehearsal {
    /**
     * The gates that judge the real application's traffic (an index it still scans, a query still
     * naming a dropped column, reads through the old version): synthetic clients say nothing about
     * those, so the scratch complete overrides them. The gates on data and schema run.
     */
    public static final Set<String> TRAFFIC_GATES = Set.of("index_unused", "no_recent_use", "old_version_idle");
    /** Old clients alone, so that start begins under traffic. */
    private static final Duration WARM_UP = Duration.ofMillis(500);
    /** The surviving clients after the last phase, on the final shape. */
    private static final Duration AFTER = Duration.ofMillis(300);
    /** How long the temporary role may log in, beyond the side-by-side time; it is dropped at the end anyway. */
    private static final Duration ROLE_VALIDITY = Duration.ofHours(2);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    public Rehearsal(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    /**
     * @param touched the tables of the real schema the migration's plan works on (from the plan
     *                made against the real catalog, which also checked the file)
     */
    public RehearsalReport run(Migration migration, Collection<String> touched, RehearsalOptions options) {
        refuseQualifiedSql(migration, settings.schema());
        String scratch = options.scratchSchema().orElseGet(() -> randomName(settings.schema()));
        String state = scratch + "_bascule";
        if (!Identifiers.isValid(state)) {
            throw new InvalidMigrationException("--scratch-schema " + scratch + " is too long: its state schema " + state
                    + " would be longer than PostgreSQL's 63 characters");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            // the source catalog sets search_path on a connection that may be the application's pooled one
            Sessions.SavedSession saved = dialect.session().saveSession(c);
            try {
                return run(c, migration, touched, options, scratch, state);
            } finally {
                saved.restore(c);
            }
        } catch (SQLException e) {
            throw new BasculeException("rehearse failed: " + e.getMessage() + (options.keep() ? "" : "; the scratch schema "
                    + scratch + " was dropped"), e);
        }
    }

    private RehearsalReport run(Connection c, Migration migration, Collection<String> touched, RehearsalOptions options,
                                String scratch, String state) throws SQLException {
        for (String name : List.of(scratch, state)) {
            if (dialect.catalog().schemaExists(c, name)) {
                throw new InvalidMigrationException("schema " + name + " already exists: rehearse only uses, and drops,"
                        + " schemas it creates; choose another --scratch-schema or drop it");
            }
        }
        RehearsalRole.refusePublicWrites(c, settings.schema(), settings.stateSchema());
        RehearsalCatalog real = dialect.rehearsal().orElseThrow();
        RehearsalCatalog.SourceTables catalog = real.sourceTables(c, settings.schema());
        List<SourceTable> tables = new ArrayList<>();
        for (String t : catalog.closure(catalog.existing(touched))) {
            tables.add(catalog.read(t));
        }
        List<String> names = tables.stream().map(SourceTable::name).toList();
        List<String> before = real.snapshot(c, settings.schema(), names, settings.stateSchema());
        Run run = new Run(c, migration, options, scratch, state, tables);
        try {
            run.execute();
        } finally {
            run.cleanUp();
        }
        boolean unchanged = before.equals(real.snapshot(c, settings.schema(), names, settings.stateSchema()));
        return run.report(unchanged);
    }

    /** One rehearsal, from the copy to the clean-up. */
    private final class Run {
        private final Connection c;
        private final Migration migration;
        private final RehearsalOptions options;
        private final String scratch;
        private final String state;
        private final List<SourceTable> tables;
        private final RecordingListener recorder;
        private final List<RehearsalReport.Phase> phases = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<RehearsalReport.Clients> clients = new ArrayList<>();
        private List<RehearsalReport.CopiedTable> copied = List.of();
        private String versionSchema;
        private boolean created;
        private RehearsalRole role;

        Run(Connection c, Migration migration, RehearsalOptions options, String scratch, String state, List<SourceTable> tables) {
            this.c = c;
            this.migration = migration;
            this.options = options;
            this.scratch = scratch;
            this.state = state;
            this.tables = tables;
            this.recorder = new RecordingListener(settings.listener());
        }

        void execute() throws SQLException {
            created = true; // from here on the scratch schema may exist, and is ours to drop
            ScratchCopy.Result copy = new ScratchCopy(c, settings.schema(), scratch)
                    .copy(tables, options.sampleRows(), options.samplePercent());
            notes.addAll(copy.notes());
            copied = tables.stream().map(t -> new RehearsalReport.CopiedTable(t.name(), copy.rows().get(t.name()),
                    (long) t.estimatedRows())).toList();
            // from here on, everything the migration file says runs as a role that can reach only the copies
            role = RehearsalRole.create(c, ROLE_VALIDITY.plus(options.sideBySide()));
            role.own(c, scratch);
            DataSource asRole = role.dataSource(dataSource);
            role.checkLogin(asRole);
            // the phases themselves, not the facade: a rehearsal is a part of the library, not a client of it
            Settings onCopies = new Settings(scratch, state, settings.lockTimeout(), settings.lockAttempts(),
                    settings.backfill(), recorder, Duration.ofSeconds(1));
            versionSchema = versionSchema(asRole, onCopies);
            StartPhase start = new StartPhase(asRole, dialect, onCopies);
            CompletePhase complete = new CompletePhase(asRole, dialect, onCopies);
            RollbackPhase rollback = new RollbackPhase(asRole, dialect, onCopies);

            TrafficPlan traffic = new TrafficPlan(scratch, tables, new NewVersionNames(tables, migration.operations()),
                    dialect.rehearsal().orElseThrow());
            List<TrafficTarget> oldTargets = traffic.old(c);
            SyntheticClients old = new SyntheticClients("old", asRole, ScratchCopy.q(scratch), oldTargets,
                    options.clients(), settings.lockTimeout());
            SyntheticClients neu = null;
            old.start();
            try {
                sleep(WARM_UP);
                boolean started = phase("start", () -> start.run(migration, false));
                if (started) {
                    neu = new SyntheticClients("new", asRole, ScratchCopy.q(versionSchema) + ", " + ScratchCopy.q(scratch),
                            traffic.neu(c, versionSchema, oldTargets), options.clients(), settings.lockTimeout());
                    neu.start();
                    sleep(options.sideBySide());
                    if (options.rollback()) {
                        neu.stop(); // new code is withdrawn before its columns go
                        phase("rollback", rollback::run);
                    } else {
                        old.stop(); // old code is retired before what only it used goes
                        if (!phase("complete", () -> complete.run(TRAFFIC_GATES))) {
                            phase("rollback", rollback::run);
                        }
                    }
                } else {
                    phase("rollback", rollback::run);
                }
                sleep(AFTER);
            } finally {
                old.stop();
                if (neu != null) {
                    neu.stop();
                }
            }
            clients.add(old.report());
            if (neu != null) {
                clients.add(neu.report());
            }
            notes.addAll(traffic.notes());
            if (!options.rollback()) {
                notes.add("complete overrode the gates " + String.join(", ", TRAFFIC_GATES.stream().sorted().toList())
                        + ": they judge the real application's queries, which synthetic clients cannot stand for");
            }
        }

        /** The version schema start creates on the copies; plans against their catalog, changes nothing. */
        private String versionSchema(DataSource asRole, Settings onCopies) throws SQLException {
            try (Connection planning = asRole.getConnection()) {
                planning.setAutoCommit(true);
                return Planning.planOnOwnSettings(planning, dialect, new StateStore(onCopies.stateSchema(), dialect.stateSql()),
                        onCopies.schema(), migration).versionSchema();
            }
        }

        /** Runs a phase; a failure is part of the report, not of the rehearsal. */
        private boolean phase(String name, Runnable action) {
            long t0 = System.nanoTime();
            try {
                action.run();
                phases.add(new RehearsalReport.Phase(name, Duration.ofNanos(System.nanoTime() - t0), true, null));
                return true;
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                phases.add(new RehearsalReport.Phase(name, Duration.ofNanos(System.nanoTime() - t0), false, message));
                return false;
            }
        }

        /** Drops what the rehearsal created, unless it is to be kept, and the temporary role in any case. */
        void cleanUp() {
            if (!created) {
                return;
            }
            try {
                dropSchemas();
            } finally {
                dropRole();
            }
        }

        private void dropRole() {
            if (role == null) {
                return;
            }
            try {
                List<String> ours = new ArrayList<>(List.of(scratch, state));
                if (versionSchema != null) {
                    ours.add(versionSchema);
                }
                RehearsalRole.Kept kept = role.drop(c, options.keep(), ours);
                if (kept != null) {
                    notes.add("kept: schemas " + String.join(", ", kept.schemas()) + ", owned by the role " + kept.owner()
                            + " (NOLOGIN, no superuser, no other right: what is kept runs with no more rights than the"
                            + " rehearsal had); drop them with DROP SCHEMA ... CASCADE, then DROP ROLE " + kept.owner()
                            + ", when done");
                    if (!kept.dropped().isEmpty()) {
                        notes.add("not kept: what the migration made outside the rehearsal's schemas was dropped: "
                                + String.join(", ", kept.dropped()));
                    }
                }
                notes.add("start" + (options.rollback() ? ", rollback" : ", complete") + " and the synthetic clients ran as the"
                        + " temporary role " + role.name() + ", which could reach only the scratch schemas; it is dropped");
            } catch (SQLException e) {
                notes.add("could not drop the temporary role " + role.name() + ": " + e.getMessage() + "; drop it by hand"
                        + " (DROP OWNED BY " + role.name() + "; DROP ROLE " + role.name() + ")");
            }
        }

        private void dropSchemas() {
            if (options.keep()) {
                return; // handed over with the role (dropRole), which names them
            }
            List<String> schemas = new ArrayList<>();
            if (versionSchema != null) {
                schemas.add(versionSchema);
            }
            schemas.add(scratch);
            schemas.add(state);
            for (String s : schemas) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + ScratchCopy.q(s) + " CASCADE");
                } catch (SQLException e) {
                    notes.add("could not drop schema " + s + ": " + e.getMessage() + "; drop it by hand");
                }
            }
        }

        RehearsalReport report(boolean realUnchanged) {
            List<String> failures = new ArrayList<>();
            for (RehearsalReport.Phase p : phases) {
                if (!p.ok()) {
                    failures.add(p.name() + " failed: " + p.error());
                }
            }
            long budget = settings.lockTimeout().plus(options.latencyMargin()).toMillis();
            for (RehearsalReport.Clients cl : clients) {
                if (cl.errors() > 0) {
                    failures.add(String.format(Locale.ROOT, "%d operations of %s-version clients failed; the first: %s",
                            cl.errors(), cl.version(), cl.messages().isEmpty() ? "?" : cl.messages().get(0)));
                }
                if (cl.maxMs() > budget) {
                    failures.add(String.format(Locale.ROOT, "a %s-version client waited %.0f ms (%s), longer than the lock"
                                    + " timeout %d ms + margin %d ms; %d operations took longer than the lock timeout",
                            cl.version(), cl.maxMs(), cl.slowest(), settings.lockTimeout().toMillis(),
                            options.latencyMargin().toMillis(), cl.overLockTimeout()));
                }
            }
            if (!realUnchanged) {
                failures.add("the real tables' catalog or the real state schema changed during the rehearsal");
            }
            return new RehearsalReport(migration.name(), settings.schema(), scratch, state, versionSchema, options.keep(),
                    copied, phases, recorder.steps(), recorder.locks(), recorder.backfills(), clients,
                    settings.lockTimeout(), options.latencyMargin(), realUnchanged, notes, failures);
        }
    }

    /**
     * A sql operation runs with search_path set to the scratch schema, so unqualified names reach
     * the copies; one that names the real schema would change the real tables.
     */
    static void refuseQualifiedSql(Migration migration, String schema) {
        int i = 0;
        for (Operation op : migration.operations()) {
            if (op instanceof Operation.Sql sql) {
                List<String> texts = new ArrayList<>(List.of(sql.up()));
                sql.down().ifPresent(texts::add);
                for (String text : texts) {
                    List<SqlLexer.Token> tokens = SqlLexer.tokens(text, 1).stream()
                            .filter(t -> t.kind() != SqlLexer.Kind.COMMENT).toList();
                    for (SqlLexer.Token t : tokens) {
                        // what a DO block, a function body or dynamic SQL touches cannot be read from its tokens
                        boolean opaque = (t.kind() == SqlLexer.Kind.WORD && (t.text().equals("do") || t.text().equals("execute")))
                                || (t.kind() == SqlLexer.Kind.STRING && t.text().startsWith("$"));
                        if (opaque) {
                            throw new InvalidMigrationException(migration.source().file() + ": operations[" + i + "].sql has"
                                    + " a DO block, a dollar-quoted body or EXECUTE: rehearse cannot tell which tables that"
                                    + " touches, and it must never change the real ones");
                        }
                    }
                    for (int k = 0; k + 1 < tokens.size(); k++) {
                        SqlLexer.Token t = tokens.get(k);
                        boolean names = (t.kind() == SqlLexer.Kind.WORD && t.text().equals(schema.toLowerCase(Locale.ROOT)))
                                || (t.kind() == SqlLexer.Kind.QUOTED && t.text().equals(schema));
                        if (names && tokens.get(k + 1).isSymbol(".")) {
                            throw new InvalidMigrationException(migration.source().file() + ": operations[" + i + "].sql names"
                                    + " schema " + schema + " explicitly; rehearse runs it in a scratch schema, where it"
                                    + " would change the real tables: write the names unqualified (sql operations run"
                                    + " with search_path set to the schema)");
                        }
                    }
                }
            }
            i++;
        }
    }

    private static String randomName(String schema) {
        String suffix = "_rehearsal_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        // room for the state schema's "_bascule" and a version schema's migration name
        String base = schema.length() > 24 ? schema.substring(0, 24) : schema;
        return base + suffix;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
