package dev.bascule.plan.operation;

import java.util.Set;
import dev.bascule.api.ColumnDef;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.step.Step.Assignment;
import dev.bascule.plan.Names;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * add_column: the column is added at start, filled by the backfill and the sync trigger where it
 * needs a value, and its constraints are validated at complete.
 */
public final class AddColumn extends OperationPlanner<Operation.AddColumn> {

    public AddColumn(Operation.AddColumn op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.AddColumn ac = op;
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, ac, "table", ac.table());
        ColumnDef col = ac.column();
        if (IdentityType.parse(col.type()).isPresent()) {
            throw ctx.error(i, ac, "column/type", "an identity column is declared in create_table only: added to a"
                    + " table with rows, it would number every row under a rewrite of the table");
        }
        Optional<Operation.DropColumn> replaced = t.created ? Optional.empty() : ColumnReplacement.earlierDrop(ctx, i, ac);
        if (replaced.isPresent()) {
            ColumnReplacement.plan(ctx, i, ac, replaced.get());
            return;
        }
        if (t.logicalColumn(col.name()).isPresent()) {
            throw ctx.error(i, ac, "column/name", "column '" + col.name() + "' already exists in table '" + ac.table() + "'");
        }
        if (t.physicalColumns.contains(col.name())) {
            throw ctx.error(i, ac, "column/name", "column '" + col.name() + "' still exists in table '" + t.physical
                    + "' until this migration completes; choose another name");
        }
        if (t.physicalColumns.size() >= dialect.capabilities().maxColumns()) {
            throw ctx.error(i, ac, "column/name", "table '" + t.physical + "' has " + t.physicalColumns.size()
                    + " columns until this migration completes, and a table has at most " + dialect.capabilities().maxColumns() + " here");
        }
        Optional<String> after = position(ctx, i, t);
        if (col.generated().isPresent()) {
            planGenerated(ctx, i, t, col);
            return;
        }
        Optional<String> up = ac.up();
        boolean constantDefault = col.defaultValue().map(d -> PlanContext.CONSTANT.matcher(d).matches()).orElse(false);
        if (!col.nullable() && up.isEmpty() && col.defaultValue().isEmpty() && !t.created) {
            throw ctx.error(i, ac, "column/nullable", "a NOT NULL column added to an existing table needs 'up' or a"
                    + " 'default' to fill the existing rows");
        }
        boolean typeKnown = ctx.checks().checkType(i, ac, "column/type", col.type());
        up.ifPresent(e -> ctx.checks().checkExpression(i, ac, "up", e, typeKnown ? col.type() : null));
        col.defaultValue().ifPresent(e -> ctx.checks().compileDefault(i, ac, "column/default", e, col.type(), ctx.checks().existingRow(t), typeKnown));
        col.check().ifPresent(e -> {
            if (t.info == null) {
                ctx.checks().checkBodySafe(i, ac, "column/check", e); // its table is not in the catalog yet: start's DDL will tell
            } else {
                ctx.checks().compileOverRow(i, ac, "column/check", e, ctx.checks().rowWith(i, t, null, col.name(), col.type(), typeKnown), typeKnown);
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
        add.add(dialect.tables().placedAtStart(notNullAtOnce ? dialect.tables().addColumnAsDeclared(ctx.schema, table, constantDefault ? col
                : new ColumnDef(c, col.type(), false, placeholder, col.unique(), col.references(), col.check(), col.comment(),
                        col.uniqueName(), col.checkName()), true)
                : dialect.tables().addColumn(ctx.schema, table, col, constantDefault), startPosition(ctx, i, t), ac.first()));
        add.addAll(dialect.tables().commentOf(ctx.schema, table, col));
        if (col.defaultValue().isPresent() && !constantDefault) {
            add.add(dialect.tables().setColumnDefault(ctx.schema, table, c, col.defaultValue().get()));
        }
        // without transactional DDL the column can exist while its default was never set: then
        // both statements run again (they are idempotent there) instead of being skipped together
        String skipIf = add.size() > 1 && !dialect.capabilities().transactionalDdl() ? null : dialect.checks().columnExists(ctx.schema, table, c);
        ctx.start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("add column " + table + "." + c, table, ctx.lockBrief, add, skipIf, true)
                        .declaring(ctx.effects.addColumn(col.type(), constantDefault, add)),
                List.of(ctx.sql("drop column " + table + "." + c, table, ctx.lockBrief, dialect.tables().dropColumn(ctx.schema, table, c),
                        ctx.effects.dropColumn()))));

        Optional<String> fill = up.isPresent() ? up : col.defaultValue().filter(d -> !constantDefault);
        if (fill.isPresent() && !t.created) {
            ctx.requireKey(i, ac, t);
            // old code does not know the column: its writes get the up value; a default only fills a gap
            ctx.sync(table).up.add(new Assignment(c, fill.get(), up.isEmpty()));
            ctx.backfill(table).assignments.add(new Assignment(c, up.isPresent() ? fill.get()
                    : "coalesce(" + dialect.quote(c) + ", " + fill.get() + ")", false));
        }
        String current = ctx.contractTable(table);
        boolean placeholderDefault = notNullAtOnce && col.defaultValue().isEmpty();
        List<String> reveal = dialect.tables().revealColumn(ctx.schema, current, c, after, ac.first(), placeholderDefault);
        if (!reveal.isEmpty()) {
            // last, once the column is NOT NULL: old code sees the table's old shape until then; the
            // placeholder default goes with it (a hidden NOT NULL column cannot be without a default)
            ctx.reveals.add(new Step.SqlStep("show column " + current + "." + c + " to every query", table, ctx.lockBrief, reveal,
                    null, false).declaring(ctx.effects.reveal()));
        } else if (placeholderDefault) {
            ctx.contract.add(new Step.SqlStep("drop the placeholder default of " + table + "." + c, table, ctx.lockBrief,
                    List.of(dialect.tables().dropColumnDefault(ctx.schema, current, c)), null, true));
        }
        if (!col.nullable() && !dialect.capabilities().notValidConstraints() && !notNullAtOnce) {
            // no NOT VALID check to stand for NOT NULL until complete: complete first looks for a
            // NULL (refused, nothing changed, if there is one), then sets NOT NULL online
            ctx.validations.add(ctx.sql("check " + table + "." + c + " has no NULL", table, ctx.lockValidate,
                    dialect.checks().requireNoNulls(ctx.schema, table, c)));
            ctx.contract.add(new Step.SqlStep("set " + table + "." + c + " not null", table, dialect.locks().setNotNull(),
                    List.of(dialect.tables().setNotNull(ctx.schema, current, col)), dialect.checks().columnIsNotNull(ctx.schema, current, c), true));
        } else if (!col.nullable() && dialect.capabilities().notValidConstraints()) {
            String check = Names.limited(table, c, "not_null");
            ctx.newConstraintName(i, ac, "column/nullable", t, check);
            ctx.constraints().constraint(table, check, dialect.constraints().addCheckNotValid(ctx.schema, table, check, dialect.quote(c) + " IS NOT NULL"));
            ctx.contract.add(new Step.SqlStep("set " + table + "." + c + " not null", table, dialect.locks().setNotNull(),
                    List.of(dialect.tables().setNotNull(ctx.schema, current, c), dialect.constraints().dropConstraint(ctx.schema, current, check)),
                    dialect.checks().columnIsNotNull(ctx.schema, current, c), true));
        }
        col.check().ifPresent(expr -> {
            String name = col.checkName().orElseGet(() -> Names.limited(table, c, "check"));
            ctx.newConstraintName(i, ac, col.checkName().isPresent() ? "column/check/name" : "column/check", t, name);
            ctx.constraints().constraint(table, name, dialect.constraints().addCheckNotValid(ctx.schema, table, name, expr));
        });
        col.references().ifPresent(r -> {
            ForeignKeyRef ref = ctx.physicalReference(i, ac, "column/references", r);
            String name = r.name().orElseGet(() -> Names.limited(table, c, "fkey"));
            String field = r.name().isPresent() ? "column/references/name" : "column/references";
            ctx.newConstraintName(i, ac, field, t, name);
            ctx.constraints().foreignKey(i, ac, field, t, name, List.of(c), ref, r.onDelete());
        });
        if (col.unique()) {
            String name = col.uniqueName().orElseGet(() -> Names.limited(table, c, "key"));
            String field = col.uniqueName().isPresent() ? "column/unique/name" : "column/unique";
            ctx.newConstraintName(i, ac, field, t, name);
            if (ctx.catalog.indexes().containsKey(name) || ctx.catalog.tables().containsKey(name)) {
                throw ctx.error(i, ac, field, "an index named '" + name + "' already exists; the unique index"
                        + " Bascule builds for this column needs that name");
            }
            ctx.start.add(new PlannedStep(Stage.INDEXES,
                    ctx.indexBuild("build unique index " + name, table, name,
                            dialect.constraints().createIndexOnline(ctx.schema, name, table, List.of(c), true, Optional.empty(), Optional.empty())),
                    List.of(ctx.indexDrop("drop index " + name, table, dialect.constraints().dropIndexOnline(ctx.schema, table, name)))));
            ctx.contract.add(new Step.SqlStep("make " + name + " a unique constraint", table, ctx.lockBrief,
                    List.of(dialect.constraints().addUniqueUsingIndex(ctx.schema, current, name, name)),
                    dialect.checks().constraintExists(ctx.schema, current, name), true).declaring(ctx.effects.uniqueUsingIndex()));
        }
        t.addColumn(c);
        t.addedTypes.put(c, col.type());
    }

    /**
     * A virtual generated column (MariaDB), computed when read: added instantly whatever the table
     * holds, hidden from old code as every added column is, and shown last at complete.
     */
    private void planVirtual(PlanContext ctx, int i, TableShape t, ColumnDef col, boolean typeKnown) {
        Operation.AddColumn ac = op;
        Dialect dialect = ctx.dialect;
        String table = t.physical;
        String c = col.name();
        if (t.info != null) {
            ctx.checks().compileGenerated(i, ac, "column/generated/expression", col.generated().get().expression(), col.type(),
                    ctx.checks().rowOf(i, t), typeKnown);
        } else {
            ctx.checks().checkBodySafe(i, ac, "column/generated/expression", col.generated().get().expression());
        }
        List<String> add = new ArrayList<>();
        add.add(dialect.tables().placedAtStart(dialect.tables().addColumn(ctx.schema, table, col, false), startPosition(ctx, i, t),
                ac.first()));
        add.addAll(dialect.tables().commentOf(ctx.schema, table, col));
        ctx.start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("add generated column " + table + "." + c + " (virtual)", table, ctx.lockBrief, add,
                        dialect.checks().columnExists(ctx.schema, table, c), true)
                        .declaring(ctx.effects.addColumn(col.type(), false, add)),
                List.of(ctx.sql("drop column " + table + "." + c, table, ctx.lockBrief, dialect.tables().dropColumn(ctx.schema, table, c),
                        ctx.effects.dropColumn()))));
        String current = ctx.contractTable(table);
        List<String> reveal = dialect.tables().revealColumn(ctx.schema, current, c, position(ctx, i, t), ac.first(), false);
        if (!reveal.isEmpty()) {
            ctx.reveals.add(new Step.SqlStep("show column " + current + "." + c + " to every query", table, ctx.lockBrief, reveal,
                    null, false).declaring(ctx.effects.reveal()));
        }
        t.addColumn(c);
        t.addedTypes.put(c, col.type());
    }

    /**
     * A stored generated column: ADD COLUMN computes it for every row under ACCESS EXCLUSIVE (a
     * rewrite), so it is added only to a table without rows: one this migration creates, or one
     * plan and then start (under the table's lock, before the column is added) find empty. Neither
     * backfill nor sync trigger: the server computes it for old code's writes and new code's alike.
     */
    private void planGenerated(PlanContext ctx, int i, TableShape t, ColumnDef col) {
        Operation.AddColumn ac = op;
        Dialect dialect = ctx.dialect;
        if (ac.up().isPresent()) {
            throw ctx.error(i, ac, "up", "a generated column takes no 'up': the server computes it for every row");
        }
        boolean typeKnown = ctx.checks().checkType(i, ac, "column/type", col.type());
        String table = t.physical;
        String c = col.name();
        if (!col.generated().get().stored()) {
            planVirtual(ctx, i, t, col, typeKnown);
            return;
        }
        if (t.info != null) {
            String row = ctx.checks().rowWith(i, t, null, c, col.type(), typeKnown);
            ctx.checks().compileGenerated(i, ac, "column/generated/expression", col.generated().get().expression(), col.type(),
                    ctx.checks().rowOf(i, t), typeKnown);
            col.check().ifPresent(e -> ctx.checks().compileOverRow(i, ac, "column/check", e, row, typeKnown));
            ctx.mustBeEmpty.put(dev.bascule.api.MigrationSource.fieldPath(i, ac.kind(), "column/generated"), table);
        } else {
            ctx.checks().checkBodySafe(i, ac, "column/generated/expression", col.generated().get().expression());
            col.check().ifPresent(e -> ctx.checks().checkBodySafe(i, ac, "column/check", e));
        }
        if (col.unique()) {
            String name = col.uniqueName().orElseGet(() -> Names.limited(table, c, "key"));
            String field = col.uniqueName().isPresent() ? "column/unique/name" : "column/unique";
            ctx.newConstraintName(i, ac, field, t, name);
            if (col.uniqueName().isPresent() && (ctx.catalog.indexes().containsKey(name) || ctx.catalog.tables().containsKey(name))) {
                throw ctx.error(i, ac, field, "an index named '" + name + "' already exists; the unique index of this"
                        + " column would take that name");
            }
        }
        if (col.check().isPresent()) {
            ctx.newConstraintName(i, ac, col.checkName().isPresent() ? "column/check/name" : "column/check", t,
                    col.checkName().orElseGet(() -> Names.limited(table, c, "check")));
        }
        List<String> add = new ArrayList<>(dialect.tables().addGeneratedColumnToEmptyTable(ctx.schema, table, col));
        add.addAll(dialect.tables().commentOf(ctx.schema, table, col));
        ctx.start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("add generated column " + table + "." + c + " (the table has no row)", table,
                        ctx.lockBrief, add, dialect.checks().columnExists(ctx.schema, table, c), true)
                        .declaring(new Step.Declared(dev.bascule.step.TableEffect.REWRITE,
                                "a stored generated column is computed for every row: of a table found empty under its lock")),
                List.of(ctx.sql("drop column " + table + "." + c, table, ctx.lockBrief, dialect.tables().dropColumn(ctx.schema, table, c),
                        ctx.effects.dropColumn()))));
        t.addColumn(c);
        t.addedTypes.put(c, col.type());
    }

    /**
     * The column {@code after} names, as complete will call it (it places the column when it shows
     * it, after every rename), or empty for {@code first} or the end. Refused where the server keeps
     * no column order, and after a column this migration drops.
     */
    private Optional<String> position(PlanContext ctx, int i, TableShape t) {
        Operation.AddColumn ac = op;
        if (!ac.positioned()) {
            return Optional.empty();
        }
        String field = ac.first() ? "first" : "after";
        ctx.dialect.tables().columnOrderObstacle().ifPresent(why -> {
            throw ctx.error(i, ac, field, why + ": '" + field + "' is refused here; remove it (queries name the columns they want)");
        });
        if (ac.after().isEmpty()) {
            return Optional.empty();
        }
        String p = ctx.column(i, ac, "after", t, ac.after().get());
        boolean dropped = ctx.migration.operations().stream().anyMatch(o -> o instanceof Operation.DropColumn dc
                && dc.table().equals(ac.table()) && dc.column().equals(p));
        if (dropped) {
            throw ctx.error(i, ac, "after", "column '" + ac.after().get() + "' is dropped by this migration; place the new"
                    + " column after another one");
        }
        return Optional.of(ctx.contractColumn(t.physical, p));
    }

    /**
     * The column {@code after} names as start finds it (before this migration's renames), for a
     * server that places the column when start adds it; {@link #position} has checked it.
     */
    private Optional<String> startPosition(PlanContext ctx, int i, TableShape t) {
        return op.after().map(a -> ctx.column(i, op, "after", t, a));
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table) || referencedTable().map(table::equals).orElse(false);
    }

    @Override
    public Map<String, String> createdNames() {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put("column/name", op.column().name());
        op.column().uniqueName().ifPresent(n -> names.put("column/unique/name", n));
        op.column().checkName().ifPresent(n -> names.put("column/check/name", n));
        op.column().references().flatMap(ForeignKeyRef::name).ifPresent(n -> names.put("column/references/name", n));
        return names;
    }

    @Override
    public Optional<String> referencedTable() {
        return op.column().references().map(ForeignKeyRef::table);
    }

    @Override
    public void renames(VersionNames names) {
        if (op.column().unique()) {
            names.addUnique(op.table());
        }
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
