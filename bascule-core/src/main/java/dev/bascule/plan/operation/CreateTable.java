package dev.bascule.plan.operation;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * create_table: a new table, made at start (rollback drops it); its defaults and checks are
 * compiled first.
 */
public final class CreateTable extends OperationPlanner<Operation.CreateTable> {

    public CreateTable(Operation.CreateTable op) {
        super(op);
    }

    @Override
    public void plan(PlanContext ctx, int i) {
        Operation.CreateTable ct = op;
        Dialect dialect = ctx.dialect;
        if (ctx.shape.containsKey(ct.name()) || ctx.catalog.tables().containsKey(ct.name())) {
            throw ctx.error(i, ct, "name", "table '" + ct.name() + "' already exists");
        }
        if (ct.columns().size() > dialect.capabilities().maxColumns()) {
            throw ctx.error(i, ct, "columns", ct.columns().size() + " columns: a table has at most " + dialect.capabilities().maxColumns()
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
                throw ctx.error(i, ct, at + p.field(), p.message());
            });
            String type = identity.map(id -> id.physical(dialect.name())).orElse(col.type());
            // an identity is never NULL: MariaDB refuses an explicitly NULL key column
            // the column's other fields are kept: its constraints' names and its generated expression
            columns.add(col.with(type, col.nullable() && identity.isEmpty(),
                    col.references().map(r -> ctx.physicalReference(i, ct, at + "references", r))));
            typed.add(identity.map(id -> new ColumnDef(col.name(), id.base(), col.nullable(), col.defaultValue(),
                    col.unique(), col.references(), col.check())).orElse(col));
            if (identity.isPresent() && col.generated().isPresent()) {
                throw ctx.error(i, ct, at + "generated", "an identity column is numbered by the server: it is not generated"
                        + " from an expression too");
            }
            typesKnown &= ctx.checks().checkType(i, ct, at + "type", identity.map(IdentityType::base).orElse(col.type()));
        }
        Set<String> names = new HashSet<>(ct.columns().stream().map(ColumnDef::name).toList());
        for (int c = 0; c < ct.constraints().size(); c++) {
            List<String> unique = ct.constraints().get(c).unique();
            for (int k = 0; k < unique.size(); k++) {
                if (!names.contains(unique.get(k))) {
                    throw ctx.error(i, ct, "constraints/" + c + "/unique/" + k, "unique column '" + unique.get(k)
                            + "' is not a column of the table");
                }
            }
        }
        namedConstraints(ctx, i);
        ctx.checks().compileNewTable(i, new Operation.CreateTable(ct.name(), typed, ct.primaryKey(), ct.constraints()), typesKnown);
        Operation.CreateTable physical = new Operation.CreateTable(ct.name(), columns, ct.primaryKey(), ct.constraints(), ct.comment(),
                ct.primaryKeyName());
        List<String> create = withComments(dialect, ctx.schema, physical);
        ctx.start.add(new PlannedStep(Stage.SCHEMA,
                new Step.SqlStep("create table " + ct.name(), ct.name(), "none (new table)",
                        create, dialect.checks().tableExists(ctx.schema, ct.name()), true)
                        .declaring(ctx.effects.createTable()),
                List.of(ctx.sql("drop table " + ct.name(), ct.name(), ctx.lockBrief, dialect.tables().dropTable(ctx.schema, ct.name()),
                        ctx.effects.dropTable()))));
        TableShape ts = new TableShape(dialect, ct.name(), null, true);
        ct.columns().forEach(c -> {
            ts.addColumn(c.name());
        });
        ctx.shape.put(ct.name(), ts);
        ctx.byPhysical.put(ct.name(), ts);
    }

    /**
     * The names the file gives the table's unique keys and primary key are index names, which
     * PostgreSQL keeps per schema (MariaDB per table); InnoDB's foreign key names are per database.
     */
    private void namedConstraints(PlanContext ctx, int i) {
        Map<String, String> indexNames = new LinkedHashMap<>();
        op.primaryKeyName().ifPresent(n -> indexNames.put("primary_key_name", n));
        for (int c = 0; c < op.columns().size(); c++) {
            ColumnDef col = op.columns().get(c);
            String at = "columns/" + c;
            col.uniqueName().ifPresent(n -> indexNames.put(at + "/unique/name", n));
            if (ctx.dialect.capabilities().foreignKeyMakesIndex()) {
                col.references().flatMap(r -> r.name()).ifPresent(n -> ctx.catalog.tables().values().stream()
                        .filter(other -> other.foreignKeys().stream().anyMatch(fk -> fk.name().equals(n))).findFirst()
                        .ifPresent(other -> {
                            throw ctx.error(i, op, at + "/references/name", "a foreign key named '" + n + "' already exists on"
                                    + " table '" + other.name() + "'; foreign key names are per database here: name this one otherwise");
                        }));
            }
        }
        if (!ctx.dialect.capabilities().foreignKeyMakesIndex()) { // PostgreSQL: indexes are relations of the schema
            indexNames.forEach((field, n) -> {
                if (ctx.catalog.indexes().containsKey(n) || ctx.catalog.tables().containsKey(n)) {
                    throw ctx.error(i, op, field, "an index or table named '" + n + "' already exists; the index of this"
                            + " key would take that name");
                }
            });
        }
    }

    /** CREATE TABLE, then the comments it cannot hold (PostgreSQL), in the same step and transaction. */
    static List<String> withComments(Dialect dialect, String schema, Operation.CreateTable table) {
        List<String> create = new ArrayList<>();
        create.add(dialect.tables().createTable(schema, table));
        create.addAll(dialect.tables().commentsOf(schema, table));
        return create;
    }

    @Override
    public boolean names(String table, Catalog catalog) {
        return op.columns().stream().anyMatch(c -> c.references().map(r -> r.table().equals(table)).orElse(false));
    }

    @Override
    public Map<String, String> createdNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("name", op.name());
        for (int c = 0; c < op.columns().size(); c++) {
            names.put("columns/" + c + "/name", op.columns().get(c).name());
        }
        for (int c = 0; c < op.constraints().size(); c++) {
            names.put("constraints/" + c + "/name", op.constraints().get(c).name());
        }
        for (int c = 0; c < op.columns().size(); c++) {
            ColumnDef col = op.columns().get(c);
            String at = "columns/" + c;
            col.uniqueName().ifPresent(n -> names.put(at + "/unique/name", n));
            col.checkName().ifPresent(n -> names.put(at + "/check/name", n));
            col.references().flatMap(r -> r.name()).ifPresent(n -> names.put(at + "/references/name", n));
        }
        op.primaryKeyName().ifPresent(n -> names.put("primary_key_name", n));
        return names;
    }

    /** A new table belongs to the migration that creates it. */
    @Override
    public Set<String> changedTables(Catalog catalog) {
        return Set.of();
    }
}
