package dev.bascule.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one transaction on a connection that is otherwise in autocommit, and puts the
 * connection back as it was. No Bascule connection is left inside a transaction between two
 * pieces of work: an open transaction would hold back every CREATE INDEX CONCURRENTLY.
 */
public final class Transaction {
    private Transaction() {}

    @FunctionalInterface
    public interface Body<T> {
        T run() throws SQLException;
    }

    /** Commits when {@code body} returns, rolls back when it throws. */
    public static <T> T commit(Connection c, Body<T> body) throws SQLException {
        return run(c, body, true);
    }

    /** Always rolls back: for checks that must leave nothing behind. */
    public static <T> T rollBack(Connection c, Body<T> body) throws SQLException {
        return run(c, body, false);
    }

    private static <T> T run(Connection c, Body<T> body, boolean commit) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = body.run();
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
