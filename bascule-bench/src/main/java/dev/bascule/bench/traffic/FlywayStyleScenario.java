package dev.bascule.bench.traffic;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The same change as a Flyway user writes it today: one versioned SQL file, run in one
 * transaction, no lock_timeout. Its first ALTER takes an ACCESS EXCLUSIVE lock that it holds
 * through the UPDATE of every row and the table rewrite of the type change, until commit.
 */
final class FlywayStyleScenario implements MigrationScenario {
    static final List<String> STATEMENTS = List.of(
            "ALTER TABLE accounts ADD COLUMN email_lower text",
            "UPDATE accounts SET email_lower = lower(email)",
            "ALTER TABLE accounts ALTER COLUMN email_lower SET NOT NULL",
            "ALTER TABLE accounts ALTER COLUMN visits TYPE bigint");

    @Override
    public String name() {
        return "Flyway-style";
    }

    @Override
    public String migrate(MigrationContext context) throws SQLException, InterruptedException {
        long took;
        try (Connection c = context.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET search_path = \"" + context.schema() + "\"");
            c.setAutoCommit(false);
            context.enter(new Phase("migration: one transaction", Phase.Stage.CHANGE));
            long t0 = System.nanoTime();
            for (String sql : STATEMENTS) {
                s.execute(sql);
                Timeline.log(String.format(Locale.ROOT, "%.1f s: %s", (System.nanoTime() - t0) / 1e9, sql));
            }
            c.commit();
            took = System.nanoTime() - t0;
            // the new code is deployed once its migration has run, as Flyway at the new code's startup does
            context.deployNewGroup(Assignment.of(AppVersion.NEW, context.schema()));
            context.enter(new Phase("after the migration: old and new code", Phase.Stage.SIDE_BY_SIDE));
        }
        Timeline.log(String.format(Locale.ROOT, "%.1f s: COMMIT", took / 1e9));
        context.sideBySide();
        context.deployOldGroup(Assignment.of(AppVersion.NEW, context.schema()));
        return String.format(Locale.ROOT, "one transaction of %d statements, %.1f s", STATEMENTS.size(), took / 1e9);
    }
}
