package dev.bascule.command;

import dev.bascule.api.RefusedException;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.VersionViews;
import dev.bascule.step.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Before complete or rollback changes anything: each version schema (database) their steps would
 * drop holds nothing but what Bascule made there, and nothing elsewhere depends on its views. The
 * check is the guard each such step begins with ({@link VersionViews#versionSchemaGuard}), run ahead of
 * time, so that a refusal comes before the first step rather than midway, and the step itself
 * refuses again should something appear in between.
 */
final class VersionSchemaContents {
    private VersionSchemaContents() {
    }

    /** @throws RefusedException naming each object that is not Bascule's, and the way out */
    static void requireOnlyOwn(Connection c, dev.bascule.dialect.Dialect dialect, List<Step> steps, String command)
            throws SQLException {
        for (Step step : steps) {
            if (!(step instanceof Step.SqlStep sql)) {
                continue;
            }
            // what comes before the step's first guard are checks too (the owner's marker); a later
            // guard runs once the views are gone
            int guard = 0;
            while (guard < sql.statements().size() && !sql.statements().get(guard).startsWith(VersionViews.VERSION_SCHEMA_GUARD)) {
                guard++;
            }
            if (guard == sql.statements().size()) {
                continue;
            }
            try {
                for (String check : sql.statements().subList(0, guard + 1)) {
                    dialect.session().execute(c, check);
                }
            } catch (SQLException e) {
                if (!VersionViews.VERSION_SCHEMA_GUARD_STATE.equals(e.getSQLState())) {
                    throw e;
                }
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                throw new RefusedException(command + " refused (step '" + sql.description() + "'): " + reason(e)
                        + ". Nothing was changed.");
            }
        }
    }

    /** The server's message without the driver's prefix or the server's context lines. */
    private static String reason(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).replaceFirst("^ERROR: |^\\(conn=\\d+\\) ", "").strip();
    }
}
