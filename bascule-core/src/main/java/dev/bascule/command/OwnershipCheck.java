package dev.bascule.command;

import dev.bascule.plan.operation.OperationPlanners;

import dev.bascule.plan.Names;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;

import dev.bascule.step.Step;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import dev.bascule.api.RefusedException;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.CatalogReader;
import dev.bascule.dialect.OwnerMarker;
import dev.bascule.api.Identifiers;
import dev.bascule.state.MigrationRecord;
import dev.bascule.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Before a migration is planned (and again when start plans it, before anything changes): Bascule
 * drops, replaces or renames only what it made, and a table belongs to one migration at a time.
 * <ul>
 * <li>a schema (database) with the version schema's name that this migration did not make, or a
 * trigger function, trigger, shadow column or shadow table named like Bascule's that no Bascule
 * migration made, is a name clash: bad input (exit 2), naming the object and the way out;</li>
 * <li>a table that a migration under way changes (its sync or copy triggers, shadow columns or
 * shadow table, or its plan, read from the state schema its version schema's marker names) is
 * refused to every other migration, whatever state schema it is recorded in (exit 3).</li>
 * </ul>
 * Ownership is read from the objects themselves ({@link OwnerMarker}), so a migration recorded in
 * another state schema, or in a lost one, is still seen.
 */
public final class OwnershipCheck {
    private static final String SHADOW_PREFIX = "_bascule_new_";

    private final Connection c;
    private final Dialect dialect;
    private final Catalog catalog;
    private final Migration migration;
    private final String schema;
    private final OwnerMarker self;

    private OwnershipCheck(Connection c, Dialect dialect, Catalog catalog, String stateSchema, Migration migration) {
        this.c = c;
        this.dialect = dialect;
        this.catalog = catalog;
        this.migration = migration;
        this.schema = catalog.schema();
        this.self = new OwnerMarker(schema + "_" + migration.name(), stateSchema);
    }

    /** Throws {@link InvalidMigrationException} on a name clash, {@link RefusedException} on a table another migration owns. */
    public static void run(Connection c, Dialect dialect, Catalog catalog, String stateSchema, Migration migration)
            throws SQLException {
        new OwnershipCheck(c, dialect, catalog, stateSchema, migration).run();
    }

    /**
     * After planning: the indexes the plan builds under names of its own ({@code _bascule_new_*}
     * while they are built) must not exist yet. The build step takes an existing valid index of that
     * name for its own work done, and complete would rename it.
     */
    public static void requireNewIndexNames(Dialect dialect, Catalog catalog, Migration migration, Plan plan) {
        boolean perTable = dialect.name().equals("mariadb"); // index names are per table there
        for (PlannedStep planned : plan.start()) {
            if (planned.action() instanceof Step.IndexBuildStep build && build.schema().equals(catalog.schema())) {
                Catalog.Index existing = catalog.indexes().get(build.index());
                if (existing != null && (!perTable || existing.table().equals(build.table()))) {
                    throw InvalidMigrationException.at(migration.source(), "/operations", "index " + build.index()
                            + " (on table " + existing.table() + ") " + OwnerMarker.GUARD + ", which builds an index of"
                            + " that name: drop or rename it");
                }
            }
        }
    }

    private void run() throws SQLException {
        if (self.versionSchema().length() > Identifiers.MAX_LENGTH) {
            return; // the planner says the name is too long
        }
        Map<String, String> versions = dialect.catalog().schemaComments(c, schema + "_");
        requireOwnVersionSchema(versions.get(self.versionSchema()));
        Set<String> tables = touchedTables();
        requireOwnTriggers(tables);
        requireNoShadows(tables);
        requireNoOtherMigrationOn(tables, versions);
        requireOwnFunctions();
    }

    private String kind() {
        return dialect.name().equals("mariadb") ? "database" : "schema";
    }

    private void requireOwnVersionSchema(String comment) {
        if (comment == null) {
            return;
        }
        Optional<OwnerMarker> marker = OwnerMarker.in(comment);
        if (marker.isPresent() && marker.get().equals(self)) {
            return; // made by an earlier run of this migration's start
        }
        String message = marker.isPresent() && marker.get().versionSchema().equals(self.versionSchema())
                ? kind() + " " + self.versionSchema() + " is the version " + kind() + " of migration " + migration.name()
                + " recorded in state schema " + marker.get().stateSchema() + ", not in " + self.stateSchema()
                + ": give this migration another name"
                : OwnerMarker.notOurs(kind(), self.versionSchema());
        throw InvalidMigrationException.at(migration.source(), "/name", message);
    }

    /** The existing tables the operations name (a table this migration creates belongs to it). */
    private Set<String> touchedTables() {
        Set<String> named = new LinkedHashSet<>();
        for (Operation op : migration.operations()) {
            named.addAll(OperationPlanners.of(op).changedTables(catalog));
        }
        named.retainAll(catalog.tables().keySet());
        return named;
    }

    private void requireOwnTriggers(Set<String> tables) throws SQLException {
        // MariaDB names triggers per database: CREATE OR REPLACE TRIGGER would replace one on any table
        boolean namedPerSchema = dialect.name().equals("mariadb");
        for (CatalogReader.NamedTrigger trigger : dialect.catalog().basculeTriggers(c, schema)) {
            Optional<OwnerMarker> owner = OwnerMarker.in(trigger.definition());
            if (!tables.contains(trigger.table()) && !(namedPerSchema && owner.isEmpty())) {
                continue;
            }
            if (owner.isEmpty()) {
                throw InvalidMigrationException.at(migration.source(), "/operations", "trigger " + trigger.name()
                        + " on table " + schema + "." + trigger.table() + " is named like Bascule's but was not made by"
                        + " this Bascule (it carries no Bascule marker): drop or rename it, or, if an older Bascule made it"
                        + " for a migration still under way, complete or roll that migration back first");
            }
            if (!owner.get().equals(self)) {
                throw refusal(trigger.table(), owner.get(), "its trigger " + trigger.name());
            }
        }
    }

    private void requireNoShadows(Set<String> tables) throws SQLException {
        Set<String> ownTriggerTables = new LinkedHashSet<>();
        for (CatalogReader.NamedTrigger t : dialect.catalog().basculeTriggers(c, schema)) {
            if (OwnerMarker.in(t.definition()).filter(self::equals).isPresent()) {
                ownTriggerTables.add(t.table());
            }
        }
        for (String table : tables) {
            if (ownTriggerTables.contains(table)) {
                continue; // this migration's own, from an earlier run of its start
            }
            Catalog.Table t = catalog.tables().get(table);
            String shadowTable = Names.limited("_bascule_new", table);
            Optional<String> shadow = t.columns().stream().map(Catalog.Column::name)
                    .filter(n -> n.startsWith(SHADOW_PREFIX)).map(n -> "column " + table + "." + n).findFirst()
                    .or(() -> catalog.indexes().values().stream()
                            .filter(i -> i.table().equals(table) && i.name().startsWith(SHADOW_PREFIX))
                            .map(i -> "index " + i.name()).findFirst())
                    .or(() -> catalog.tables().containsKey(shadowTable) ? Optional.of("table " + shadowTable) : Optional.empty());
            if (shadow.isEmpty()) {
                continue;
            }
            String kind = shadow.get().substring(0, shadow.get().indexOf(' '));
            throw new RefusedException("table " + schema + "." + table + " has " + shadow.get() + ", named like what a"
                    + " Bascule migration under way makes (another migration's, or a start cut off before its"
                    + " triggers): complete or roll back that migration before migration " + migration.name()
                    + " changes " + table + "; if nothing is under way, the " + kind + " was not made by Bascule: rename it");
        }
    }

    /**
     * A migration under way in another state schema whose plan works on one of {@code tables}: found
     * through the markers of the version schemas, each naming the state schema that recorded it.
     */
    private void requireNoOtherMigrationOn(Set<String> tables, Map<String, String> versions) throws SQLException {
        for (Map.Entry<String, String> version : versions.entrySet()) {
            Optional<OwnerMarker> owner = OwnerMarker.in(version.getValue());
            if (owner.isEmpty() || owner.get().equals(self) || owner.get().stateSchema().equals(self.stateSchema())
                    || !owner.get().versionSchema().equals(version.getKey())) {
                continue; // one state schema runs one migration at a time: start says so itself
            }
            Set<String> theirs = tablesOfActive(owner.get().stateSchema(), version.getKey());
            for (String table : tables) {
                if (theirs.contains(table)) {
                    throw refusal(table, owner.get(), "its plan");
                }
            }
        }
    }

    /**
     * The tables the plan of the migration under way in {@code stateSchema} works on, if its version
     * schema is {@code versionSchema}; none when it is not under way, or that state schema cannot be
     * read (lost, or another tenant's that this user may not read: its triggers still tell).
     */
    private Set<String> tablesOfActive(String stateSchema, String versionSchema) {
        StateStore other = new StateStore(stateSchema, dialect.stateSql());
        Set<String> theirs = new LinkedHashSet<>();
        try {
            if (!other.exists(c)) {
                return theirs;
            }
            Optional<MigrationRecord> active = other.active(c);
            if (active.isEmpty() || !active.get().versionSchema().equals(versionSchema)) {
                return theirs;
            }
            Plan plan = other.plan(c, active.get().id());
            if (!plan.schema().equals(schema)) {
                return theirs; // a base schema whose name starts like this one's
            }
            plan.start().forEach(s -> theirs.add(s.action().table()));
            plan.contract().forEach(s -> theirs.add(s.table()));
        } catch (SQLException | RuntimeException e) {
            return Set.of(); // autocommit: a failed read leaves the connection as it was
        }
        return theirs;
    }

    /** Trigger functions live in the state schema, named after the migration; one of that name must be this migration's. */
    private void requireOwnFunctions() throws SQLException {
        for (Map.Entry<String, String> f : dialect.catalog().functions(c, self.stateSchema(), "_" + Names.hash(migration.name())).entrySet()) {
            if (!OwnerMarker.in(f.getValue()).filter(self::equals).isPresent()
                    && (f.getKey().startsWith("sync_") || f.getKey().startsWith("copy_"))) {
                throw InvalidMigrationException.at(migration.source(), "/name", "function " + self.stateSchema() + "."
                        + f.getKey() + " exists and was not made by Bascule for this migration: drop or rename it, or"
                        + " give the migration another name");
            }
        }
    }

    private RefusedException refusal(String table, OwnerMarker owner, String how) {
        String name = owner.versionSchema().startsWith(schema + "_")
                ? owner.versionSchema().substring(schema.length() + 1) : owner.versionSchema();
        return new RefusedException("table " + schema + "." + table + " belongs to migration " + name + " (version "
                + owner.versionSchema() + ", state schema " + owner.stateSchema() + "), which is under way and changes it"
                + " (" + how + "): complete or roll back " + name + " (with --state-schema " + owner.stateSchema()
                + ") before migration " + migration.name() + " changes " + table);
    }
}
