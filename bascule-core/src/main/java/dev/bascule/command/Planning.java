package dev.bascule.command;

import dev.bascule.api.Excerpts;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Sessions;
import dev.bascule.jdbc.Transaction;
import dev.bascule.plan.ExpressionCheck;
import dev.bascule.command.OwnershipCheck;
import dev.bascule.plan.Plan;
import dev.bascule.plan.VolatileCalls;
import dev.bascule.plan.operation.Planner;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.StateStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Plans a migration against the live catalog. Reads only: nothing is changed. */
public final class Planning {

    private Planning() {}

    public static Plan plan(Connection c, Dialect dialect, StateStore state, String schema, Migration migration)
            throws SQLException {
        dialect.session().requireServerVersion(c);
        if (!dialect.catalog().schemaExists(c, schema)) {
            throw new InvalidMigrationException(migration.source().file(), 1, 1, "", "schema '" + schema + "' does not exist");
        }
        Catalog catalog = dialect.catalog().readCatalog(c, schema);
        OwnershipCheck.run(c, dialect, catalog, state.schema(), migration);
        Planner planner = new Planner(dialect, catalog, migration, state.schema(), previousVersion(c, dialect, state, schema));
        Plan plan = planner.plan();
        OwnershipCheck.requireNewIndexNames(dialect, catalog, migration, plan);
        for (ExpressionCheck check : planner.expressionChecks()) {
            checkExpression(c, dialect, schema, migration, check);
        }
        for (var empty : planner.mustBeEmpty().entrySet()) {
            boolean rows;
            try (Statement s = c.createStatement(); var rs = s.executeQuery(dialect.checks().hasRows(schema, empty.getValue()))) {
                rows = rs.next() && rs.getBoolean(1);
            }
            if (rows) {
                throw InvalidMigrationException.at(migration.source(), empty.getKey(), "table '" + empty.getValue()
                        + "' has rows: a stored generated column added to it would be computed for every row under an"
                        + " ACCESS EXCLUSIVE lock (a rewrite of the table); add a plain column with 'up' (filled by the"
                        + " backfill and kept by the sync trigger), or create the table with the generated column");
            }
        }
        // the expressions are proven above: the server knows every function they call
        List<VolatileCalls.Candidate> recomputed = planner.recomputed();
        Set<String> unknown = VolatileCalls.unknown(recomputed);
        if (!unknown.isEmpty()) {
            List<String> notes = VolatileCalls.serverNotes(recomputed, dialect.catalog().volatileFunctions(c, unknown));
            if (!notes.isEmpty()) {
                plan = plan.withNotes(notes);
            }
        }
        return plan;
    }

    /**
     * {@link #plan} on a connection that is not a {@link Session}'s: under Bascule's session settings,
     * those that decide how the server lexes SQL included (a database or role can turn PostgreSQL's
     * standard_conforming_strings off), and given back with the connection's own.
     */
    public static Plan planOnOwnSettings(Connection c, Dialect dialect, StateStore state, String schema, Migration migration)
            throws SQLException {
        // the connection may be the application's pooled one: it goes back with its own settings
        Sessions.SavedSession saved = dialect.session().saveSession(c);
        run(c, dialect.session().sessionSetup());
        boolean planned = false;
        try {
            Plan plan = plan(c, dialect, state, schema, migration);
            planned = true;
            return plan;
        } finally {
            try {
                saved.restore(c);
            } catch (SQLException e) {
                if (planned) {
                    throw e;
                } // else the plan's own failure says more
            }
        }
    }

    private static void run(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The version old code uses now: the last completed migration's schema if it still exists, else the base schema. */
    static String previousVersion(Connection c, Dialect dialect, StateStore state, String schema) throws SQLException {
        if (!state.exists(c)) {
            return schema;
        }
        Optional<MigrationRecord> last = state.lastCompleted(c, schema);
        if (last.isPresent() && dialect.catalog().schemaExists(c, last.get().versionSchema())) {
            return last.get().versionSchema();
        }
        return schema;
    }

    /**
     * The server proves the expression without running it: the check query is prepared and described
     * (PostgreSQL's Parse/Describe, MariaDB's server-side prepare), never executed, and a prepared
     * statement is exactly one statement, so a text holding a second one fails instead of running. It
     * must describe exactly one column: an expression that closes Bascule's parenthesis and adds
     * another ({@code 'x'), flag = (true}) shows as two. Still in a transaction that is rolled back,
     * under the check's timeouts.
     */
    private static void checkExpression(Connection c, Dialect dialect, String schema, Migration migration,
                                        ExpressionCheck check) throws SQLException {
        int columns;
        try {
            columns = Transaction.rollBack(c, () -> {
                try (Statement s = c.createStatement()) {
                    for (String setting : dialect.checks().expressionCheckSettings(schema)) {
                        s.execute(setting);
                    }
                }
                return dialect.catalog().describedColumns(c, dialect.checks().boundedCheck(Dialect.OWN_STATEMENT + check.query()));
            });
        } catch (SQLException e) {
            if (check.syntaxOnly() && !dialect.session().isSyntaxError(e)) {
                return; // e.g. a type an earlier sql operation creates: its DDL will tell
            }
            if (dialect.session().isLockTimeout(e) || dialect.session().isStatementTimeout(e)) {
                throw e; // the server was busy, the expression may be fine
            }
            String message = e.getMessage().replaceFirst("^ERROR: ", "").replaceFirst("^\\(conn=\\d+\\) ", "").replaceAll("\\s*Position: \\d+$", "");
            throw InvalidMigrationException.at(migration.source(), check.path(),
                    (check.type() ? "not a valid type: " : "the expression is not valid: ") + Excerpts.bounded(message));
        }
        if (!check.type() && columns != 1) {
            // a type check may be a block that returns nothing (MariaDB's DECLARE); an expression is one value
            throw InvalidMigrationException.at(migration.source(), check.path(),
                    "not a single expression: the server reads " + columns + " columns where Bascule writes one value");
        }
    }
}
