package dev.bascule.command;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.jdbc.Transaction;
import dev.bascule.plan.ExpressionCheck;
import dev.bascule.plan.Plan;
import dev.bascule.plan.Planner;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.StateStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** Plans a migration against the live catalog. Reads only: nothing is changed. */
public final class Planning {
    private static final String SYNTAX_ERROR = "42601";
    private static final String QUERY_CANCELED = "57014";

    private Planning() {}

    public static Plan plan(Connection c, Dialect dialect, StateStore state, String schema, Migration migration)
            throws SQLException {
        requireServerVersion(c);
        if (!schemaExists(c, schema)) {
            throw new InvalidMigrationException(migration.source().file(), 1, 1, "", "schema '" + schema + "' does not exist");
        }
        Catalog catalog = dialect.readCatalog(c, schema);
        Planner planner = new Planner(dialect, catalog, migration, state.schema(), previousVersion(c, state, schema));
        Plan plan = planner.plan();
        for (ExpressionCheck check : planner.expressionChecks()) {
            checkExpression(c, dialect, schema, migration, check);
        }
        return plan;
    }

    /** Version views need security_invoker (PostgreSQL 15); refuse before anything changes. */
    private static void requireServerVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            int version = Integer.parseInt(rs.getString(1));
            if (version < 150000) {
                throw new dev.bascule.api.BasculeException("Bascule needs PostgreSQL 15 or later (version views use"
                        + " security_invoker); this server is " + version / 10000 + "." + version % 100);
            }
        }
    }

    /** The version old code uses now: the last completed migration's schema if it still exists, else the base schema. */
    static String previousVersion(Connection c, StateStore state, String schema) throws SQLException {
        if (!state.exists(c)) {
            return schema;
        }
        Optional<MigrationRecord> last = state.lastCompleted(c, schema);
        if (last.isPresent() && schemaExists(c, last.get().versionSchema())) {
            return last.get().versionSchema();
        }
        return schema;
    }

    static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void checkExpression(Connection c, Dialect dialect, String schema, Migration migration,
                                        ExpressionCheck check) throws SQLException {
        try {
            Transaction.rollBack(c, () -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL statement_timeout = 5000");
                    s.execute("SET LOCAL lock_timeout = 1000");
                    s.execute("SET LOCAL search_path = " + dialect.quote(schema)); // as the expression will run
                    s.executeQuery(Dialect.OWN_STATEMENT + check.query()).close();
                }
                return null;
            });
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (check.syntaxOnly() && !SYNTAX_ERROR.equals(state)) {
                return; // e.g. a type an earlier sql operation creates: its DDL will tell
            }
            if (dialect.isLockTimeout(state) || QUERY_CANCELED.equals(state)) {
                throw e; // the server was busy, the expression may be fine
            }
            String message = e.getMessage().replaceFirst("^ERROR: ", "").replaceAll("\\s*Position: \\d+$", "");
            throw InvalidMigrationException.at(migration.source(), check.path(),
                    (check.syntaxOnly() ? "not a valid type: " : "the expression is not valid: ") + message);
        }
    }
}
