package dev.bascule.command;

import dev.bascule.api.BaselineOutcome;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.RefusedException;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.api.Identifiers;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.MigrationRecord.Phase;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes the application's tables, as they are, as a first version (a schema of views; a
 * database on MariaDB) and records it as a completed migration: old code reads and writes
 * through that version from the first migration on, and the next migration's start treats it as
 * the previous version (its complete drops it, as it drops any completed migration's version).
 * Code on the base tables sees a column that start adds; code on a version never does.
 */
public final class Baseline {
    /** BASELINED: the version was published now; ALREADY_BASELINED: it was there, nothing changed. */

    /** The key, in the state's per-migration records, that marks a migration row as a baseline. */
    public static final String MARKER = "bascule_baseline";

    public static final String DEFAULT_NAME = "baseline";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Settings settings;

    public Baseline(DataSource dataSource, Dialect dialect, Settings settings) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
    }

    /**
     * What the baseline adopted: the last migration another tool applied here, if any.
     *
     * @param tool        {@code flyway} or {@code liquibase}
     * @param version     Flyway's version; Liquibase's changeset id
     * @param description Flyway's description; Liquibase's author and file
     * @param checksum    as the tool recorded it (Flyway's CRC32, Liquibase's MD5 sum); null when none
     */
    public record Adopted(String tool, String version, String description, String checksum) {
        public String describe() {
            return tool + " " + version + (description == null || description.isBlank() ? "" : " (" + description + ")")
                    + (checksum == null ? "" : ", checksum " + checksum);
        }
    }

    /** For history: what the baseline whose {@link #MARKER} record is {@code marker} adopted, "" when nothing. */
    public static String adoptedNote(String marker) {
        try {
            com.fasterxml.jackson.databind.JsonNode adopted = JSON.readTree(marker).path("adopted");
            return adopted.isObject() ? JSON.treeToValue(adopted, Adopted.class).describe() : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    public BaselineOutcome run(String name) {
        if (!Identifiers.isValidMigrationName(name)) {
            throw new InvalidMigrationException("invalid baseline name '" + name + "': use letters, digits and _, at most "
                    + Identifiers.MAX_LENGTH + " characters");
        }
        try (Session session = Session.open(dataSource, dialect, settings, true)) {
            Connection control = session.control();
            String schema = settings.schema();
            boolean hasState = session.state().exists(control);
            if (hasState) {
                session.state().init(control); // a state of an older layout is upgraded, a newer one refused
                Optional<MigrationRecord> existing = baselineOf(session, schema);
                if (existing.isPresent() && existing.get().phase() == Phase.COMPLETED) {
                    settings.listener().note("schema " + schema + " already has the baseline " + existing.get().name()
                            + " (version " + existing.get().versionSchema() + "); nothing to do");
                    return BaselineOutcome.ALREADY_BASELINED;
                }
                Optional<MigrationRecord> active = session.state().active(control);
                if (active.isPresent() && (existing.isEmpty() || active.get().id() != existing.get().id())) {
                    throw new RefusedException("migration " + active.get().name() + " is " + active.get().phase().dbName()
                            + ": a baseline is the starting point before the first migration; complete or roll it back,"
                            + " then old code moves to its version");
                }
                Optional<MigrationRecord> completed = session.state().lastCompleted(control, schema);
                if (completed.isPresent()) {
                    throw new RefusedException("migration " + completed.get().name() + " already completed on schema "
                            + schema + ": old code already has its version " + completed.get().versionSchema()
                            + " (bascule latest); a baseline is only for a schema Bascule has not migrated yet");
                }
                if (existing.isPresent()) {
                    return finish(session, existing.get()); // a baseline cut off before it finished
                }
            }
            Migration migration = new Migration(name, List.of(), checksum(name, schema),
                    new MigrationSource("baseline", Map.of()));
            // the baseline's version is made exactly as a migration's: a migration with no operations
            Plan plan = Planning.plan(session.work(), dialect, session.state(), schema, migration);
            Optional<Adopted> adopted = adopted(session.work(), schema);
            session.state().init(control);
            if (session.state().find(control, schema, name).isPresent()) {
                throw new RefusedException("a migration named " + name + " is already in the history of schema " + schema
                        + "; give the baseline another name (--name)");
            }
            long id = session.state().insert(control, schema, name, migration.checksum(), plan);
            Map<String, Object> marker = new LinkedHashMap<>();
            marker.put("adopted", adopted.orElse(null));
            session.state().saveBaseline(control, id, MARKER, JSON.writeValueAsString(marker));
            adopted.ifPresent(a -> settings.listener().note("adopted " + a.describe()
                    + ": its history is taken as applied, and Bascule migrates from here"));
            return finish(session, session.state().find(control, schema, name).orElseThrow());
        } catch (SQLException e) {
            throw new BasculeException("baseline failed: " + e.getMessage() + ". Run baseline again to finish it.", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the baseline record", e);
        }
    }

    private BaselineOutcome finish(Session session, MigrationRecord record) throws SQLException {
        Plan plan = session.state().plan(session.control(), record.id());
        List<Step> steps = plan.start().stream().map(PlannedStep::action).toList();
        try {
            new StepRunner(dialect, settings, session, record.name()).runPhase(record.id(), "start", steps, false); // "start", as rollback reads it
        } catch (RuntimeException e) {
            session.state().recordError(session.control(), record.id(), e.getMessage());
            throw StartPhase.withAdvice(e, "baseline");
        }
        session.state().setPhase(session.control(), record.id(), Phase.STARTED);
        session.state().setPhase(session.control(), record.id(), Phase.COMPLETED);
        settings.listener().note("published version " + plan.versionSchema() + " of schema " + plan.schema()
                + ": point old code at it (bascule latest)");
        return BaselineOutcome.BASELINED;
    }

    /** The baseline of {@code schema} in the history, if one was recorded. */
    static Optional<MigrationRecord> baselineOf(Session session, String schema) throws SQLException {
        for (MigrationRecord r : session.state().history(session.control())) {
            if (r.schema().equals(schema) && r.phase() != Phase.ROLLED_BACK
                    && session.state().baselines(session.control(), r.id()).containsKey(MARKER)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** What the baseline stands for, in the checksum column a migration file's hash takes. */
    private static String checksum(String name, String schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("bascule baseline\n" + schema + "\n" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The last migration Flyway ({@code flyway_schema_history}) or Liquibase ({@code databasechangelog})
     * applied to the schema, read as it is: the baseline takes the schema as that history left it.
     */
    Optional<Adopted> adopted(Connection c, String schema) throws SQLException {
        Catalog catalog = dialect.catalog().readCatalog(c, schema);
        Optional<String> flyway = table(catalog, "flyway_schema_history");
        if (flyway.isPresent()) {
            Optional<Map<String, String>> row = lastRow(c, schema, flyway.get(), "installed_rank",
                    "success AND version IS NOT NULL");
            if (row.isPresent()) {
                Map<String, String> r = row.get();
                return Optional.of(new Adopted("flyway", r.get("version"), r.get("description"), r.get("checksum")));
            }
        }
        Optional<String> liquibase = table(catalog, "databasechangelog");
        if (liquibase.isPresent()) {
            Optional<Map<String, String>> row = lastRow(c, schema, liquibase.get(), "orderexecuted", null);
            if (row.isPresent()) {
                Map<String, String> r = row.get();
                return Optional.of(new Adopted("liquibase", r.get("id"), r.get("author") + ", " + r.get("filename"),
                        r.get("md5sum")));
            }
        }
        return Optional.empty();
    }

    /** The table's name as the catalog spells it (Liquibase writes DATABASECHANGELOG in capitals on MariaDB). */
    private static Optional<String> table(Catalog catalog, String name) {
        return catalog.tables().keySet().stream().filter(t -> t.equalsIgnoreCase(name)).findFirst();
    }

    /** The row with the highest {@code order}, its columns by lower-case name. */
    private Optional<Map<String, String>> lastRow(Connection c, String schema, String table, String order, String where)
            throws SQLException {
        String sql = "SELECT * FROM " + dialect.quote(schema) + "." + dialect.quote(table)
                + (where == null ? "" : " WHERE " + where) + " ORDER BY " + order + " DESC LIMIT 1";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                return Optional.empty();
            }
            ResultSetMetaData md = rs.getMetaData();
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
            }
            return Optional.of(row);
        }
    }
}
