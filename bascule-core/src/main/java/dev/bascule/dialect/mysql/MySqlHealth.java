package dev.bascule.dialect.mysql;

import dev.bascule.api.ApplicationSignal;
import dev.bascule.backfill.health.ApplicationProbe;
import dev.bascule.backfill.health.HealthSignals;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** The MySQL family's throttling signals, application probes, preflight checks and index statistics. */
final class MySqlHealth extends MySqlRole implements Health {

    MySqlHealth(Dialect dialect) {
        super(dialect);
    }

    /**
     * Rows read through each index, from {@code information_schema.INDEX_STATISTICS}, which MariaDB
     * fills only while {@code userstat} is ON (a dynamic global setting, off by default); without it
     * the gate cannot tell, and says so.
     */
    @Override
    public Optional<IndexUse> indexUse(Connection c, String schema, List<String> indexes, Consumer<String> note)
            throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(family().indexUseCounted())) {
            if (!rs.next() || !rs.getBoolean(1)) {
                note.accept(family().indexUseNotCounted());
                return Optional.empty();
            }
        }
        Map<String, Long> reads = new LinkedHashMap<>();
        if (indexes.isEmpty()) {
            return Optional.of(new IndexUse(reads, "row(s) read through it"));
        }
        String marks = indexes.stream().map(i -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement(family().indexReads(marks))) {
            ps.setString(1, schema);
            for (int i = 0; i < indexes.size(); i++) {
                ps.setString(i + 2, indexes.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reads.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return Optional.of(new IndexUse(reads, "row(s) read through it"));
    }

    @Override
    public Optional<ApplicationProbe> applicationProbe(Connection connection, ApplicationSignal.Source source,
                                                       String stateSchema, Consumer<String> note) {
        if (source != ApplicationSignal.Source.AUTO) {
            note.accept("the application's latency is not watched on MariaDB yet (docs/guides/mariadb.md)");
        }
        return Optional.empty();
    }

    @Override
    public HealthSignals healthSignals() {
        return new MariaDbHealthSignals(null, family());
    }

    @Override
    public HealthSignals healthSignals(String stateSchema) {
        return new MariaDbHealthSignals(stateSchema, family());
    }

    /** The server-wide checks that need no plugin: old transactions (InnoDB's list) and free connections. */
    @Override
    public List<PreflightCheck> preflightChecks(long maxReplicationLagBytes, Duration longTransaction, int connectionsNeeded) {
        long secs = Math.max(1, longTransaction.toSeconds());
        return List.of(
                new PreflightCheck("long_transactions", "SELECT CONCAT('connection ', t.trx_mysql_thread_id, ' (',"
                        + " COALESCE(p.USER, '?'), ', transaction open for ', TIMESTAMPDIFF(SECOND, t.trx_started, NOW()),"
                        + " ' s): its metadata locks would hold back the migration''s DDL')"
                        + " FROM information_schema.INNODB_TRX t LEFT JOIN information_schema.PROCESSLIST p"
                        + " ON p.ID = t.trx_mysql_thread_id WHERE t.trx_started < NOW() - INTERVAL " + secs + " SECOND"
                        + " AND t.trx_mysql_thread_id <> CONNECTION_ID()", false),
                new PreflightCheck("connections", "SELECT CONCAT('only ', @@max_connections - COUNT(*),"
                        + " ' connections left; Bascule needs " + connectionsNeeded + "') FROM information_schema.PROCESSLIST"
                        + " HAVING @@max_connections - COUNT(*) < " + connectionsNeeded, false));
    }

    /** None read here: the family's statement digests are not what the no_recent_use gate reads. */
    @Override
    public Optional<List<StatementCount>> statementCounts(Connection c) {
        return Optional.empty();
    }
}
