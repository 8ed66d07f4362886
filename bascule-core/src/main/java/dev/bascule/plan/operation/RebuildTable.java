package dev.bascule.plan.operation;

import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.TableRebuild;
import dev.bascule.plan.Names;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * rebuild_table: the whole table copied into a shadow table that has the new table options or the
 * new primary key (gh-ost's and pt-online-schema-change's way): copy triggers, a backfill in key
 * order, the row check, one atomic RENAME TABLE at complete. Both versions use the table itself
 * until then: the options change nothing either version's queries see, and the new primary key's
 * columns are a unique key already. Only where the server has shadow tables (MySQL family).
 */
public final class RebuildTable extends OperationPlanner<Operation.RebuildTable> {

    public RebuildTable(Operation.RebuildTable op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        if (ctx.dialect.shadows().isEmpty()) {
            throw postgresRefusal(ctx, i);
        }
        TableShape t = ctx.table(i, op, "table", op.table());
        if (t.created || t.info == null) {
            throw ctx.error(i, op, "table", "table '" + op.table() + "' is created by this same migration; give it its"
                    + " options and key in create_table");
        }
        ShadowTableCopy copy = new ShadowTableCopy(ctx);
        copy.tableObstacle(i, t).ifPresent(o -> {
            throw ctx.error(i, op, "table", ctx.dialect.name() + ": the table is copied into a shadow table: " + o.reason());
        });
        String table = t.physical;
        op.charset().ifPresent(cs -> {
            // the server's own word on the name and the pair, at plan time
            ctx.checks().checkType(i, op, op.collation().isPresent() ? "collation" : "charset",
                    "varchar(1) character set " + cs + op.collation().map(co -> " collate " + co).orElse(""));
            lossyColumn(t, cs).ifPresent(c -> {
                throw ctx.error(i, op, "charset", "column '" + c.name() + "' is " + charsetOf(c.collation()) + ": converted to "
                        + cs + ", a value it holds or old code writes may have characters " + cs + " cannot hold, which"
                        + " would fail the copy and old code's writes; convert to utf8mb4, or change that column with"
                        + " alter_column (which looks for values that do not fit first)");
            });
        });
        TableRebuild rebuild = primaryKey(ctx, i, t);
        String shadow = copy.shadowName(i, op, table);
        Step create = new Step.SqlStep("create table " + shadow + " (" + table + " rebuilt" + describe(rebuild) + ")", shadow,
                "none (new table)", ctx.dialect.shadows().orElseThrow().createRebuiltTable(ctx.schema, table, shadow, rebuild),
                null, true);
        copy.copyThrough(t, shadow, create, false);
    }

    /** The keys of the rebuilt table: the new primary key, the unique key it replaces, the old key kept unique. */
    private TableRebuild primaryKey(PlanContext ctx, int i, TableShape t) {
        if (op.primaryKey().isEmpty()) {
            return new TableRebuild(op.engine(), op.charset(), op.collation(), op.rowFormat(), List.of(), false,
                    Optional.empty(), Optional.empty(), List.of());
        }
        List<String> key = new ArrayList<>();
        for (int k = 0; k < op.primaryKey().size(); k++) {
            String field = "primary_key/" + k;
            String p = ctx.column(i, op, field, t, op.primaryKey().get(k));
            Catalog.Column c = t.info.column(p).orElseThrow(() -> ctx.error(i, op, field, "column '" + p
                    + "' is added by this same migration; change the key in a later migration"));
            if (c.nullable()) {
                throw ctx.error(i, op, field, "column '" + p + "' is nullable, and a primary key's columns are NOT NULL;"
                        + " make it NOT NULL first (alter_column with nullable: false)");
            }
            key.add(p);
        }
        List<String> old = t.info.primaryKey();
        if (old.equals(key)) {
            throw ctx.error(i, op, "primary_key", "(" + String.join(", ", key) + ") is table '" + op.table()
                    + "''s primary key already");
        }
        Catalog.IndexDef unique = t.info.indexDefs().stream()
                .filter(ix -> ix.unique() && !"p".equals(ix.constraintType()) && ix.columns().equals(new HashSet<>(key))
                        && ix.elements().size() == key.size() && ix.elements().stream().noneMatch(e -> e.endsWith(")")))
                .findFirst().orElseThrow(() -> ctx.error(i, op, "primary_key", "(" + String.join(", ", key) + ") is not a"
                        + " unique key of table '" + op.table() + "': the copy would fail on the first duplicate; build the"
                        + " unique key first (create_index with unique: true), then change the primary key in a later migration"));
        Optional<String> previous = Optional.empty();
        if (!old.isEmpty()) {
            String name = op.previousKeyName().orElse(Names.limited(t.physical, String.join("_", old), "key"));
            Set<String> taken = new HashSet<>();
            t.info.indexDefs().forEach(ix -> taken.add(ix.name().toLowerCase(Locale.ROOT)));
            taken.remove(unique.name().toLowerCase(Locale.ROOT));
            if (taken.contains(name.toLowerCase(Locale.ROOT)) || name.equalsIgnoreCase("PRIMARY")) {
                throw ctx.error(i, op, op.previousKeyName().isPresent() ? "previous_key_name" : "primary_key", "the old"
                        + " primary key stays a unique key named '" + name + "', and table '" + op.table() + "' has an"
                        + " index of that name; give another in previous_key_name");
            }
            previous = Optional.of(name);
        } else if (op.previousKeyName().isPresent()) {
            throw ctx.error(i, op, "previous_key_name", "table '" + op.table() + "' has no primary key to keep as a unique key");
        }
        return new TableRebuild(op.engine(), op.charset(), op.collation(), op.rowFormat(), key, !old.isEmpty(),
                Optional.of(unique.name()), previous, old);
    }

    /** A text column whose characters the new character set may not all hold. */
    private static Optional<Catalog.Column> lossyColumn(TableShape t, String target) {
        if (target.equals("utf8mb4")) {
            return Optional.empty();
        }
        return t.info.columns().stream().filter(c -> c.collation() != null)
                .filter(c -> !charsetOf(c.collation()).equals(target) && !charsetOf(c.collation()).equals("ascii"))
                .findFirst();
    }

    private static String charsetOf(String collation) {
        int cut = collation.indexOf('_');
        return (cut < 0 ? collation : collation.substring(0, cut)).toLowerCase(Locale.ROOT);
    }

    private static String describe(TableRebuild r) {
        List<String> parts = new ArrayList<>();
        r.engine().ifPresent(e -> parts.add("engine " + e));
        r.charset().ifPresent(cs -> parts.add("character set " + cs + r.collation().map(co -> " collate " + co).orElse("")));
        r.rowFormat().ifPresent(f -> parts.add("row format " + f));
        if (!r.primaryKey().isEmpty()) {
            parts.add("primary key (" + String.join(", ", r.primaryKey()) + ")");
        }
        return parts.isEmpty() ? "" : " with " + String.join(", ", parts);
    }

    /** PostgreSQL has none of these options, and changes a primary key in place. */
    private dev.bascule.api.InvalidMigrationException postgresRefusal(PlanContext ctx, int i) {
        String server = ctx.dialect.capabilities().server();
        if (!op.primaryKey().isEmpty()) {
            return ctx.error(i, op, "primary_key", server + ": rebuild_table is for MariaDB and MySQL; a primary key is"
                    + " made here with create_constraint (type: primary_key), online, without copying the table");
        }
        String field = op.engine().isPresent() ? "engine" : op.charset().isPresent() ? "charset"
                : op.rowFormat().isPresent() ? "row_format" : "table";
        return ctx.error(i, op, field, server + " has no storage engine, table character set or row format to change:"
                + " rebuild_table is for MariaDB and MySQL; to reclaim a table's space here use pg_repack, or VACUUM FULL"
                + " (which locks the table while it runs)");
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.table().equals(table);
    }

    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of(op.table());
    }

    @Override
    public Map<String, String> createdNames() {
        return op.previousKeyName().map(n -> Map.of("previous_key_name", n)).orElse(Map.of());
    }
}
