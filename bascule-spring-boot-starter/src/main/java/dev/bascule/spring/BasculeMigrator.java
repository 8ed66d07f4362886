package dev.bascule.spring;

import dev.bascule.Bascule;
import dev.bascule.BasculeConfig;
import dev.bascule.api.StartSettings;
import dev.bascule.api.StartSettings.Key;
import dev.bascule.Migrations;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.BasculeException;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.HistoryEntry;
import dev.bascule.api.Identifiers;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.StartOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the configured {@link BasculeProperties.Mode} once, at start-up, on Bascule's own
 * connections, and tells which version the application's connections must see. The JPA
 * {@code EntityManagerFactory} and the application's pool wait for it.
 */
public class BasculeMigrator implements InitializingBean {
    private static final Logger LOG = LoggerFactory.getLogger(BasculeMigrator.class);

    private final BasculeProperties properties;
    private final BasculeConfig file;
    private final DataSource ownDataSource;
    private final String jdbcUrl;
    private final ResourcePatternResolver resources;
    private Bascule bascule;
    private String schema;
    private String version;
    private List<String> applied = List.of();

    /**
     * @param ownDataSource Bascule's own connections (not the application's pool)
     * @param jdbcUrl       their URL: it tells PostgreSQL from MariaDB/MySQL
     */
    public BasculeMigrator(BasculeProperties properties, DataSource ownDataSource, String jdbcUrl,
                           ResourcePatternResolver resources) {
        this(properties, BasculeConfig.empty(), ownDataSource, jdbcUrl, resources);
    }

    /** @param file {@code bascule.yaml}: what the properties leave unset */
    public BasculeMigrator(BasculeProperties properties, BasculeConfig file, DataSource ownDataSource, String jdbcUrl,
                           ResourcePatternResolver resources) {
        this.properties = properties;
        this.file = file;
        this.ownDataSource = ownDataSource;
        this.jdbcUrl = jdbcUrl;
        this.resources = resources;
    }

    @Override
    public void afterPropertiesSet() {
        run();
    }

    /** Runs the mode if it has not run yet. */
    public synchronized void run() {
        if (bascule != null) {
            return;
        }
        Bascule loaded = load();
        schema = properties.getSchema() != null ? properties.getSchema() : file.schema().orElseGet(this::defaultSchema);
        List<Migration> migrations = readMigrations();
        LOG.info("Bascule: {} migration(s) in {}, mode {}", migrations.size(), properties.getLocations(),
                properties.getMode().name().toLowerCase(Locale.ROOT));
        switch (properties.getMode()) {
            case MIGRATE -> applied = loaded.migrate(migrations);
            case EXPAND -> applied = expand(loaded, migrations);
            case VALIDATE -> validate(loaded, migrations, true);
            case NONE -> { }
        }
        bascule = loaded;
        version = resolveVersion();
        LOG.info("Bascule: applied {}; the application's version is {}", applied, version);
    }

    /** The facade on Bascule's own connections, for status, pause and resume. */
    public synchronized Bascule bascule() {
        run();
        return bascule;
    }

    /** The schema (MariaDB: database) the application's connections see first. */
    public synchronized String version() {
        run();
        return version;
    }

    /** The schema of the application's tables. */
    public synchronized String schema() {
        run();
        return schema;
    }

    /** The migrations this start-up started or completed. */
    public synchronized List<String> applied() {
        run();
        return applied;
    }

    /** Whether the database is MariaDB or MySQL (else PostgreSQL). */
    public boolean isMySql() {
        return isMySql(jdbcUrl);
    }

    static boolean isMySql(String url) {
        return url != null && (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:"));
    }

    private Bascule load() {
        BasculeProperties.Backfill b = properties.getBackfill();
        StartSettings given = StartSettings.none()
                .with(Key.BATCH_SIZE, b.getBatchSize(), "bascule.backfill.batch-size")
                .with(Key.BATCH_TIME, b.getTargetBatchTime() == null ? null : b.getTargetBatchTime().toMillis(),
                        "bascule.backfill.target-batch-time")
                .with(Key.MAX_ROWS_PER_SECOND, b.getMaxRowsPerSecond(), "bascule.backfill.max-rows-per-second")
                .with(Key.BATCH_DELAY, b.getBatchDelay() == null ? null : b.getBatchDelay().toMillis(), "bascule.backfill.batch-delay")
                .with(Key.WORKERS, b.getWorkers(), "bascule.backfill.workers");
        BackfillOptions backfill = file.backfillOptions(given);
        if (b.getStatementTimeout() != null) {
            try {
                backfill = backfill.withStatementTimeout(b.getStatementTimeout());
            } catch (IllegalArgumentException e) {
                throw new InvalidMigrationException("bascule.backfill.statement-timeout: " + e.getMessage());
            }
        }
        // bascule.yaml first, then what the properties set
        Bascule.Builder builder = Bascule.configure().dataSource(ownDataSource).jdbcUrl(jdbcUrl).config(file)
                .quietTime(properties.getQuietTime()).backfill(backfill).listener(new LoggingListener());
        if (properties.getStateSchema() != null) builder.stateSchema(properties.getStateSchema());
        if (properties.getLockTimeout() != null) builder.lockTimeout(properties.getLockTimeout());
        if (properties.getLockAttempts() != null) builder.lockAttempts(properties.getLockAttempts());
        if (properties.getSchema() != null) builder.schema(properties.getSchema());
        return builder.load();
    }

    /** PostgreSQL: {@code public}; MariaDB/MySQL: the connection's database, as the library does. */
    private String defaultSchema() {
        if (!isMySql()) {
            return "public";
        }
        try (Connection c = ownDataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            String db = rs.getString(1);
            if (db == null) {
                throw new InvalidMigrationException("bascule.schema is not set and the JDBC URL names no database");
            }
            return db;
        } catch (SQLException e) {
            throw new BasculeException("cannot read the connection's database: " + e.getMessage(), e);
        }
    }

    /** Every migration file of every location, in file-name order. */
    List<Migration> readMigrations() {
        List<Resource> files = new ArrayList<>();
        for (String location : properties.getLocations()) {
            String base = location.endsWith("/") ? location : location + "/";
            for (String ext : List.of("yaml", "yml", "json")) {
                try {
                    for (Resource r : resources.getResources(base + "*." + ext)) {
                        if (r.isReadable()) {
                            files.add(r);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + base + ": " + e.getMessage(), e);
                }
            }
        }
        files.sort(Comparator.comparing(Resource::getFilename));
        List<Migration> migrations = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (Resource r : files) {
            try (InputStream in = r.getInputStream()) {
                Migration m = Migrations.read(in, r.getFilename());
                if (!names.add(m.name())) {
                    throw new InvalidMigrationException(r.getFilename(), 1, 1, "", "two migration files are named "
                            + m.name() + " in " + properties.getLocations());
                }
                migrations.add(m);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + r.getDescription() + ": " + e.getMessage(), e);
            }
        }
        if (migrations.isEmpty()) {
            LOG.warn("Bascule: no migration file (*.yaml, *.yml, *.json) in {}", properties.getLocations());
        }
        return migrations;
    }

    /** Completes every pending migration but the newest, and starts the newest. */
    private List<String> expand(Bascule b, List<Migration> migrations) {
        validate(b, migrations, false);
        Map<String, HistoryEntry> history = history(b);
        List<Migration> pending = migrations.stream().filter(m -> !isCompleted(history.get(m.name()))).toList();
        List<String> done = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Migration m = pending.get(i);
            StartOutcome outcome = b.start(m, file.start().noBackfill(), file.start().forcePreflight());
            if (i < pending.size() - 1) {
                // an earlier release's migration: its code is being replaced by this release's
                b.complete(Set.of());
                done.add(m.name());
            } else if (outcome != StartOutcome.ALREADY_STARTED) {
                done.add(m.name());
            }
        }
        return done;
    }

    /**
     * Each migration that ran must have the checksum of its file. With {@code refusePending}, a
     * file not completed or started yet refuses too. A migration the database has and the files do
     * not (a newer release's) is fine.
     */
    private void validate(Bascule b, List<Migration> migrations, boolean refusePending) {
        Map<String, HistoryEntry> history = history(b);
        List<String> problems = new ArrayList<>();
        for (Migration m : migrations) {
            HistoryEntry e = history.get(m.name());
            if (e == null) {
                if (refusePending) {
                    problems.add(m.name() + " has not run");
                }
            } else if (!e.checksum().equals(m.checksum())) {
                problems.add(m.name() + " ran (" + e.phase() + ") from a file with checksum "
                        + e.checksum().substring(0, 12) + "..., and its file now differs (" + m.checksum().substring(0, 12)
                        + "...): a migration that ran must not change");
            } else if (refusePending && !e.phase().equals("completed") && !e.phase().equals("started")) {
                problems.add(m.name() + " is " + e.phase());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidMigrationException("Bascule validation of " + properties.getLocations() + " failed: "
                    + String.join("; ", problems));
        }
    }

    /** This schema's migrations (not baselines, not rolled back) by name. */
    private Map<String, HistoryEntry> history(Bascule b) {
        Map<String, HistoryEntry> byName = new HashMap<>();
        for (HistoryEntry e : b.history()) {
            if (e.schema().equals(schema) && !e.isBaseline() && !e.phase().equals("rolled_back")) {
                byName.put(e.name(), e);
            }
        }
        return byName;
    }

    private static boolean isCompleted(HistoryEntry e) {
        return e != null && e.phase().equals("completed");
    }

    /** {@code bascule.version}'s schema, which must exist, or the newest version. */
    private String resolveVersion() {
        String wanted = properties.getVersion();
        if (wanted == null || wanted.isBlank()) {
            return bascule.latest();
        }
        String name = wanted.equals(schema) || wanted.startsWith(schema + "_") ? wanted : schema + "_" + wanted;
        if (!Identifiers.isValid(name)) {
            throw new InvalidMigrationException("bascule.version: '" + wanted + "' does not make a valid schema name");
        }
        if (!schemaExists(name)) {
            throw new InvalidMigrationException("bascule.version: the version " + name + " does not exist (it is made by"
                    + " the start of migration " + wanted + " and dropped by the complete of the migration after it);"
                    + " the newest is " + bascule.latest());
        }
        return name;
    }

    private boolean schemaExists(String name) {
        try (Connection c = ownDataSource.getConnection();
             java.sql.PreparedStatement s = c.prepareStatement(
                     "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new BasculeException("cannot look the version " + name + " up: " + e.getMessage(), e);
        }
    }

    /** Bascule's progress in the application's log. */
    private static final class LoggingListener implements BasculeListener {
        @Override
        public void stepFinished(String phase, int index, int total, String description, java.time.Duration took,
                                 boolean skipped) {
            LOG.info("Bascule {} {}/{}: {} ({} ms{})", phase, index, total, description, took.toMillis(),
                    skipped ? ", already done" : "");
        }

        @Override
        public void lockRetry(String description, int attempt, java.time.Duration wait) {
            LOG.info("Bascule: {} waited for a lock; attempt {} in {} ms", description, attempt, wait.toMillis());
        }

        @Override
        public void note(String message) {
            LOG.info("Bascule: {}", message);
        }
    }
}
