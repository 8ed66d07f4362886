package dev.bascule.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bascule.api.BasculeException;
import dev.bascule.jdbc.Transaction;
import dev.bascule.plan.Plan;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code bascule} schema: history of migrations with their persisted plans, the progress of
 * each step and each backfill. All methods run in autocommit unless the caller opened a
 * transaction; none leaves one open, so no state query ever holds back a concurrent index build.
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** The layout of the state tables; a release that changes them upgrades from the one recorded. */
    public static final int VERSION = 2;

    private final String schema;
    private final String q;

    public StateStore(String stateSchema) {
        this.schema = stateSchema;
        this.q = '"' + stateSchema.replace("\"", "\"\"") + '"';
    }

    public String schema() {
        return schema;
    }

    /** The key of the advisory lock that keeps two Bascule processes apart. */
    public String lockName() {
        return "bascule:" + schema;
    }

    /** Creates the state schema and tables if missing. Safe to run concurrently and repeatedly. */
    public void init(Connection c) throws SQLException {
        if (exists(c)) {
            if (version(c) == 1) {
                upgradeFrom1(c);
            }
            requireKnownVersion(c);
            return;
        }
        Transaction.commit(c, () -> {
            try (Statement s = c.createStatement()) {
                // two processes initialising at once would race on the catalog; serialise them
                s.execute("SELECT pg_advisory_xact_lock(hashtext('bascule:init:' || " + literal(schema) + "))");
                s.execute("CREATE SCHEMA IF NOT EXISTS " + q);
                s.execute("CREATE TABLE IF NOT EXISTS " + q + ".migrations ("
                        + " id bigserial PRIMARY KEY,"
                        + " schema_name text NOT NULL,"
                        + " name text NOT NULL,"
                        + " checksum text NOT NULL,"
                        + " phase text NOT NULL CHECK (phase IN ('starting','started','completing','completed','rolling_back','rolled_back')),"
                        + " version_schema text NOT NULL,"
                        + " previous_version_schema text NOT NULL,"
                        + " plan jsonb NOT NULL,"
                        + " applied_by text NOT NULL DEFAULT current_user,"
                        + " started_at timestamptz NOT NULL DEFAULT now(),"
                        + " start_finished_at timestamptz,"
                        + " completed_at timestamptz,"
                        + " rolled_back_at timestamptz,"
                        + " forced_gates text[] NOT NULL DEFAULT '{}',"
                        + " paused boolean NOT NULL DEFAULT false,"
                        + " pause_reason text,"
                        + " last_error text)");
                // at most one active migration per database, whatever the advisory lock says
                s.execute("CREATE UNIQUE INDEX IF NOT EXISTS migrations_one_active ON " + q + ".migrations ((true))"
                        + " WHERE phase IN ('starting','started','completing','rolling_back')");
                s.execute("CREATE UNIQUE INDEX IF NOT EXISTS migrations_name ON " + q + ".migrations (schema_name, name)"
                        + " WHERE phase <> 'rolled_back'");
                s.execute("CREATE TABLE IF NOT EXISTS " + q + ".steps ("
                        + " migration_id bigint NOT NULL REFERENCES " + q + ".migrations ON DELETE CASCADE,"
                        + " phase text NOT NULL, seq int NOT NULL, description text NOT NULL,"
                        + " status text NOT NULL CHECK (status IN ('running','done')),"
                        + " started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz,"
                        + " PRIMARY KEY (migration_id, phase, seq))");
                // one row per worker: its key range (lower_key exclusive, null from the start; high_watermark
                // inclusive) and its checkpoint
                s.execute("CREATE TABLE IF NOT EXISTS " + q + ".backfills ("
                        + " migration_id bigint NOT NULL REFERENCES " + q + ".migrations ON DELETE CASCADE,"
                        + " seq int NOT NULL, worker int NOT NULL, table_name text NOT NULL,"
                        + " lower_key text[], high_watermark text[], last_key text[],"
                        + " rows_done bigint NOT NULL DEFAULT 0, rows_total bigint NOT NULL DEFAULT 0,"
                        + " batches bigint NOT NULL DEFAULT 0, batch_size int, throttle_reason text,"
                        + " started_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),"
                        + " finished_at timestamptz, PRIMARY KEY (migration_id, seq, worker))");
                createBaselines(s);
                // later releases upgrade the tables from the version recorded here
                s.execute("CREATE TABLE IF NOT EXISTS " + q + ".state_version (version int NOT NULL)");
                s.execute("INSERT INTO " + q + ".state_version SELECT " + VERSION
                        + " WHERE NOT EXISTS (SELECT 1 FROM " + q + ".state_version)");
            }
            return null;
        });
    }

    /** Counters the gates read when start began, to tell what happened since (index scans, queries). */
    private void createBaselines(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS " + q + ".baselines ("
                + " migration_id bigint NOT NULL REFERENCES " + q + ".migrations ON DELETE CASCADE,"
                + " name text NOT NULL, taken_at timestamptz NOT NULL DEFAULT now(), data jsonb NOT NULL,"
                + " PRIMARY KEY (migration_id, name))");
    }

    /** Version 2 added the baselines table. */
    private void upgradeFrom1(Connection c) throws SQLException {
        Transaction.commit(c, () -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext('bascule:init:' || " + literal(schema) + "))");
                createBaselines(s);
                s.execute("UPDATE " + q + ".state_version SET version = 2 WHERE version = 1");
            }
            return null;
        });
    }

    /**
     * Records {@code data} (JSON) as the baseline {@code name} of a migration, unless one is already
     * there: a rerun of start must not move the point "since start" is counted from.
     */
    public void saveBaseline(Connection c, long id, String name, String data) throws SQLException {
        update(c, "INSERT INTO " + q + ".baselines (migration_id, name, data) VALUES (?, ?, ?::jsonb)"
                + " ON CONFLICT DO NOTHING", id, name, data);
    }

    /** The baselines of a migration, as JSON by name. */
    public Map<String, String> baselines(Connection c, long id) throws SQLException {
        Map<String, String> all = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, data::text FROM " + q + ".baselines WHERE migration_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return all;
    }

    /** A state schema written by a newer Bascule must not be changed by this one. */
    private void requireKnownVersion(Connection c) throws SQLException {
        int version = version(c);
        if (version != VERSION) {
            throw new BasculeException("the state schema " + schema + " has version " + version + ", and this Bascule"
                    + " knows version " + VERSION + (version > VERSION ? ": upgrade Bascule before running it here"
                    : ": it was made by a development build; drop it when no migration is active"));
        }
    }

    private int version(Connection c) throws SQLException {
        int version = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, q + ".state_version");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    try (Statement s = c.createStatement(); ResultSet v = s.executeQuery("SELECT max(version) FROM " + q + ".state_version")) {
                        v.next();
                        version = v.getInt(1);
                    }
                }
            }
        }
        return version;
    }

    public boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL")) {
            ps.setString(1, q + ".migrations");
            ps.setString(2, q + ".backfills");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    // ---- migrations ----------------------------------------------------------------------

    public Optional<MigrationRecord> active(Connection c) throws SQLException {
        return one(c, "WHERE phase IN ('starting','started','completing','rolling_back')");
    }

    /** The migration of that name in that schema that was not rolled back, if any. */
    public Optional<MigrationRecord> find(Connection c, String baseSchema, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select() + " WHERE schema_name = ? AND name = ? AND phase <> 'rolled_back'")) {
            ps.setString(1, baseSchema);
            ps.setString(2, name);
            return first(ps);
        }
    }

    /** The most recently completed migration of {@code baseSchema}. */
    public Optional<MigrationRecord> lastCompleted(Connection c, String baseSchema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select()
                + " WHERE schema_name = ? AND phase = 'completed' ORDER BY completed_at DESC, id DESC LIMIT 1")) {
            ps.setString(1, baseSchema);
            return first(ps);
        }
    }

    public List<MigrationRecord> history(Connection c) throws SQLException {
        List<MigrationRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select() + " ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(record(rs));
            }
        }
        return out;
    }

    public long insert(Connection c, String baseSchema, String name, String checksum, Plan plan) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + ".migrations"
                + " (schema_name, name, checksum, phase, version_schema, previous_version_schema, plan)"
                + " VALUES (?, ?, ?, 'starting', ?, ?, CAST(? AS jsonb)) RETURNING id")) {
            ps.setString(1, baseSchema);
            ps.setString(2, name);
            ps.setString(3, checksum);
            ps.setString(4, plan.versionSchema());
            ps.setString(5, plan.previousVersionSchema());
            ps.setString(6, JSON.writeValueAsString(plan));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the plan", e);
        }
    }

    public Plan plan(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT plan::text FROM " + q + ".migrations WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new BasculeException("migration " + id + " is not in the state schema " + schema);
                }
                return JSON.readValue(rs.getString(1), Plan.class);
            }
        } catch (java.io.IOException e) {
            throw new BasculeException("the stored plan of migration " + id + " cannot be read: " + e.getMessage(), e);
        }
    }

    public void setPhase(Connection c, long id, MigrationRecord.Phase phase) throws SQLException {
        String stamp = switch (phase) {
            case STARTED -> ", start_finished_at = now()";
            case COMPLETED -> ", completed_at = now()";
            case ROLLED_BACK -> ", rolled_back_at = now()";
            default -> "";
        };
        update(c, "UPDATE " + q + ".migrations SET phase = ?, last_error = NULL"
                + stamp + " WHERE id = ?", phase.dbName(), id);
    }

    /**
     * Marks the migration completing and records in its plan how the contract treats what it
     * removes, in one statement: every rerun of complete reads the same choice back.
     */
    public void beginComplete(Connection c, long id, dev.bascule.api.ContractMode mode) throws SQLException {
        update(c, "UPDATE " + q + ".migrations SET phase = 'completing', last_error = NULL,"
                + " plan = jsonb_set(plan, '{contractMode}', to_jsonb(CAST(? AS text))) WHERE id = ?", mode.name(), id);
    }

    public void recordError(Connection c, long id, String error) throws SQLException {
        update(c, "UPDATE " + q + ".migrations SET last_error = ? WHERE id = ?", error, id);
    }

    public void addForcedGates(Connection c, long id, Set<String> gates) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + q + ".migrations"
                + " SET forced_gates = ARRAY(SELECT DISTINCT unnest(forced_gates || ?)) WHERE id = ?")) {
            ps.setArray(1, c.createArrayOf("text", gates.toArray()));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** @param reason why, for status; null for a pause or resume by a user */
    public void setPaused(Connection c, long id, boolean paused, String reason) throws SQLException {
        update(c, "UPDATE " + q + ".migrations SET paused = ?, pause_reason = ? WHERE id = ?", paused, paused ? reason : null, id);
    }

    /** Pauses with {@code reason} unless already paused (a user's pause keeps its own reason); true when it did. */
    public boolean pauseIfRunning(Connection c, long id, String reason) throws SQLException {
        return changed(c, "UPDATE " + q + ".migrations SET paused = true, pause_reason = ? WHERE id = ? AND NOT paused", reason, id);
    }

    /** Resumes only a pause whose reason is still {@code reason}: one made since by someone else stays; true when it did. */
    public boolean resumeIfPausedFor(Connection c, long id, String reason) throws SQLException {
        return changed(c, "UPDATE " + q + ".migrations SET paused = false, pause_reason = NULL WHERE id = ? AND paused"
                + " AND pause_reason = ?", id, reason);
    }

    private static boolean changed(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate() > 0;
        }
    }

    /** Why the migration is paused (who paused it, or the signal that did; empty when unsaid); null when it is not. */
    public String pauseReason(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN paused THEN coalesce(pause_reason, '') END FROM "
                + q + ".migrations WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public boolean paused(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT paused FROM " + q + ".migrations WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    // ---- steps ---------------------------------------------------------------------------

    /** Steps of {@code phase} that finished. */
    public Set<Integer> doneSteps(Connection c, long id, String phase) throws SQLException {
        return steps(c, id, phase, "AND status = 'done'");
    }

    /** Steps of {@code phase} that began, finished or not. */
    public Set<Integer> touchedSteps(Connection c, long id, String phase) throws SQLException {
        return steps(c, id, phase, "");
    }

    private Set<Integer> steps(Connection c, long id, String phase, String filter) throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM " + q + ".steps WHERE migration_id = ? AND phase = ? " + filter)) {
            ps.setLong(1, id);
            ps.setString(2, phase);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    public void stepRunning(Connection c, long id, String phase, int seq, String description) throws SQLException {
        update(c, "INSERT INTO " + q + ".steps (migration_id, phase, seq, description, status)"
                + " VALUES (?, ?, ?, ?, 'running') ON CONFLICT (migration_id, phase, seq) DO NOTHING", id, phase, seq, description);
    }

    public void stepDone(Connection c, long id, String phase, int seq) throws SQLException {
        update(c, "UPDATE " + q + ".steps SET status = 'done', finished_at = now()"
                + " WHERE migration_id = ? AND phase = ? AND seq = ?", id, phase, seq);
    }

    // ---- backfills -----------------------------------------------------------------------

    /** The workers of one backfill step, in worker order; empty before it began. */
    public List<BackfillProgress> backfill(Connection c, long id, int seq) throws SQLException {
        List<BackfillProgress> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(selectBackfill() + " WHERE migration_id = ? AND seq = ? ORDER BY worker")) {
            ps.setLong(1, id);
            ps.setInt(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(backfill(rs));
                }
            }
        }
        return out;
    }

    public List<BackfillProgress> backfills(Connection c, long id) throws SQLException {
        List<BackfillProgress> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(selectBackfill() + " WHERE migration_id = ? ORDER BY seq, worker")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(backfill(rs));
                }
            }
        }
        return out;
    }

    /**
     * Records the workers' key ranges at once, in one transaction. {@code ranges} empty means an
     * empty table: one finished row is recorded.
     *
     * @param ranges each {lower (exclusive, null: from the start), upper (inclusive)}
     */
    public void beginBackfill(Connection c, long id, int seq, String table, List<List<List<String>>> ranges,
                              long rowsTotal) throws SQLException {
        Transaction.commit(c, () -> insertWorkers(c, id, seq, table, ranges, rowsTotal));
    }

    private Void insertWorkers(Connection c, long id, int seq, String table, List<List<List<String>>> ranges,
                               long rowsTotal) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + ".backfills"
                + " (migration_id, seq, worker, table_name, lower_key, high_watermark, rows_total, finished_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END) ON CONFLICT DO NOTHING")) {
            int n = Math.max(1, ranges.size());
            for (int w = 0; w < n; w++) {
                List<List<String>> range = ranges.isEmpty() ? null : ranges.get(w);
                ps.setLong(1, id);
                ps.setInt(2, seq);
                ps.setInt(3, w);
                ps.setString(4, table);
                ps.setArray(5, range == null || range.get(0) == null ? null : c.createArrayOf("text", range.get(0).toArray()));
                ps.setArray(6, range == null ? null : c.createArrayOf("text", range.get(1).toArray()));
                ps.setLong(7, rowsTotal / n);
                ps.setBoolean(8, range == null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return null;
    }

    /** Moves a worker's checkpoint; call inside the batch's transaction. */
    public void checkpoint(Connection c, long id, int seq, int worker, List<String> lastKey, long rows, int batchSize)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + q + ".backfills SET last_key = ?,"
                + " rows_done = rows_done + ?, batches = batches + 1, batch_size = ?, throttle_reason = NULL,"
                + " updated_at = now() WHERE migration_id = ? AND seq = ? AND worker = ?")) {
            ps.setArray(1, c.createArrayOf("text", lastKey.toArray()));
            ps.setLong(2, rows);
            ps.setInt(3, batchSize);
            ps.setLong(4, id);
            ps.setInt(5, seq);
            ps.setInt(6, worker);
            ps.executeUpdate();
        }
    }

    /** Why a worker waits, for status; null when it runs. */
    public void throttled(Connection c, long id, int seq, int worker, String reason) throws SQLException {
        update(c, "UPDATE " + q + ".backfills SET throttle_reason = ?, updated_at = now()"
                + " WHERE migration_id = ? AND seq = ? AND worker = ?", reason, id, seq, worker);
    }

    public void finishBackfill(Connection c, long id, int seq, int worker) throws SQLException {
        update(c, "UPDATE " + q + ".backfills SET finished_at = now(), updated_at = now(),"
                + " throttle_reason = NULL WHERE migration_id = ? AND seq = ? AND worker = ? AND finished_at IS NULL", id, seq, worker);
    }

    /** Runs one INSERT/UPDATE with its parameters, in order. */
    private static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    // ---- reading -------------------------------------------------------------------------

    private Optional<MigrationRecord> one(Connection c, String where) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select() + " " + where)) {
            return first(ps);
        }
    }

    private Optional<MigrationRecord> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(record(rs)) : Optional.empty();
        }
    }

    private String select() {
        return "SELECT id, schema_name, name, checksum, phase, version_schema, previous_version_schema, applied_by,"
                + " started_at, start_finished_at, completed_at, rolled_back_at, paused, pause_reason, last_error,"
                + " forced_gates FROM "
                + q + ".migrations";
    }

    private static MigrationRecord record(ResultSet rs) throws SQLException {
        return new MigrationRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                MigrationRecord.Phase.of(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getObject(9, OffsetDateTime.class), rs.getObject(10, OffsetDateTime.class),
                rs.getObject(11, OffsetDateTime.class), rs.getObject(12, OffsetDateTime.class),
                rs.getBoolean(13), rs.getString(14), rs.getString(15), list(rs.getArray(16)));
    }

    private String selectBackfill() {
        return "SELECT migration_id, seq, worker, table_name, lower_key, high_watermark, last_key, rows_done, rows_total,"
                + " batches, batch_size, throttle_reason, started_at, updated_at, finished_at FROM " + q + ".backfills";
    }

    private static BackfillProgress backfill(ResultSet rs) throws SQLException {
        return new BackfillProgress(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getString(4), list(rs.getArray(5)),
                list(rs.getArray(6)), list(rs.getArray(7)), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                rs.getInt(11), rs.getString(12), rs.getObject(13, OffsetDateTime.class),
                rs.getObject(14, OffsetDateTime.class), rs.getObject(15, OffsetDateTime.class));
    }

    private static List<String> list(Array a) throws SQLException {
        return a == null ? null : Arrays.asList((String[]) a.getArray());
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
