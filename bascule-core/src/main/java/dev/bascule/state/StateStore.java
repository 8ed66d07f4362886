package dev.bascule.state;

import dev.bascule.dialect.StateSql;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bascule.api.BasculeException;
import dev.bascule.api.Excerpts;
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
    private final StateSql sql;

    public StateStore(String stateSchema, StateSql sql) {
        this.schema = stateSchema;
        this.sql = sql;
        this.q = sql.quote(stateSchema);
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
                sql.upgradeFrom1(c, schema);
            }
            requireKnownVersion(c);
            return;
        }
        sql.create(c, schema, VERSION);
    }

    /**
     * Records {@code data} (JSON) as the baseline {@code name} of a migration, unless one is already
     * there: a rerun of start must not move the point "since start" is counted from.
     */
    public void saveBaseline(Connection c, long id, String name, String data) throws SQLException {
        update(c, sql.insertUnlessThere(q + ".baselines", "migration_id, name, data", "?, ?, " + sql.jsonParameter(),
                "migration_id"), id, name, data);
    }

    /** Whether the table of baselines is there: a state of layout 1, not yet upgraded, has none. */
    public boolean hasBaselines(Connection c) throws SQLException {
        return sql.tableExists(c, schema, "baselines");
    }

    /** The baselines of a migration, as JSON by name. */
    public Map<String, String> baselines(Connection c, long id) throws SQLException {
        Map<String, String> all = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, " + sql.jsonText("data") + " FROM " + q + ".baselines WHERE migration_id = ?")) {
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
        if (sql.tableExists(c, schema, "state_version")) {
            try (Statement s = c.createStatement(); ResultSet v = s.executeQuery("SELECT max(version) FROM " + q + ".state_version")) {
                v.next();
                version = v.getInt(1);
            }
        }
        return version;
    }

    public boolean exists(Connection c) throws SQLException {
        return sql.tableExists(c, schema, "migrations") && sql.tableExists(c, schema, "backfills");
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
        try {
            return sql.insertReturningId(c, "INSERT INTO " + q + ".migrations"
                    + " (schema_name, name, checksum, phase, version_schema, previous_version_schema, plan, applied_by)"
                    // CURRENT_USER here: MySQL refuses it in a column's DEFAULT (error 3770)
                    + " VALUES (?, ?, ?, 'starting', ?, ?, " + sql.jsonParameter() + ", CURRENT_USER)", baseSchema, name, checksum,
                    plan.versionSchema(), plan.previousVersionSchema(), JSON.writeValueAsString(plan));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the plan", e);
        }
    }

    public Plan plan(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + sql.jsonText("plan") + " FROM " + q + ".migrations WHERE id = ?")) {
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
            case STARTED -> ", start_finished_at = " + sql.now();
            case COMPLETED -> ", completed_at = " + sql.now();
            case ROLLED_BACK -> ", rolled_back_at = " + sql.now();
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
        update(c, "UPDATE " + q + ".migrations SET phase = 'completing', last_error = NULL, "
                + sql.setContractMode() + " WHERE id = ?", mode.name(), id);
    }

    public void recordError(Connection c, long id, String error) throws SQLException {
        update(c, "UPDATE " + q + ".migrations SET last_error = ? WHERE id = ?", Excerpts.bounded(error), id);
    }

    public void addForcedGates(Connection c, long id, Set<String> gates) throws SQLException {
        sql.addForcedGates(c, q + ".migrations", id, gates);
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
        update(c, sql.insertUnlessThere(q + ".steps", "migration_id, phase, seq, description, status", "?, ?, ?, ?, 'running'",
                "migration_id"), id, phase, seq, description);
    }

    public void stepDone(Connection c, long id, String phase, int seq) throws SQLException {
        update(c, "UPDATE " + q + ".steps SET status = 'done', finished_at = " + sql.now()
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
        try (PreparedStatement ps = c.prepareStatement(sql.insertUnlessThere(q + ".backfills",
                "migration_id, seq, worker, table_name, lower_key, high_watermark, rows_total, finished_at",
                "?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN " + sql.now() + " END", "migration_id"))) {
            int n = Math.max(1, ranges.size());
            for (int w = 0; w < n; w++) {
                List<List<String>> range = ranges.isEmpty() ? null : ranges.get(w);
                ps.setLong(1, id);
                ps.setInt(2, seq);
                ps.setInt(3, w);
                ps.setString(4, table);
                sql.setList(c, ps, 5, range == null ? null : range.get(0));
                sql.setList(c, ps, 6, range == null ? null : range.get(1));
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
                + " updated_at = " + sql.now() + " WHERE migration_id = ? AND seq = ? AND worker = ?")) {
            sql.setList(c, ps, 1, lastKey);
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
        update(c, "UPDATE " + q + ".backfills SET throttle_reason = ?, updated_at = " + sql.now()
                + " WHERE migration_id = ? AND seq = ? AND worker = ?", reason, id, seq, worker);
    }

    public void finishBackfill(Connection c, long id, int seq, int worker) throws SQLException {
        update(c, "UPDATE " + q + ".backfills SET finished_at = " + sql.now() + ", updated_at = " + sql.now() + ","
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

    private MigrationRecord record(ResultSet rs) throws SQLException {
        return new MigrationRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                MigrationRecord.Phase.of(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                sql.timestamp(rs, 9), sql.timestamp(rs, 10), sql.timestamp(rs, 11), sql.timestamp(rs, 12),
                rs.getBoolean(13), rs.getString(14), rs.getString(15), sql.getList(rs, 16));
    }

    private String selectBackfill() {
        return "SELECT migration_id, seq, worker, table_name, lower_key, high_watermark, last_key, rows_done, rows_total,"
                + " batches, batch_size, throttle_reason, started_at, updated_at, finished_at FROM " + q + ".backfills";
    }

    private BackfillProgress backfill(ResultSet rs) throws SQLException {
        return new BackfillProgress(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getString(4), sql.getList(rs, 5),
                sql.getList(rs, 6), sql.getList(rs, 7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                rs.getInt(11), rs.getString(12), sql.timestamp(rs, 13), sql.timestamp(rs, 14), sql.timestamp(rs, 15));
    }
}
