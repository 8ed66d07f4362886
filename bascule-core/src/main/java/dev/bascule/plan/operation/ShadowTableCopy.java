package dev.bascule.plan.operation;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Names;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * alter_column through a copy of the table into a shadow table with the new type, where no shadow
 * column can take the column's place without a rebuild (see {@link #plan}).
 */
final class ShadowTableCopy {
    private final PlanContext ctx;
    private final Dialect dialect;

    ShadowTableCopy(PlanContext ctx) {
        this.ctx = ctx;
        this.dialect = ctx.dialect;
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
    void plan(int i, Operation.AlterColumn ac, TableShape t, String p, Catalog.Column old,
                                    Optional<Obstacle> obstacle) {
        String table = t.physical;
        String on = dialect.name() + ": column '" + ac.column() + "' is " + (old.identity() != null ? "AUTO_INCREMENT"
                : "part of the primary key") + ", so the table is copied into a shadow table with the new type: ";
        obstacle.ifPresent(o -> {
            throw ctx.error(i, ac, o.field(), on + o.reason());
        });
        ctx.checks().checkType(i, ac, "type", ac.type().get());
        String shadow = shadowName(i, ac, table);
        ColumnDef column = new ColumnDef(p, ac.type().get(), old.nullable(), Optional.ofNullable(old.defaultExpression()),
                false, Optional.empty(), Optional.empty(), AlterColumn.newComment(ctx, table, ac, old));
        Step create = new Step.SqlStep("create table " + shadow + " (" + table + " with " + p + " " + ac.type().get() + ")",
                shadow, "none (new table)", dialect.shadows().orElseThrow().createShadowTable(ctx.schema, table, shadow, column, old.identity() != null,
                old.collation()), null, true);
        copyThrough(t, shadow, create, old.identity() != null);
        t.altered.add(p);
    }

    /**
     * alter_column's {@code after} / {@code first} where the server moves a column only by
     * rebuilding the table (MySQL 8): the table is copied into a shadow table with the column
     * placed there (and given its new type, if any), as {@link #plan} copies one for a type.
     * {@code after} is the physical name of the column to follow. Refused, naming the field, where
     * a shadow table cannot carry it ({@link #moveObstacle}).
     */
    void planMove(int i, Operation.AlterColumn ac, TableShape t, String p, Catalog.Column old, Optional<String> after,
                  String why) {
        String field = ac.first() ? "first" : "after";
        String on = why + ", so the table is copied into a shadow table with the column placed: ";
        if (old.generated()) {
            throw ctx.error(i, ac, field, on + "column '" + ac.column() + "' is generated, which the copy cannot restate;"
                    + " drop it and add it again with add_column's '" + field + "'");
        }
        moveObstacle(i, ac, t).ifPresent(o -> {
            throw ctx.error(i, ac, o.field(), on + o.reason() + " (or remove '" + field + "': queries name the columns they want)");
        });
        String type = ac.type().orElse(old.type());
        if (ac.type().isPresent()) {
            ctx.checks().checkType(i, ac, "type", type);
        }
        String table = t.physical;
        String shadow = shadowName(i, ac, table);
        ColumnDef column = new ColumnDef(p, type, old.nullable(), Optional.ofNullable(old.defaultExpression()),
                false, Optional.empty(), Optional.empty(), AlterColumn.newComment(ctx, table, ac, old));
        Step create = new Step.SqlStep("create table " + shadow + " (" + table + " with " + p + " " + type
                + (ac.first() ? " first" : " after " + after.orElse("")) + ")", shadow, "none (new table)",
                dialect.shadows().orElseThrow().createShadowTable(ctx.schema, table, shadow, column, old.identity() != null,
                        old.collation(), after, ac.first()), null, true);
        copyThrough(t, shadow, create, old.identity() != null);
        t.altered.add(p);
    }

    /** What keeps a shadow table from carrying a move: as {@link #obstacle}, 'type' and 'comment' allowed. */
    Optional<Obstacle> moveObstacle(int i, Operation.AlterColumn ac, TableShape t) {
        return ac.type().isPresent() ? obstacle(i, ac, t) : fieldObstacle(ac).or(() -> tableObstacle(i, t));
    }

    /** The shadow table's name for {@code table}; refused when it, or the retired table's, is taken (a leftover). */
    String shadowName(int i, Operation op, String table) {
        String shadow = Names.limited("_bascule_new", table);
        String retired = Names.limited("_bascule_old", table);
        for (String name : List.of(shadow, retired)) {
            if (ctx.catalog.tables().containsKey(name)) {
                throw ctx.error(i, op, "table", "table '" + name + "' already exists; drop it (a leftover of an earlier run?)");
            }
        }
        return shadow;
    }

    /**
     * Once {@code create} has made the empty shadow table: copy triggers, the backfill's copy in
     * key order ({@code t}'s one-column walk key, which the shadow keeps unique), the row check
     * before complete, the atomic RENAME TABLE and the retired table dropped.
     */
    void copyThrough(TableShape t, String shadow, Step create, boolean autoIncrement) {
        String table = t.physical;
        String retired = Names.limited("_bascule_old", table);
        List<String> columns = t.info.columns().stream().filter(c -> !c.generated()).map(Catalog.Column::name).toList();
        String triggers = Names.limited("copy", ctx.schema, table, Names.hash(ctx.migration.name()));
        Step dropShadow = ctx.sql("drop table " + shadow, shadow, dialect.locks().dropTable(), dialect.tables().dropTable(ctx.schema, shadow),
                ctx.effects.dropTable());
        Step dropTriggers = new Step.SqlStep("drop copy triggers of " + table, table, dialect.locks().trigger(),
                dialect.shadows().orElseThrow().dropCopyTriggers(ctx.schema, triggers), null, true);
        Step copy = new Step.SqlStep("copy triggers of " + table + " into " + shadow, table, dialect.locks().trigger(),
                dialect.shadows().orElseThrow().createCopyTriggers(ctx.schema, table, shadow, columns, t.info.walkKey(), triggers, ctx.owner()), null, true);
        ctx.start.add(new PlannedStep(Stage.SCHEMA, create, List.of(dropShadow)));
        ctx.start.add(new PlannedStep(Stage.TRIGGERS, copy, List.of(dropTriggers)));
        List<Step.RangeStatement> copies = dialect.shadows().orElseThrow().shadowTableCopy(ctx.schema, table, shadow, columns);
        ctx.backfill(table).copies.addAll(copies);
        // the views name the table: after the RENAME they read the shadow under the table's name
        String key = t.info.walkKey().get(0);
        ctx.validations.add(ctx.sql("check " + shadow + " holds every row of " + table, table, ctx.lockValidate,
                dialect.shadows().orElseThrow().requireSameRows(ctx.schema, table, shadow, key)));
        List<String> cut = new ArrayList<>();
        if (autoIncrement || t.info.columns().stream().anyMatch(c -> c.identity() != null)) {
            cut.add(dialect.shadows().orElseThrow().copyAutoIncrement(ctx.schema, table, shadow)); // keys handed out since start stay used
        }
        cut.add(dialect.shadows().orElseThrow().cutOver(ctx.schema, table, shadow, retired));
        Step cutOver = new Step.SqlStep("rename " + table + " to " + retired + " and " + shadow + " to " + table, table,
                "metadata lock on both tables, brief (RENAME TABLE: both names change in one statement)", cut,
                dialect.checks().tableExists(ctx.schema, retired), true);
        Step dropRetired = new Step.SqlStep("drop table " + retired + " (" + table + " before the cut-over)", retired,
                dialect.locks().dropTable(), java.util.stream.Stream.concat(dialect.shadows().orElseThrow().dropCopyTriggers(ctx.schema, triggers).stream(),
                        java.util.stream.Stream.of(dialect.tables().dropTable(ctx.schema, retired))).toList(), null, true);
        ctx.contract.add(cutOver);
        ctx.contract.add(dropRetired);
        ctx.shadowTables.add(table);
    }

    /** Why a shadow table cannot carry an alter_column: the field at fault and the reason. */
    record Obstacle(String field, String reason) {}

    /**
     * What keeps a shadow table from carrying this alter_column, or empty: it must change nothing
     * but the type (both versions use the table itself until complete), on a table that nothing else
     * in the migration names, that has no triggers or foreign keys of its own (they would stay with
     * the old table), and a one-column key to copy it by.
     */
    Optional<Obstacle> obstacle(int i, Operation.AlterColumn ac, TableShape t) {
        if (ac.type().isEmpty()) {
            return Optional.of(new Obstacle("type", "give the new 'type'"));
        }
        return fieldObstacle(ac).or(() -> tableObstacle(i, t));
    }

    /** A field besides 'type' (and 'comment', 'after', 'first') that the copy cannot carry, or empty. */
    private Optional<Obstacle> fieldObstacle(Operation.AlterColumn ac) {
        Map<String, Boolean> given = new LinkedHashMap<>();
        given.put("nullable", ac.nullable().isPresent());
        given.put("default", ac.defaultChanges());
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
        return Optional.empty();
    }

    /**
     * What keeps a shadow table from replacing {@code t}, or empty: triggers or foreign keys of its
     * own (they would stay with the old table), another operation of the migration on it, no
     * one-column key to copy it by.
     */
    Optional<Obstacle> tableObstacle(int i, TableShape t) {
        String table = t.physical;
        if (!t.info.triggers().isEmpty()) {
            return Optional.of(new Obstacle("table", "table '" + table + "' has triggers of its own (" + String.join(", ",
                    t.info.triggers().stream().sorted().toList()) + "), which would stay with the old table; drop them first"));
        }
        if (!t.info.foreignKeys().isEmpty() || !t.info.referencedBy().isEmpty()) {
            return Optional.of(new Obstacle("table", "foreign keys of or to table '" + table + "' would stay with the old"
                    + " table; drop them first"));
        }
        List<Operation> ops = ctx.migration.operations();
        for (int k = 0; k < ops.size(); k++) {
            if (k != i && OperationPlanners.of(ops.get(k)).names(table, ctx.catalog)) {
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
}
