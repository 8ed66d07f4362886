package dev.bascule.dialect.mysql;

import dev.bascule.api.DatabaseSignals;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.OperatorSignals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an operator watches on a MySQL-family server. */
final class MySqlSignals extends MySqlRole implements OperatorSignals {

    MySqlSignals(Dialect dialect) {
        super(dialect);
    }

    /** Seen from a replica (SHOW REPLICA STATUS); a primary does not know its replicas' delay. */
    @Override
    public DatabaseSignals.Replication replication(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
            if (!rs.next()) {
                return new DatabaseSignals.Replication(0, null, null);
            }
            long seconds = MySqlFamily.secondsBehind(rs);
            return new DatabaseSignals.Replication(1, null, rs.wasNull() ? null : (double) seconds);
        } catch (SQLException e) {
            return new DatabaseSignals.Replication(0, null, null); // no REPLICATION CLIENT privilege: not known
        }
    }

    @Override
    public List<DatabaseSignals.LockWait> lockWaits(Connection c, String schema, Collection<String> tables) throws SQLException {
        List<DatabaseSignals.LockWait> waits = new ArrayList<>();
        if (tables.isEmpty()) {
            return waits;
        }
        String in = tables.stream().map(t -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("SELECT r.trx_mysql_thread_id, " + family().lockedTable() + ", "
                + family().lockMode() + ", TIMESTAMPDIFF(MICROSECOND, r.trx_wait_started, NOW(6)) / 1e6, b.trx_mysql_thread_id"
                + " FROM " + family().lockWaits(true))) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(2);
                    String plain = table == null ? "" : table.replace("`", "");
                    if (tables.stream().anyMatch(t -> plain.equals(schema + "." + t))) {
                        waits.add(new DatabaseSignals.LockWait((int) rs.getLong(1), plain.substring(schema.length() + 1),
                                rs.getString(3), rs.getDouble(4), List.of((int) rs.getLong(5))));
                    }
                }
            }
        }
        return waits;
    }

    @Override
    public Optional<DatabaseSignals.StatementTimes> statementTimes(Connection c, String stateSchema) {
        return Optional.empty(); // performance_schema digests are not read yet
    }
}
