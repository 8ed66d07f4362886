package dev.bascule.plan.operation;

import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.dialect.OwnerMarker;
import dev.bascule.deprecation.DeprecatedName;
import dev.bascule.plan.ExpressionCheck;
import dev.bascule.plan.VolatileCalls;
import dev.bascule.plan.Names;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.plan.Verification;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the operations of a migration build together, as each is planned in file order: the shapes
 * of the tables as the new version sees them, the start and contract steps, the sync and backfill
 * parts, the swaps and renames complete runs, and the checks, notes and verifications of the plan.
 * {@link PlanAssembly} turns it into a {@link Plan} once every operation has added its part.
 */
public final class PlanContext {
    /** Defaults PostgreSQL stores in the catalog without rewriting the table: literals, optionally cast. */
    static final Pattern CONSTANT = Pattern.compile(
            "(?i)\\s*(-?\\d+(\\.\\d+)?|'([^']|'')*'|true|false|null)(\\s*::\\s*[a-z_][a-z0-9_ ]*(\\(\\d+(,\\s*\\d+)?\\))?)?\\s*");

    /** What each kind of statement locks, in the server's own terms, for plan. */
    final String lockBrief;
    final String lockOnlineIndex;
    final String lockValidate;
    final String lockRows;

    final Dialect dialect;
    /** The effect of each kind of step on its table, on this dialect's server. */
    final StepEffects effects;
    final Catalog catalog;
    final Migration migration;
    final String schema;
    final String functionSchema;
    final String previousVersionSchema;
    final String versionSchema;

    final Map<String, TableShape> shape = new LinkedHashMap<>();
    final Map<String, TableShape> byPhysical = new HashMap<>();
    final List<PlannedStep> start = new ArrayList<>();
    final List<Step> contract = new ArrayList<>();
    final List<Step> validations = new ArrayList<>();
    final Map<String, SyncParts> sync = new LinkedHashMap<>();
    final Map<String, BackfillParts> backfill = new LinkedHashMap<>();
    final Map<String, String> contractTables = new HashMap<>();
    final Map<String, String> contractColumns = new HashMap<>();
    final List<String> droppedTables = new ArrayList<>();
    final List<String> droppedColumns = new ArrayList<>();
    final List<String> droppedIndexes = new ArrayList<>();
    final List<String> retiredNames = new ArrayList<>();
    /** Columns swapped at complete, by physical table, in file order. */
    final Map<String, List<Alteration>> swaps = new LinkedHashMap<>();
    /** The foreign keys of altered columns, made again on their shadows at start (see {@link PlanAssembly}). */
    final List<ShadowForeignKey> shadowForeignKeys = new ArrayList<>();
    /** Foreign keys whose columns on both sides are altered: their tables swap together. */
    final ForeignKeyPairs pairs = new ForeignKeyPairs();
    /** Tables rebuilt through a shadow table: their versions' views are made again after the cut-over. */
    final Set<String> shadowTables = new LinkedHashSet<>();
    /** rename_column contract steps, by table.column physical: a swap renames an altered column itself. */
    final Map<String, List<Step>> renameSteps = new HashMap<>();
    final Set<Step> supersededRenames = new HashSet<>();
    /**
     * What each contract step that renames does to a table's names, where views name columns
     * ({@link Capabilities#viewsFollowRenames} false): the step re-creates the table's view itself.
     */
    final Map<Step, Renaming> renamings = new java.util.IdentityHashMap<>();
    /** Steps that show the columns start added hidden from old code (see {@link TableDdl#revealColumn}), run last. */
    final List<Step> reveals = new ArrayList<>();

    /**
     * For each contract step that drops a table or column, the step complete --deprecate runs in
     * its place (by identity: two steps may be equal records).
     */
    final Map<Step, Step> deprecations = new IdentityHashMap<>();
    final List<Verification> verifications = new ArrayList<>();
    final List<AddedCheck> addedChecks = new ArrayList<>();
    /** table.column of the physical columns an index or foreign key of this migration is built on, with the operation's number. */
    final Map<String, Integer> builtOn = new HashMap<>();
    /**
     * Comments set_comment gives existing columns ({@code table.column}, physical names; empty: none),
     * which a later alter_column's new column carries rather than the catalog's.
     */
    final Map<String, Optional<String>> commentsSet = new HashMap<>();

    final List<String> notes = new ArrayList<>();
    final List<ExpressionCheck> expressionChecks = new ArrayList<>();
    /** Constant defaults converted to their column's type at plan time, run (they call nothing), see {@link dev.bascule.dialect.Checks#constantDefaultCheck}. */
    final List<ExpressionCheck> valueChecks = new ArrayList<>();
    /** up and down expressions the verified gate computes again, whose calls the server is asked about at plan. */
    final List<VolatileCalls.Candidate> recomputed = new ArrayList<>();
    final Set<String> checkedTypes = new HashSet<>();
    final List<DownCheck> downChecks = new ArrayList<>();

    /**
     * The views the previous version schema may hold: one per table as the previous migration left
     * them, which are the tables now. Its drop drops only these (and its read marker), by name.
     */
    final List<String> previousViews;
    final List<Step> contractCleanup = new ArrayList<>();
    /** The physical columns (of the step's table) each contract step drops: a drop, its deprecation, a swap's old columns. */
    final Map<Step, List<String>> columnDrops = new IdentityHashMap<>();
    /** Each table's sync trigger as start creates it. */
    final Map<String, dev.bascule.dialect.SyncTriggers.SyncTrigger> syncTriggers = new LinkedHashMap<>();
    /** The steps after a swap that drop its table's sync triggers again (a rerun's safety net), by table. */
    final Map<Step, String> triggerDropsAfterSwap = new IdentityHashMap<>();

    private final Constraints constraints;
    private final ExpressionChecks checks;
    private final ContractDrops drops;

    public PlanContext(Dialect dialect, Catalog catalog, Migration migration, String functionSchema,
                       String previousVersionSchema) {
        this.dialect = dialect;
        this.effects = new StepEffects(dialect.name(), dialect.capabilities().server());
        this.lockBrief = dialect.locks().brief();
        this.lockOnlineIndex = dialect.locks().onlineIndex();
        this.lockValidate = dialect.locks().validate();
        this.lockRows = dialect.locks().rows();
        this.catalog = catalog;
        this.migration = migration;
        this.schema = catalog.schema();
        this.functionSchema = functionSchema;
        this.previousVersionSchema = previousVersionSchema;
        this.versionSchema = schema + "_" + migration.name();
        for (Catalog.Table t : catalog.tables().values()) {
            // deprecated tables and columns are in no version's views (purge could not drop them
            // under a view) and no operation may name them
            if (t.name().startsWith(DeprecatedName.PREFIX)) {
                continue;
            }
            TableShape ts = new TableShape(dialect, t.name(), t, false);
            t.columns().forEach(c -> {
                if (!c.name().startsWith(DeprecatedName.PREFIX)) {
                    ts.addColumn(c.name());
                }
            });
            shape.put(t.name(), ts);
            byPhysical.put(t.name(), ts);
        }
        previousViews = List.copyOf(shape.keySet());
        constraints = new Constraints(this);
        checks = new ExpressionChecks(this);
        drops = new ContractDrops(this);
    }

    /** Queries that must compile for the plan to be valid; run them before starting. */
    public List<ExpressionCheck> expressionChecks() {
        return List.copyOf(expressionChecks);
    }

    /** Constant defaults the server must accept for their column's type; run them (they call nothing) before starting. */
    public List<ExpressionCheck> valueChecks() {
        return List.copyOf(valueChecks);
    }

    /** Expressions the verified gate computes again, for the server to say which of their calls are volatile. */
    public List<VolatileCalls.Candidate> recomputed() {
        return List.copyOf(recomputed);
    }

    /**
     * Notes {@code field} of operation {@code i} for each function it calls that is known to change
     * from one call to the next, and keeps it for the server to tell of others.
     */
    void recomputedByTheGate(int i, Operation op, String field, String expression) {
        List<String> calls = VolatileCalls.calls(expression, dialect.name());
        VolatileCalls.Candidate candidate = new VolatileCalls.Candidate(MigrationSource.fieldPath(i, op.kind(), field),
                "operation " + (i + 1) + " (" + op.kind() + ")", field, expression, calls);
        VolatileCalls.known(calls).forEach(f -> notes.add(candidate.note(f)));
        recomputed.add(candidate);
    }

    /** The migration's notes so far: a dialect's word on an operation goes here too. */
    public void note(String note) {
        notes.add(note);
    }

    public Migration migration() {
        return migration;
    }

    public String versionSchema() {
        return versionSchema;
    }

    /** The plan, once every operation has been planned. */
    public Plan plan() {
        return new PlanAssembly(this).plan();
    }

    Constraints constraints() {
        return constraints;
    }

    ExpressionChecks checks() {
        return checks;
    }

    ContractDrops drops() {
        return drops;
    }

    /** A table (column null) or column that existed before this migration, and whose name complete removes. */
    void retire(TableShape t, String column) {
        Catalog.Table before = catalog.tables().get(t.physical);
        if (before != null && (column == null || before.column(column).isPresent())) {
            retiredNames.add(column == null ? t.physical : t.physical + "." + column);
        }
    }

    List<Verification.Mismatch> verification(TableShape t) {
        Verification v = verifications.stream().filter(x -> x.table().equals(t.physical)).findFirst().orElseGet(() -> {
            List<Step.KeyColumn> key = t.info.walkKey().stream()
                    .map(k -> new Step.KeyColumn(k, t.info.column(k).orElseThrow().type())).toList();
            Verification created = new Verification(schema, t.physical, key, new ArrayList<>());
            verifications.add(created);
            return created;
        });
        return v.mismatches();
    }

    /** A column that exists in the table now, named as the table names it (not renamed by this migration). */
    String existingColumn(int i, Operation op, String field, TableShape t, String name) {
        String physical = column(i, op, field, t, name);
        if (!physical.equals(name) || t.info == null || t.info.column(physical).isEmpty() || t.altered.contains(physical)) {
            throw error(i, op, field, "column '" + name + "' is added, renamed or altered by this same migration;"
                    + " " + op.kind() + " works on columns as they are before it: do it in a later migration");
        }
        return physical;
    }

    String copyTriggerName() {
        return Names.limited("_bascule_copy", Names.hash(migration.name()));
    }

    String triggerName() {
        return Names.limited("_bascule_sync", Names.hash(migration.name()));
    }

    String functionName(String table) {
        return Names.limited("sync", schema, table, Names.hash(migration.name()));
    }

    /** The marker on what this migration makes: Bascule drops and replaces only objects that carry it. */
    OwnerMarker owner() {
        return new OwnerMarker(versionSchema, functionSchema);
    }

    TableShape table(int i, Operation op, String field, String name) {
        TableShape t = shape.get(name);
        if (t == null) {
            throw error(i, op, field, "unknown table '" + name + "' in schema '" + schema + "'");
        }
        return t;
    }

    String column(int i, Operation op, String field, TableShape t, String name) {
        return t.logicalColumn(name).map(ColumnMapping::physical).orElseThrow(() ->
                error(i, op, field, "unknown column '" + name + "' in table '" + t.logical + "'"));
    }

    /** Tables that must have no row for the plan to stand (by the field that needs it): plan looks, and so does start. */
    final Map<String, String> mustBeEmpty = new java.util.LinkedHashMap<>();

    /** {@link #mustBeEmpty}: the field that needs it, and the table (physical name). */
    public Map<String, String> mustBeEmpty() {
        return Map.copyOf(mustBeEmpty);
    }

    ForeignKeyRef physicalReference(int i, Operation op, String field, ForeignKeyRef ref) {
        TableShape target = table(i, op, field + "/table", ref.table());
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < ref.columns().size(); c++) {
            columns.add(column(i, op, field + "/columns/" + c, target, ref.columns().get(c)));
        }
        if (columns.isEmpty() && target.info != null && target.info.primaryKey().isEmpty()) {
            throw error(i, op, field, "table '" + ref.table() + "' has no primary key; name the referenced columns");
        }
        return ref.to(target.physical, columns);
    }

    void newConstraintName(int i, Operation op, String field, TableShape t, String name) {
        if (t.info != null && t.info.constraints().contains(name) || t.renamedConstraints.containsKey(name)) {
            throw error(i, op, field, "constraint '" + name + "' already exists on table '" + t.logical + "'");
        }
    }

    void requireKey(int i, Operation op, TableShape t) {
        if (t.info.walkKey().isEmpty()) {
            throw error(i, op, "table", "table '" + t.logical + "' has neither a primary key nor a unique index on"
                    + " NOT NULL columns, which the backfill needs to walk the rows in batches; add one first (a"
                    + " bigint identity column, a unique index built concurrently, then ADD PRIMARY KEY USING INDEX)");
        }
        List<Step.KeyColumn> key = t.info.walkKey().stream()
                .map(k -> new Step.KeyColumn(k, t.info.column(k).orElseThrow().type())).toList();
        dialect.copy().backfillKeyProblem(key).ifPresent(why -> {
            throw error(i, op, "table", "table '" + t.logical + "' cannot be backfilled here: " + why);
        });
    }

    SyncParts sync(String table) {
        return sync.computeIfAbsent(table, t -> new SyncParts());
    }

    BackfillParts backfill(String table) {
        return backfill.computeIfAbsent(table, t -> new BackfillParts());
    }

    String contractTable(String physical) {
        return contractTables.getOrDefault(physical, physical);
    }

    String contractColumn(String table, String physical) {
        return contractColumns.getOrDefault(table + "." + physical, physical);
    }

    Step sql(String description, String table, String lock, String statement) {
        return new Step.SqlStep(description, table, lock, List.of(statement), null, true);
    }

    Step sql(String description, String table, String lock, String statement, Step.Declared effect) {
        return new Step.SqlStep(description, table, lock, List.of(statement), null, true, false, effect);
    }

    /** An index dropped online: a statement that may not run in a transaction, and reads no row. */
    Step indexDrop(String description, String table, String statement) {
        return new Step.SqlStep(description, table, lockOnlineIndex, List.of(statement), null, false, true, effects.indexDrop());
    }

    /** An index built online, from a scan while reads and writes go on. */
    Step indexBuild(String description, String table, String index, String create) {
        return new Step.IndexBuildStep(description, table, lockOnlineIndex, schema, index, create, effects.indexBuild());
    }

    InvalidMigrationException error(int i, Operation op, String field, String message) {
        return InvalidMigrationException.at(migration.source(), MigrationSource.fieldPath(i, op.kind(), field), message);
    }
}
