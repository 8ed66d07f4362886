package dev.bascule.plan.operation;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;

import java.util.List;
import java.util.Optional;

/**
 * drop_column then add_column of the same name in one migration (gh-ost's {@code drop column c1,
 * add column c1 int not null default 47}): an alter_column in expand/contract terms. Old code keeps
 * the old column under its name; the new column is a shadow column under a placeholder name
 * ({@code _bascule_new_<column>}) that the new version sees as the name; the sync triggers give it
 * add_column's {@code up} (else its default, else NULL) for old code's writes, and give the old
 * column drop_column's {@code down} (else its default, else NULL) for new code's; complete swaps
 * the new column in, where the old one stood.
 */
final class ColumnReplacement {
    private ColumnReplacement() {}

    /** The add_column after operation {@code i}, a drop_column, that adds a column of the same name again. */
    static Optional<Operation.AddColumn> laterAdd(PlanContext ctx, int i, Operation.DropColumn dc) {
        List<Operation> ops = ctx.migration.operations();
        return ops.subList(i + 1, ops.size()).stream()
                .filter(o -> o instanceof Operation.AddColumn a && a.table().equals(dc.table())
                        && a.column().name().equals(dc.column()))
                .map(Operation.AddColumn.class::cast).findFirst();
    }

    /** The drop_column before operation {@code i}, an add_column, of the column it adds again. */
    static Optional<Operation.DropColumn> earlierDrop(PlanContext ctx, int i, Operation.AddColumn ac) {
        return ctx.migration.operations().subList(0, i).stream()
                .filter(o -> o instanceof Operation.DropColumn d && d.table().equals(ac.table())
                        && d.column().equals(ac.column().name()))
                .map(Operation.DropColumn.class::cast).reduce((a, b) -> b);
    }

    /** Plans add_column {@code ac} (operation {@code i}) as the alter_column that replaces the column {@code dc} dropped. */
    static void plan(PlanContext ctx, int i, Operation.AddColumn ac, Operation.DropColumn dc) {
        ColumnDef col = ac.column();
        if (ac.positioned()) {
            throw ctx.error(i, ac, ac.first() ? "first" : "after", "the column replaces the one drop_column drops, and takes"
                    + " its place; drop the position, or add the column under another name");
        }
        if (col.generated().isPresent()) {
            throw ctx.error(i, ac, "column/generated", "a generated column cannot replace a dropped column of the same name"
                    + " in one migration: its values are the server's, not a copy; add it under another name");
        }
        if (!col.nullable() && ac.up().isEmpty() && col.defaultValue().isEmpty()) {
            throw ctx.error(i, ac, "column/nullable", "a NOT NULL column added to an existing table needs 'up' or a"
                    + " 'default' to fill the existing rows");
        }
        TableShape t = ctx.table(i, ac, "table", ac.table());
        String p = ctx.column(i, ac, "column/name", t, col.name());
        Catalog.Column old = t.info.column(p).orElseThrow(() -> ctx.error(i, ac, "column/name", "column '" + col.name()
                + "' is added by this same migration"));
        String up = ac.up().or(col::defaultValue).orElse("NULL");
        String down = dc.down().or(() -> Optional.ofNullable(old.defaultExpression())).orElse("NULL");
        Operation.AlterColumn alter = new Operation.AlterColumn(ac.table(), col.name(), Optional.of(col.type()),
                Optional.of(col.nullable()), col.defaultValue(), col.check(), col.unique() ? Optional.of(true) : Optional.empty(),
                col.references(), Optional.of(up), Optional.of(down),
                col.defaultValue().isEmpty() && old.defaultExpression() != null, Optional.of(col.comment().orElse("")),
                col.unique() ? col.uniqueName() : Optional.empty(), col.check().isPresent() ? col.checkName() : Optional.empty());
        // errors name add_column's fields: its column's, its up
        new AlterColumn(alter, ac, Optional.empty(), field -> switch (field) {
            case "table", "up" -> field;
            case "column" -> "column/name";
            case "down" -> "column";
            default -> "column/" + field;
        }).plan(ctx, i);
    }
}
