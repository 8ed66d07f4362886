package dev.bascule.safety;

import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Health;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks run before start and before complete, on the tables the migration touches: conditions
 * under which its DDL would queue behind someone (and everyone else behind it), or its work would
 * be left half-done. Each has a name that {@code --force-preflight} accepts.
 */
public final class Preflight {
    /** A transaction holding a lock on a table this long blocks the migration's DDL until it ends. */
    public static final java.time.Duration LONG_TRANSACTION = java.time.Duration.ofSeconds(10);
    /** Connections a command opens besides its backfill workers: control, work and health monitor. */
    private static final int OWN_CONNECTIONS = 3;

    public static final List<String> NAMES = List.of("long_transactions", "idle_in_transaction", "prepared_transactions",
            "invalid_indexes", "replication_lag", "connections");

    private final long maxReplicationLagBytes;
    private final long longTransactionMillis;
    private final int connectionsNeeded;
    private final Dialect dialect;

    /**
     * @param maxReplicationLagBytes the lag above which DDL (whose WAL every standby must replay) waits; 0 turns it off
     * @param longTransaction        how long a transaction holding a lock on a table may have been open
     */
    public Preflight(long maxReplicationLagBytes, java.time.Duration longTransaction) {
        this(maxReplicationLagBytes, longTransaction, 1);
    }

    /** @param workers the backfill's parallel workers, each on a connection of its own */
    public Preflight(long maxReplicationLagBytes, java.time.Duration longTransaction, int workers) {
        this(new dev.bascule.dialect.postgresql.PostgresDialect(), maxReplicationLagBytes, longTransaction, workers);
    }

    /** @param dialect the server's checks */
    public Preflight(Dialect dialect, long maxReplicationLagBytes, java.time.Duration longTransaction, int workers) {
        this.dialect = dialect;
        this.maxReplicationLagBytes = maxReplicationLagBytes;
        this.longTransactionMillis = longTransaction.toMillis();
        this.connectionsNeeded = OWN_CONNECTIONS + workers;
    }

    public static void requireKnown(Collection<String> names) {
        for (String n : names) {
            if (!NAMES.contains(n)) {
                throw new InvalidMigrationException("unknown preflight check '" + n + "' in --force-preflight; checks are "
                        + String.join(", ", NAMES));
            }
        }
    }

    /**
     * Runs every check on {@code tables} of {@code schema}.
     *
     * @return the checks that failed and were forced, which the caller records
     * @throws RefusedException when a check that is not forced fails
     */
    public Set<String> run(Connection c, String schema, Collection<String> tables, Set<String> forced, java.util.function.Consumer<String> note)
            throws SQLException {
        List<String> failed = new ArrayList<>();
        Set<String> overridden = new TreeSet<>();
        String[] names = tables.stream().distinct().toArray(String[]::new);
        for (Health.PreflightCheck check : dialect.health().preflightChecks(maxReplicationLagBytes,
                java.time.Duration.ofMillis(longTransactionMillis), connectionsNeeded)) {
            check(c, check.name(), check.sql(), check.perTable() ? schema : null, names, forced, failed, overridden, note);
        }
        if (!failed.isEmpty()) {
            throw new RefusedException("preflight refused:\n  " + String.join("\n  ", failed)
                    + "\nNothing was changed. Wait for the cause to go, or override one check with --force-preflight NAME (recorded).");
        }
        return overridden;
    }

    private static void check(Connection c, String name, String sql, String schema, String[] tables, Set<String> forced,
                              List<String> failed, Set<String> overridden, java.util.function.Consumer<String> note)
            throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (schema != null) { // a check of the migration's tables; the others are of the whole server
                ps.setString(1, schema);
                ps.setArray(2, c.createArrayOf("text", tables));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(rs.getString(1));
            }
        }
        if (found.isEmpty()) {
            return;
        }
        String why = name + ": " + String.join("; ", found);
        if (forced.contains(name)) {
            note.accept("preflight " + why + " (forced)");
            overridden.add(name);
        } else {
            failed.add(why);
        }
    }
}
