package dev.bascule.plan;

import dev.bascule.step.Step;
import dev.bascule.api.ColumnDef;
import dev.bascule.api.ContractMode;
import dev.bascule.api.DeprecatedObject;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.SyncTriggers;
import dev.bascule.dialect.ShadowTables;
import dev.bascule.dialect.ConstraintDdl;
import dev.bascule.dialect.OwnerMarker;
import dev.bascule.step.Step.Assignment;
import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.deprecation.DeprecationMarker;
import dev.bascule.model.Expressions;
import dev.bascule.model.Identifiers;

import java.util.ArrayList;
import java.util.Comparator;
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
 * Turns a migration into a {@link Plan} against the live catalog. Operations see the schema as
 * the operations before them left it (the new version's names); each is resolved to the physical
 * tables and columns it touches, which do not change until complete.
 */
public final class Planner {
    /** An sql operation's text that may create a type a later operation uses. */
    private static final Pattern CREATES_TYPES = Pattern.compile(
            "(?i)\\bcreate\\s+(or\\s+replace\\s+)?(type|domain|extension)\\b");

    /** An sql operation's text that may create a function, sequence or other object a later expression uses. */
    private static final Pattern CREATES = Pattern.compile("(?i)\\bcreate\\b");

    /** Defaults PostgreSQL stores in the catalog without rewriting the table: literals, optionally cast. */
    private static final Pattern CONSTANT = Pattern.compile(
            "(?i)\\s*(-?\\d+(\\.\\d+)?|'([^']|'')*'|true|false|null)(\\s*::\\s*[a-z_][a-z0-9_ ]*(\\(\\d+(,\\s*\\d+)?\\))?)?\\s*");

    /** What each kind of statement locks, in the server's own terms, for plan. */
    private final String lockBrief;
    private final String lockOnlineIndex;
    private final String lockValidate;
    private final String lockRows;

    private final Dialect dialect;
    private final Catalog catalog;
    private final Migration migration;
    private final String schema;
    private final String functionSchema;
    private final String previousVersionSchema;
    private final String versionSchema;

    private final Map<String, TableShape> shape = new LinkedHashMap<>();
    private final Map<String, TableShape> byPhysical = new HashMap<>();
    private final List<PlannedStep> start = new ArrayList<>();
    private final List<Step> contract = new ArrayList<>();
    private final List<Step> validations = new ArrayList<>();
    private final Map<String, SyncParts> sync = new LinkedHashMap<>();
    private final Map<String, BackfillParts> backfill = new LinkedHashMap<>();
    private final Map<String, String> contractTables = new HashMap<>();
    private final Map<String, String> contractColumns = new HashMap<>();
    private final List<String> droppedTables = new ArrayList<>();
    private final List<String> droppedColumns = new ArrayList<>();
    private final List<String> droppedIndexes = new ArrayList<>();
    private final List<String> retiredNames = new ArrayList<>();
    /** Columns swapped at complete, by physical table, in file order. */
    private final Map<String, List<Alteration>> swaps = new LinkedHashMap<>();
    /** The foreign keys of altered columns, made again on their shadows at start (see {@link #pairForeignKeys}). */
    private final List<ShadowForeignKey> shadowForeignKeys = new ArrayList<>();
    /** Foreign keys whose columns on both sides are altered: their tables swap together. */
    private final ForeignKeyPairs pairs = new ForeignKeyPairs();
    /** Tables rebuilt through a shadow table: their versions' views are made again after the cut-over. */
    private final Set<String> shadowTables = new LinkedHashSet<>();
    /** rename_column contract steps, by table.column physical: a swap renames an altered column itself. */
    private final Map<String, List<Step>> renameSteps = new HashMap<>();
    private final Set<Step> supersededRenames = new HashSet<>();
    /**
     * What each contract step that renames does to a table's names, where views name columns
     * ({@link Capabilities#viewsFollowRenames} false): the step re-creates the table's view itself.
     */
    private final Map<Step, Renaming> renamings = new java.util.IdentityHashMap<>();
    /** Steps that show the columns start added hidden from old code (see {@link TableDdl#revealColumn}), run last. */
    private final List<Step> reveals = new ArrayList<>();

    /** A step's renames of table {@code table} (physical, as at start): columns by physical name, and the table's new name or null. */
    private record Renaming(String table, Map<String, String> columns, String tableTo) {}
    /**
     * For each contract step that drops a table or column, the step complete --deprecate runs in
     * its place (by identity: two steps may be equal records).
     */
    private final Map<Step, Step> deprecations = new IdentityHashMap<>();
    private final List<Verification> verifications = new ArrayList<>();
    private final List<AddedCheck> addedChecks = new ArrayList<>();
    /** table.column of the physical columns an index or foreign key of this migration is built on, with the operation's number. */
    private final Map<String, Integer> builtOn = new HashMap<>();

    /** An add_check, whose expression names physical columns: an altered one would be dropped under it by the swap. */
    private record AddedCheck(int index, Operation.AddCheck op, String table) {}
    private final List<String> notes = new ArrayList<>();
    private final List<ExpressionCheck> expressionChecks = new ArrayList<>();
    private final Set<String> checkedTypes = new HashSet<>();
    private final List<DownCheck> downChecks = new ArrayList<>();

    /** A {@code down} expression, checked once every operation has shaped the new version it reads. */
    private record DownCheck(String path, TableShape table, String expression) {}

    /**
     * @param functionSchema        where generated trigger functions live (the state schema)
     * @param previousVersionSchema the version old code uses now
     */
    public Planner(Dialect dialect, Catalog catalog, Migration migration, String functionSchema,
                   String previousVersionSchema) {
        this.dialect = dialect;
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
            TableShape ts = new TableShape(t.name(), t, false);
            t.columns().forEach(c -> {
                if (!c.name().startsWith(DeprecatedName.PREFIX)) {
                    ts.addColumn(c.name());
                }
            });
            shape.put(t.name(), ts);
            byPhysical.put(t.name(), ts);
        }
        previousViews = List.copyOf(shape.keySet());
    }

    /**
     * The views the previous version schema may hold: one per table as the previous migration left
     * them, which are the tables now. Its drop drops only these (and its read marker), by name.
     */
    private final List<String> previousViews;

    /** Queries that must compile for the plan to be valid; run them before starting. */
    public List<ExpressionCheck> expressionChecks() {
        return List.copyOf(expressionChecks);
    }

    public Plan plan() {
        if (versionSchema.length() > Identifiers.MAX_LENGTH) {
            throw InvalidMigrationException.at(migration.source(), "/name", "the version schema name '" + versionSchema
                    + "' is longer than " + Identifiers.MAX_LENGTH + " characters; choose a shorter migration name");
        }
        List<Operation> ops = migration.operations();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            int index = i;
            ReservedNames.created(op).forEach((field, name) -> {
                if (ReservedNames.reserved(name)) {
                    throw error(index, op, field, "'" + name + "' starts with '" + ReservedNames.PREFIX + "', which Bascule"
                            + " keeps for its own tables, columns, indexes and triggers; choose another name");
                }
            });
            dialect.capabilities().refusal(op).ifPresent(reason -> {
                throw error(index, op, "", reason);
            });
            dialect.capabilities().note(op).ifPresent(note -> notes.add("operation " + (index + 1) + " (" + op.kind() + "): " + note));
            if (op instanceof Operation.CreateTable ct) createTable(i, ct);
            else if (op instanceof Operation.DropTable dt) dropTable(i, dt);
            else if (op instanceof Operation.RenameTable rt) renameTable(i, rt);
            else if (op instanceof Operation.AddColumn ac) addColumn(i, ac);
            else if (op instanceof Operation.DropColumn dc) dropColumn(i, dc);
            else if (op instanceof Operation.RenameColumn rc) renameColumn(i, rc);
            else if (op instanceof Operation.CreateIndex ci) createIndex(i, ci);
            else if (op instanceof Operation.DropIndex di) dropIndex(i, di);
            else if (op instanceof Operation.AddForeignKey fk) addForeignKey(i, fk);
            else if (op instanceof Operation.AddCheck ck) addCheck(i, ck);
            else if (op instanceof Operation.DropConstraint dc) dropConstraint(i, dc);
            else if (op instanceof Operation.Sql s) sql(i, s);
            else if (op instanceof Operation.AlterColumn ac) alterColumn(i, ac);
            else if (op instanceof Operation.SplitTable st) splitTable(i, st);
            else if (op instanceof Operation.MergeTables mt) mergeTables(i, mt);
        }
        for (AddedCheck check : addedChecks) {
            for (Alteration a : swaps.getOrDefault(check.table(), List.of())) {
                if (!Expressions.renameColumn(check.op().expression(), a.column(), "\"\"").equals(check.op().expression())) {
                    throw error(check.index(), check.op(), "expression", "the expression names column '" + a.column()
                            + "', which this migration alters; give the check as the alter_column's 'check' instead");
                }
            }
        }
        swaps.forEach((table, alterations) -> alterations.forEach(a -> {
            supersededRenames.addAll(renameSteps.getOrDefault(table + "." + a.column(), List.of()));
            supersededRenames.addAll(renameSteps.getOrDefault(table + "." + a.shadow(), List.of()));
        }));
        swaps.forEach((table, alterations) -> {
            TableShape t = byPhysical.get(table);
            for (Alteration a : alterations) {
                String logical = t.columns.stream().filter(m -> m.physical().equals(a.shadow())).map(ColumnMapping::logical)
                        .findFirst().orElseThrow();
                String oldType = t.info == null ? null : t.info.column(a.column()).map(Catalog.Column::type).orElse(null);
                verification(t).add(new Verification.Mismatch("column " + logical, dialect.checks().rowMismatch(a.shadow(),
                        TextComparison.comparable(dialect.name(), oldType, a.newType(), a.upValue()), oldScope(t),
                        a.column(), TextComparison.comparable(dialect.name(), oldType, a.newType(), a.downValue()),
                        newScope(t))));
            }
        });
        pairForeignKeys();
        addDownChecks();
        addSyncTriggers();
        addBackfills();
        addViews();
        List<PlannedStep> ordered = new ArrayList<>(start);
        ordered.sort(Comparator.comparing(PlannedStep::stage)); // stable: file order within a stage
        // both contracts are planned now, one for one, so the stored plan holds whichever complete
        // chooses: the choice is recorded when it begins, and a rerun reads it back (see Plan.contract)
        return LaxDdl.of(dialect.name(), catalog).apply(new Plan(migration.name(), schema, versionSchema,
                previousVersionSchema, ordered, validations, contractWithCleanup(ContractMode.DROP), droppedTables, notes,
                verifications, droppedColumns, droppedIndexes, retiredNames.stream().distinct().toList(),
                contractWithCleanup(ContractMode.DEPRECATE), null));
    }

    // ---- operations ----------------------------------------------------------------------

    private void createTable(int i, Operation.CreateTable ct) {
        if (shape.containsKey(ct.name()) || catalog.tables().containsKey(ct.name())) {
            throw error(i, ct, "name", "table '" + ct.name() + "' already exists");
        }
        if (ct.columns().size() > dialect.capabilities().maxColumns()) {
            throw error(i, ct, "columns", ct.columns().size() + " columns: a table has at most " + dialect.capabilities().maxColumns()
                    + " columns here");
        }
        List<ColumnDef> columns = new ArrayList<>();
        List<ColumnDef> typed = new ArrayList<>(); // identity columns as their base type, for the checks
        boolean typesKnown = true;
        for (int c = 0; c < ct.columns().size(); c++) {
            ColumnDef col = ct.columns().get(c);
            String at = "columns/" + c + "/";
            Optional<IdentityType> identity = IdentityType.parse(col.type());
            boolean another = ct.columns().subList(0, c).stream().anyMatch(d -> IdentityType.parse(d.type()).isPresent());
            identity.flatMap(id -> id.problem(dialect.name(), ct, col, another)).ifPresent(p -> {
                throw error(i, ct, at + p.field(), p.message());
            });
            String type = identity.map(id -> id.physical(dialect.name())).orElse(col.type());
            // an identity is never NULL: MariaDB refuses an explicitly NULL key column
            columns.add(new ColumnDef(col.name(), type, col.nullable() && identity.isEmpty(), col.defaultValue(),
                    col.unique(), col.references().map(r -> physicalReference(i, ct, at + "references", r)), col.check()));
            typed.add(identity.map(id -> new ColumnDef(col.name(), id.base(), col.nullable(), col.defaultValue(),
                    col.unique(), col.references(), col.check())).orElse(col));
            typesKnown &= checkType(i, ct, at + "type", identity.map(IdentityType::base).orElse(col.type()));
        }
        Set<String> names = new HashSet<>(ct.columns().stream().map(ColumnDef::name).toList());
        for (int c = 0; c < ct.constraints().size(); c++) {
            List<String> unique = ct.constraints().get(c).unique();
            for (int k = 0; k < unique.size(); k++) {
                if (!names.contains(unique.get(k))) {
                    throw error(i, ct, "constraints/" + c + "/unique/" + k, "unique column '" + unique.get(k)
                            + "' is not a column of the table");
                }
            }
        }
        compileNewTable(i, new Operation.CreateTable(ct.name(), typed, ct.primaryKey(), ct.constraints()), typesKnown);
        Operation.CreateTable physical = new Operation.CreateTable(ct.name(), columns, ct.primaryKey(), ct.constraints());
        start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("create table " + ct.name(), ct.name(), "none (new table)",
                        List.of(dialect.tables().createTable(schema, physical)), dialect.checks().tableExists(schema, ct.name()), true),
                List.of(sql("drop table " + ct.name(), ct.name(), lockBrief, dialect.tables().dropTable(schema, ct.name())))));
        TableShape ts = new TableShape(ct.name(), null, true);
        ct.columns().forEach(c -> {
            ts.addColumn(c.name());
        });
        shape.put(ct.name(), ts);
        byPhysical.put(ct.name(), ts);
    }

    private void dropTable(int i, Operation.DropTable dt) {
        TableShape t = table(i, dt, "name", dt.name());
        if (t.created) {
            throw error(i, dt, "name", "table '" + dt.name() + "' is created by this same migration");
        }
        shape.remove(dt.name());
        droppedTables.add(t.physical);
        retire(t, null);
        dropOrDeprecateTable(t.physical);
    }

    /** A table (column null) or column that existed before this migration, and whose name complete removes. */
    private void retire(TableShape t, String column) {
        Catalog.Table before = catalog.tables().get(t.physical);
        if (before != null && (column == null || before.column(column).isPresent())) {
            retiredNames.add(column == null ? t.physical : t.physical + "." + column);
        }
    }

    private void renameTable(int i, Operation.RenameTable rt) {
        TableShape t = table(i, rt, "from", rt.from());
        if (shape.containsKey(rt.to()) || (catalog.tables().containsKey(rt.to()) && !droppedTables.contains(rt.to()))) {
            throw error(i, rt, "to", "table '" + rt.to() + "' already exists");
        }
        shape.remove(rt.from());
        retire(t, null);
        t.logical = rt.to();
        shape.put(rt.to(), t);
        String now = contractTable(t.physical);
        Step rename = new Step.SqlStep("rename table " + now + " to " + rt.to(), t.physical, lockBrief,
                List.of(dialect.tables().renameTable(schema, now, rt.to())), dialect.checks().tableExists(schema, rt.to()), true);
        contract.add(rename);
        renamings.put(rename, new Renaming(t.physical, Map.of(), rt.to()));
        contractTables.put(t.physical, rt.to());
    }

    private void addColumn(int i, Operation.AddColumn ac) {
        TableShape t = table(i, ac, "table", ac.table());
        ColumnDef col = ac.column();
        if (IdentityType.parse(col.type()).isPresent()) {
            throw error(i, ac, "column/type", "an identity column is declared in create_table only: added to a"
                    + " table with rows, it would number every row under a rewrite of the table");
        }
        if (t.logicalColumn(col.name()).isPresent()) {
            throw error(i, ac, "column/name", "column '" + col.name() + "' already exists in table '" + ac.table() + "'");
        }
        if (t.physicalColumns.contains(col.name())) {
            throw error(i, ac, "column/name", "column '" + col.name() + "' still exists in table '" + t.physical
                    + "' until this migration completes; choose another name");
        }
        if (t.physicalColumns.size() >= dialect.capabilities().maxColumns()) {
            throw error(i, ac, "column/name", "table '" + t.physical + "' has " + t.physicalColumns.size()
                    + " columns until this migration completes, and a table has at most " + dialect.capabilities().maxColumns() + " here");
        }
        Optional<String> up = ac.up();
        boolean constantDefault = col.defaultValue().map(d -> CONSTANT.matcher(d).matches()).orElse(false);
        if (!col.nullable() && up.isEmpty() && col.defaultValue().isEmpty() && !t.created) {
            throw error(i, ac, "column/nullable", "a NOT NULL column added to an existing table needs 'up' or a"
                    + " 'default' to fill the existing rows");
        }
        boolean typeKnown = checkType(i, ac, "column/type", col.type());
        up.ifPresent(e -> checkExpression(i, ac, "up", e));
        col.defaultValue().ifPresent(e -> compileDefault(i, ac, "column/default", e, col.type(), existingRow(t), typeKnown));
        col.check().ifPresent(e -> {
            if (t.info == null) {
                checkBodySafe(i, ac, "column/check", e); // its table is not in the catalog yet: start's DDL will tell
            } else {
                compileOverRow(i, ac, "column/check", e, rowWith(i, t, null, col.name(), col.type(), typeKnown), typeKnown);
            }
        });

        String table = t.physical;
        String c = col.name();
        // A constant default is stored in the catalog (no rewrite); any other default would rewrite
        // the table under ACCESS EXCLUSIVE, so it is set for new rows only and existing rows are backfilled.
        // without NOT VALID checks, NOT NULL is declared at once where the server adds such a column
        // without a rebuild (new code's NULLs are refused from start on, no rebuild at complete);
        // a fill that needs NULL to tell unfilled rows (a non-constant default alone) cannot
        // (with a placeholder default until complete where the column has no constant one, so that
        // old code's inserts do not fail before the sync triggers exist)
        Optional<String> placeholder = constantDefault ? Optional.empty() : dialect.tables().placeholderValue(col.type());
        boolean notNullAtOnce = !col.nullable() && !dialect.capabilities().notValidConstraints() && !t.created
                && (up.isPresent() || constantDefault) && (constantDefault || placeholder.isPresent());
        List<String> add = new ArrayList<>();
        add.add(notNullAtOnce ? dialect.tables().addColumnAsDeclared(schema, table, constantDefault ? col
                : new ColumnDef(c, col.type(), false, placeholder, col.unique(), col.references(), col.check()), true)
                : dialect.tables().addColumn(schema, table, col, constantDefault));
        if (col.defaultValue().isPresent() && !constantDefault) {
            add.add(dialect.tables().setColumnDefault(schema, table, c, col.defaultValue().get()));
        }
        // without transactional DDL the column can exist while its default was never set: then
        // both statements run again (they are idempotent there) instead of being skipped together
        String skipIf = add.size() > 1 && !dialect.capabilities().transactionalDdl() ? null : dialect.checks().columnExists(schema, table, c);
        start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("add column " + table + "." + c, table, lockBrief, add, skipIf, true),
                List.of(sql("drop column " + table + "." + c, table, lockBrief, dialect.tables().dropColumn(schema, table, c)))));

        Optional<String> fill = up.isPresent() ? up : col.defaultValue().filter(d -> !constantDefault);
        if (fill.isPresent() && !t.created) {
            requireKey(i, ac, t);
            // old code does not know the column: its writes get the up value; a default only fills a gap
            sync(table).up.add(new Assignment(c, fill.get(), up.isEmpty()));
            backfill(table).assignments.add(new Assignment(c, up.isPresent() ? fill.get()
                    : "coalesce(" + dialect.quote(c) + ", " + fill.get() + ")", false));
        }
        String current = contractTable(table);
        boolean placeholderDefault = notNullAtOnce && col.defaultValue().isEmpty();
        List<String> reveal = dialect.tables().revealColumn(schema, current, c, Optional.empty(), false, placeholderDefault);
        if (!reveal.isEmpty()) {
            // last, once the column is NOT NULL: old code sees the table's old shape until then; the
            // placeholder default goes with it (a hidden NOT NULL column cannot be without a default)
            reveals.add(new Step.SqlStep("show column " + current + "." + c + " to every query", table, lockBrief, reveal,
                    null, false));
        } else if (placeholderDefault) {
            contract.add(new Step.SqlStep("drop the placeholder default of " + table + "." + c, table, lockBrief,
                    List.of(dialect.tables().dropColumnDefault(schema, current, c)), null, true));
        }
        if (!col.nullable() && !dialect.capabilities().notValidConstraints() && !notNullAtOnce) {
            // no NOT VALID check to stand for NOT NULL until complete: complete first looks for a
            // NULL (refused, nothing changed, if there is one), then sets NOT NULL online
            validations.add(sql("check " + table + "." + c + " has no NULL", table, lockValidate,
                    dialect.checks().requireNoNulls(schema, table, c)));
            contract.add(new Step.SqlStep("set " + table + "." + c + " not null", table, dialect.locks().setNotNull(),
                    List.of(dialect.tables().setNotNull(schema, current, col)), dialect.checks().columnIsNotNull(schema, current, c), true));
        } else if (!col.nullable() && dialect.capabilities().notValidConstraints()) {
            String check = Names.limited(table, c, "not_null");
            newConstraintName(i, ac, "column/nullable", t, check);
            constraint(table, check, dialect.constraints().addCheckNotValid(schema, table, check, dialect.quote(c) + " IS NOT NULL"));
            contract.add(new Step.SqlStep("set " + table + "." + c + " not null", table, dialect.locks().setNotNull(),
                    List.of(dialect.tables().setNotNull(schema, current, c), dialect.constraints().dropConstraint(schema, current, check)),
                    dialect.checks().columnIsNotNull(schema, current, c), true));
        }
        col.check().ifPresent(expr -> {
            String name = Names.limited(table, c, "check");
            newConstraintName(i, ac, "column/check", t, name);
            constraint(table, name, dialect.constraints().addCheckNotValid(schema, table, name, expr));
        });
        col.references().ifPresent(r -> {
            ForeignKeyRef ref = physicalReference(i, ac, "column/references", r);
            String name = Names.limited(table, c, "fkey");
            newConstraintName(i, ac, "column/references", t, name);
            foreignKey(i, ac, "column/references", t, name, List.of(c), ref, r.onDelete());
        });
        if (col.unique()) {
            String name = Names.limited(table, c, "key");
            newConstraintName(i, ac, "column/unique", t, name);
            if (catalog.indexes().containsKey(name)) {
                throw error(i, ac, "column/unique", "an index named '" + name + "' already exists; the unique index"
                        + " Bascule builds for this column needs that name");
            }
            start.add(new PlannedStep(Stage.INDEXES,
                    new Step.IndexBuildStep("build unique index " + name, table, lockOnlineIndex, schema, name,
                            dialect.constraints().createIndexOnline(schema, name, table, List.of(c), true, Optional.empty(), Optional.empty())),
                    List.of(nonTransactional("drop index " + name, table, dialect.constraints().dropIndexOnline(schema, table, name)))));
            contract.add(new Step.SqlStep("make " + name + " a unique constraint", table, lockBrief,
                    List.of(dialect.constraints().addUniqueUsingIndex(schema, current, name, name)),
                    dialect.checks().constraintExists(schema, current, name), true));
        }
        t.addColumn(c);
        t.addedTypes.put(c, col.type());
    }

    private void dropColumn(int i, Operation.DropColumn dc) {
        TableShape t = table(i, dc, "table", dc.table());
        String physical = column(i, dc, "column", t, dc.column());
        if (t.info != null && t.info.primaryKey().contains(physical)) {
            throw error(i, dc, "column", "column '" + dc.column() + "' is part of the primary key of '" + dc.table() + "'");
        }
        if (t.altered.contains(physical)) {
            throw error(i, dc, "column", "column '" + dc.column() + "' is altered by this same migration; drop it in a"
                    + " migration of its own");
        }
        Optional<Catalog.Column> info = t.info == null ? Optional.empty() : t.info.column(physical);
        if (dc.down().isEmpty() && info.isPresent() && !info.get().nullable() && info.get().defaultExpression() == null
                && !info.get().generated()) {
            throw error(i, dc, "column", "column '" + dc.column() + "' is NOT NULL without a default: new code,"
                    + " which no longer sees it, could not insert rows; give 'down' to fill it");
        }
        dc.down().ifPresent(down -> {
            checkBodySafe(i, dc, "down", down);
            sync(t.physical).down.add(new Assignment(physical, down, false));
            downChecks.add(new DownCheck(MigrationSource.fieldPath(i, dc.kind(), "down"), t, down));
        });
        t.columns.removeIf(m -> m.physical().equals(physical));
        droppedColumns.add(t.physical + "." + physical);
        retire(t, physical);
        dropOrDeprecateColumn(t.physical, physical);
    }

    private void renameColumn(int i, Operation.RenameColumn rc) {
        TableShape t = table(i, rc, "table", rc.table());
        String physical = column(i, rc, "from", t, rc.from());
        if (t.logicalColumn(rc.to()).isPresent()) {
            throw error(i, rc, "to", "column '" + rc.to() + "' already exists in table '" + rc.table() + "'");
        }
        if (t.physicalColumns.contains(rc.to())) {
            throw error(i, rc, "to", "column '" + rc.to() + "' still exists in table '" + t.physical
                    + "' until this migration completes; choose another name");
        }
        t.columns.replaceAll(m -> m.physical().equals(physical) ? new ColumnMapping(physical, rc.to()) : m);
        retire(t, physical);
        String table = contractTable(t.physical);
        String now = contractColumn(t.physical, physical);
        Step rename = new Step.SqlStep("rename column " + table + "." + now + " to " + rc.to(), t.physical, lockBrief,
                List.of(dialect.tables().renameColumn(schema, table, now, rc.to())), dialect.checks().columnExists(schema, table, rc.to()), true);
        contract.add(rename);
        renamings.put(rename, new Renaming(t.physical, Map.of(physical, rc.to()), null));
        renameSteps.computeIfAbsent(t.physical + "." + physical, k -> new ArrayList<>()).add(rename);
        contractColumns.put(t.physical + "." + physical, rc.to());
    }

    private void createIndex(int i, Operation.CreateIndex ci) {
        TableShape t = table(i, ci, "table", ci.table());
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < ci.columns().size(); c++) {
            columns.add(column(i, ci, "columns/" + c, t, ci.columns().get(c)));
        }
        columns.forEach(c -> builtOn.putIfAbsent(t.physical + "." + c, i + 1));
        Catalog.Index existing = catalog.indexes().get(ci.name());
        if (existing != null && existing.valid()) {
            throw error(i, ci, "name", "index '" + ci.name() + "' already exists");
        }
        if (existing != null) {
            notes.add("index " + ci.name() + " exists but is invalid (an interrupted build); start drops and rebuilds it");
        }
        ci.where().ifPresent(w -> checkExpression(i, ci, "where", w));
        start.add(new PlannedStep(Stage.INDEXES,
                new Step.IndexBuildStep("build index " + ci.name(), t.physical, lockOnlineIndex, schema, ci.name(),
                        dialect.constraints().createIndexOnline(schema, ci.name(), t.physical, columns, ci.unique(), ci.where(), ci.method())),
                List.of(nonTransactional("drop index " + ci.name(), t.physical, dialect.constraints().dropIndexOnline(schema, t.physical, ci.name())))));
    }

    private void dropIndex(int i, Operation.DropIndex di) {
        Catalog.Index index = catalog.indexes().get(di.name());
        if (index == null) {
            throw error(i, di, "name", "index '" + di.name() + "' does not exist in schema '" + schema + "'");
        }
        if (index.constraint().isPresent()) {
            throw error(i, di, "name", "index '" + di.name() + "' backs constraint '" + index.constraint().get()
                    + "'; use drop_constraint");
        }
        contract.add(nonTransactional("drop index " + di.name(), index.table(),
                dialect.constraints().dropIndexOnline(schema, contractTable(index.table()), di.name())));
        droppedIndexes.add(di.name());
    }

    private void addForeignKey(int i, Operation.AddForeignKey fk) {
        TableShape t = table(i, fk, "table", fk.table());
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < fk.columns().size(); c++) {
            columns.add(column(i, fk, "columns/" + c, t, fk.columns().get(c)));
        }
        columns.forEach(c -> builtOn.putIfAbsent(t.physical + "." + c, i + 1));
        ForeignKeyRef ref = physicalReference(i, fk, "references", fk.references());
        if (!ref.columns().isEmpty() && ref.columns().size() != columns.size()) {
            throw error(i, fk, "references/columns", "expected " + columns.size() + " referenced columns, found "
                    + ref.columns().size());
        }
        String name = fk.name().orElseGet(() -> Names.limited(t.physical, String.join("_", columns), "fkey"));
        newConstraintName(i, fk, fk.name().isPresent() ? "name" : "table", t, name);
        foreignKey(i, fk, fk.name().isPresent() ? "name" : "table", t, name, columns, ref, fk.onDelete());
    }

    private void addCheck(int i, Operation.AddCheck ck) {
        TableShape t = table(i, ck, "table", ck.table());
        addedChecks.add(new AddedCheck(i, ck, t.physical));
        newConstraintName(i, ck, "name", t, ck.name());
        checkExpression(i, ck, "expression", ck.expression());
        constraint(t.physical, ck.name(), dialect.constraints().addCheckNotValid(schema, t.physical, ck.name(), ck.expression()));
    }

    private void dropConstraint(int i, Operation.DropConstraint dc) {
        TableShape t = table(i, dc, "table", dc.table());
        if (t.info == null || !t.info.constraints().contains(dc.name())) {
            throw error(i, dc, "name", "table '" + dc.table() + "' has no constraint '" + dc.name() + "'");
        }
        ConstraintDdl.ConstraintKind kind = constraintKind(t.info, dc.name());
        dialect.constraints().dropConstraintRefusal(kind).ifPresent(why -> {
            throw error(i, dc, "name", why);
        });
        contract.add(sql("drop constraint " + dc.name(), t.physical, dialect.locks().dropConstraintLock(kind),
                dialect.constraints().dropConstraint(schema, contractTable(t.physical), dc.name(), kind)));
    }

    private static ConstraintDdl.ConstraintKind constraintKind(Catalog.Table info, String name) {
        if (info.foreignKeys().stream().anyMatch(fk -> fk.name().equals(name))) {
            return ConstraintDdl.ConstraintKind.FOREIGN_KEY;
        }
        Optional<Catalog.CheckDef> check = info.checks().stream().filter(ck -> ck.name().equals(name)).findFirst();
        if (check.isPresent()) {
            // MariaDB names a CHECK written on a column after its column, and it belongs to the column's definition
            return info.column(name).isPresent() && check.get().columns().equals(Set.of(name))
                    ? ConstraintDdl.ConstraintKind.COLUMN_CHECK : ConstraintDdl.ConstraintKind.CHECK;
        }
        return name.equals("PRIMARY") && !info.primaryKey().isEmpty() ? ConstraintDdl.ConstraintKind.PRIMARY_KEY
                : ConstraintDdl.ConstraintKind.UNIQUE;
    }

    private void sql(int i, Operation.Sql s) {
        List<Step> undo = s.down().map(d -> List.<Step>of(new Step.SqlStep("sql (down) of operation " + (i + 1), null,
                "as written", List.of(d), null, false))).orElse(List.of());
        if (s.down().isEmpty()) {
            notes.add("operation " + (i + 1) + " (sql) has no 'down': rollback cannot undo it");
        }
        if (!s.online()) {
            notes.add("operation " + (i + 1) + " (sql) runs as written; it is not marked online and may take long locks");
        }
        start.add(new PlannedStep(Stage.SCHEMA, new Step.SqlStep("sql of operation " + (i + 1), null, "as written",
                List.of(s.up()), null, false), undo, false));
    }

    /**
     * A shadow column beside the old one, filled by the backfill and kept in step both ways by the
     * sync trigger; indexes and constraints on the old column are built again on the shadow
     * (online, NOT VALID). Complete swaps the shadow in, in one short transaction.
     */
    private void alterColumn(int i, Operation.AlterColumn ac) {
        TableShape t = table(i, ac, "table", ac.table());
        if (ac.type().flatMap(IdentityType::parse).isPresent()) {
            throw error(i, ac, "type", "alter_column does not make a column an identity (an identity column keeps"
                    + " being one through a type change); declare identity columns in create_table");
        }
        if (t.created) {
            throw error(i, ac, "table", "table '" + ac.table() + "' is created by this same migration; declare the column"
                    + " as it should be in create_table");
        }
        String p = column(i, ac, "column", t, ac.column());
        Catalog.Column old = t.info.column(p).orElseThrow(() -> error(i, ac, "column", "column '" + ac.column()
                + "' is added by this same migration; declare it as it should be in add_column"));
        if (t.altered.contains(p)) {
            throw error(i, ac, "column", "column '" + ac.column() + "' is already altered by this migration; make it one alter_column");
        }
        if (t.info.partitioned() && t.info.indexDefs().stream().anyMatch(ix -> ix.columns().contains(p))) {
            throw error(i, ac, "table", "table '" + ac.table() + "' is partitioned: the indexes on '" + ac.column()
                    + "' would have to be built again, and PostgreSQL cannot build an index on a partitioned table"
                    + " CONCURRENTLY; alter the column partition by partition");
        }
        if (old.generated() && old.identity() == null) {
            throw error(i, ac, "column", "column '" + ac.column() + "' is a generated column, which alter_column"
                    + " cannot copy; drop it and add it again");
        }
        if (!dialect.capabilities().transactionalDdl()) {
            // a shadow table for what no shadow column can replace, and for a plain type change
            // where it fits: its copy is a write of new rows in key order with no trigger on them,
            // several times cheaper per row than updating every row through the sync triggers
            Optional<Obstacle> obstacle = shadowTableObstacle(i, ac, t);
            if (old.identity() != null || t.info.primaryKey().contains(p) || obstacle.isEmpty()) {
                alterByShadowTable(i, ac, t, p, old, obstacle);
                return;
            }
            refuseWithoutTransactionalDdl(i, ac, t, p, old);
        }
        Optional<Catalog.OwnedSequence> sequence = Optional.ofNullable(t.info.sequences().get(p));
        if (old.identity() != null && (ac.defaultValue().isPresent() || sequence.isEmpty())) {
            throw error(i, ac, ac.defaultValue().isPresent() ? "default" : "column", "column '" + ac.column()
                    + "' is an identity column: its values come from its sequence, and it keeps them");
        }
        if (ac.type().isEmpty() && ac.nullable().isEmpty() && ac.defaultValue().isEmpty() && ac.check().isEmpty()
                && ac.unique().isEmpty() && ac.references().isEmpty() && ac.up().isEmpty()) {
            throw error(i, ac, "column", "nothing to alter: give at least one of type, nullable, default, check,"
                    + " unique, references or up");
        }
        requireKey(i, ac, t);
        String table = t.physical;
        if (builtOn.containsKey(table + "." + p)) {
            throw error(i, ac, "column", "operation " + builtOn.get(table + "." + p) + " builds an index or foreign key on"
                    + " column '" + ac.column() + "' before it is altered, and the swap would drop it with the old column;"
                    + " put that operation after the alter_column");
        }
        for (Catalog.IndexDef index : t.info.indexDefs()) {
            sharedWithAlteredColumn(i, ac, t, p, index.columns(), "index '" + index.name() + "'");
        }
        for (Catalog.CheckDef check : t.info.checks()) {
            sharedWithAlteredColumn(i, ac, t, p, check.columns(), "check '" + check.name() + "'");
        }
        for (Catalog.ForeignKey fk : t.info.foreignKeys()) {
            sharedWithAlteredColumn(i, ac, t, p, Set.copyOf(fk.columns()), "foreign key '" + fk.name() + "'");
        }
        String shadow = Names.limited("_bascule_new", p);
        if (t.physicalColumns.contains(shadow)) {
            throw error(i, ac, "column", "column '" + shadow + "' already exists in table '" + table + "'");
        }
        boolean inPrimaryKey = t.info.primaryKey().contains(p);
        boolean notNull = ac.nullable().map(n -> !n).orElse(!old.nullable());
        if (inPrimaryKey && !notNull) {
            throw error(i, ac, "nullable", "column '" + ac.column() + "' is part of the primary key and cannot be nullable");
        }
        String newType = ac.type().orElse(old.type());
        // an identity column's shadow takes its values from the same sequence until the swap makes it the identity
        Optional<String> newDefault = old.identity() != null
                ? Optional.of(dialect.sequences().orElseThrow().nextValue(sequence.get().schema(), sequence.get().name()))
                : ac.defaultValue().or(() -> Optional.ofNullable(old.defaultExpression()));
        boolean typeKnown = ac.type().map(type -> checkType(i, ac, "type", type)).orElse(true);
        ac.defaultValue().ifPresent(d -> compileDefault(i, ac, "default", d, newType, existingRow(t), typeKnown));
        ac.check().ifPresent(e -> compileOverRow(i, ac, "check", e, rowWith(i, t, p, ac.column(), newType, typeKnown), typeKnown));
        String up = ac.up().orElse(dialect.quote(p));
        String down = ac.down().orElse(dialect.quote(shadow));
        ac.up().ifPresent(e -> checkBodySafe(i, ac, "up", e));
        ac.down().ifPresent(e -> checkBodySafe(i, ac, "down", e));
        String upValue = dialect.tables().cast(up, LengthFreeCast.of(dialect.name(), newType));
        String downValue = dialect.tables().cast(down, old.type());
        expressionChecks.add(new ExpressionCheck(MigrationSource.fieldPath(i, ac.kind(), ac.up().isPresent() ? "up" : "type"),
                "SELECT " + upValue + " FROM " + dialect.qualify(schema, table) + " LIMIT 0"));
        for (Catalog.IndexDef index : t.info.indexDefs()) {
            if (index.columns().contains(p) && "x".equals(index.constraintType())) {
                throw error(i, ac, "column", "column '" + ac.column() + "' is used by exclusion constraint '"
                        + index.constraint().orElseThrow() + "', which alter_column cannot rebuild; drop it first");
            }
        }
        // a key between two tables whose columns are both altered is paired (see pairForeignKeys);
        // one from a table to itself is not built
        for (Catalog.ForeignKey fk : t.info.foreignKeys()) {
            boolean self = fk.refSchema().equals(schema) && fk.refTable().equals(table);
            if (self && ((fk.columns().contains(p) && fk.refColumns().stream().anyMatch(t.altered::contains))
                    || (fk.refColumns().contains(p) && fk.columns().stream().anyMatch(t.altered::contains)))) {
                throw error(i, ac, "column", "foreign key '" + fk.name() + "' links two columns of table '" + t.logical
                        + "' that this migration alters; alter the referenced column and the referencing one in two"
                        + " migrations");
            }
        }

        // the shadow column: new rows get the new default; existing rows are backfilled
        boolean constantDefault = newDefault.map(d -> CONSTANT.matcher(d).matches()).orElse(false);
        // an unchanged type keeps the column's collation; a new type takes its own default
        String declared = ac.type().isEmpty() && old.collation() != null ? newType + " COLLATE " + old.collation() : newType;
        // without NOT VALID checks the shadow is added NOT NULL where that needs no rebuild; else
        // complete checks for a NULL and sets NOT NULL online before the swap
        Optional<String> placeholder = newDefault.isEmpty() ? dialect.tables().placeholderValue(newType) : Optional.empty();
        boolean notNullShadow = notNull && !dialect.capabilities().notValidConstraints()
                && ((newDefault.isPresent() && constantDefault) || placeholder.isPresent());
        ColumnDef shadowDef = new ColumnDef(shadow, declared, !notNullShadow, notNullShadow ? newDefault.or(() -> placeholder)
                : newDefault, false, Optional.empty(), Optional.empty());
        ColumnDef notNullLater = notNull && !dialect.capabilities().notValidConstraints() && !notNullShadow
                ? new ColumnDef(shadow, declared, false, newDefault, false, Optional.empty(), Optional.empty()) : null;
        List<String> add = new ArrayList<>();
        add.add(dialect.tables().addColumnAsDeclared(schema, table, shadowDef, constantDefault || (notNullShadow && newDefault.isEmpty())));
        if (newDefault.isPresent() && !constantDefault) {
            add.add(dialect.tables().setColumnDefault(schema, table, shadow, newDefault.get()));
        }
        start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("add column " + table + "." + shadow + " (new " + ac.column() + ")", table, lockBrief, add,
                        dialect.checks().columnExists(schema, table, shadow), true),
                List.of(sql("drop column " + table + "." + shadow, table, lockBrief, dialect.tables().dropColumn(schema, table, shadow)))));
        sync(table).up.add(new Assignment(shadow, upValue, false));
        sync(table).down.add(new Assignment(p, downValue, false));
        backfill(table).assignments.add(new Assignment(shadow, upValue, false));

        String shadowQuoted = dialect.quote(shadow);
        List<Rename> indexRenames = new ArrayList<>();
        List<Rename> uniques = new ArrayList<>();
        List<Rename> constraintRenames = new ArrayList<>();
        Optional<Rename> primaryKey = Optional.empty();
        String notNullCheck = null;
        if (notNull && dialect.capabilities().notValidConstraints()) {
            notNullCheck = Names.limited(table, shadow, "not_null");
            constraint(table, notNullCheck, dialect.constraints().addCheckNotValid(schema, table, notNullCheck, shadowQuoted + " IS NOT NULL"));
        } else if (notNullLater != null) {
            validations.add(sql("check " + table + "." + shadow + " has no NULL", table, lockValidate,
                    dialect.checks().requireNoNulls(schema, table, shadow)));
        }
        for (Catalog.IndexDef index : t.info.indexDefs()) {
            if (!index.columns().contains(p)) {
                continue;
            }
            boolean onlyThisColumn = index.columns().size() == 1;
            if (index.unique() && onlyThisColumn && ac.unique().equals(Optional.of(false)) && !inPrimaryKey) {
                continue; // unique: false drops it with the old column
            }
            String tmp = Names.limited("_bascule_new", index.name());
            List<String> elements = index.elements().stream().map(e -> dialect.catalog().renameIndexElement(e, p, shadow)).toList();
            List<String> include = index.include().stream().map(e -> Expressions.renameColumn(e, p, shadowQuoted)).toList();
            Optional<String> where = index.predicate().map(w -> Expressions.renameColumn(w, p, shadowQuoted));
            start.add(new PlannedStep(Stage.INDEXES,
                    new Step.IndexBuildStep("build index " + tmp + " (new " + index.name() + ")", table, lockOnlineIndex,
                            schema, tmp, dialect.constraints().rebuildIndexOnline(schema, tmp, table, index.unique(), index.method(),
                            elements, include, where, index.nullsNotDistinct())),
                    List.of(nonTransactional("drop index " + tmp, table, dialect.constraints().dropIndexOnline(schema, table, tmp)))));
            if ("p".equals(index.constraintType())) {
                primaryKey = Optional.of(new Rename(tmp, index.constraint().orElseThrow()));
            } else if ("u".equals(index.constraintType())) {
                uniques.add(new Rename(tmp, index.constraint().orElseThrow()));
            } else {
                indexRenames.add(new Rename(tmp, index.name()));
            }
        }
        boolean alreadyUnique = t.info.indexDefs().stream().anyMatch(ix -> ix.unique() && ix.columns().equals(Set.of(p))
                && ix.predicate().isEmpty());
        if (ac.unique().orElse(false) && !alreadyUnique) {
            String tmp = Names.limited("_bascule_new", table, ac.column(), "key");
            start.add(new PlannedStep(Stage.INDEXES,
                    new Step.IndexBuildStep("build unique index " + tmp, table, lockOnlineIndex, schema, tmp,
                            dialect.constraints().createIndexOnline(schema, tmp, table, List.of(shadow), true, Optional.empty(), Optional.empty())),
                    List.of(nonTransactional("drop index " + tmp, table, dialect.constraints().dropIndexOnline(schema, table, tmp)))));
            String name = Names.limited(table, ac.column(), "key");
            newConstraintName(i, ac, "unique", t, name);
            uniques.add(new Rename(tmp, name));
        }
        for (Catalog.CheckDef check : t.info.checks()) {
            if (check.columns().contains(p)) {
                String tmp = Names.limited("_bascule_new", check.name());
                constraint(table, tmp, dialect.constraints().addCheckNotValid(schema, table, tmp,
                        Expressions.renameColumn(check.expression(), p, shadowQuoted)));
                constraintRenames.add(new Rename(tmp, check.name()));
            }
        }
        ac.check().ifPresent(expression -> {
            String name = Names.limited(table, ac.column(), "check");
            newConstraintName(i, ac, "check", t, name);
            String tmp = Names.limited("_bascule_new", name);
            constraint(table, tmp, dialect.constraints().addCheckNotValid(schema, table, tmp,
                    Expressions.renameColumn(expression, ac.column(), shadowQuoted)));
            constraintRenames.add(new Rename(tmp, name));
        });
        for (Catalog.ForeignKey fk : t.info.foreignKeys()) {
            if (!fk.columns().contains(p) || (ac.references().isPresent() && fk.columns().size() == 1)) {
                continue; // a new 'references' replaces the column's own foreign key
            }
            String tmp = Names.limited("_bascule_new", fk.name());
            List<String> columns = fk.columns().stream().map(c -> c.equals(p) ? shadow : c).toList();
            Catalog.ForeignKey onShadow = new Catalog.ForeignKey(tmp, schema, table, columns,
                    fk.refSchema(), fk.refTable(), fk.refColumns(), fk.onUpdate(), fk.onDelete(), fk.matchFull(), fk.deferrable());
            shadowForeignKeys.add(new ShadowForeignKey(fk, onShadow,
                    constraint(table, tmp, dialect.constraints().addForeignKeyNotValid(onShadow))));
            constraintRenames.add(new Rename(tmp, fk.name()));
        }
        ac.references().ifPresent(r -> {
            ForeignKeyRef ref = physicalReference(i, ac, "references", r);
            if (swaps.containsKey(ref.table()) && swaps.get(ref.table()).stream().anyMatch(a -> ref.columns().isEmpty()
                    || ref.columns().contains(a.column()))) {
                throw error(i, ac, "references", "the referenced column is altered by this same migration; add the"
                        + " reference in a later migration");
            }
            String name = Names.limited(table, ac.column(), "fkey");
            boolean replacesOwn = t.info.foreignKeys().stream().anyMatch(fk -> fk.name().equals(name) && fk.columns().equals(List.of(p)));
            if (!replacesOwn) {
                newConstraintName(i, ac, "references", t, name);
            }
            String tmp = Names.limited("_bascule_new", name);
            constraint(table, tmp, dialect.constraints().addForeignKeyNotValid(schema, table, tmp, List.of(shadow), ref.table(),
                    ref.columns(), r.onDelete()));
            constraintRenames.add(new Rename(tmp, name));
        });
        List<Catalog.ForeignKey> incoming = t.info.referencedBy().stream()
                .filter(fk -> fk.refColumns().contains(p)).toList();

        t.columns.replaceAll(m -> m.physical().equals(p) ? new ColumnMapping(shadow, m.logical()) : m);
        t.physicalColumns.add(shadow);
        t.addedTypes.put(shadow, newType);
        t.altered.add(p);
        t.altered.add(shadow);
        droppedColumns.add(table + "." + p);
        downChecks.add(new DownCheck(MigrationSource.fieldPath(i, ac.kind(), ac.down().isPresent() ? "down" : "type"), t,
                downValue));
        Alteration alteration = new Alteration(p, shadow, upValue, downValue, newType, notNullCheck, notNullLater,
                notNullShadow && newDefault.isEmpty(), primaryKey, uniques, indexRenames, constraintRenames, incoming, sequence,
                Optional.ofNullable(old.identity()));
        swaps.computeIfAbsent(table, k -> new ArrayList<>()).add(alteration);
    }

    /**
     * Without transactional DDL the swap is one ALTER under LOCK TABLES, which must not copy the
     * table: what would need a rebuild or a constraint checked under a copy is refused.
     */
    private void refuseWithoutTransactionalDdl(int i, Operation.AlterColumn ac, TableShape t, String p, Catalog.Column old) {
        String on = dialect.name() + ": ";
        for (Catalog.CheckDef check : t.info.checks()) {
            if (check.columns().contains(p)) {
                throw error(i, ac, "column", on + "check '" + check.name() + "' uses column '" + ac.column() + "': adding"
                        + " it again on the new column would check every row under a table copy; drop it first");
            }
        }
        for (Catalog.ForeignKey fk : t.info.foreignKeys()) {
            if (fk.columns().contains(p)) {
                throw error(i, ac, "column", on + "foreign key '" + fk.name() + "' uses column '" + ac.column()
                        + "': drop it first, alter the column, then add it again");
            }
        }
        for (Catalog.ForeignKey fk : t.info.referencedBy()) {
            if (fk.refColumns().contains(p)) {
                throw error(i, ac, "column", on + "foreign key '" + fk.name() + "' of table '" + fk.table() + "' points at"
                        + " column '" + ac.column() + "': drop it first, alter the column, then add it again");
            }
        }
        for (Catalog.IndexDef index : t.info.indexDefs()) {
            if (index.columns().contains(p) && !"btree".equalsIgnoreCase(index.method())) {
                throw error(i, ac, "column", on + "index '" + index.name() + "' on column '" + ac.column() + "' is "
                        + index.method() + ", which cannot be built online; drop it first");
            }
        }
    }

    /**
     * Without transactional DDL, a primary key or AUTO_INCREMENT column (no shadow column can take
     * its place without a rebuild), or a type-only change where nothing stands in the way: the table
     * is copied into a shadow table that has the new type (pt-online-schema-change's way): triggers
     * copy every write, the backfill copies the rows in key order, and complete gives the shadow the
     * table's name in one atomic RENAME TABLE. Both versions use the table itself until then, so
     * only the type can change (new code sees the values as they are) and nothing else may change
     * the table in the same migration; an {@code obstacle} to that is refused here.
     */
    private void alterByShadowTable(int i, Operation.AlterColumn ac, TableShape t, String p, Catalog.Column old,
                                    Optional<Obstacle> obstacle) {
        String table = t.physical;
        String on = dialect.name() + ": column '" + ac.column() + "' is " + (old.identity() != null ? "AUTO_INCREMENT"
                : "part of the primary key") + ", so the table is copied into a shadow table with the new type: ";
        obstacle.ifPresent(o -> {
            throw error(i, ac, o.field(), on + o.reason());
        });
        checkType(i, ac, "type", ac.type().get());
        String shadow = Names.limited("_bascule_new", table);
        String retired = Names.limited("_bascule_old", table);
        for (String name : List.of(shadow, retired)) {
            if (catalog.tables().containsKey(name)) {
                throw error(i, ac, "table", "table '" + name + "' already exists; drop it (a leftover of an earlier run?)");
            }
        }
        List<String> columns = t.info.columns().stream().filter(c -> !c.generated()).map(Catalog.Column::name).toList();
        String triggers = Names.limited("copy", schema, table, Names.hash(migration.name()));
        ColumnDef column = new ColumnDef(p, ac.type().get(), old.nullable(), Optional.ofNullable(old.defaultExpression()),
                false, Optional.empty(), Optional.empty());

        Step dropShadow = sql("drop table " + shadow, shadow, dialect.locks().dropTable(), dialect.tables().dropTable(schema, shadow));
        Step create = new Step.SqlStep("create table " + shadow + " (" + table + " with " + p + " " + ac.type().get() + ")",
                shadow, "none (new table)", dialect.shadows().orElseThrow().createShadowTable(schema, table, shadow, column, old.identity() != null,
                old.collation()), null, true);
        Step dropTriggers = new Step.SqlStep("drop copy triggers of " + table, table, dialect.locks().trigger(),
                dialect.shadows().orElseThrow().dropCopyTriggers(schema, triggers), null, true);
        Step copy = new Step.SqlStep("copy triggers of " + table + " into " + shadow, table, dialect.locks().trigger(),
                dialect.shadows().orElseThrow().createCopyTriggers(schema, table, shadow, columns, t.info.walkKey(), triggers, owner()), null, true);
        start.add(new PlannedStep(Stage.SCHEMA, create, List.of(dropShadow)));
        start.add(new PlannedStep(Stage.TRIGGERS, copy, List.of(dropTriggers)));
        List<Step.RangeStatement> copies = dialect.shadows().orElseThrow().shadowTableCopy(schema, table, shadow, columns);
        backfill(table).copies.addAll(copies);
        // the views name the table: after the RENAME they read the shadow under the table's name
        String key = t.info.walkKey().get(0);
        validations.add(sql("check " + shadow + " holds every row of " + table, table, lockValidate,
                dialect.shadows().orElseThrow().requireSameRows(schema, table, shadow, key)));
        List<String> cut = new ArrayList<>();
        if (old.identity() != null || t.info.columns().stream().anyMatch(c -> c.identity() != null)) {
            cut.add(dialect.shadows().orElseThrow().copyAutoIncrement(schema, table, shadow)); // keys handed out since start stay used
        }
        cut.add(dialect.shadows().orElseThrow().cutOver(schema, table, shadow, retired));
        Step cutOver = new Step.SqlStep("rename " + table + " to " + retired + " and " + shadow + " to " + table, table,
                "metadata lock on both tables, brief (RENAME TABLE: both names change in one statement)", cut,
                dialect.checks().tableExists(schema, retired), true);
        Step dropRetired = new Step.SqlStep("drop table " + retired + " (" + table + " before the cut-over)", retired,
                dialect.locks().dropTable(), java.util.stream.Stream.concat(dialect.shadows().orElseThrow().dropCopyTriggers(schema, triggers).stream(),
                        java.util.stream.Stream.of(dialect.tables().dropTable(schema, retired))).toList(), null, true);
        contract.add(cutOver);
        contract.add(dropRetired);
        shadowTables.add(table);
        t.altered.add(p);
    }

    /** Why a shadow table cannot carry an alter_column: the field at fault and the reason. */
    private record Obstacle(String field, String reason) {}

    /**
     * What keeps a shadow table from carrying this alter_column, or empty: it must change nothing
     * but the type (both versions use the table itself until complete), on a table that nothing else
     * in the migration names, that has no triggers or foreign keys of its own (they would stay with
     * the old table), and a one-column key to copy it by.
     */
    private Optional<Obstacle> shadowTableObstacle(int i, Operation.AlterColumn ac, TableShape t) {
        if (ac.type().isEmpty()) {
            return Optional.of(new Obstacle("type", "give the new 'type'"));
        }
        Map<String, Boolean> given = new LinkedHashMap<>();
        given.put("nullable", ac.nullable().isPresent());
        given.put("default", ac.defaultValue().isPresent());
        given.put("unique", ac.unique().isPresent());
        given.put("up", ac.up().isPresent());
        given.put("down", ac.down().isPresent());
        given.put("check", ac.check().isPresent());
        given.put("references", ac.references().isPresent());
        for (Map.Entry<String, Boolean> field : given.entrySet()) {
            if (field.getValue()) {
                return Optional.of(new Obstacle(field.getKey(), "both versions use the table itself until complete, so only"
                        + " 'type' can change"));
            }
        }
        String table = t.physical;
        if (!t.info.triggers().isEmpty()) {
            return Optional.of(new Obstacle("table", "table '" + table + "' has triggers of its own (" + String.join(", ",
                    t.info.triggers().stream().sorted().toList()) + "), which would stay with the old table; drop them first"));
        }
        if (!t.info.foreignKeys().isEmpty() || !t.info.referencedBy().isEmpty()) {
            return Optional.of(new Obstacle("table", "foreign keys of or to table '" + table + "' would stay with the old"
                    + " table; drop them first"));
        }
        List<Operation> ops = migration.operations();
        for (int k = 0; k < ops.size(); k++) {
            if (k != i && names(ops.get(k), table)) {
                return Optional.of(new Obstacle("column", "it must be the only operation on table '" + table
                        + "' in its migration; put the others in another migration"));
            }
        }
        if (t.info.walkKey().size() != 1) {
            return Optional.of(new Obstacle("table", "table '" + t.logical + "' has no one-column key to copy it by"));
        }
        List<Step.KeyColumn> key = t.info.walkKey().stream()
                .map(k -> new Step.KeyColumn(k, t.info.column(k).orElseThrow().type())).toList();
        return dialect.copy().backfillKeyProblem(key).map(why -> new Obstacle("table", "table '" + t.logical
                + "' cannot be copied in key order: " + why));
    }

    /** Whether {@code op} names {@code table} (as the table it changes, or as one a new foreign key points at). */
    private boolean names(Operation op, String table) {
        if (op instanceof Operation.CreateTable ct) {
            return ct.columns().stream().anyMatch(c -> c.references().map(r -> r.table().equals(table)).orElse(false));
        }
        if (op instanceof Operation.AddColumn ac) {
            return ac.table().equals(table) || ac.column().references().map(r -> r.table().equals(table)).orElse(false);
        }
        if (op instanceof Operation.AlterColumn ac) {
            return ac.table().equals(table) || ac.references().map(r -> r.table().equals(table)).orElse(false);
        }
        if (op instanceof Operation.AddForeignKey fk) {
            return fk.table().equals(table) || fk.references().table().equals(table);
        }
        if (op instanceof Operation.DropIndex di) {
            return Optional.ofNullable(catalog.indexes().get(di.name())).map(ix -> ix.table().equals(table)).orElse(true);
        }
        if (op instanceof Operation.MergeTables mt) {
            return mt.from().contains(table);
        }
        String named = op instanceof Operation.DropTable dt ? dt.name()
                : op instanceof Operation.RenameTable rt ? rt.from()
                : op instanceof Operation.DropColumn dc ? dc.table()
                : op instanceof Operation.RenameColumn rc ? rc.table()
                : op instanceof Operation.CreateIndex ci ? ci.table()
                : op instanceof Operation.AddCheck ck ? ck.table()
                : op instanceof Operation.DropConstraint dc ? dc.table()
                : op instanceof Operation.SplitTable st ? st.from()
                : null;
        return named == null || named.equals(table); // a sql operation may name any table
    }

    /**
     * An index, check or foreign key on two columns that this migration alters would be built
     * again once per column; refused rather than half-supported.
     */
    private void sharedWithAlteredColumn(int i, Operation op, TableShape t, String p, Set<String> columns, String what) {
        if (columns.contains(p)) {
            for (String other : columns) {
                if (!other.equals(p) && t.altered.contains(other)) {
                    throw error(i, op, "column", what + " uses both '" + other + "' and '" + p + "', which this migration"
                            + " alters; alter them in two migrations");
                }
            }
        }
    }

    /**
     * The swap of a table's altered columns, in one transaction: no writer ever sees the table
     * with an old column gone and the new one not yet in its place, nor the sync trigger running
     * against a dropped column. Then the foreign keys that pointed at the old columns, put back
     * NOT VALID in the swap, are validated.
     */
    private List<Step> swapSteps(String table, List<Alteration> alterations, ContractMode mode) {
        TableShape t = byPhysical.get(table);
        Map<String, Catalog.ForeignKey> incoming = new LinkedHashMap<>();
        alterations.forEach(a -> a.incoming().stream().filter(fk -> !pairs.contains(fk))
                .forEach(fk -> incoming.putIfAbsent(fk.schema() + "." + fk.table() + "." + fk.name(), fk)));
        // the referencing tables are locked before this one, in the order their writers lock them
        // (a row of theirs, then the referenced row), so the swap cannot deadlock with them
        List<String> sql = new ArrayList<>();
        incoming.values().forEach(fk -> sql.add(dialect.constraints().dropConstraint(fk.schema(), fk.table(), fk.name())));
        sql.addAll(dialect.triggers().dropSyncTrigger(schema, table, triggerName(), functionSchema, functionName(table)));
        Map<String, String> finalNames = new HashMap<>();
        for (int n = 0; n < alterations.size(); n++) {
            Alteration a = alterations.get(n);
            String key = "identity_" + n;
            String finalName = finalName(t, a);
            finalNames.put(a.column(), finalName);
            a.primaryKey().ifPresent(pk -> sql.add(dialect.constraints().dropConstraint(schema, table, pk.to())));
            if (a.identity().isPresent()) {
                // the identity's sequence goes with the old column: the new one is made an identity
                // going on from the sequence's next value
                Catalog.OwnedSequence seq = a.sequence().orElseThrow();
                sql.add(dialect.tables().dropColumnDefault(schema, table, a.shadow()));
                sql.add(dialect.sequences().orElseThrow().rememberNextValue(key, seq.schema(), seq.name()));
            } else {
                a.sequence().ifPresent(seq -> {
                    sql.add(dialect.sequences().orElseThrow().setSequenceOwner(seq.schema(), seq.name(), schema, table, a.shadow()));
                    if (INTEGER_WIDTH.containsKey(a.newType()) && INTEGER_WIDTH.containsKey(seq.type())
                            && INTEGER_WIDTH.get(a.newType()) > INTEGER_WIDTH.get(seq.type())) {
                        sql.add(dialect.sequences().orElseThrow().setSequenceType(seq.schema(), seq.name(), a.newType()));
                    }
                });
            }
            // deprecated, the old column also loses its indexes and constraints here, before the
            // shadow's take their names
            sql.add(mode == ContractMode.DEPRECATE ? deprecateColumn(table, a.column())
                    : dialect.tables().dropColumn(schema, table, a.column()));
            sql.add(dialect.tables().renameColumn(schema, table, a.shadow(), finalName));
            if (a.notNullCheck() != null) {
                sql.add(dialect.tables().setNotNull(schema, table, finalName));
                sql.add(dialect.constraints().dropConstraint(schema, table, a.notNullCheck()));
            }
            if (a.identity().isPresent()) {
                sql.addAll(dialect.sequences().orElseThrow().addIdentityFromRemembered(key, schema, table, finalName, a.identity().get()));
            }
            a.primaryKey().ifPresent(pk -> sql.add(dialect.constraints().addPrimaryKeyUsingIndex(schema, table, pk.to(), pk.from())));
            a.uniques().forEach(u -> sql.add(dialect.constraints().addUniqueUsingIndex(schema, table, u.to(), u.from())));
            a.indexRenames().forEach(r -> sql.add(dialect.constraints().renameIndex(schema, r.from(), r.to())));
            a.constraintRenames().forEach(r -> sql.add(dialect.constraints().renameConstraint(schema, table, r.from(), r.to())));
        }
        for (Catalog.ForeignKey fk : incoming.values()) {
            boolean self = fk.schema().equals(schema) && fk.table().equals(table);
            sql.add(dialect.constraints().addForeignKeyNotValid(new Catalog.ForeignKey(fk.name(), fk.schema(), fk.table(),
                    self ? fk.columns().stream().map(c -> finalNames.getOrDefault(c, c)).toList() : fk.columns(),
                    fk.refSchema(), fk.refTable(), fk.refColumns().stream().map(c -> finalNames.getOrDefault(c, c)).toList(),
                    fk.onUpdate(), fk.onDelete(), fk.matchFull(), fk.deferrable())));
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.SqlStep("swap altered columns of " + table, table,
                lockBrief + (incoming.isEmpty() ? "" : "; brief on the tables whose foreign keys point at it"), sql,
                dialect.checks().columnAbsent(schema, table, alterations.get(0).shadow()), true));
        incoming.values().forEach(fk -> steps.add(sql("validate " + fk.name(), fk.table(), lockValidate,
                dialect.constraints().validateConstraint(fk.schema(), fk.table(), fk.name()))));
        return steps;
    }

    /**
     * The swaps of tables that paired foreign keys link, as one transaction: the old keys (between
     * the old columns) are dropped first, whatever order the tables come in, then each table swaps
     * as on its own, its key on the shadow taking the old key's name; the keys end linking the new
     * columns, and no transaction sees one table swapped and the other not.
     */
    private List<Step> swapGroup(List<String> group, ContractMode mode) {
        if (group.size() == 1) {
            return swapSteps(group.get(0), swaps.get(group.get(0)), mode);
        }
        List<String> sql = new ArrayList<>();
        pairs.from(group).forEach(fk -> sql.add(dialect.constraints().dropConstraint(fk.schema(), fk.table(), fk.name())));
        List<String> locks = new ArrayList<>();
        List<Step> after = new ArrayList<>();
        for (String table : group) {
            List<Step> steps = swapSteps(table, swaps.get(table), mode);
            Step.SqlStep swap = (Step.SqlStep) steps.get(0);
            sql.addAll(swap.statements());
            locks.add(table + ": " + swap.lock());
            after.addAll(steps.subList(1, steps.size()));
        }
        String first = group.get(0);
        List<Step> all = new ArrayList<>();
        // the group commits or not as a whole: the first table's shadow tells whether it did
        all.add(new Step.SqlStep("swap altered columns of " + String.join(", ", group) + " together (foreign keys "
                + pairs.from(group).stream().map(Catalog.ForeignKey::name).collect(java.util.stream.Collectors.joining(", "))
                + " link them)", first, String.join("; ", locks), sql,
                dialect.checks().columnAbsent(schema, first, swaps.get(first).get(0).shadow()), true));
        all.addAll(after);
        return all;
    }

    /**
     * Without transactional DDL: NOT NULL set online first (the sync triggers still run), then one
     * ALTER under LOCK TABLES drops the old columns and their indexes and renames the shadows and
     * theirs (see {@link ShadowTables#swapColumns}); the version's views are made again right after.
     */
    private List<Step> swapStepsLocked(String table, List<Alteration> alterations) {
        TableShape t = byPhysical.get(table);
        List<Step> steps = new ArrayList<>();
        for (Alteration a : alterations) {
            if (a.notNullLater() != null) {
                steps.add(new Step.SqlStep("set " + table + "." + a.shadow() + " not null", table, dialect.locks().setNotNull(),
                        List.of(dialect.tables().setNotNull(schema, table, a.notNullLater())),
                        dialect.checks().columnIsNotNull(schema, table, a.shadow()), true));
            }
        }
        List<String> dropIndexes = t.info.indexDefs().stream()
                .filter(ix -> alterations.stream().anyMatch(a -> ix.columns().contains(a.column())))
                .map(Catalog.IndexDef::name).toList();
        List<ShadowTables.ColumnSwap> columns = alterations.stream().map(a -> new ShadowTables.ColumnSwap(a.column(), a.shadow(),
                finalName(t, a))).toList();
        List<ShadowTables.Renamed> indexes = alterations.stream()
                .flatMap(a -> java.util.stream.Stream.concat(a.indexRenames().stream(), a.uniques().stream()))
                .map(r -> new ShadowTables.Renamed(r.from(), r.to())).toList();
        List<String> dropTriggers = dialect.triggers().dropSyncTrigger(schema, table, triggerName(), functionSchema, functionName(table));
        List<String> swapSql = new ArrayList<>(dialect.shadows().orElseThrow().swapColumns(schema, table, dropTriggers, dropIndexes, columns, indexes));
        // still under the swap's lock (before its UNLOCK TABLES), each new column is shown where the old
        // one stood, as a plain ALTER .. MODIFY would leave it: old code never sees the table without it
        swapSql.addAll(swapSql.size() - 1, revealInPlace(t, alterations));
        Step swap = new Step.SqlStep("swap altered columns of " + table, table, dialect.locks().swapLock(), swapSql,
                dialect.checks().columnAbsent(schema, table, alterations.get(0).shadow()), false);
        steps.add(swap);
        Map<String, String> swapped = new LinkedHashMap<>();
        alterations.forEach(a -> swapped.put(a.shadow(), finalName(t, a)));
        renamings.put(swap, new Renaming(table, swapped, null));
        // a swap cut off after its ALTER is skipped by a rerun: the columns are shown again at the end
        // (where they are; nothing once they are visible)
        alterations.forEach(a -> {
            List<String> reveal = dialect.tables().revealColumn(schema, contractTable(table), contractName(t, a), Optional.empty(),
                    false, false);
            Step again = new Step.SqlStep("show column " + table + "." + finalName(t, a) + " to every query (again)",
                    table, lockBrief, reveal, null, false);
            if (!reveal.isEmpty() && !reveals.contains(again)) { // planned once for each contract mode
                reveals.add(again);
            }
        });
        // again, on its own: the swap is skipped once the shadow is gone, even when it was cut off
        // before its triggers were dropped; and a placeholder default goes (each statement may rerun)
        List<String> after = new ArrayList<>(dropTriggers);
        alterations.stream().filter(Alteration::placeholderDefault)
                .forEach(a -> after.add(dialect.tables().dropColumnDefault(schema, table, finalName(t, a))));
        steps.add(new Step.SqlStep("drop sync triggers and placeholder defaults of " + table, table,
                dialect.locks().trigger(), after, null, false));
        return steps;
    }

    /**
     * The statements that show each swapped-in column, in the table's column order, after the column
     * that stood before its old one (by that column's name right after the swap), or first.
     */
    private List<String> revealInPlace(TableShape t, List<Alteration> alterations) {
        List<String> names = t.info.columns().stream().map(Catalog.Column::name).toList();
        Map<String, String> afterSwap = new HashMap<>();
        alterations.forEach(a -> afterSwap.put(a.column(), finalName(t, a)));
        List<String> sql = new ArrayList<>();
        alterations.stream().sorted(java.util.Comparator.comparingInt(a -> names.indexOf(a.column()))).forEach(a -> {
            int at = names.indexOf(a.column());
            // the shadows themselves are not where a column stood
            int before = at - 1;
            while (before >= 0 && names.get(before).startsWith("_bascule_")) {
                before--;
            }
            Optional<String> after = before < 0 ? Optional.empty()
                    : Optional.of(afterSwap.getOrDefault(names.get(before), names.get(before)));
            sql.addAll(dialect.tables().revealColumn(schema, t.physical, finalName(t, a), after, before < 0, false));
        });
        return sql;
    }

    /** The name a swapped-in column has once complete has run its renames too. */
    private String contractName(TableShape t, Alteration a) {
        return contractColumns.getOrDefault(t.physical + "." + a.shadow(), finalName(t, a));
    }

    /** The name an altered column has when complete swaps its shadow in: the new version's. */
    private static String finalName(TableShape t, Alteration a) {
        return t.columns.stream().filter(m -> m.physical().equals(a.shadow())).map(ColumnMapping::logical)
                .findFirst().orElseThrow();
    }

    private static final Map<String, Integer> INTEGER_WIDTH = Map.of("smallint", 2, "int2", 2, "integer", 4, "int", 4,
            "int4", 4, "bigint", 8, "int8", 8);

    private List<Verification.Mismatch> verification(TableShape t) {
        Verification v = verifications.stream().filter(x -> x.table().equals(t.physical)).findFirst().orElseGet(() -> {
            List<Step.KeyColumn> key = t.info.walkKey().stream()
                    .map(k -> new Step.KeyColumn(k, t.info.column(k).orElseThrow().type())).toList();
            Verification created = new Verification(schema, t.physical, key, new ArrayList<>());
            verifications.add(created);
            return created;
        });
        return v.mismatches();
    }

    /**
     * New tables take some of a table's columns: old code keeps writing the table and a trigger
     * copies its rows into the parts; new code writes the parts and a trigger on each copies back.
     * Complete drops the moved columns.
     */
    private void splitTable(int i, Operation.SplitTable st) {
        TableShape t = table(i, st, "from", st.from());
        if (t.created) {
            throw error(i, st, "from", "table '" + st.from() + "' is created by this same migration; create the parts instead");
        }
        requireKey(i, st, t);
        List<String> walkKey = t.info.walkKey();
        Set<String> keep = new HashSet<>(walkKey);
        List<List<String>> partColumns = new ArrayList<>();
        List<List<String>> partKeys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int p = 0; p < st.into().size(); p++) {
            Operation.TablePart part = st.into().get(p);
            String at = "into/" + p + "/";
            if (shape.containsKey(part.name()) || catalog.tables().containsKey(part.name()) || !names.add(part.name())) {
                throw error(i, st, at + "name", "table '" + part.name() + "' already exists");
            }
            List<String> columns = new ArrayList<>();
            for (int c = 0; c < part.columns().size(); c++) {
                columns.add(existingColumn(i, st, at + "columns/" + c, t, part.columns().get(c)));
            }
            List<String> key = new ArrayList<>();
            for (int c = 0; c < part.primaryKey().size(); c++) {
                String k = existingColumn(i, st, at + "primary_key/" + c, t, part.primaryKey().get(c));
                if (!columns.contains(k)) {
                    throw error(i, st, at + "primary_key/" + c, "primary key column '" + k + "' is not one of the part's columns");
                }
                key.add(k);
            }
            if (key.isEmpty()) {
                if (!columns.containsAll(walkKey)) {
                    throw error(i, st, at + "primary_key", "give the part a primary_key: it does not have all of '"
                            + st.from() + "''s key columns (" + String.join(", ", walkKey) + ")");
                }
                key.addAll(walkKey);
            }
            keep.addAll(key);
            partColumns.add(columns);
            partKeys.add(key);
        }
        String tag = Names.hash(migration.name());
        List<SyncTriggers.SplitPart> parts = new ArrayList<>();
        Set<String> movedAll = new HashSet<>();
        for (int p = 0; p < st.into().size(); p++) {
            String name = st.into().get(p).name();
            List<String> moved = partColumns.get(p).stream().filter(c -> !keep.contains(c)).toList();
            for (String c : moved) {
                if (!movedAll.add(c)) {
                    throw error(i, st, "into/" + p + "/columns", "column '" + c + "' is moved into two parts; a column"
                            + " other than a key can go to one part only");
                }
                Catalog.Column info = t.info.column(c).orElseThrow();
                if (!info.nullable() && info.defaultExpression() == null && !info.generated()) {
                    throw error(i, st, "into/" + p + "/columns", "column '" + c + "' is NOT NULL without a default: new"
                            + " code, which writes it to '" + name + "', could not insert rows into '" + st.from()
                            + "'; give it a default or make it nullable first");
                }
            }
            parts.add(new SyncTriggers.SplitPart(name, partColumns.get(p), partKeys.get(p), moved, new HashSet<>(partKeys.get(p))
                    .equals(new HashSet<>(walkKey)), Names.limited("copy", schema, name, tag)));
            List<String> partKey = partKeys.get(p);
            // a part's key comes from the split table's row, never from a default (a serial's sequence)
            List<ColumnDef> defs = partColumns.get(p).stream().map(c -> partKey.contains(c)
                    ? withoutDefault(copyOf(t.info.column(c).orElseThrow(), false)) : copyOf(t.info.column(c).orElseThrow(), null))
                    .toList();
            start.add(new PlannedStep(Stage.SCHEMA,
                    new Step.SqlStep("create table " + name + " (split from " + t.physical + ")", name, "none (new table)",
                            List.of(dialect.tables().createTable(schema, new Operation.CreateTable(name, defs, partKeys.get(p), List.of()))),
                            dialect.checks().tableExists(schema, name), true),
                    List.of(sql("drop table " + name, name, lockBrief, dialect.tables().dropTable(schema, name)))));
            TableShape created = new TableShape(name, null, true);
            partColumns.get(p).forEach(created::addColumn);
            shape.put(name, created);
            byPhysical.put(name, created);
        }
        SyncTriggers.SplitSync sync = new SyncTriggers.SplitSync(schema, t.physical, functionSchema, copyTriggerName(),
                Names.limited("copy", schema, t.physical, tag), versionSchema, parts);
        // one table at a time, the parts (which new code writes) first: a trigger is dropped under
        // ACCESS EXCLUSIVE, and holding one table's while waiting for another's would deadlock with
        // new code's writes, which go from a part to the split table
        List<String> drops = new ArrayList<>();
        parts.forEach(part -> drops.addAll(dialect.triggers().dropSyncTrigger(schema, part.table(), copyTriggerName(), functionSchema,
                part.function())));
        drops.addAll(dialect.triggers().dropSyncTrigger(schema, t.physical, copyTriggerName(), functionSchema, sync.function()));
        Step drop = new Step.SqlStep("drop split triggers of " + t.physical, t.physical, "ACCESS EXCLUSIVE (brief, one table at a time)",
                drops, null, false);
        start.add(new PlannedStep(Stage.TRIGGERS, new Step.SqlStep("split triggers of " + t.physical, t.physical,
                dialect.locks().trigger(), dialect.triggers().createSplitSync(sync), null, true), List.of(drop)));
        contractCleanup.add(drop);
        parts.forEach(part -> {
            backfill(t.physical).copies.add(dialect.copy().splitCopy(schema, t.physical, part));
            verification(t).add(new Verification.Mismatch("part " + part.table(), dialect.checks().splitMismatch(schema, part)));
        });
        t.columns.removeIf(m -> movedAll.contains(m.physical()));
        for (SyncTriggers.SplitPart part : parts) {
            part.moved().forEach(c -> reownSequence(t, c, part.table()));
        }
        for (String c : movedAll.stream().sorted().toList()) {
            droppedColumns.add(t.physical + "." + c);
            retire(t, c);
            dropOrDeprecateColumn(t.physical, c);
        }
    }

    /**
     * One new table joins tables that share a key: its rows are the first table's, with the others'
     * columns where they have a row of that key. Old code writes the sources and new code the
     * merged table, triggers copying each way. Complete drops the sources.
     */
    private void mergeTables(int i, Operation.MergeTables mt) {
        List<TableShape> sources = new ArrayList<>();
        for (int k = 0; k < mt.from().size(); k++) {
            TableShape t = table(i, mt, "from/" + k, mt.from().get(k));
            if (t.created || sources.contains(t)) {
                throw error(i, mt, "from/" + k, t.created ? "table '" + t.logical + "' is created by this same migration"
                        : "table '" + t.logical + "' is listed twice");
            }
            sources.add(t);
        }
        Operation.TablePart into = mt.into();
        if (shape.containsKey(into.name()) || catalog.tables().containsKey(into.name())) {
            throw error(i, mt, "into/name", "table '" + into.name() + "' already exists");
        }
        TableShape first = sources.get(0);
        requireKey(i, mt, first);
        List<String> key = into.primaryKey().isEmpty() ? first.info.primaryKey() : into.primaryKey();
        if (key.isEmpty()) {
            throw error(i, mt, "into/primary_key", "table '" + first.logical + "' has no primary key; give into.primary_key");
        }
        for (int k = 0; k < sources.size(); k++) {
            TableShape t = sources.get(k);
            for (String c : key) {
                existingColumn(i, mt, "into/primary_key", t, c);
            }
            Set<String> keySet = Set.copyOf(key);
            boolean unique = Set.copyOf(t.info.primaryKey()).equals(keySet)
                    || t.info.uniqueKeys().stream().anyMatch(u -> Set.copyOf(u).equals(keySet));
            if (!unique) {
                throw error(i, mt, "from/" + k, "table '" + t.logical + "' has no primary or unique key on ("
                        + String.join(", ", key) + "), the key merge_tables joins the tables on");
            }
        }
        List<List<String>> kept = new ArrayList<>();
        sources.forEach(t -> kept.add(new ArrayList<>()));
        List<ColumnDef> defs = new ArrayList<>();
        key.forEach(k -> defs.add(copyOf(first.info.column(k).orElseThrow(), false)));
        for (int c = 0; c < into.columns().size(); c++) {
            String name = into.columns().get(c);
            if (key.contains(name)) {
                continue;
            }
            List<Integer> owners = new ArrayList<>();
            for (int k = 0; k < sources.size(); k++) {
                if (sources.get(k).logicalColumn(name).isPresent()) owners.add(k);
            }
            if (owners.size() != 1) {
                throw error(i, mt, "into/columns/" + c, owners.isEmpty() ? "no table of 'from' has a column '" + name + "'"
                        : "column '" + name + "' is in more than one table of 'from'; rename it in all but one first");
            }
            int owner = owners.get(0);
            String physical = existingColumn(i, mt, "into/columns/" + c, sources.get(owner), name);
            kept.get(owner).add(physical);
            // a joined table may have no row for a key: its columns are nullable in the merge
            defs.add(copyOf(sources.get(owner).info.column(physical).orElseThrow(), owner == 0 ? null : true));
        }
        for (int k = 0; k < sources.size(); k++) {
            TableShape t = sources.get(k);
            for (Catalog.Column col : t.info.columns()) {
                if (!key.contains(col.name()) && !kept.get(k).contains(col.name()) && !col.nullable()
                        && col.defaultExpression() == null && !col.generated()) {
                    throw error(i, mt, "into/columns", "column '" + col.name() + "' of '" + t.logical + "' is NOT NULL"
                            + " without a default and not kept: new code, which writes the merged table, could not insert"
                            + " rows into '" + t.logical + "'; keep it, or give it a default first");
                }
            }
        }
        String tag = Names.hash(migration.name());
        List<SyncTriggers.MergeSource> mergeSources = new ArrayList<>();
        for (int k = 0; k < sources.size(); k++) {
            mergeSources.add(new SyncTriggers.MergeSource(sources.get(k).physical, kept.get(k),
                    Names.limited("copy", schema, sources.get(k).physical, tag)));
        }
        SyncTriggers.MergeSync merge = new SyncTriggers.MergeSync(schema, into.name(), key, functionSchema, copyTriggerName(),
                Names.limited("copy", schema, into.name(), tag), versionSchema, mergeSources);
        start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("create table " + into.name() + " (merge of " + String.join(", ", mt.from()) + ")",
                        into.name(), "none (new table)",
                        List.of(dialect.tables().createTable(schema, new Operation.CreateTable(into.name(), defs, key, List.of()))),
                        dialect.checks().tableExists(schema, into.name()), true),
                List.of(sql("drop table " + into.name(), into.name(), lockBrief, dialect.tables().dropTable(schema, into.name())))));
        // one table at a time, the merged table (which new code writes) first: see splitTable
        List<String> drops = new ArrayList<>(dialect.triggers().dropSyncTrigger(schema, into.name(), copyTriggerName(), functionSchema,
                merge.function()));
        mergeSources.forEach(m -> drops.addAll(dialect.triggers().dropSyncTrigger(schema, m.table(), copyTriggerName(), functionSchema,
                m.function())));
        Step drop = new Step.SqlStep("drop merge triggers of " + into.name(), into.name(), "ACCESS EXCLUSIVE (brief, one table at a time)",
                drops, null, false);
        start.add(new PlannedStep(Stage.TRIGGERS, new Step.SqlStep("merge triggers of " + into.name(), into.name(),
                dialect.locks().trigger(), dialect.triggers().createMergeSync(merge), null, true), List.of(drop)));
        contractCleanup.add(drop);
        backfill(first.physical).copies.add(dialect.copy().mergeCopy(merge));
        for (int k = 0; k < sources.size(); k++) {
            TableShape t = sources.get(k);
            requireKey(i, mt, t);
            verification(t).add(new Verification.Mismatch("merged into " + into.name(), dialect.checks().mergeMismatch(merge, k)));
        }
        TableShape created = new TableShape(into.name(), null, true);
        defs.forEach(d -> created.addColumn(d.name()));
        shape.put(into.name(), created);
        byPhysical.put(into.name(), created);
        for (int k = 0; k < sources.size(); k++) {
            for (String c : k == 0 ? concat(key, kept.get(0)) : kept.get(k)) {
                reownSequence(sources.get(k), c, into.name());
            }
        }
        for (int k = sources.size() - 1; k >= 0; k--) { // joined tables first: they may point at the first
            TableShape t = sources.get(k);
            shape.remove(t.logical);
            droppedTables.add(t.physical);
            retire(t, null);
            dropOrDeprecateTable(t.physical);
        }
    }

    /** DROP TABLE at complete, or with --deprecate a rename that keeps the rows. */
    private void dropOrDeprecateTable(String physical) {
        String table = contractTable(physical);
        Step drop = sql("drop table " + physical, physical, dialect.locks().dropTable(), dialect.tables().dropTable(schema, table));
        String deprecated = DeprecatedName.of(migration.name(), table);
        contract.add(drop);
        deprecations.put(drop, new Step.SqlStep("deprecate table " + table + " as " + deprecated, physical,
                "ACCESS EXCLUSIVE (brief, no scan)", List.of(dialect.tables().deprecateTable(schema, table, deprecated,
                DeprecationMarker.json(DeprecatedObject.Kind.TABLE, table, table, migration.name()))),
                dialect.checks().tableExists(schema, deprecated), true));
    }

    /** DROP COLUMN at complete, or with --deprecate a rename that keeps the values. */
    private void dropOrDeprecateColumn(String physicalTable, String physical) {
        String table = contractTable(physicalTable);
        String column = contractColumn(physicalTable, physical);
        Step drop = sql("drop column " + table + "." + column, physicalTable, dialect.locks().dropColumn(),
                dialect.tables().dropColumn(schema, table, column));
        contract.add(drop);
        deprecations.put(drop, deprecateColumnStep(table, column, physicalTable));
    }

    private Step deprecateColumnStep(String table, String column, String physicalTable) {
        String deprecated = DeprecatedName.of(migration.name(), column);
        return new Step.SqlStep("deprecate column " + table + "." + column + " as " + deprecated, physicalTable,
                "ACCESS EXCLUSIVE (brief, no scan)", List.of(deprecateColumn(table, column)),
                dialect.checks().columnExists(schema, table, deprecated), true);
    }

    private String deprecateColumn(String table, String column) {
        return dialect.tables().deprecateColumn(schema, table, column, DeprecatedName.of(migration.name(), column),
                DeprecationMarker.json(DeprecatedObject.Kind.COLUMN, table, column, migration.name()));
    }

    /**
     * A serial column's sequence, whose default a new table copied, goes to the new table's column
     * before complete drops the old one (which would take the sequence with it).
     */
    private void reownSequence(TableShape from, String column, String to) {
        Catalog.OwnedSequence seq = from.info.sequences().get(column);
        if (seq != null && seq.identity() == null) {
            contract.add(sql("sequence " + seq.name() + " to " + to + "." + column, to, "none on tables",
                    dialect.sequences().orElseThrow().setSequenceOwner(seq.schema(), seq.name(), schema, to, column)));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A column that exists in the table now, named as the table names it (not renamed by this migration). */
    private String existingColumn(int i, Operation op, String field, TableShape t, String name) {
        String physical = column(i, op, field, t, name);
        if (!physical.equals(name) || t.info == null || t.info.column(physical).isEmpty() || t.altered.contains(physical)) {
            throw error(i, op, field, "column '" + name + "' is added, renamed or altered by this same migration;"
                    + " " + op.kind() + " works on columns as they are before it: do it in a later migration");
        }
        return physical;
    }

    /** A column declared like {@code c}; {@code nullable} null keeps its nullability. */
    private static ColumnDef copyOf(Catalog.Column c, Boolean nullable) {
        return new ColumnDef(c.name(), c.type(), nullable == null ? c.nullable() : nullable,
                Optional.ofNullable(c.defaultExpression()), false, Optional.empty(), Optional.empty());
    }

    private static ColumnDef withoutDefault(ColumnDef c) {
        return new ColumnDef(c.name(), c.type(), c.nullable(), Optional.empty(), c.unique(), c.references(), c.check());
    }

    private String copyTriggerName() {
        return Names.limited("_bascule_copy", Names.hash(migration.name()));
    }

    // ---- generated parts -----------------------------------------------------------------

    /**
     * {@code down} reads the row as new code sees it: it is compiled against the new version's
     * columns, a column this migration adds standing in as a typed NULL.
     */
    private void addDownChecks() {
        for (DownCheck d : downChecks) {
            TableShape t = d.table();
            if (t.info == null) {
                continue;
            }
            List<String> columns = new ArrayList<>();
            for (ColumnMapping m : newScope(t)) {
                columns.add((t.info.column(m.physical()).isPresent() ? dialect.quote(m.physical())
                        : dialect.tables().typedNull(t.addedTypes.get(m.physical()))) + " AS " + dialect.quote(m.logical()));
            }
            expressionChecks.add(new ExpressionCheck(d.path(), "SELECT (" + d.expression() + ") FROM (SELECT "
                    + String.join(", ", columns) + " FROM " + dialect.qualify(schema, t.physical) + ") AS bascule_new LIMIT 0"));
        }
    }

    /** The row as old code sees it: every physical column under its own name. */
    private static List<ColumnMapping> oldScope(TableShape t) {
        return t.physicalColumns.stream().map(c -> new ColumnMapping(c, c)).toList();
    }

    /**
     * The row as new code sees it: the new version's names, and the physical names no new name
     * hides (so a {@code down} may also name a column by what it is called in the table).
     */
    private static List<ColumnMapping> newScope(TableShape t) {
        Map<String, ColumnMapping> scope = new LinkedHashMap<>();
        t.columns.forEach(m -> scope.put(m.logical(), m));
        t.physicalColumns.forEach(c -> scope.putIfAbsent(c, new ColumnMapping(c, c)));
        return List.copyOf(scope.values());
    }

    private void addSyncTriggers() {
        sync.forEach((table, parts) -> {
            TableShape t = byPhysical.get(table);
            Step drop = dropSyncTrigger(table, table);
            start.add(new PlannedStep(Stage.TRIGGERS,
                    new Step.SqlStep("sync trigger on " + table, table, dialect.locks().trigger(),
                            dialect.triggers().createSyncTrigger(new SyncTriggers.SyncTrigger(schema, table, triggerName(), functionSchema,
                                    functionName(table), versionSchema, oldScope(t), newScope(t),
                                    onChange(parts.up, oldScope(t)), onChange(parts.down, newScope(t)))),
                            null, true),
                    List.of(drop)));
            // the same step undoes it on rollback and removes it first thing in complete, before any
            // rename; a table whose columns are swapped drops it in the swap's own transaction
            if (!swaps.containsKey(table)) {
                contractCleanup.add(drop);
            }
        });
    }

    /**
     * Each assignment limited to the writes that change a column its expression reads: a write
     * that leaves them alone (an UPDATE of another column) must not overwrite a value the other
     * version wrote with one recomputed from a lossy round trip (a varchar(50) value sent to a
     * varchar(5) column and back). Fills of a default apply to every write.
     */
    private List<Assignment> onChange(List<Assignment> assignments, List<ColumnMapping> scope) {
        return assignments.stream().map(a -> a.onlyIfNull() ? a : new Assignment(a.column(), a.expression(), false,
                scope.stream().filter(m -> dialect.catalog().mayRead(a.expression(), m.logical()))
                        .map(ColumnMapping::physical).distinct().toList())).toList();
    }

    private String triggerName() {
        return Names.limited("_bascule_sync", Names.hash(migration.name()));
    }

    private String functionName(String table) {
        return Names.limited("sync", schema, table, Names.hash(migration.name()));
    }

    private Step dropSyncTrigger(String table, String currentName) {
        return new Step.SqlStep("drop sync trigger on " + table, table, dialect.locks().trigger(),
                dialect.triggers().dropSyncTrigger(schema, currentName, triggerName(), functionSchema, functionName(table)), null, true);
    }

    private final List<Step> contractCleanup = new ArrayList<>();

    private void addBackfills() {
        backfill.forEach((table, parts) -> {
            Catalog.Table info = byPhysical.get(table).info;
            List<Step.KeyColumn> key = info.walkKey().stream()
                    .map(k -> new Step.KeyColumn(k, info.column(k).orElseThrow().type())).toList();
            start.add(new PlannedStep(Stage.BACKFILL, new Step.BackfillStep("backfill " + table, table, lockRows, schema,
                    key, parts.assignments, parts.copies), List.of()));
        });
    }

    private void addViews() {
        List<String> statements = new ArrayList<>();
        List<String> views = List.copyOf(shape.keySet());
        statements.addAll(dialect.views().replaceVersionSchema(versionSchema, owner(), views));
        statements.addAll(dialect.views().createReadMarker(versionSchema));
        shape.forEach((logical, t) -> statements.add(
                dialect.views().createVersionView(versionSchema, logical, schema, t.physical, t.columns)));
        start.add(new PlannedStep(Stage.VIEWS, new Step.SqlStep("create version schema " + versionSchema, null,
                "none on tables", statements, null, true),
                List.of(new Step.SqlStep("drop version schema " + versionSchema, null, "none on tables",
                        dialect.views().dropVersionSchema(versionSchema, owner(), views), null, true))));
    }

    /** The marker on what this migration makes: Bascule drops and replaces only objects that carry it. */
    private OwnerMarker owner() {
        return new OwnerMarker(versionSchema, functionSchema);
    }

    private List<Step> contractWithCleanup(ContractMode mode) {
        List<Step> all = new ArrayList<>(contractCleanup);
        if (!previousVersionSchema.equals(schema)) {
            // no marker check: a previous version made by an earlier release carries none
            all.add(new Step.SqlStep("drop previous version schema " + previousVersionSchema, null, "none on tables",
                    dialect.views().dropVersionSchema(previousVersionSchema, null, previousViews), null, true));
        }
        // swaps come before every other contract step: those name tables and columns as they are
        // after the swap, and nothing but the swap reads the old columns
        if (dialect.capabilities().transactionalDdl()) {
            pairs.swapGroups(swaps.keySet()).forEach(group -> all.addAll(swapGroup(group, mode)));
        } else {
            swaps.forEach((table, alterations) -> all.addAll(swapStepsLocked(table, alterations)));
        }
        contract.stream().filter(step -> !supersededRenames.contains(step))
                .map(step -> mode == ContractMode.DEPRECATE ? deprecations.getOrDefault(step, step) : step)
                .forEach(all::add);
        if (!dialect.capabilities().viewsFollowRenames() && (!contractTables.isEmpty() || !contractColumns.isEmpty() || !swaps.isEmpty()
                || !shadowTables.isEmpty())) {
            // right after the last rename, not at the end: a step after it (a NOT NULL that rebuilds
            // the table) may take long, and the new version's views are broken until this runs
            int lastRename = -1;
            for (int k = 0; k < all.size(); k++) {
                if (all.get(k).description().startsWith("rename ") || all.get(k).description().startsWith("swap ")) {
                    lastRename = k;
                }
            }
            all.add(lastRename < 0 ? all.size() : lastRename + 1, viewsAfterRenames());
            holdViewsThroughRenames(all);
        }
        all.addAll(reveals);
        return all;
    }

    /**
     * Each step that renames a table or columns re-creates the table's view in the new version
     * with it, as the dialect makes sure no query sees the view name what is gone (MariaDB: the
     * view waits, locked, through the rename; see {@link VersionViews#holdingView}). The views of the
     * step after the last rename are made again all the same: a rerun skips a rename step whose
     * effect is there, even when it was cut off before its view.
     */
    private void holdViewsThroughRenames(List<Step> all) {
        Map<String, String> tableNow = new HashMap<>();
        Map<String, String> columnNow = new HashMap<>();
        for (int k = 0; k < all.size(); k++) {
            Renaming r = renamings.get(all.get(k));
            if (r == null || !(all.get(k) instanceof Step.SqlStep step)) {
                continue;
            }
            String before = tableNow.getOrDefault(r.table(), r.table());
            if (r.tableTo() != null) {
                tableNow.put(r.table(), r.tableTo());
            }
            r.columns().forEach((physical, to) -> columnNow.put(r.table() + "." + physical, to));
            TableShape t = byPhysical.get(r.table());
            if (t == null || shape.get(t.logical) != t) {
                continue;
            }
            String view = dialect.views().createVersionView(versionSchema, t.logical, schema, tableNow.getOrDefault(r.table(), r.table()),
                    t.columns.stream().map(m -> new ColumnMapping(columnNow.getOrDefault(r.table() + "." + m.physical(),
                            m.physical()), m.logical())).toList());
            all.set(k, new Step.SqlStep(step.description(), step.table(), step.lock() + "; queries through the new version's"
                    + " view of it wait too, until the view is made again over the new names",
                    dialect.views().holdingView(schema, before, step.statements(), versionSchema, t.logical, view), step.skipIf(), false));
        }
    }

    /**
     * The new version's views again, over the names the contract gave the tables and columns: a
     * MySQL/MariaDB view names them, and a rename leaves it pointing at nothing. Between the renames
     * and this step, which follows the last of them, a query through the new version fails;
     * docs/guides/mariadb.md says so.
     */
    private Step viewsAfterRenames() {
        List<String> statements = new ArrayList<>();
        shape.forEach((logical, t) -> statements.add(dialect.views().createVersionView(versionSchema, logical, schema,
                contractTable(t.physical), t.columns.stream()
                        .map(m -> new ColumnMapping(swappedIn(t.physical, m.physical())
                                ? m.logical() : contractColumn(t.physical, m.physical()), m.logical())).toList())));
        return new Step.SqlStep("re-create the views of " + versionSchema + " over the renamed tables and columns", null,
                "none on tables", statements, null, true);
    }

    /** Whether {@code physical} is a shadow column that complete swaps in under its new version's name. */
    private boolean swappedIn(String table, String physical) {
        return swaps.getOrDefault(table, List.of()).stream().anyMatch(a -> a.shadow().equals(physical));
    }

    // ---- helpers -------------------------------------------------------------------------

    private TableShape table(int i, Operation op, String field, String name) {
        TableShape t = shape.get(name);
        if (t == null) {
            throw error(i, op, field, "unknown table '" + name + "' in schema '" + schema + "'");
        }
        return t;
    }

    private String column(int i, Operation op, String field, TableShape t, String name) {
        return t.logicalColumn(name).map(ColumnMapping::physical).orElseThrow(() ->
                error(i, op, field, "unknown column '" + name + "' in table '" + t.logical + "'"));
    }

    private ForeignKeyRef physicalReference(int i, Operation op, String field, ForeignKeyRef ref) {
        TableShape target = table(i, op, field + "/table", ref.table());
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < ref.columns().size(); c++) {
            columns.add(column(i, op, field + "/columns/" + c, target, ref.columns().get(c)));
        }
        if (columns.isEmpty() && target.info != null && target.info.primaryKey().isEmpty()) {
            throw error(i, op, field, "table '" + ref.table() + "' has no primary key; name the referenced columns");
        }
        return new ForeignKeyRef(target.physical, columns, ref.onDelete());
    }

    private void newConstraintName(int i, Operation op, String field, TableShape t, String name) {
        if (t.info != null && t.info.constraints().contains(name)) {
            throw error(i, op, field, "constraint '" + name + "' already exists on table '" + t.logical + "'");
        }
    }

    private void requireKey(int i, Operation op, TableShape t) {
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

    /**
     * A constraint added NOT VALID at start (new writes are checked at once), validated when
     * complete begins: before anything irreversible, so rows that break it refuse complete and
     * leave rollback possible. Validation runs before the contract renames anything.
     */
    private AddedConstraint constraint(String table, String name, String statement) {
        return constraint(Stage.CONSTRAINTS, "add constraint " + name + " (NOT VALID)", table, name, statement);
    }

    private AddedConstraint constraint(Stage stage, String description, String table, String name, String statement) {
        PlannedStep step = new PlannedStep(stage,
                new Step.SqlStep(description, table, lockBrief, List.of(statement),
                        dialect.checks().constraintExists(schema, table, name), true),
                List.of(sql("drop constraint " + name, table, lockBrief, dialect.constraints().dropConstraint(schema, table, name))));
        Step validation = sql("validate " + name, table, lockValidate, dialect.constraints().validateConstraint(schema, table, name));
        start.add(step);
        validations.add(validation);
        return new AddedConstraint(step, validation);
    }

    /** A constraint added NOT VALID at start, and its validation at complete. */
    private record AddedConstraint(PlannedStep step, Step validation) {}

    /** The foreign key of an altered column as it is, and as start makes it again on the shadow. */
    private record ShadowForeignKey(Catalog.ForeignKey original, Catalog.ForeignKey onShadow, AddedConstraint added) {}

    /**
     * A foreign key on an altered column whose referenced column is altered too references the
     * referenced table's shadow instead: it is added once the backfills have filled both shadows
     * and the unique index on the referenced shadow is built (after the indexes), NOT VALID, and
     * validated at complete before the swap; the tables then swap together (see {@link #swapGroup}).
     */
    private void pairForeignKeys() {
        for (ShadowForeignKey s : shadowForeignKeys) {
            Catalog.ForeignKey key = s.onShadow();
            Map<String, String> shadows = new HashMap<>();
            if (key.refSchema().equals(schema)) {
                swaps.getOrDefault(key.refTable(), List.of()).forEach(a -> shadows.put(a.column(), a.shadow()));
            }
            if (key.refColumns().stream().noneMatch(shadows::containsKey)) {
                continue;
            }
            start.remove(s.added().step());
            validations.remove(s.added().validation());
            Catalog.ForeignKey paired = new Catalog.ForeignKey(key.name(), key.schema(), key.table(), key.columns(),
                    key.refSchema(), key.refTable(), key.refColumns().stream().map(c -> shadows.getOrDefault(c, c)).toList(),
                    key.onUpdate(), key.onDelete(), key.matchFull(), key.deferrable());
            constraint(Stage.INDEXES, "add constraint " + key.name() + " (NOT VALID) to the new columns of "
                    + key.refTable(), key.table(), key.name(), dialect.constraints().addForeignKeyNotValid(paired));
            pairs.add(s.original());
        }
    }

    /**
     * A foreign key added without checking existing rows (NOT VALID; where the server has no NOT
     * VALID, with its checks off for that one statement), so new writes are checked at once; complete
     * checks the existing rows before anything irreversible, as {@link #constraint} does.
     */
    private void foreignKey(int i, Operation op, String field, TableShape t, String name, List<String> columns,
                            ForeignKeyRef ref, Optional<String> onDelete) {
        String table = t.physical;
        boolean makesIndex = false;
        if (dialect.capabilities().foreignKeyMakesIndex()) {
            Catalog.Index same = catalog.indexes().get(name);
            if (same != null && same.table().equals(table)) {
                throw error(i, op, field, "table '" + t.logical + "' already has an index named '" + name + "'; the"
                        + " server names the index it makes for a foreign key after the constraint, and rollback drops"
                        + " that index: name the foreign key otherwise");
            }
            // InnoDB's foreign key names are per database, not per table
            catalog.tables().values().stream().filter(other -> other.foreignKeys().stream().anyMatch(fk -> fk.name().equals(name)))
                    .findFirst().ifPresent(other -> {
                        throw error(i, op, field, "a foreign key named '" + name + "' already exists on table '" + other.name()
                                + "'; foreign key names are per database here: name this one otherwise");
                    });
            // the server uses an index that starts with the key's columns, else makes one
            makesIndex = t.info == null || !(startsWith(t.info.primaryKey(), columns)
                    || t.info.indexDefs().stream().anyMatch(ix -> startsWith(ix.elements().stream()
                    .map(e -> e.replace("`", "").replace("\"", "")).toList(), columns)));
        }
        start.add(new PlannedStep(Stage.CONSTRAINTS,
                new Step.SqlStep("add constraint " + name + (dialect.capabilities().notValidConstraints() ? " (NOT VALID)"
                        : " (existing rows checked at complete)"), table, dialect.locks().addForeignKeyLock(),
                        List.of(dialect.constraints().addForeignKeyNotValid(schema, table, name, columns, ref.table(), ref.columns(), onDelete)),
                        dialect.checks().constraintExists(schema, table, name), true),
                List.of(sql("drop constraint " + name, table, makesIndex ? lockOnlineIndex : lockBrief,
                        dialect.constraints().dropAddedForeignKey(schema, table, name, makesIndex)))));
        validations.add(sql("validate " + name, table, lockValidate,
                dialect.constraints().validateForeignKey(schema, table, name, columns, ref.table(), ref.columns())));
    }

    private static boolean startsWith(List<String> index, List<String> columns) {
        return index.size() >= columns.size() && index.subList(0, columns.size()).equals(columns);
    }

    private void checkExpression(int i, Operation op, String field, String expression) {
        checkBodySafe(i, op, field, expression);
        String logical = op instanceof Operation.AddColumn ac ? ac.table()
                : op instanceof Operation.AddCheck ck ? ck.table()
                : op instanceof Operation.CreateIndex ci ? ci.table() : null;
        String table = logical == null ? null : shape.get(logical).physical;
        if (table != null && catalog.tables().containsKey(table)) {
            expressionChecks.add(new ExpressionCheck(MigrationSource.fieldPath(i, op.kind(), field),
                    "SELECT (" + expression + ") FROM " + dialect.qualify(schema, table) + " LIMIT 0"));
        }
    }

    /**
     * A type is pasted into DDL as written: it must be a type the server knows and nothing more
     * ("int unique" is not). Only its syntax is checked when an earlier sql operation of this
     * migration may create it, which the server cannot know before start runs that operation.
     *
     * @return whether the server must know the type at plan time (then it can stand in a typed NULL)
     */
    private boolean checkType(int i, Operation op, String field, String type) {
        String query;
        try {
            query = dialect.checks().typeCheck(type);
        } catch (IllegalArgumentException e) {
            throw error(i, op, field, e.getMessage());
        }
        boolean known = !typesMayBeCreatedBefore(i);
        if (checkedTypes.add(query + (known ? "" : " (syntax)"))) { // a wide table repeats its types: ask once, at the first
            expressionChecks.add(ExpressionCheck.ofType(MigrationSource.fieldPath(i, op.kind(), field), query, !known));
        }
        return known;
    }

    /** The rows of {@code t} as a FROM item, or null when the table is not in the catalog yet. */
    private String existingRow(TableShape t) {
        return catalog.tables().containsKey(t.physical) ? dialect.qualify(schema, t.physical) : null;
    }

    /** Whether an sql operation before operation {@code i} may create a type (CREATE TYPE, DOMAIN, EXTENSION). */
    private boolean typesMayBeCreatedBefore(int i) {
        return sqlBefore(i, CREATES_TYPES);
    }

    /** Whether an sql operation before operation {@code i} creates anything an expression may use (a function, a sequence). */
    private boolean objectsMayBeCreatedBefore(int i) {
        return sqlBefore(i, CREATES);
    }

    private boolean sqlBefore(int i, Pattern text) {
        return migration.operations().subList(0, i).stream()
                .anyMatch(op -> op instanceof Operation.Sql s && text.matcher(s.up()).find());
    }

    /**
     * A default compiled as the server reads it: a value of its column's type, alone where a
     * default cannot name a column (PostgreSQL), else over {@code row}, the columns of its row.
     * Only its syntax is checked after an sql operation that creates something it may use.
     */
    private void compileDefault(int i, Operation op, String field, String expression, String type, String row,
                                boolean typeKnown) {
        checkBodySafe(i, op, field, expression);
        if (dialect.capabilities().defaultMayNameColumns() && row == null) {
            return; // its row is not in the catalog yet: start's DDL will tell
        }
        String value = typeKnown ? dialect.tables().cast(expression, type) : "(" + expression + ")";
        expressionChecks.add(new ExpressionCheck(MigrationSource.fieldPath(i, op.kind(), field), "SELECT " + value
                + (dialect.capabilities().defaultMayNameColumns() ? " FROM " + row : "") + " LIMIT 0",
                !typeKnown || objectsMayBeCreatedBefore(i)));
    }

    /**
     * The defaults and checks of a new table, compiled as start will give them to the server:
     * checks over a row of the table's columns, each a NULL of its type, under the table's name.
     * Where a type may be created by an earlier sql operation, only their syntax is checked.
     */
    private void compileNewTable(int i, Operation.CreateTable ct, boolean typesKnown) {
        List<String> nulls = new ArrayList<>();
        for (ColumnDef col : ct.columns()) {
            nulls.add((typesKnown ? dialect.tables().typedNull(col.type()) : "NULL") + " AS " + dialect.quote(col.name()));
        }
        String row = "(SELECT " + String.join(", ", nulls) + ") AS " + dialect.quote(ct.name());
        for (int c = 0; c < ct.columns().size(); c++) {
            ColumnDef col = ct.columns().get(c);
            String at = "columns/" + c + "/";
            col.defaultValue().ifPresent(e -> compileDefault(i, ct, at + "default", e, col.type(), row, typesKnown));
            col.check().ifPresent(e -> compileOverRow(i, ct, at + "check", e, row, typesKnown));
        }
        for (int c = 0; c < ct.constraints().size(); c++) {
            String at = "constraints/" + c + "/check";
            ct.constraints().get(c).check().ifPresent(e -> compileOverRow(i, ct, at, e, row, typesKnown));
        }
    }

    /**
     * The rows of {@code t} as a check added to it reads them: its physical columns, with the
     * columns earlier operations add and {@code name} as NULLs of their types ({@code name} in
     * place of {@code replaced}, the column an alter_column gives a new type, unless that is null).
     */
    private String rowWith(int i, TableShape t, String replaced, String name, String type, boolean typeKnown) {
        boolean typed = typeKnown && !typesMayBeCreatedBefore(i);
        List<String> columns = new ArrayList<>();
        for (Catalog.Column c : t.info.columns()) {
            columns.add(c.name().equals(replaced) ? (typed ? dialect.tables().typedNull(type) : "NULL") + " AS " + dialect.quote(name)
                    : dialect.quote(c.name()));
        }
        t.addedTypes.forEach((c, added) -> columns.add((typed ? dialect.tables().typedNull(added) : "NULL") + " AS " + dialect.quote(c)));
        if (replaced == null) {
            columns.add((typed ? dialect.tables().typedNull(type) : "NULL") + " AS " + dialect.quote(name));
        }
        return "(SELECT " + String.join(", ", columns) + " FROM " + dialect.qualify(schema, t.physical) + ") AS "
                + dialect.quote(t.physical);
    }

    private void compileOverRow(int i, Operation op, String field, String expression, String row, boolean typesKnown) {
        checkBodySafe(i, op, field, expression);
        expressionChecks.add(new ExpressionCheck(MigrationSource.fieldPath(i, op.kind(), field),
                "SELECT (" + expression + ") FROM " + row + " LIMIT 0", !typesKnown || objectsMayBeCreatedBefore(i)));
    }

    /**
     * The reader refuses most such expressions already, without knowing the dialect; a migration built
     * through the Java API has not been read, and only here is the server's lexer known (MariaDB's
     * {@code #} comments), so the planner checks again before pasting an expression into SQL.
     */
    private void checkBodySafe(int i, Operation op, String field, String expression) {
        Expressions.problem(expression, dev.bascule.lint.SqlDialect.parse(dialect.name())).ifPresent(p -> {
            throw error(i, op, field, p);
        });
    }

    private SyncParts sync(String table) {
        return sync.computeIfAbsent(table, t -> new SyncParts());
    }

    private BackfillParts backfill(String table) {
        return backfill.computeIfAbsent(table, t -> new BackfillParts());
    }

    private String contractTable(String physical) {
        return contractTables.getOrDefault(physical, physical);
    }

    private String contractColumn(String table, String physical) {
        return contractColumns.getOrDefault(table + "." + physical, physical);
    }

    private static Step sql(String description, String table, String lock, String statement) {
        return new Step.SqlStep(description, table, lock, List.of(statement), null, true);
    }

    private Step nonTransactional(String description, String table, String statement) {
        return new Step.SqlStep(description, table, lockOnlineIndex, List.of(statement), null, false, true);
    }

    private InvalidMigrationException error(int i, Operation op, String field, String message) {
        return InvalidMigrationException.at(migration.source(), MigrationSource.fieldPath(i, op.kind(), field), message);
    }

    /** A table as the new version sees it, and the physical table behind it. */
    private final class TableShape {
        final String physical;
        final Catalog.Table info;
        final boolean created;
        String logical;
        final List<ColumnMapping> columns = new ArrayList<>();
        final Set<String> physicalColumns = new LinkedHashSet<>();
        /** Old and shadow columns of alter_column operations. */
        final Set<String> altered = new HashSet<>();
        /** Types of the columns this migration adds, which the catalog does not know yet. */
        final Map<String, String> addedTypes = new HashMap<>();

        TableShape(String physical, Catalog.Table info, boolean created) {
            this.physical = physical;
            this.logical = physical;
            this.info = info;
            this.created = created;
        }

        /** A column both versions see under its physical name. */
        void addColumn(String name) {
            columns.add(new ColumnMapping(name, name));
            physicalColumns.add(name);
        }

        Optional<ColumnMapping> logicalColumn(String name) {
            // as the server matches names (MariaDB: case-insensitively), the exact spelling first
            return columns.stream().filter(m -> m.logical().equals(name)).findFirst()
                    .or(() -> columns.stream().filter(m -> dialect.catalog().sameColumnName(m.logical(), name)).findFirst());
        }
    }

    private record Rename(String from, String to) {}

    /**
     * One alter_column, as complete swaps it in.
     *
     * @param column       the old physical column
     * @param notNullCheck the CHECK standing for NOT NULL until complete, or null
     * @param notNullLater where no check can stand for it, the shadow's definition NOT NULL, set
     *                     online before the swap (null when the shadow was added NOT NULL)
     * @param placeholderDefault the shadow was added NOT NULL with a placeholder default, dropped in the swap
     * @param primaryKey   the index built for the primary key (from) and the constraint's name (to)
     * @param uniques      indexes built for unique constraints and the constraints' names
     * @param incoming     foreign keys of other tables that point at the old column
     */
    private record Alteration(String column, String shadow, String upValue, String downValue, String newType, String notNullCheck,
                              ColumnDef notNullLater, boolean placeholderDefault, Optional<Rename> primaryKey, List<Rename> uniques, List<Rename> indexRenames,
                              List<Rename> constraintRenames, List<Catalog.ForeignKey> incoming,
                              Optional<Catalog.OwnedSequence> sequence, Optional<String> identity) {}

    private static final class SyncParts {
        final List<Assignment> up = new ArrayList<>();
        final List<Assignment> down = new ArrayList<>();
    }

    private static final class BackfillParts {
        final List<Assignment> assignments = new ArrayList<>();
        final List<Step.RangeStatement> copies = new ArrayList<>();
    }
}
