package dev.bascule.command;

import dev.bascule.api.BasculeException;
import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;
import dev.bascule.api.RestoreTarget;
import dev.bascule.deprecation.DeprecatedObjects;
import dev.bascule.dialect.Dialect;
import dev.bascule.api.Identifiers;
import dev.bascule.step.Step;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Gives a deprecated table or column its original name back, with the data it held when it was
 * deprecated. What it lost then (a column's indexes, constraints, default and NOT NULL; a table's
 * foreign keys) is not rebuilt, and rows written since have NULL in a restored column.
 */
public final class DeprecatedRestore {
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    public DeprecatedRestore(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    /**
     * @return the object restored; empty when the original name is in place and nothing of that
     *         name is deprecated (a rerun after a restore)
     * @throws InvalidMigrationException (exit 2) when nothing of that name is deprecated or the name is ambiguous
     * @throws RefusedException (exit 3) when the original name is taken
     */
    public Optional<DeprecatedObject> run(RestoreTarget target) {
        requireName("--table", target.table());
        target.column().ifPresent(c -> requireName("--column", c));
        target.migration().filter(m -> !Identifiers.isValidMigrationName(m)).ifPresent(m -> {
            throw new InvalidMigrationException("invalid migration name '" + m + "' in --migration");
        });
        String schema = settings.schema();
        try (Session session = Session.open(dataSource, dialect, settings, true)) {
            Connection c = session.work();
            if (session.state().exists(session.control())) {
                session.state().active(session.control()).ifPresent(active -> {
                    throw new BasculeException("migration " + active.name() + " is " + active.phase().dbName()
                            + ": its plan names tables and columns as they are now; complete or roll it back, then restore");
                });
            }
            List<DeprecatedObject> all = DeprecatedObjects.read(c, dialect, schema);
            List<DeprecatedObject> matches = all.stream().filter(d -> matches(d, target)).toList();
            boolean originalInPlace = exists(c, target.table(), target.column().orElse(null));
            if (matches.isEmpty()) {
                if (originalInPlace && target.migration().isEmpty()) {
                    settings.listener().note(target.describe() + " is in place and nothing of that name is deprecated;"
                            + " nothing to restore");
                    return Optional.empty();
                }
                List<String> known = all.stream().map(d -> d.describe() + " by " + d.migration()).toList();
                throw new InvalidMigrationException("no deprecated " + target.describe() + " in schema " + schema
                        + target.migration().map(m -> " deprecated by migration " + m).orElse("")
                        + (known.isEmpty() ? "; nothing is deprecated there" : "; deprecated: " + String.join(", ", known)));
            }
            if (matches.size() > 1) {
                throw new InvalidMigrationException(target.describe() + " was deprecated more than once: "
                        + String.join(", ", matches.stream().map(d -> d.describe() + " by " + d.migration() + " at "
                        + d.deprecatedAt()).toList()) + "; choose one with --migration NAME");
            }
            DeprecatedObject d = matches.get(0);
            if (originalInPlace) {
                throw new RefusedException("cannot restore " + d.describe() + ": " + target.describe()
                        + " exists (new code or a later migration made it). Rename or drop it first; nothing was changed.");
            }
            new StepRunner(dialect, settings, session).runUnrecorded("restore", List.of(restore(d)));
            return Optional.of(d);
        } catch (SQLException e) {
            throw new BasculeException("restore failed: " + e.getMessage() + ". Run restore again to continue.", e);
        }
    }

    private static void requireName(String option, String name) {
        if (!Identifiers.isValid(name)) {
            throw new InvalidMigrationException("invalid name '" + name + "' in " + option + ": letters, digits and _,"
                    + " starting with a letter or _, at most " + Identifiers.MAX_LENGTH + " characters");
        }
    }

    private static boolean matches(DeprecatedObject d, RestoreTarget t) {
        boolean object = t.column().isPresent()
                ? d.kind() == DeprecatedObject.Kind.COLUMN && d.table().equals(t.table()) && d.originalName().equals(t.column().get())
                : d.kind() == DeprecatedObject.Kind.TABLE && d.originalName().equals(t.table());
        return object && t.migration().map(m -> m.equals(d.migration())).orElse(true);
    }

    /** Whether the table (or the table's column) exists; a view or sequence of that name takes a table's name too. */
    private boolean exists(Connection c, String table, String column) throws SQLException {
        String query = column == null
                ? dialect.checks().relationExists(settings.schema(), table)
                : dialect.checks().columnExists(settings.schema(), table, column);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private Step restore(DeprecatedObject d) {
        String schema = d.schema();
        if (d.kind() == DeprecatedObject.Kind.TABLE) {
            return new Step.SqlStep("restore table " + d.deprecatedName() + " as " + d.originalName(), d.deprecatedName(),
                    "ACCESS EXCLUSIVE (brief, no scan)", List.of(dialect.tables().renameTable(schema, d.deprecatedName(), d.originalName()),
                    dialect.tables().commentOnTable(schema, d.originalName(), d.comment())), null, true);
        }
        return new Step.SqlStep("restore column " + d.table() + "." + d.deprecatedName() + " as " + d.originalName(),
                d.table(), "ACCESS EXCLUSIVE (brief, no scan)",
                List.of(dialect.tables().renameColumn(schema, d.table(), d.deprecatedName(), d.originalName()),
                        dialect.tables().commentOnColumn(schema, d.table(), d.originalName(), d.comment())), null, true);
    }
}
