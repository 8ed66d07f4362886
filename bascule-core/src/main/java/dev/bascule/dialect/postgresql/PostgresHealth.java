package dev.bascule.dialect.postgresql;

import dev.bascule.api.ApplicationSignal;
import dev.bascule.backfill.health.ApplicationProbe;
import dev.bascule.dialect.Health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** PostgreSQL's throttling signals, application probes, preflight checks and index statistics. */
final class PostgresHealth extends PostgresRole implements Health {

    PostgresHealth(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public Optional<ApplicationProbe> applicationProbe(Connection connection, ApplicationSignal.Source source,
                                                       String stateSchema, Consumer<String> note) throws SQLException {
        if (source == ApplicationSignal.Source.ROLLBACK_RATE) {
            return Optional.of(new RollbackRateProbe());
        }
        StatementLatencyProbe.Result latency = StatementLatencyProbe.find(connection, stateSchema);
        if (latency.probe().isPresent()) {
            return latency.probe();
        }
        if (source == ApplicationSignal.Source.STATEMENT_LATENCY) {
            note.accept("application latency is not watched: " + latency.problem());
            return Optional.empty();
        }
        note.accept(latency.problem() + ": watching the rate of rolled back transactions in pg_stat_database instead"
                + " of statement latency (shared_preload_libraries and CREATE EXTENSION pg_stat_statements to watch latency)");
        return Optional.of(new RollbackRateProbe());
    }

    /** pg_stat_user_indexes' scans, as they are now (not as this transaction first saw them). */
    @Override
    public Optional<IndexUse> indexUse(Connection c, String schema, List<String> indexes, Consumer<String> note)
            throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
        }
        Map<String, Long> scans = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes"
                + " WHERE schemaname = ? AND indexrelname = ANY (?) ORDER BY 1")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", indexes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scans.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return Optional.of(new IndexUse(scans, "time(s) scanned"));
    }

    @Override
    public dev.bascule.backfill.health.HealthSignals healthSignals() {
        return new PostgresHealthSignals();
    }

    @Override
    public List<PreflightCheck> preflightChecks(long maxReplicationLagBytes, java.time.Duration longTransaction,
                                                int connectionsNeeded) {
        double secs = longTransaction.toMillis() / 1000.0;
        List<PreflightCheck> checks = new ArrayList<>();
        checks.add(new PreflightCheck("long_transactions", "SELECT DISTINCT 'pid ' || a.pid || ' (' || coalesce(a.usename, '?') || ', transaction open for '"
                + " || extract(epoch FROM now() - a.xact_start)::int || ' s, holding ' || l.mode || ' on ' || cl.relname || ')'"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class cl ON cl.oid = l.relation"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relname = ANY (?)"
                + " AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend' AND a.state <> 'idle in transaction'"
                + " AND a.xact_start < now() - make_interval(secs => " + secs + ")", true));
        checks.add(new PreflightCheck("idle_in_transaction", "SELECT DISTINCT 'pid ' || a.pid || ' (' || coalesce(a.usename, '?') || ', idle in transaction for '"
                + " || extract(epoch FROM now() - a.state_change)::int || ' s, holding ' || l.mode || ' on ' || cl.relname || ')'"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class cl ON cl.oid = l.relation"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relname = ANY (?)"
                + " AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend' AND a.state LIKE 'idle in transaction%'"
                + " AND a.state_change < now() - make_interval(secs => " + secs + ")", true));
        checks.add(new PreflightCheck("prepared_transactions", "SELECT 'prepared transaction ' || gid || ' (since ' || prepared || ')'"
                + " FROM pg_prepared_xacts WHERE database = current_database()", false));
        checks.add(new PreflightCheck("invalid_indexes", "SELECT 'index ' || ic.relname || ' on ' || tc.relname || ' is invalid (an interrupted"
                + " CREATE INDEX CONCURRENTLY?): drop it (DROP INDEX CONCURRENTLY) or rebuild it first'"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = tc.relnamespace WHERE n.nspname = ? AND tc.relname = ANY (?) AND NOT i.indisvalid", true));
        if (maxReplicationLagBytes > 0) {
            checks.add(new PreflightCheck("replication_lag", "SELECT 'standby ' || coalesce(application_name, client_addr::text, pid::text) || ' is '"
                    + " || pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) || ' bytes behind (limit " + maxReplicationLagBytes + ")'"
                    + " FROM pg_stat_replication WHERE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) > " + maxReplicationLagBytes, false));
        }
        checks.add(new PreflightCheck("connections", "SELECT 'only ' || (current_setting('max_connections')::int"
                + " - current_setting('superuser_reserved_connections')::int - count(*)) || ' connections left; Bascule needs "
                + connectionsNeeded + "' FROM pg_stat_activity WHERE backend_type = 'client backend'"
                + " HAVING current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
                + " - count(*) < " + connectionsNeeded, false));
        return checks;
    }

    /** pg_stat_statements, found in whichever schema the extension was created. */
    @Override
    public Optional<List<StatementCount>> statementCounts(Connection c) throws SQLException {
        String view;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                        + " WHERE e.extname = 'pg_stat_statements'")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            view = rs.getString(1) + ".pg_stat_statements";
        }
        List<StatementCount> entries = new ArrayList<>();
        // the extension's view is schema-qualified by the catalog's own quote_ident above, not by user input
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT userid || ':' || queryid || ':' || toplevel, query, calls FROM " + view
                        + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            while (rs.next()) {
                entries.add(new StatementCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            // 55000: created but not in shared_preload_libraries; 42501: its schema or view not
            // granted; 42703: an extension older than 1.9 (no toplevel) left by pg_upgrade
            if (List.of("55000", "42501", "42703").contains(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(entries);
    }
}
