package dev.bascule.dialect.postgresql;

import dev.bascule.jdbc.Transaction;
import dev.bascule.dialect.StateSql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The state schema on PostgreSQL: jsonb plans, text[] keys, partial unique indexes. */
public final class PostgresStateSql implements StateSql {

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void create(Connection c, String schema, int version) throws SQLException {
        String q = quote(schema);
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
                createBaselines(s, q);
                // later releases upgrade the tables from the version recorded here
                s.execute("CREATE TABLE IF NOT EXISTS " + q + ".state_version (version int NOT NULL)");
                s.execute("INSERT INTO " + q + ".state_version SELECT " + version
                        + " WHERE NOT EXISTS (SELECT 1 FROM " + q + ".state_version)");
            }
            return null;
        });
    }

    /** Counters the gates read when start began, to tell what happened since (index scans, queries). */
    private static void createBaselines(Statement s, String q) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS " + q + ".baselines ("
                + " migration_id bigint NOT NULL REFERENCES " + q + ".migrations ON DELETE CASCADE,"
                + " name text NOT NULL, taken_at timestamptz NOT NULL DEFAULT now(), data jsonb NOT NULL,"
                + " PRIMARY KEY (migration_id, name))");
    }

    /** Version 2 added the baselines table. */
    @Override
    public void upgradeFrom1(Connection c, String schema) throws SQLException {
        String q = quote(schema);
        Transaction.commit(c, () -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext('bascule:init:' || " + literal(schema) + "))");
                createBaselines(s, q);
                s.execute("UPDATE " + q + ".state_version SET version = 2 WHERE version = 1");
            }
            return null;
        });
    }

    @Override
    public boolean tableExists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, quote(schema) + "." + table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public String insertUnlessThere(String table, String columns, String values, String key) {
        return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT DO NOTHING";
    }

    @Override
    public String jsonParameter() {
        return "CAST(? AS jsonb)";
    }

    @Override
    public String jsonText(String column) {
        return column + "::text";
    }

    @Override
    public String setContractMode() {
        return "plan = jsonb_set(plan, '{contractMode}', to_jsonb(CAST(? AS text)))";
    }

    @Override
    public long insertReturningId(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql + " RETURNING id")) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void addForcedGates(Connection c, String migrations, long id, Set<String> gates) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + migrations
                + " SET forced_gates = ARRAY(SELECT DISTINCT unnest(forced_gates || ?)) WHERE id = ?")) {
            ps.setArray(1, c.createArrayOf("text", gates.toArray()));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    @Override
    public void setList(Connection c, PreparedStatement ps, int index, List<String> values) throws SQLException {
        ps.setArray(index, values == null ? null : c.createArrayOf("text", values.toArray()));
    }

    @Override
    public List<String> getList(ResultSet rs, int index) throws SQLException {
        Array a = rs.getArray(index);
        return a == null ? null : Arrays.asList((String[]) a.getArray());
    }

    @Override
    public OffsetDateTime timestamp(ResultSet rs, int index) throws SQLException {
        return rs.getObject(index, OffsetDateTime.class);
    }

    @Override
    public String now() {
        return "now()";
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
