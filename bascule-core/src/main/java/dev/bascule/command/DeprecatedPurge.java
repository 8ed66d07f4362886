package dev.bascule.command;

import dev.bascule.api.BasculeException;
import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.deprecation.DeprecatedObjects;
import dev.bascule.dialect.Dialect;
import dev.bascule.step.Step;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Drops the tables and columns complete --deprecate kept, once they are older than a threshold.
 * Idempotent: what a rerun finds is what is left, and each drop is {@code IF EXISTS}.
 */
public final class DeprecatedPurge {
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    public DeprecatedPurge(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    /**
     * @param olderThan drop what was deprecated at least this long ago, by the database's clock
     *                  (the one that stamped it); zero drops everything deprecated
     * @param dryRun    list what would be dropped, change nothing, take no lock
     * @return what was dropped (or would be), columns first
     */
    public List<DeprecatedObject> run(Duration olderThan, boolean dryRun) {
        return run(olderThan, dryRun, null);
    }

    /**
     * @param confirmed when not null, only these may be dropped: what a user confirmed from a dry
     *                  run, not what was deprecated or aged past the threshold since
     */
    public List<DeprecatedObject> run(Duration olderThan, boolean dryRun, List<DeprecatedObject> confirmed) {
        if (olderThan == null || olderThan.isNegative()) {
            throw new InvalidMigrationException("the age of what to purge must be zero or more, got " + olderThan);
        }
        try (Session session = Session.open(dataSource, dialect, settings, !dryRun)) {
            List<DeprecatedObject> old = older(session.work(), olderThan);
            if (confirmed != null) {
                old.retainAll(confirmed);
            }
            if (dryRun || old.isEmpty()) {
                return old;
            }
            new StepRunner(dialect, settings, session).runUnrecorded("purge", old.stream().map(this::drop).toList());
            return old;
        } catch (SQLException e) {
            throw new BasculeException("purge failed: " + e.getMessage() + ". Run purge again to continue.", e);
        }
    }

    private List<DeprecatedObject> older(Connection c, Duration olderThan) throws SQLException {
        OffsetDateTime cutoff = now(c).minus(olderThan);
        List<DeprecatedObject> old = new ArrayList<>();
        for (DeprecatedObject d : DeprecatedObjects.read(c, dialect, settings.schema())) {
            if (!d.deprecatedAt().isAfter(cutoff)) {
                old.add(d);
            }
        }
        // a column of a deprecated table goes before the table
        old.sort(Comparator.comparing((DeprecatedObject d) -> d.kind() == DeprecatedObject.Kind.TABLE)
                .thenComparing(DeprecatedObject::table).thenComparing(DeprecatedObject::deprecatedName));
        return old;
    }

    private static OffsetDateTime now(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    private Step drop(DeprecatedObject d) {
        String schema = d.schema();
        if (d.kind() == DeprecatedObject.Kind.TABLE) {
            return new Step.SqlStep("drop deprecated table " + d.deprecatedName() + " (was " + d.originalName() + ")",
                    d.table(), "ACCESS EXCLUSIVE (brief)", List.of(dialect.tables().dropTable(schema, d.deprecatedName())),
                    "SELECT NOT (" + dialect.checks().tableExists(schema, d.deprecatedName()) + ")", true);
        }
        return new Step.SqlStep("drop deprecated column " + d.table() + "." + d.deprecatedName() + " (was "
                + d.originalName() + ")", d.table(), "ACCESS EXCLUSIVE (brief, no rewrite)",
                List.of(dialect.tables().dropColumn(schema, d.table(), d.deprecatedName())),
                dialect.checks().columnAbsent(schema, d.table(), d.deprecatedName()), true);
    }
}
