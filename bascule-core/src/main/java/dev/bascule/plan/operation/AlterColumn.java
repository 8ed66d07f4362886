package dev.bascule.plan.operation;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.step.Step.Assignment;
import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.model.Expressions;
import dev.bascule.plan.ExpressionCheck;
import dev.bascule.plan.Names;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * alter_column: a shadow column with the new definition, swapped in at complete (see {@link
 * #plan}); without transactional DDL, a shadow table where no shadow column can do ({@link
 * ShadowTableCopy}).
 */
public final class AlterColumn extends OperationPlanner<Operation.AlterColumn> {
    /** PostgreSQL's serial pseudo-types (MariaDB's SERIAL too): shorthands for a column with a sequence, not types. */
    static final java.util.Set<String> SERIAL_TYPES = java.util.Set.of("smallserial", "serial2", "serial", "serial4",
            "bigserial", "serial8");


    /** The operation of the file errors name: this alter_column, or the drop_constraint it stands for. */
    private final Operation source;
    /** The constraint of the column that the shadow does not get (drop_constraint with up/down), if any. */
    private final Optional<String> without;
    /**
     * The field of {@code source} that an alter_column field stands for: errors must name a field
     * the user wrote ({@code columns/1} or {@code up/email} of a create_constraint, not {@code column}).
     */
    private final UnaryOperator<String> fieldOf;

    public AlterColumn(Operation.AlterColumn op) {
        this(op, op, Optional.empty(), UnaryOperator.identity());
    }

    /**
     * The column altered on behalf of {@code source}: create_constraint's columns, or a column
     * duplicated without constraint {@code without}, what drop_constraint with {@code up}/{@code down}
     * does; {@code fieldOf} maps alter_column's field names to {@code source}'s.
     */
    AlterColumn(Operation.AlterColumn op, Operation source, Optional<String> without, UnaryOperator<String> fieldOf) {
        super(op);
        this.source = source;
        this.without = without;
        this.fieldOf = fieldOf;
    }

    /**
     * The altered column's comment: alter_column's (empty: none), else the one an earlier set_comment
     * of this migration gives it, else the old column's.
     */
    static Optional<String> newComment(PlanContext ctx, String table, Operation.AlterColumn ac, Catalog.Column old) {
        return ac.comment().filter(c -> !c.isEmpty()).or(() -> ac.comment().isPresent() ? Optional.empty()
                : ctx.commentsSet.getOrDefault(table + "." + old.name(), Optional.ofNullable(old.comment())));
    }

    /**
     * A shadow column beside the old one, filled by the backfill and kept in step both ways by the
     * sync trigger; indexes and constraints on the old column are built again on the shadow
     * (online, NOT VALID). Complete swaps the shadow in, in one short transaction.
     */
    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.AlterColumn ac = op;
        Dialect dialect = ctx.dialect;
        TableShape t = ctx.table(i, source, fieldOf.apply("table"), ac.table());
        if (ac.type().flatMap(IdentityType::parse).isPresent()) {
            throw ctx.error(i, source, fieldOf.apply("type"), "alter_column does not make a column an identity (an identity column keeps"
                    + " being one through a type change); declare identity columns in create_table");
        }
        if (ac.type().map(type -> SERIAL_TYPES.contains(type.strip().toLowerCase(java.util.Locale.ROOT))).orElse(false)) {
            // a serial is not a type but a column that makes a sequence: up and down cannot be cast to it
            throw ctx.error(i, ac, "type", "'" + ac.type().orElseThrow().strip() + "' makes a new numbered column, it is not a type"
                    + " alter_column can change a column to; give the integer type (bigint, integer, smallint)");
        }
        if (t.created) {
            throw ctx.error(i, source, fieldOf.apply("table"), "table '" + ac.table() + "' is created by this same migration; declare the column"
                    + " as it should be in create_table");
        }
        String p = ctx.column(i, source, fieldOf.apply("column"), t, ac.column());
        Catalog.Column old = t.info.column(p).orElseThrow(() -> ctx.error(i, source, fieldOf.apply("column"), "column '" + ac.column()
                + "' is added by this same migration; declare it as it should be in add_column"));
        if (!t.renamedConstraints.isEmpty()) {
            throw ctx.error(i, source, fieldOf.apply("table"), "rename_constraint renames a constraint of table '" + ac.table() + "' earlier in this"
                    + " migration, and the swap makes the column's constraints again under their old names; alter the column"
                    + " in another migration");
        }
        if (t.altered.contains(p)) {
            throw ctx.error(i, source, fieldOf.apply("column"), "column '" + ac.column() + "' is already altered by this migration; make it one alter_column");
        }
        if (t.info.partitioned() && t.info.indexDefs().stream().anyMatch(ix -> ix.columns().contains(p))) {
            throw ctx.error(i, source, fieldOf.apply("table"), "table '" + ac.table() + "' is partitioned: the indexes on '" + ac.column()
                    + "' would have to be built again, and PostgreSQL cannot build an index on a partitioned table"
                    + " CONCURRENTLY; alter the column partition by partition");
        }
        if (ac.positioned() && ColumnMove.plan(ctx, i, source, ac, t, p, old)) {
            return;
        }
        if (old.generated() && old.identity() == null) {
            throw ctx.error(i, source, fieldOf.apply("column"), "column '" + ac.column() + "' is a generated column, which alter_column"
                    + " cannot copy; drop it and add it again");
        }
        if (ac.comment().isPresent() && ac.type().isEmpty() && ac.nullable().isEmpty() && !ac.defaultChanges()
                && ac.check().isEmpty() && ac.unique().isEmpty() && ac.references().isEmpty() && ac.up().isEmpty()
                && ac.down().isEmpty()) {
            // a comment alone is metadata: no shadow column, no backfill
            SetComment.plan(ctx, i, ac, ac.table(), Optional.of(ac.column()), ac.comment().filter(c -> !c.isEmpty()));
            return;
        }
        if (EnumWidening.plan(ctx, i, ac, t, p, old)) {
            return;
        }
        if (!dialect.capabilities().transactionalDdl()) {
            // a shadow table for what no shadow column can replace, and for a plain type change
            // where it fits: its copy is a write of new rows in key order with no trigger on them,
            // several times cheaper per row than updating every row through the sync triggers
            ShadowTableCopy copy = new ShadowTableCopy(ctx);
            Optional<ShadowTableCopy.Obstacle> obstacle = copy.obstacle(i, ac, t);
            if (old.identity() != null || t.info.primaryKey().contains(p) || obstacle.isEmpty()) {
                copy.plan(i, ac, t, p, old, obstacle);
                return;
            }
            new LockedSwapRefusals(ctx).refuse(i, ac, t, p, old);
        }
        Optional<Catalog.OwnedSequence> sequence = Optional.ofNullable(t.info.sequences().get(p));
        if (old.identity() != null && (ac.defaultChanges() || sequence.isEmpty())) {
            throw ctx.error(i, source, fieldOf.apply(ac.defaultChanges() ? "default" : "column"), "column '" + ac.column()
                    + "' is an identity column: its values come from its sequence, and it keeps them");
        }
        if (ac.type().isEmpty() && ac.nullable().isEmpty() && !ac.defaultChanges() && ac.check().isEmpty()
                && ac.unique().isEmpty() && ac.references().isEmpty() && ac.up().isEmpty()) {
            throw ctx.error(i, source, fieldOf.apply("column"), "nothing to alter: give at least one of type, nullable, default, check,"
                    + " unique, references or up");
        }
        if (ac.dropDefault() && old.defaultExpression() == null && ac.type().isEmpty() && ac.nullable().isEmpty()
                && ac.check().isEmpty() && ac.unique().isEmpty() && ac.references().isEmpty() && ac.up().isEmpty()) {
            // a whole shadow column and swap for nothing
            throw ctx.error(i, source, fieldOf.apply("default"), "nothing to alter: column '" + ac.column() + "' has no default to drop");
        }
        ctx.requireKey(i, source, t);
        String table = t.physical;
        if (ctx.builtOn.containsKey(table + "." + p)) {
            throw ctx.error(i, source, fieldOf.apply("column"), "operation " + ctx.builtOn.get(table + "." + p) + " builds an index or foreign key on"
                    + " column '" + ac.column() + "' before it is altered, and the swap would drop it with the old column;"
                    + " put that operation after the alter_column");
        }
        for (Catalog.IndexDef index : t.info.indexDefs()) {
            if (!dropped(index.constraint().orElse(null))) {
                sharedWithAlteredColumn(ctx, i, source, t, p, index.columns(), "index '" + index.name() + "'");
            }
        }
        for (Catalog.CheckDef check : t.info.checks()) {
            if (!dropped(check.name())) {
                sharedWithAlteredColumn(ctx, i, source, t, p, check.columns(), "check '" + check.name() + "'");
            }
        }
        for (Catalog.ForeignKey fk : t.info.foreignKeys()) {
            if (!dropped(fk.name())) {
                sharedWithAlteredColumn(ctx, i, source, t, p, Set.copyOf(fk.columns()), "foreign key '" + fk.name() + "'");
            }
        }
        String shadow = Names.limited("_bascule_new", p);
        if (t.physicalColumns.contains(shadow)) {
            throw ctx.error(i, source, fieldOf.apply("column"), "column '" + shadow + "' already exists in table '" + table + "'");
        }
        boolean inPrimaryKey = t.info.primaryKey().contains(p);
        boolean notNull = ac.nullable().map(n -> !n).orElse(!old.nullable());
        if (inPrimaryKey && !notNull) {
            throw ctx.error(i, source, fieldOf.apply("nullable"), "column '" + ac.column() + "' is part of the primary key and cannot be nullable");
        }
        String newType = ac.type().orElse(old.type());
        // an identity column's shadow takes its values from the same sequence until the swap makes it the identity;
        // a dropped default: the shadow has none, so new code's inserts get NULL while old code's,
        // through the old column, keep the old default until the swap drops that column
        Optional<String> newDefault = old.identity() != null
                ? Optional.of(dialect.sequences().orElseThrow().nextValue(sequence.get().schema(), sequence.get().name()))
                : ac.dropDefault() ? Optional.empty()
                : ac.defaultValue().or(() -> Optional.ofNullable(old.defaultExpression()));
        boolean typeKnown = ac.type().map(type -> ctx.checks().checkType(i, source, fieldOf.apply("type"), type)).orElse(true);
        ac.defaultValue().ifPresent(d -> ctx.checks().compileDefault(i, source, fieldOf.apply("default"), d, newType, ctx.checks().existingRow(t), typeKnown));
        ac.check().ifPresent(e -> ctx.checks().compileOverRow(i, source, fieldOf.apply("check"), e, ctx.checks().rowWith(i, t, p, ac.column(), newType, typeKnown), typeKnown));
        String up = ac.up().orElse(dialect.quote(p));
        String down = ac.down().orElse(dialect.quote(shadow));
        ac.up().ifPresent(e -> ctx.checks().checkBodySafe(i, source, fieldOf.apply("up"), e));
        ac.down().ifPresent(e -> ctx.checks().checkBodySafe(i, source, fieldOf.apply("down"), e));
        ac.up().ifPresent(e -> ctx.recomputedByTheGate(i, source, fieldOf.apply("up"), e));
        ac.down().ifPresent(e -> ctx.recomputedByTheGate(i, source, fieldOf.apply("down"), e));
        String upValue = dialect.tables().cast(up, LengthFreeCast.of(dialect.name(), newType));
        String downValue = dialect.tables().cast(down, old.type());
        ctx.expressionChecks.add(new ExpressionCheck(MigrationSource.fieldPath(i, source.kind(), fieldOf.apply(ac.up().isPresent() ? "up" : "type")),
                "SELECT " + upValue + " FROM " + dialect.qualify(ctx.schema, table) + " LIMIT 0"));
        for (Catalog.IndexDef index : t.info.indexDefs()) {
            if (index.columns().contains(p) && "x".equals(index.constraintType()) && !dropped(index.constraint().orElse(null))) {
                throw ctx.error(i, source, fieldOf.apply("column"), "column '" + ac.column() + "' is used by exclusion constraint '"
                        + index.constraint().orElseThrow() + "', which alter_column cannot rebuild; drop it first");
            }
        }
        // a key between two tables whose columns are both altered is paired (see pairForeignKeys);
        // one from a table to itself is not built
        for (Catalog.ForeignKey fk : t.info.foreignKeys()) {
            boolean self = fk.refSchema().equals(ctx.schema) && fk.refTable().equals(table);
            if (self && ((fk.columns().contains(p) && fk.refColumns().stream().anyMatch(t.altered::contains))
                    || (fk.refColumns().contains(p) && fk.columns().stream().anyMatch(t.altered::contains)))) {
                throw ctx.error(i, source, fieldOf.apply("column"), "foreign key '" + fk.name() + "' links two columns of table '" + t.logical
                        + "' that this migration alters; alter the referenced column and the referencing one in two"
                        + " migrations");
            }
        }

        // the shadow column: new rows get the new default; existing rows are backfilled
        boolean constantDefault = newDefault.map(d -> PlanContext.CONSTANT.matcher(d).matches()).orElse(false);
        // an unchanged type keeps the column's collation; a new type takes its own default
        String declared = ac.type().isEmpty() && old.collation() != null ? newType + " COLLATE " + old.collation() : newType;
        // without NOT VALID checks the shadow is added NOT NULL where that needs no rebuild; else
        // complete checks for a NULL and sets NOT NULL online before the swap
        Optional<String> placeholder = newDefault.isEmpty() ? dialect.tables().placeholderValue(newType) : Optional.empty();
        boolean notNullShadow = notNull && !dialect.capabilities().notValidConstraints()
                && ((newDefault.isPresent() && constantDefault) || placeholder.isPresent());
        // the new column carries the old one's comment, or the one alter_column gives
        Optional<String> comment = newComment(ctx, table, ac, old);
        ColumnDef shadowDef = new ColumnDef(shadow, declared, !notNullShadow, notNullShadow ? newDefault.or(() -> placeholder)
                : newDefault, false, Optional.empty(), Optional.empty(), comment);
        ColumnDef notNullLater = notNull && !dialect.capabilities().notValidConstraints() && !notNullShadow
                ? new ColumnDef(shadow, declared, false, newDefault, false, Optional.empty(), Optional.empty(), comment) : null;
        List<String> add = new ArrayList<>();
        // right after the old column where the server could not move it there at the swap (MySQL 8):
        // the swap's DROP of the old column then leaves the new one where the old one stood
        add.add(dialect.tables().placedAtStart(dialect.tables().addColumnAsDeclared(ctx.schema, table, shadowDef,
                constantDefault || (notNullShadow && newDefault.isEmpty())), Optional.of(p), false));
        add.addAll(dialect.tables().commentOf(ctx.schema, table, shadowDef));
        if (newDefault.isPresent() && !constantDefault) {
            add.add(dialect.tables().setColumnDefault(ctx.schema, table, shadow, newDefault.get()));
        }
        ctx.start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("add column " + table + "." + shadow + " (new " + ac.column() + ")", table, ctx.lockBrief, add,
                        dialect.checks().columnExists(ctx.schema, table, shadow), true)
                        .declaring(ctx.effects.addColumn(declared, constantDefault && newDefault.isPresent(), add)),
                List.of(ctx.sql("drop column " + table + "." + shadow, table, ctx.lockBrief, dialect.tables().dropColumn(ctx.schema, table, shadow),
                        ctx.effects.dropColumn()))));
        ctx.sync(table).up.add(new Assignment(shadow, upValue, false));
        ctx.sync(table).down.add(new Assignment(p, downValue, false));
        ctx.backfill(table).assignments.add(new Assignment(shadow, upValue, false));

        String shadowQuoted = dialect.quote(shadow);
        List<Rename> indexRenames = new ArrayList<>();
        List<Rename> uniques = new ArrayList<>();
        List<Rename> constraintRenames = new ArrayList<>();
        Optional<Rename> primaryKey = Optional.empty();
        String notNullCheck = null;
        if (notNull && dialect.capabilities().notValidConstraints()) {
            notNullCheck = Names.limited(table, shadow, "not_null");
            ctx.constraints().constraint(table, notNullCheck, dialect.constraints().addCheckNotValid(ctx.schema, table, notNullCheck, shadowQuoted + " IS NOT NULL"));
        } else if (notNullLater != null) {
            ctx.validations.add(ctx.sql("check " + table + "." + shadow + " has no NULL", table, ctx.lockValidate,
                    dialect.checks().requireNoNulls(ctx.schema, table, shadow)));
        }
        for (Catalog.IndexDef index : t.info.indexDefs()) {
            if (!index.columns().contains(p) || dropped(index.constraint().orElse(null))) {
                continue; // a unique constraint drop_constraint drops goes with the old column
            }
            boolean onlyThisColumn = index.columns().size() == 1;
            if (index.unique() && onlyThisColumn && ac.unique().equals(Optional.of(false)) && !inPrimaryKey) {
                continue; // unique: false drops it with the old column
            }
            String tmp = Names.limited("_bascule_new", index.name());
            List<String> elements = index.elements().stream().map(e -> dialect.catalog().renameIndexElement(e, p, shadow)).toList();
            List<String> include = index.include().stream().map(e -> Expressions.renameColumn(e, p, shadowQuoted)).toList();
            Optional<String> where = index.predicate().map(w -> Expressions.renameColumn(w, p, shadowQuoted));
            ctx.start.add(new PlannedStep(Stage.INDEXES,
                    ctx.indexBuild("build index " + tmp + " (new " + index.name() + ")", table, tmp,
                            dialect.constraints().rebuildIndexOnline(ctx.schema, tmp, table, index.unique(), index.method(),
                                    elements, include, where, index.nullsNotDistinct())),
                    List.of(ctx.indexDrop("drop index " + tmp, table, dialect.constraints().dropIndexOnline(ctx.schema, table, tmp)))));
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
        if (ac.uniqueName().isPresent() && alreadyUnique) {
            throw ctx.error(i, source, fieldOf.apply("unique/name"), "column '" + ac.column() + "' is unique already; rename its constraint with"
                    + " rename_constraint");
        }
        if (ac.unique().orElse(false) && !alreadyUnique) {
            String tmp = Names.limited("_bascule_new", table, ac.column(), "key");
            ctx.start.add(new PlannedStep(Stage.INDEXES,
                    ctx.indexBuild("build unique index " + tmp, table, tmp,
                            dialect.constraints().createIndexOnline(ctx.schema, tmp, table, List.of(shadow), true, Optional.empty(), Optional.empty())),
                    List.of(ctx.indexDrop("drop index " + tmp, table, dialect.constraints().dropIndexOnline(ctx.schema, table, tmp)))));
            String name = ac.uniqueName().orElseGet(() -> Names.limited(table, ac.column(), "key"));
            String field = ac.uniqueName().isPresent() ? "unique/name" : "unique";
            ctx.newConstraintName(i, source, fieldOf.apply(field), t, name);
            if (ac.uniqueName().isPresent() && (ctx.catalog.indexes().containsKey(name) || ctx.catalog.tables().containsKey(name))) {
                throw ctx.error(i, source, fieldOf.apply(field), "an index named '" + name + "' already exists; the unique key would take that name");
            }
            uniques.add(new Rename(tmp, name));
        }
        for (Catalog.CheckDef check : t.info.checks()) {
            if (check.columns().contains(p) && !dropped(check.name())) {
                String tmp = Names.limited("_bascule_new", check.name());
                ctx.constraints().constraint(table, tmp, dialect.constraints().addCheckNotValid(ctx.schema, table, tmp,
                        Expressions.renameColumn(check.expression(), p, shadowQuoted)));
                constraintRenames.add(new Rename(tmp, check.name()));
            }
        }
        ac.check().ifPresent(expression -> {
            String name = ac.checkName().orElseGet(() -> Names.limited(table, ac.column(), "check"));
            ctx.newConstraintName(i, source, fieldOf.apply(ac.checkName().isPresent() ? "check/name" : "check"), t, name);
            String tmp = Names.limited("_bascule_new", name);
            ctx.constraints().constraint(table, tmp, dialect.constraints().addCheckNotValid(ctx.schema, table, tmp,
                    Expressions.renameColumn(expression, ac.column(), shadowQuoted)));
            constraintRenames.add(new Rename(tmp, name));
        });
        for (Catalog.ForeignKey fk : t.info.foreignKeys()) {
            if (!fk.columns().contains(p) || (ac.references().isPresent() && fk.columns().size() == 1) || dropped(fk.name())) {
                continue; // a new 'references' replaces the column's own foreign key
            }
            String tmp = Names.limited("_bascule_new", fk.name());
            List<String> columns = fk.columns().stream().map(c -> c.equals(p) ? shadow : c).toList();
            Catalog.ForeignKey onShadow = new Catalog.ForeignKey(tmp, ctx.schema, table, columns,
                    fk.refSchema(), fk.refTable(), fk.refColumns(), fk.onUpdate(), fk.onDelete(), fk.matchFull(), fk.deferrable());
            ctx.shadowForeignKeys.add(new ShadowForeignKey(fk, onShadow,
                    ctx.constraints().constraint(table, tmp, dialect.constraints().addForeignKeyNotValid(onShadow))));
            constraintRenames.add(new Rename(tmp, fk.name()));
        }
        ac.references().ifPresent(r -> {
            // the key is on the shadow column alone until the swap: an action that writes the column would
            // change the new column and leave old code's unchanged (the verified gate then refuses complete)
            r.onUpdate().filter(a -> !a.equals("NO ACTION") && !a.equals("RESTRICT")).ifPresent(a -> {
                throw ctx.error(i, source, fieldOf.apply("references/on_update"), "on_update " + a + " would write the new column only while"
                        + " both versions are live (old code's column would keep the old key): alter the column, then add"
                        + " the key with add_foreign_key in a later migration");
            });
            ForeignKeyRef ref = ctx.physicalReference(i, ac, "references", r);
            if (ctx.swaps.containsKey(ref.table()) && ctx.swaps.get(ref.table()).stream().anyMatch(a -> ref.columns().isEmpty()
                    || ref.columns().contains(a.column()))) {
                throw ctx.error(i, source, fieldOf.apply("references"), "the referenced column is altered by this same migration; add the"
                        + " reference in a later migration");
            }
            String name = r.name().orElseGet(() -> Names.limited(table, ac.column(), "fkey"));
            boolean replacesOwn = t.info.foreignKeys().stream().anyMatch(fk -> fk.name().equals(name) && fk.columns().equals(List.of(p)));
            if (!replacesOwn) {
                ctx.newConstraintName(i, source, fieldOf.apply(r.name().isPresent() ? "references/name" : "references"), t, name);
            }
            String tmp = Names.limited("_bascule_new", name);
            ctx.constraints().constraint(table, tmp, dialect.constraints().addForeignKeyNotValid(ctx.schema, table, tmp, List.of(shadow), ref));
            constraintRenames.add(new Rename(tmp, name));
        });
        List<Catalog.ForeignKey> incoming = t.info.referencedBy().stream()
                .filter(fk -> fk.refColumns().contains(p)).toList();

        t.columns.replaceAll(m -> m.physical().equals(p) ? new ColumnMapping(shadow, m.logical()) : m);
        t.physicalColumns.add(shadow);
        t.addedTypes.put(shadow, newType);
        t.altered.add(p);
        t.altered.add(shadow);
        ctx.droppedColumns.add(table + "." + p);
        ctx.downChecks.add(new DownCheck(MigrationSource.fieldPath(i, source.kind(), fieldOf.apply(ac.down().isPresent() ? "down" : "type")), t,
                downValue));
        Alteration alteration = new Alteration(p, shadow, upValue, downValue, newType, notNullCheck, notNullLater,
                notNullShadow && newDefault.isEmpty(), primaryKey, uniques, indexRenames, constraintRenames, incoming, sequence,
                Optional.ofNullable(old.identity()));
        ctx.swaps.computeIfAbsent(table, k -> new ArrayList<>()).add(alteration);
    }

    /** Whether {@code constraint} is the one the shadow column goes without. */
    private boolean dropped(String constraint) {
        return constraint != null && without.map(constraint::equals).orElse(false);
    }

    /**
     * An index, check or foreign key on two columns that this migration alters would be built
     * again once per column; refused rather than half-supported.
     */
    private void sharedWithAlteredColumn(PlanContext ctx, int i, Operation op, TableShape t, String p, Set<String> columns, String what) {
        if (columns.contains(p)) {
            for (String other : columns) {
                if (!other.equals(p) && t.altered.contains(other)) {
                    throw ctx.error(i, op, fieldOf.apply("column"), what + " uses both '" + other + "' and '" + p + "', which this migration"
                            + " alters; alter them in two migrations");
                }
            }
        }
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table) || referencedTable().map(table::equals).orElse(false);
    }

    @Override
    public Optional<String> referencedTable() {
        return op.references().map(ForeignKeyRef::table);
    }

    @Override
    public Map<String, String> createdNames() {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        op.uniqueName().ifPresent(n -> names.put("unique/name", n));
        op.checkName().ifPresent(n -> names.put("check/name", n));
        op.references().flatMap(ForeignKeyRef::name).ifPresent(n -> names.put("references/name", n));
        return names;
    }

    @Override
    public void renames(VersionNames names) {
        if (op.unique().orElse(false)) {
            names.addUnique(op.table());
        }
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }
}
