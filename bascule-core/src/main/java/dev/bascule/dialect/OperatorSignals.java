package dev.bascule.dialect;

import dev.bascule.api.DatabaseSignals;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Read-only queries on the server's statistics that an operator watches. */
public interface OperatorSignals {

    /** How far the standbys streaming from this server are behind. */
    DatabaseSignals.Replication replication(Connection connection) throws SQLException;

    /** Sessions waiting on a lock on one of {@code tables} of {@code schema}, or on one of their rows. */
    List<DatabaseSignals.LockWait> lockWaits(Connection connection, String schema, Collection<String> tables)
            throws SQLException;

    /**
     * The application's statement times, leaving out Bascule's own statements, those on
     * {@code stateSchema} and those on the system catalogs; empty when the server does not collect them.
     */
    Optional<DatabaseSignals.StatementTimes> statementTimes(Connection connection, String stateSchema) throws SQLException;
}
