package dev.bascule.plan.operation;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.model.Expressions;
import dev.bascule.plan.ExpressionCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The queries that must compile for the plan to be valid, and the checks of expressions pasted into SQL. */
final class ExpressionChecks {
    private final PlanContext ctx;
    private final Dialect dialect;
    /** An sql operation's text that may create a type a later operation uses. */
    private static final Pattern CREATES_TYPES = Pattern.compile(
            "(?i)\\bcreate\\s+(or\\s+replace\\s+)?(type|domain|extension)\\b");

    /** An sql operation's text that may create a function, sequence or other object a later expression uses. */
    private static final Pattern CREATES = Pattern.compile("(?i)\\bcreate\\b");


    ExpressionChecks(PlanContext ctx) {
        this.ctx = ctx;
        this.dialect = ctx.dialect;
    }

    void checkExpression(int i, Operation op, String field, String expression) {
        checkExpression(i, op, field, expression, null);
    }

    /**
     * @param castTo the type the value is written into, or null: the server must also find a cast
     *               from the expression's type to it (PostgreSQL: {@code now()} for an {@code int}
     *               column was refused only by the backfill, midway through start; MariaDB converts
     *               anything, and its cast is the expression as written)
     */
    void checkExpression(int i, Operation op, String field, String expression, String castTo) {
        checkBodySafe(i, op, field, expression);
        String logical = op instanceof Operation.AddColumn ac ? ac.table()
                : op instanceof Operation.CreateIndex ci ? ci.table() : null;
        String table = logical == null ? null : ctx.shape.get(logical).physical;
        if (table != null && ctx.catalog.tables().containsKey(table)) {
            boolean cast = castTo != null && !AlterColumn.SERIAL_TYPES.contains(castTo.strip().toLowerCase(java.util.Locale.ROOT));
            String value = cast ? dialect.tables().cast(expression, LengthFreeCast.of(dialect.name(), castTo)) : "(" + expression + ")";
            ctx.expressionChecks.add(new ExpressionCheck(MigrationSource.fieldPath(i, op.kind(), field),
                    "SELECT " + value + " FROM " + dialect.qualify(ctx.schema, table) + " LIMIT 0"));
        }
    }

    /**
     * A type is pasted into DDL as written: it must be a type the server knows and nothing more
     * ("int unique" is not). Only its syntax is checked when an earlier sql operation of this
     * migration may create it, which the server cannot know before start runs that operation.
     *
     * @return whether the server must know the type at plan time (then it can stand in a typed NULL)
     */
    boolean checkType(int i, Operation op, String field, String type) {
        String query;
        try {
            query = dialect.checks().typeCheck(type);
        } catch (IllegalArgumentException e) {
            throw ctx.error(i, op, field, e.getMessage());
        }
        boolean known = !typesMayBeCreatedBefore(i);
        if (ctx.checkedTypes.add(query + (known ? "" : " (syntax)"))) { // a wide table repeats its types: ask once, at the first
            ctx.expressionChecks.add(ExpressionCheck.ofType(MigrationSource.fieldPath(i, op.kind(), field), query, !known));
        }
        return known;
    }

    /** The rows of {@code t} as a FROM item, or null when the table is not in the catalog yet. */
    String existingRow(TableShape t) {
        return ctx.catalog.tables().containsKey(t.physical) ? dialect.qualify(ctx.schema, t.physical) : null;
    }

    /** Whether an sql operation before operation {@code i} may create a type (CREATE TYPE, DOMAIN, EXTENSION). */
    boolean typesMayBeCreatedBefore(int i) {
        return sqlBefore(i, CREATES_TYPES);
    }

    /** Whether an sql operation before operation {@code i} creates anything an expression may use (a function, a sequence). */
    boolean objectsMayBeCreatedBefore(int i) {
        return sqlBefore(i, CREATES);
    }

    /** An on_complete sql operation runs after start: what it creates is not there for the operations after it. */
    boolean sqlBefore(int i, Pattern text) {
        return ctx.migration.operations().subList(0, i).stream()
                .anyMatch(op -> op instanceof Operation.Sql s && !s.onComplete() && text.matcher(s.up()).find());
    }

    /**
     * A default compiled as the server reads it: a value of its column's type, alone where a
     * default cannot name a column (PostgreSQL), else over {@code row}, the columns of its row.
     * Only its syntax is checked after an sql operation that creates something it may use.
     */
    void compileDefault(int i, Operation op, String field, String expression, String type, String row,
                                boolean typeKnown) {
        checkBodySafe(i, op, field, expression);
        if (dialect.capabilities().defaultMayNameColumns() && row == null) {
            return; // its row is not in the catalog yet: start's DDL will tell
        }
        String value = typeKnown ? dialect.tables().cast(expression, type) : "(" + expression + ")";
        ctx.expressionChecks.add(new ExpressionCheck(MigrationSource.fieldPath(i, op.kind(), field), "SELECT " + value
                + (dialect.capabilities().defaultMayNameColumns() ? " FROM " + row : "") + " LIMIT 0",
                !typeKnown || objectsMayBeCreatedBefore(i)));
    }

    /**
     * The defaults and checks of a new table, compiled as start will give them to the server:
     * checks over a row of the table's columns, each a NULL of its type, under the table's name.
     * Where a type may be created by an earlier sql operation, only their syntax is checked.
     */
    void compileNewTable(int i, Operation.CreateTable ct, boolean typesKnown) {
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
            col.generated().ifPresent(g -> compileGenerated(i, ct, at + "generated/expression", g.expression(), col.type(),
                    row, typesKnown));
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
    String rowWith(int i, TableShape t, String replaced, String name, String type, boolean typeKnown) {
        boolean typed = typeKnown && !typesMayBeCreatedBefore(i);
        List<String> columns = new ArrayList<>();
        for (Catalog.Column c : t.info.columns()) {
            columns.add(c.name().equals(replaced) ? (typed ? dialect.tables().typedNull(type) : "NULL") + " AS " + dialect.quote(name)
                    : dialect.quote(c.name()));
        }
        t.addedTypes.forEach((c, added) -> columns.add((typed ? dialect.tables().typedNull(added) : "NULL") + " AS " + dialect.quote(c)));
        if (replaced == null && name != null) {
            columns.add((typed ? dialect.tables().typedNull(type) : "NULL") + " AS " + dialect.quote(name));
        }
        return "(SELECT " + String.join(", ", columns) + " FROM " + dialect.qualify(ctx.schema, t.physical) + ") AS "
                + dialect.quote(t.physical);
    }

    /** The rows of {@code t} as a check added to it reads them: its physical columns, with the columns earlier operations add. */
    String rowOf(int i, TableShape t) {
        return rowWith(i, t, null, null, null, true);
    }

    /**
     * A generated column's expression, proven as start gives it to the server: a value of the
     * column's type over {@code row}, the columns of its row; one that calls a function known to give
     * another value at each call ({@code now()}, {@code random()}) is refused, as the server would
     * refuse it at start.
     */
    void compileGenerated(int i, Operation op, String field, String expression, String type, String row, boolean typeKnown) {
        checkBodySafe(i, op, field, expression);
        List<String> volatile_ = dev.bascule.plan.VolatileCalls.known(dev.bascule.plan.VolatileCalls.calls(expression, dialect.name()));
        if (!volatile_.isEmpty()) {
            throw ctx.error(i, op, field, "a generated column is computed from its row alone, and " + volatile_.get(0)
                    + "() gives another value at each call: the server refuses it; use a default, or 'up' on add_column");
        }
        compileOverRow(i, op, field, typeKnown ? dialect.tables().cast(expression, type) : expression, row, typeKnown);
    }

    void compileOverRow(int i, Operation op, String field, String expression, String row, boolean typesKnown) {
        checkBodySafe(i, op, field, expression);
        ctx.expressionChecks.add(new ExpressionCheck(MigrationSource.fieldPath(i, op.kind(), field),
                "SELECT (" + expression + ") FROM " + row + " LIMIT 0", !typesKnown || objectsMayBeCreatedBefore(i)));
    }

    /**
     * The reader refuses most such expressions already, without knowing the dialect; a migration built
     * through the Java API has not been read, and only here is the server's lexer known (MariaDB's
     * {@code #} comments), so the planner checks again before pasting an expression into SQL.
     */
    void checkBodySafe(int i, Operation op, String field, String expression) {
        Expressions.problem(expression, dev.bascule.sql.SqlSyntax.parse(dialect.name())).ifPresent(p -> {
            throw ctx.error(i, op, field, p);
        });
    }
}
