package dev.bascule.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The starter's settings, {@code bascule.*}. Every one has a default: an application with migration
 * files under {@code db/bascule} on its class path needs none. A {@code bascule.yaml} (the CLI's file:
 * {@link #getConfig()}) gives the connection, schemas, lock settings and every option of {@code start};
 * a property set here wins over it.
 */
@ConfigurationProperties(prefix = "bascule")
public class BasculeProperties {

    /** What the starter does with the migrations at start-up. */
    public enum Mode {
        /** Starts and completes every pending migration (new databases, CI, a release no old code runs beside). */
        MIGRATE,
        /**
         * Starts the pending migrations and leaves the newest started: the rolling-deploy mode. Earlier
         * pending ones (and a migration an earlier release left started) are completed first, behind
         * complete's gates.
         */
        EXPAND,
        /** Changes nothing; refuses to start when a migration that ran differs from its file or one is pending. */
        VALIDATE,
        /** Changes nothing, checks nothing; the pool is still pointed at the version. */
        NONE
    }

    /**
     * Where {@code bascule.yaml} is ({@code classpath:} or {@code file:}); by default {@code bascule.yaml}
     * in the working directory, else on the class path, else none.
     */
    private String config;
    /** Whether the starter runs at all. */
    private boolean enabled = true;
    /** Where the migration files are ({@code classpath:} or {@code file:} folders), read in file-name order, all folders together. */
    private List<String> locations = new ArrayList<>(List.of("classpath:db/bascule"));
    private Mode mode = Mode.MIGRATE;
    /** The schema of the application's tables (PostgreSQL: {@code public}; MariaDB: the URL's database). */
    private String schema;
    /** Where Bascule keeps its state (default {@code bascule}). */
    private String stateSchema;
    /**
     * The version this release was built for: the name of its newest migration (its version
     * schema is {@code <schema>_<version>}), or {@code baseline}. Empty: the newest version
     * once the starter has run.
     */
    private String version;
    /** Whether the application's pool is pointed at the version (its connections' search_path; MariaDB: database and @bascule_version). */
    private boolean configurePool = true;
    /** A JDBC URL for Bascule's own connections; by default {@code spring.datasource.url}. */
    private String url;
    /** The user of Bascule's connections; by default {@code spring.datasource.username}. */
    private String user;
    /** The password of Bascule's connections; by default {@code spring.datasource.password}. */
    private String password;
    /** The longest a DDL statement waits for a lock before it gives up and retries (default 250 ms). */
    private Duration lockTimeout;
    /** How many times a DDL statement is tried on lock timeouts (default 10). */
    private Integer lockAttempts;
    /** How long what the previous version used must go unused before complete's gates open. */
    private Duration quietTime = Duration.ofSeconds(15);
    private final Backfill backfill = new Backfill();

    /**
     * How fast backfills go; see {@code dev.bascule.api.BackfillOptions}. Each one unset is taken from
     * {@code start:} in {@code bascule.yaml}, else the default.
     */
    public static class Backfill {
        /** Rows per batch (default: sized toward the target batch time). */
        private Integer batchSize;
        /** Default 200 ms. */
        private Duration targetBatchTime;
        /** Default: no limit. */
        private Long maxRowsPerSecond;
        /** Default 0. */
        private Duration batchDelay;
        /** Default 30 s. */
        private Duration statementTimeout;
        /** Default 1. */
        private Integer workers;

        public Integer getBatchSize() { return batchSize; }
        public void setBatchSize(Integer batchSize) { this.batchSize = batchSize; }
        public Duration getTargetBatchTime() { return targetBatchTime; }
        public void setTargetBatchTime(Duration targetBatchTime) { this.targetBatchTime = targetBatchTime; }
        public Long getMaxRowsPerSecond() { return maxRowsPerSecond; }
        public void setMaxRowsPerSecond(Long maxRowsPerSecond) { this.maxRowsPerSecond = maxRowsPerSecond; }
        public Duration getBatchDelay() { return batchDelay; }
        public void setBatchDelay(Duration batchDelay) { this.batchDelay = batchDelay; }
        public Duration getStatementTimeout() { return statementTimeout; }
        public void setStatementTimeout(Duration statementTimeout) { this.statementTimeout = statementTimeout; }
        public Integer getWorkers() { return workers; }
        public void setWorkers(Integer workers) { this.workers = workers; }
    }

    public String getConfig() { return config; }
    public void setConfig(String config) { this.config = config; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public List<String> getLocations() { return locations; }
    public void setLocations(List<String> locations) { this.locations = locations; }
    public Mode getMode() { return mode; }
    public void setMode(Mode mode) { this.mode = mode; }
    public String getSchema() { return schema; }
    public void setSchema(String schema) { this.schema = schema; }
    public String getStateSchema() { return stateSchema; }
    public void setStateSchema(String stateSchema) { this.stateSchema = stateSchema; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public boolean isConfigurePool() { return configurePool; }
    public void setConfigurePool(boolean configurePool) { this.configurePool = configurePool; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
    public Duration getLockTimeout() { return lockTimeout; }
    public void setLockTimeout(Duration lockTimeout) { this.lockTimeout = lockTimeout; }
    public Integer getLockAttempts() { return lockAttempts; }
    public void setLockAttempts(Integer lockAttempts) { this.lockAttempts = lockAttempts; }
    public Duration getQuietTime() { return quietTime; }
    public void setQuietTime(Duration quietTime) { this.quietTime = quietTime; }
    public Backfill getBackfill() { return backfill; }
}
