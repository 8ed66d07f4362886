package dev.bascule.dialect.mysql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.api.BasculeException;
import dev.bascule.dialect.StateSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state database on MariaDB: JSON in LONGTEXT (checked with JSON_VALID), keys and forced gates
 * as JSON arrays, times in UTC as DATETIME(6). MariaDB has no partial unique index; a persistent
 * generated column that is NULL outside the rows concerned (and NULLs never collide in a unique
 * index) gives the same "at most one active migration".
 */
public final class MariaDbStateSql implements StateSql {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTIVE = "('starting','started','completing','rolling_back')";
    private static final String TABLE_OPTIONS = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    private static final String NOW = "UTC_TIMESTAMP(6)";

    @Override
    public String quote(String identifier) {
        return MariaDbDialect.quoteName(identifier);
    }

    @Override
    public void create(Connection c, String schema, int version) throws SQLException {
        String q = quote(schema);
        String lock = "bascule:init:" + schema;
        // two processes initialising at once would race on the catalog; serialise them. DDL commits
        // by itself on MariaDB, so a session lock, not a transaction, spans the statements.
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 10)")) {
            ps.setString(1, lock);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new BasculeException("another process is creating the state database " + schema + "; run the command again");
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + q + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            s.execute("CREATE TABLE IF NOT EXISTS " + q + ".migrations ("
                    + " id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " schema_name VARCHAR(64) NOT NULL,"
                    + " name VARCHAR(255) NOT NULL,"
                    + " checksum VARCHAR(128) NOT NULL,"
                    + " phase VARCHAR(20) NOT NULL CHECK (phase IN ('starting','started','completing','completed','rolling_back','rolled_back')),"
                    + " version_schema VARCHAR(130) NOT NULL,"
                    + " previous_version_schema VARCHAR(130) NOT NULL,"
                    + " plan LONGTEXT NOT NULL CHECK (JSON_VALID(plan)),"
                    // given by the INSERT: MySQL refuses CURRENT_USER() in a DEFAULT (error 3770)
                    + " applied_by VARCHAR(400) NOT NULL,"
                    + " started_at DATETIME(6) NOT NULL DEFAULT (" + NOW + "),"
                    + " start_finished_at DATETIME(6) NULL,"
                    + " completed_at DATETIME(6) NULL,"
                    + " rolled_back_at DATETIME(6) NULL,"
                    + " forced_gates LONGTEXT NOT NULL DEFAULT ('[]') CHECK (JSON_VALID(forced_gates)),"
                    + " paused BOOLEAN NOT NULL DEFAULT FALSE,"
                    + " pause_reason TEXT NULL,"
                    + " last_error TEXT NULL,"
                    // at most one active migration per database, whatever the lock says
                    + " active TINYINT AS (CASE WHEN phase IN " + ACTIVE + " THEN 1 END) STORED,"
                    + " live TINYINT AS (CASE WHEN phase <> 'rolled_back' THEN 1 END) STORED,"
                    + " UNIQUE KEY migrations_one_active (active),"
                    + " UNIQUE KEY migrations_name (schema_name, name, live))" + TABLE_OPTIONS);
            s.execute("CREATE TABLE IF NOT EXISTS " + q + ".steps ("
                    + " migration_id BIGINT NOT NULL, phase VARCHAR(20) NOT NULL, seq INT NOT NULL,"
                    + " description TEXT NOT NULL,"
                    + " status VARCHAR(10) NOT NULL CHECK (status IN ('running','done')),"
                    + " started_at DATETIME(6) NOT NULL DEFAULT (" + NOW + "), finished_at DATETIME(6) NULL,"
                    + " PRIMARY KEY (migration_id, phase, seq),"
                    + " FOREIGN KEY (migration_id) REFERENCES " + q + ".migrations (id) ON DELETE CASCADE)" + TABLE_OPTIONS);
            // one row per worker: its key range (lower_key exclusive, null from the start;
            // high_watermark inclusive) and its checkpoint, each a JSON array of the key's values
            s.execute("CREATE TABLE IF NOT EXISTS " + q + ".backfills ("
                    + " migration_id BIGINT NOT NULL, seq INT NOT NULL, worker INT NOT NULL, table_name VARCHAR(64) NOT NULL,"
                    + " lower_key LONGTEXT NULL, high_watermark LONGTEXT NULL, last_key LONGTEXT NULL,"
                    + " rows_done BIGINT NOT NULL DEFAULT 0, rows_total BIGINT NOT NULL DEFAULT 0,"
                    + " batches BIGINT NOT NULL DEFAULT 0, batch_size INT NULL, throttle_reason TEXT NULL,"
                    + " started_at DATETIME(6) NOT NULL DEFAULT (" + NOW + "),"
                    + " updated_at DATETIME(6) NOT NULL DEFAULT (" + NOW + "),"
                    + " finished_at DATETIME(6) NULL, PRIMARY KEY (migration_id, seq, worker),"
                    + " FOREIGN KEY (migration_id) REFERENCES " + q + ".migrations (id) ON DELETE CASCADE)" + TABLE_OPTIONS);
            s.execute("CREATE TABLE IF NOT EXISTS " + q + ".baselines ("
                    + " migration_id BIGINT NOT NULL, name VARCHAR(64) NOT NULL,"
                    + " taken_at DATETIME(6) NOT NULL DEFAULT (" + NOW + "), data LONGTEXT NOT NULL CHECK (JSON_VALID(data)),"
                    + " PRIMARY KEY (migration_id, name),"
                    + " FOREIGN KEY (migration_id) REFERENCES " + q + ".migrations (id) ON DELETE CASCADE)" + TABLE_OPTIONS);
            // later releases upgrade the tables from the version recorded here
            s.execute("CREATE TABLE IF NOT EXISTS " + q + ".state_version (version INT NOT NULL)" + TABLE_OPTIONS);
            s.execute("INSERT INTO " + q + ".state_version SELECT " + version
                    + " FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM " + q + ".state_version)");
        } finally {
            try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                ps.setString(1, lock);
                ps.execute();
            }
        }
    }

    @Override
    public void upgradeFrom1(Connection c, String schema) {
        throw new BasculeException("the state database " + schema + " has layout 1, which Bascule never wrote on MariaDB;"
                + " drop it when no migration is active");
    }

    @Override
    public boolean tableExists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public String insertUnlessThere(String table, String columns, String values, String key) {
        // not INSERT IGNORE: it would also turn other errors (a foreign key, a bad value) into warnings
        return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON DUPLICATE KEY UPDATE "
                + key + " = " + key;
    }

    @Override
    public String jsonParameter() {
        return "?";
    }

    @Override
    public String jsonText(String column) {
        return column;
    }

    @Override
    public String setContractMode() {
        return "plan = JSON_SET(plan, '$.contractMode', ?)";
    }

    @Override
    public long insertReturningId(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Read, merge, write: the caller holds the lock that keeps Bascule commands apart. */
    @Override
    public void addForcedGates(Connection c, String migrations, long id, Set<String> gates) throws SQLException {
        Set<String> all = new TreeSet<>(gates);
        try (PreparedStatement ps = c.prepareStatement("SELECT forced_gates FROM " + migrations + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    all.addAll(parse(rs.getString(1)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + migrations + " SET forced_gates = ? WHERE id = ?")) {
            ps.setString(1, write(List.copyOf(all)));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    @Override
    public void setList(Connection c, PreparedStatement ps, int index, List<String> values) throws SQLException {
        ps.setString(index, values == null ? null : write(values));
    }

    @Override
    public List<String> getList(ResultSet rs, int index) throws SQLException {
        String text = rs.getString(index);
        return text == null ? null : parse(text);
    }

    @Override
    public OffsetDateTime timestamp(ResultSet rs, int index) throws SQLException {
        LocalDateTime t = rs.getObject(index, LocalDateTime.class);
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    @Override
    public String now() {
        return NOW;
    }

    private static String write(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a list of texts as JSON", e);
        }
    }

    private static List<String> parse(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("a list in the state tables is not a JSON array of texts: " + json, e);
        }
    }
}
