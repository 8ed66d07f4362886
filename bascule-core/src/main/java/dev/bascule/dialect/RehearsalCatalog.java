package dev.bascule.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What rehearse reads from the real database, and only reads: the tables it copies into its scratch
 * schema, and a snapshot of what it promises not to touch.
 */
public interface RehearsalCatalog {

    /** Readers of {@code schema}'s tables on {@code c}, which they may set up for reading (its search path). */
    SourceTables sourceTables(Connection c, String schema) throws SQLException;

    /**
     * The real tables' columns, constraints, indexes and triggers, and the real state schema's tables
     * and migration rows, as comparable text: taken before and after a rehearsal, any difference fails it.
     */
    List<String> snapshot(Connection c, String schema, Collection<String> tables, String stateSchema) throws SQLException;

    /** The tables of one schema, as rehearse copies them. */
    interface SourceTables {

        /** Which of {@code names} are ordinary tables of the schema; one rehearse cannot copy is refused. */
        Set<String> existing(Collection<String> names) throws SQLException;

        /**
         * The tables to copy: {@code touched}, the tables whose foreign keys point at them and the
         * tables they point at, transitively.
         */
        Set<String> closure(Set<String> touched) throws SQLException;

        SourceTable read(String table) throws SQLException;
    }

    /** The columns of view {@code schema.view}, in order: what a synthetic client of that version may write. */
    List<String> viewColumns(Connection c, String schema, String view) throws SQLException;
}
