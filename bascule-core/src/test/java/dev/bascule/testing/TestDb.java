package dev.bascule.testing;

import dev.bascule.Bascule;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A database of a test's own on one of the servers Bascule supports, for the tests that run the
 * same scenario on every dialect: its base schema (PostgreSQL) or database (MariaDB), its state,
 * connections speaking a version as an application would, and a snapshot of catalog and data.
 * Closing drops all of it, version schemas and databases included.
 */
public interface TestDb extends AutoCloseable {

    /** {@code postgresql} or {@code mariadb}. */
    String dialect();

    /** The base schema (database) holding the tables. */
    String name();

    /** The state schema (database) of this test's own. */
    String stateSchema();

    Bascule.Builder bascule();

    /** Runs statements on the base schema. */
    void exec(String... statements);

    /** First column of every row, as text, read on the base schema. */
    List<String> column(String query);

    default String value(String query) {
        List<String> rows = column(query);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * A connection speaking {@code version} (the base schema for old code, a version schema or
     * database for new code) the way docs tell applications to.
     */
    Connection connect(String version) throws SQLException;

    /** Tables, columns with types and nullability, indexes, triggers, views and every row, as text lines. */
    List<String> snapshot() throws SQLException;

    /** The version schemas or databases that exist. */
    List<String> versions();

    /** The views of version schema (database) {@code version}. */
    List<String> views(String version);

    @Override
    void close();

    default void exec(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static TestDb postgres() {
        return Server.POSTGRESQL.get();
    }

    static TestDb mariadb() {
        return Server.MARIADB.get();
    }
}
