package dev.bascule.command;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.jdbc.Transaction;
import dev.bascule.plan.ExpressionCheck;
import dev.bascule.plan.OwnershipCheck;
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

    private Planning() {}

    public static Plan plan(Connection c, Dialect dialect, StateStore state, String schema, Migration migration)
            throws SQLException {
        dialect.requireServerVersion(c);
        if (!dialect.schemaExists(c, schema)) {
            throw new InvalidMigrationException(migration.source().file(), 1, 1, "", "schema '" + schema + "' does not exist");
        }
        Catalog catalog = dialect.readCatalog(c, schema);
        OwnershipCheck.run(c, dialect, catalog, state.schema(), migration);
        Planner planner = new Planner(dialect, catalog, migration, state.schema(), previousVersion(c, dialect, state, schema));
        Plan plan = planner.plan();
        OwnershipCheck.requireNewIndexNames(dialect, catalog, migration, plan);
        for (ExpressionCheck check : planner.expressionChecks()) {
            checkExpression(c, dialect, schema, migration, check);
        }
        return plan;
    }

    /** The version old code uses now: the last completed migration's schema if it still exists, else the base schema. */
    static String previousVersion(Connection c, Dialect dialect, StateStore state, String schema) throws SQLException {
        if (!state.exists(c)) {
            return schema;
        }
        Optional<MigrationRecord> last = state.lastCompleted(c, schema);
        if (last.isPresent() && dialect.schemaExists(c, last.get().versionSchema())) {
            return last.get().versionSchema();
        }
        return schema;
    }

    private static void checkExpression(Connection c, Dialect dialect, String schema, Migration migration,
                                        ExpressionCheck check) throws SQLException {
        try {
            Transaction.rollBack(c, () -> {
                try (Statement s = c.createStatement()) {
                    for (String setting : dialect.expressionCheckSettings(schema)) {
                        s.execute(setting);
                    }
                    s.executeQuery(dialect.boundedCheck(Dialect.OWN_STATEMENT + check.query())).close();
                }
                return null;
            });
        } catch (SQLException e) {
            if (check.syntaxOnly() && !dialect.isSyntaxError(e)) {
                return; // e.g. a type an earlier sql operation creates: its DDL will tell
            }
            if (dialect.isLockTimeout(e) || dialect.isStatementTimeout(e)) {
                throw e; // the server was busy, the expression may be fine
            }
            String message = e.getMessage().replaceFirst("^ERROR: ", "").replaceFirst("^\\(conn=\\d+\\) ", "").replaceAll("\\s*Position: \\d+$", "");
            throw InvalidMigrationException.at(migration.source(), check.path(),
                    (check.type() ? "not a valid type: " : "the expression is not valid: ") + message);
        }
    }
}
