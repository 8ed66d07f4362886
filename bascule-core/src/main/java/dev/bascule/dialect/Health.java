package dev.bascule.dialect;

import dev.bascule.api.ApplicationSignal;
import dev.bascule.backfill.health.ApplicationProbe;
import dev.bascule.backfill.health.HealthSignals;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a backfill throttles on, the application probes, preflight checks and the statistics the gates read. */
public interface Health {

    /**
     * How much each of {@code indexes} of {@code schema} has been used since the server's statistics
     * began, by index name, for the {@code index_unused} gate; empty when this server does not count
     * it now (then {@code note} receives why). An index never used may be missing (it counts 0).
     */
    Optional<IndexUse> indexUse(Connection c, String schema, List<String> indexes,
                                java.util.function.Consumer<String> note) throws SQLException;

    /**
     * @param counts  by index name
     * @param counted what a count counts, after the number: "time(s) scanned", "row(s) read through it"
     */
    record IndexUse(Map<String, Long> counts, String counted) {}

    /** The health signals a backfill throttles on, read on the monitor's connection. */
    HealthSignals healthSignals();

    /** The health signals of a backfill whose state is in {@code stateSchema} (where a heartbeat table may go). */
    default HealthSignals healthSignals(String stateSchema) {
        return healthSignals();
    }

    /** Preflight checks before start and complete, each returning one row per problem. */
    List<PreflightCheck> preflightChecks(long maxReplicationLagBytes, java.time.Duration longTransaction,
                                         int connectionsNeeded);

    /**
     * @param perTable the query takes the base schema and an array of table names as its two parameters
     */
    record PreflightCheck(String name, String sql, boolean perTable) {}

    /**
     * A probe of the application's health for {@code source}, or empty when this server cannot
     * tell it (then {@code note} receives why). {@link ApplicationSignal.Source#AUTO} falls back to
     * what the server can tell, and says so through {@code note}.
     *
     * @param stateSchema Bascule's state schema: statements on it are Bascule's, not the application's
     */
    Optional<ApplicationProbe> applicationProbe(Connection connection, ApplicationSignal.Source source, String stateSchema,
                                                java.util.function.Consumer<String> note) throws SQLException;

    /**
     * The application's statements of this database as the server's statement statistics count
     * them (PostgreSQL: pg_stat_statements), for the {@code no_recent_use} gate; empty when the
     * server does not collect them, or they cannot be read.
     */
    Optional<List<StatementCount>> statementCounts(Connection c) throws SQLException;

    /**
     * One statement as the statistics count it.
     *
     * @param key   who ran it and its normalized form, unique among the entries
     * @param query its normalized text; another role's is hidden from a role without the right to read it
     */
    record StatementCount(String key, String query, long calls) {}
}
