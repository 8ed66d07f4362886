package dev.bascule.dialect.postgresql;

import dev.bascule.api.DatabaseSignals;
import dev.bascule.dialect.OperatorSignals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static dev.bascule.dialect.Dialect.OWN_STATEMENT;

/** What an operator watches on PostgreSQL: replication, lock waits, pg_stat_statements. */
final class PostgresSignals extends PostgresRole implements OperatorSignals {

    PostgresSignals(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public DatabaseSignals.Replication replication(Connection c) throws SQLException {
        // replay_lag is NULL once a standby has caught up and gone idle: a visible position means no delay
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(OWN_STATEMENT
                + "SELECT count(*), max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::bigint,"
                + " max(extract(epoch FROM coalesce(replay_lag, CASE WHEN replay_lsn IS NOT NULL THEN interval '0' END)))"
                + " FROM pg_stat_replication WHERE NOT pg_is_in_recovery()")) {
            rs.next();
            int standbys = rs.getInt(1);
            long bytes = rs.getLong(2);
            Long lagBytes = rs.wasNull() ? null : bytes;
            double seconds = rs.getDouble(3);
            Double lagSeconds = rs.wasNull() ? null : seconds;
            return new DatabaseSignals.Replication(standbys, lagBytes, lagSeconds);
        }
    }

    @Override
    public List<DatabaseSignals.LockWait> lockWaits(Connection c, String schema, java.util.Collection<String> tables)
            throws SQLException {
        if (tables.isEmpty()) {
            return List.of();
        }
        // A session waiting for a row first takes a tuple lock on the row's table, then waits on the
        // holder's transaction id: the tuple lock is what ties that wait to the table.
        try (PreparedStatement ps = c.prepareStatement(OWN_STATEMENT
                + "SELECT w.pid, cl.relname, CASE WHEN w.locktype = 'relation' THEN w.mode ELSE 'row' END,"
                + " coalesce(extract(epoch FROM clock_timestamp() - w.waitstart), 0), pg_blocking_pids(w.pid)"
                + " FROM pg_locks w"
                + " JOIN pg_class cl ON cl.oid = coalesce(CASE WHEN w.locktype IN ('relation', 'tuple') THEN w.relation END,"
                + "   (SELECT t.relation FROM pg_locks t WHERE t.pid = w.pid AND t.locktype = 'tuple' LIMIT 1))"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace"
                + " WHERE NOT w.granted AND n.nspname = ? AND cl.relname = ANY (?) ORDER BY w.pid")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            List<DatabaseSignals.LockWait> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Integer> blockers = new ArrayList<>();
                    java.sql.Array a = rs.getArray(5);
                    if (a != null) {
                        for (Object pid : (Object[]) a.getArray()) {
                            blockers.add(((Number) pid).intValue());
                        }
                    }
                    out.add(new DatabaseSignals.LockWait(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                            blockers));
                }
            }
            return out;
        }
    }

    @Override
    public Optional<DatabaseSignals.StatementTimes> statementTimes(Connection c, String stateSchema) throws SQLException {
        String view;
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(OWN_STATEMENT
                + "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                + " WHERE e.extname = 'pg_stat_statements'")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            view = rs.getString(1) + ".pg_stat_statements"; // quoted by the catalog, not user input
        }
        try (PreparedStatement ps = c.prepareStatement(OWN_STATEMENT
                + "SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(total_exec_time), 0) FROM " + view
                + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND query ~* '^\\s*(select|insert|update|delete|with|merge|values|table)\\M'"
                + " AND query !~* '\\m(pg_\\w+|information_schema|to_regclass)\\M'"
                + " AND position(? IN query) = 0 AND position(? IN query) = 0 AND position(? IN query) = 0")) {
            ps.setString(1, OWN_STATEMENT.strip());
            ps.setString(2, quote(stateSchema) + ".");
            ps.setString(3, stateSchema + ".");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new DatabaseSignals.StatementTimes(rs.getLong(1), rs.getDouble(2)));
            }
        } catch (SQLException e) {
            if ("55000".equals(e.getSQLState())) { // created, but not in shared_preload_libraries
                return Optional.empty();
            }
            throw e;
        }
    }
}
