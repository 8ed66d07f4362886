package dev.bascule.plan;

import dev.bascule.step.TableEffect;

import dev.bascule.step.Step;
import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;
import dev.bascule.plan.TableEffects.Effect;
import dev.bascule.plan.TableEffects.TableRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.bascule.plan.StatementTokens.*;

/**
 * What a step does to the rows of its tables, read from its statements with the lint lexer: for
 * the statements of a {@code sql} operation, which only the user knows, and for the steps of plans
 * stored before steps declared their effect. The rules are PostgreSQL's, as its documentation of
 * ALTER TABLE (notes), CREATE INDEX and SET NOT NULL states them; on MySQL/MariaDB the algorithm
 * each ALTER names. A statement they do not cover is {@link TableEffect#UNKNOWN}, never a guess.
 */
final class StatementEffects {

    private static final Set<String> SERIAL_TYPES = Set.of("serial", "serial2", "serial4", "serial8", "smallserial",
            "bigserial");
    /** Built-in types no other built-in type is binary-coercible to: changing a column to one rewrites it. */
    private static final Set<String> REWRITTEN_TYPES = Set.of("smallint", "int2", "integer", "int", "int4", "bigint",
            "int8", "real", "float4", "float8", "double", "float", "boolean", "bool", "date", "uuid", "json", "jsonb",
            "bytea", "interval", "money", "smallserial", "serial", "bigserial", "serial2", "serial4", "serial8");

    private final String schema;
    private final boolean postgres;

    StatementEffects(String schema, boolean postgres) {
        this.schema = schema;
        this.postgres = postgres;
    }

    /** What the walk has learned so far: constraints added NOT VALID and columns proven NOT NULL. */
    static final class Walk {
        final Map<List<String>, String> notNullChecks = new HashMap<>(); // [schema, table, constraint] -> column
        final Set<List<String>> provenNotNull = new HashSet<>();          // [schema, table, column]
        final Set<TableRef> setNotNullInStep = new HashSet<>();
        final Set<TableRef> createdInStep = new HashSet<>();

        Walk copy() {
            Walk w = new Walk();
            w.notNullChecks.putAll(notNullChecks);
            w.provenNotNull.addAll(provenNotNull);
            return w;
        }
    }

    /** The effect of the step's statements, what they teach the walk learned, their tables added to {@code tables}. */
    Effect read(Step step, TableRef own, Walk walk, Set<TableRef> tables) {
        if (!postgres) {
            return onlineDdl(step, own);
        }
        List<String> texts = step instanceof Step.SqlStep s ? s.statements() : List.of(((Step.IndexBuildStep) step).create());
        Effect result = null;
        int count = 0;
        for (String text : texts) {
            if (text.startsWith(dev.bascule.dialect.VersionViews.VERSION_SCHEMA_GUARD)) {
                // Bascule's check that a version schema holds only its own views before it drops them
                Effect e = new Effect(TableEffect.CATALOG, null, "reads the catalog only");
                result = result == null ? e : costlier(result, e);
                count++;
                continue;
            }
            for (List<Token> statement : statements(text)) {
                Effect e = statement(statement, walk);
                if (w(statement, 0).equals("create") && e.table() != null && e.kind() == TableEffect.CATALOG) {
                    walk.createdInStep.add(e.table());
                } else if (e.kind() == TableEffect.WRITES && walk.createdInStep.contains(e.table())) {
                    // rows written into a table the same step creates: nothing anyone else reads waits on it
                    e = new Effect(TableEffect.CATALOG, e.table(), "writes only into a table this step creates");
                }
                if (e.table() != null) {
                    tables.add(e.table());
                }
                result = result == null ? e : costlier(result, e);
                count++;
            }
        }
        if (result == null) {
            return new Effect(TableEffect.CATALOG, own, "runs nothing");
        }
        if (result.kind() == TableEffect.CATALOG && count > 1) {
            // the first statement's reason would speak for it alone; what matters is that none reads a row
            result = new Effect(TableEffect.CATALOG, result.table(), count + " statements, none reads a row"
                    + (walk.setNotNullInStep.isEmpty() ? "" : "; a validated CHECK (... IS NOT NULL) spares SET NOT NULL the scan"));
        }
        // a table the step itself creates has no rows or size worth showing: the step's own table speaks
        return result.table() == null || walk.createdInStep.contains(result.table())
                ? new Effect(result.kind(), own, result.reason()) : result;
    }

    /**
     * MySQL/MariaDB: every ALTER Bascule writes names its algorithm, and the server refuses it
     * rather than copy the table, so the algorithm says the effect.
     */
    private static Effect onlineDdl(Step step, TableRef own) {
        String text = (step instanceof Step.SqlStep s ? String.join(";\n", s.statements())
                : ((Step.IndexBuildStep) step).create()).toUpperCase(java.util.Locale.ROOT);
        if (text.contains("ALGORITHM=NOCOPY")) {
            return new Effect(TableEffect.CATALOG, own, "ALGORITHM=NOCOPY: indexes and columns dropped and renamed, no copy, no scan");
        }
        if (text.contains("FOREIGN_KEY_CHECKS = 0") && text.contains("FOREIGN KEY")) {
            return new Effect(TableEffect.SCAN, own, "ALGORITHM=INPLACE, LOCK=NONE, foreign_key_checks=0: existing rows are"
                    + " not checked; an index on the key's columns is built from a scan when none starts with them");
        }
        if (text.contains("ALGORITHM=INPLACE") && (text.contains(" DROP INDEX ") || text.contains(" DROP FOREIGN KEY "))
                && !text.contains(" ADD ") && !text.contains(" MODIFY ")) {
            return new Effect(TableEffect.CATALOG, own, "ALGORITHM=INPLACE, LOCK=NONE: the index is dropped without a copy");
        }
        if (text.contains("ALGORITHM=INPLACE")) {
            return new Effect(TableEffect.SCAN, own, text.contains("ADD UNIQUE INDEX") || text.contains("ADD INDEX")
                    ? "ALGORITHM=INPLACE, LOCK=NONE: the index is built from a scan while reads and writes go on"
                    : "ALGORITHM=INPLACE, LOCK=NONE: the table is rebuilt online while reads and writes go on");
        }
        if (text.contains("ALGORITHM=INSTANT")) {
            return new Effect(TableEffect.CATALOG, own, "ALGORITHM=INSTANT: metadata only");
        }
        if (text.startsWith("CREATE TABLE") || text.startsWith("RENAME TABLE") || text.startsWith("DROP TABLE")
                || text.contains("TRIGGER") || text.contains(" VIEW ") || text.contains("DATABASE")) {
            return new Effect(TableEffect.CATALOG, own, "data dictionary only");
        }
        if (text.startsWith("BEGIN NOT ATOMIC")) {
            return new Effect(TableEffect.SCAN, own, "a read of the rows, looking for one that breaks the check");
        }
        return new Effect(TableEffect.UNKNOWN, own, "Bascule cannot tell from the statement on this server");
    }

    private static Effect costlier(Effect a, Effect b) {
        TableEffect kind = a.kind().and(b.kind());
        Effect winner = kind == a.kind() ? a : b;
        Effect other = winner == a ? b : a;
        return winner.table() == null && other.table() != null
                ? new Effect(winner.kind(), other.table(), winner.reason()) : winner;
    }

    // ---- statements ----------------------------------------------------------------------

    private Effect statement(List<Token> t, Walk walk) {
        switch (w(t, 0)) {
            case "alter":
                return w(t, 1).equals("table") ? alterTable(t, walk) : alterOther(t);
            case "create":
                return create(t);
            case "drop":
                return new Effect(TableEffect.CATALOG, w(t, 1).equals("table") ? name(t, 2).ref : null,
                        "DROP removes catalog entries and files; it reads no row");
            case "update": {
                Name n = name(t, 1);
                return new Effect(TableEffect.WRITES, n.ref, topLevel(t, "where")
                        ? "UPDATE writes the rows its WHERE matches, in one transaction"
                        : "UPDATE writes every row in one transaction");
            }
            case "delete": {
                Name n = name(t, 2);
                return new Effect(TableEffect.WRITES, n.ref, topLevel(t, "where")
                        ? "DELETE removes the rows its WHERE matches, in one transaction"
                        : "DELETE removes every row in one transaction");
            }
            case "insert":
                return new Effect(TableEffect.WRITES, name(t, 2).ref, "INSERT writes its rows in one transaction");
            case "truncate":
                return new Effect(TableEffect.CATALOG, name(t, w(t, 1).equals("table") ? 2 : 1).ref,
                        "TRUNCATE swaps in empty files: it reads no row and removes every one");
            case "select":
                return topLevel(t, "from") ? new Effect(TableEffect.UNKNOWN, null, "a query: what it reads depends on it")
                        : new Effect(TableEffect.CATALOG, null, "reads no table");
            case "set", "reset", "begin", "commit", "start", "end", "comment", "grant", "revoke", "lock", "savepoint",
                    "release", "notify":
                return new Effect(TableEffect.CATALOG, null, "reads and writes no row");
            case "do":
                // Bascule's check, before it replaces or drops a version schema, that it made it
                return t.size() == 2 && t.get(1).text().contains(dev.bascule.dialect.OwnerMarker.GUARD)
                        ? new Effect(TableEffect.CATALOG, null, "reads the catalog only")
                        : new Effect(TableEffect.UNKNOWN, null, "a DO block: Bascule cannot tell");
            case "cluster":
                return new Effect(TableEffect.REWRITE, null, "CLUSTER writes a new copy of the table");
            case "vacuum":
                return has(t, "full") ? new Effect(TableEffect.REWRITE, null, "VACUUM FULL writes a new copy of the table")
                        : new Effect(TableEffect.UNKNOWN, null, "VACUUM reads the pages that changed since the last one");
            case "reindex":
                return new Effect(TableEffect.SCAN, w(t, 1).equals("table") ? name(t, 2).ref : null,
                        "REINDEX reads every row of the table");
            default:
                return new Effect(TableEffect.UNKNOWN, null, "a " + first(t) + " statement: Bascule cannot tell");
        }
    }

    private Effect create(List<Token> t) {
        int i = 1;
        while (Set.of("or", "replace", "unique", "temp", "temporary", "unlogged", "global", "local").contains(w(t, i))) i++;
        switch (w(t, i)) {
            case "index": {
                int on = indexOf(t, "on");
                Name n = on < 0 ? new Name(null, 0) : name(t, on + 1);
                return new Effect(TableEffect.SCAN, n.ref, has(t, "concurrently")
                        ? "CREATE INDEX CONCURRENTLY reads every row (twice); writes go on"
                        : "CREATE INDEX reads every row; writes wait for it");
            }
            case "table": {
                Name n = name(t, i + 1);
                if (topLevel(t, "as") || has(t, "partition", "of")) {
                    return new Effect(TableEffect.UNKNOWN, n.ref, "CREATE TABLE AS / PARTITION OF reads other tables");
                }
                return new Effect(TableEffect.CATALOG, n.ref, "creates an empty table");
            }
            case "view", "schema", "function", "procedure", "trigger", "sequence", "type", "domain", "policy", "role":
                return new Effect(TableEffect.CATALOG, null, "CREATE " + w(t, i).toUpperCase(java.util.Locale.ROOT)
                        + " only changes the catalog");
            default:
                return new Effect(TableEffect.UNKNOWN, null, "a CREATE " + w(t, i) + " statement: Bascule cannot tell");
        }
    }

    private Effect alterOther(List<Token> t) {
        String what = w(t, 1);
        if (Set.of("sequence", "view", "schema", "function", "procedure", "trigger", "index", "type").contains(what)
                && !has(t, "tablespace") && !has(t, "alter", "attribute")) {
            return new Effect(TableEffect.CATALOG, null, "ALTER " + what.toUpperCase(java.util.Locale.ROOT)
                    + " only changes the catalog");
        }
        return new Effect(TableEffect.UNKNOWN, null, "an ALTER " + what + " statement: Bascule cannot tell");
    }

    /** Each action of the statement; the costliest decides. */
    private Effect alterTable(List<Token> t, Walk walk) {
        Name n = name(t, 2);
        Effect result = null;
        for (List<Token> action : split(t.subList(n.next, t.size()))) {
            Effect e = action(action, n.ref, walk);
            result = result == null ? e : costlier(result, e);
        }
        return result == null ? new Effect(TableEffect.UNKNOWN, n.ref, "ALTER TABLE without an action") : result;
    }

    private Effect action(List<Token> a, TableRef table, Walk walk) {
        String verb = w(a, 0);
        switch (verb) {
            case "add":
                return add(a, table, walk);
            case "alter":
                return alterColumn(a, table, walk);
            case "drop":
                return catalog(table, "DROP " + (w(a, 1).equals("constraint") ? "CONSTRAINT" : "COLUMN")
                        + " only changes the catalog");
            case "rename":
                renameColumn(a, table, walk);
                return catalog(table, "RENAME only changes the catalog");
            case "validate": {
                String constraint = a.size() > 2 ? a.get(2).text() : "";
                String column = walk.notNullChecks.get(List.of(table.schema(), table.name(), constraint));
                if (column != null) {
                    walk.provenNotNull.add(List.of(table.schema(), table.name(), column));
                }
                return new Effect(TableEffect.SCAN, table, "VALIDATE CONSTRAINT reads every row; writes go on");
            }
            case "set":
                switch (w(a, 1)) {
                    case "logged", "unlogged":
                        return new Effect(TableEffect.REWRITE, table, "SET " + w(a, 1).toUpperCase(java.util.Locale.ROOT)
                                + " writes a new copy of the table");
                    case "tablespace":
                        return new Effect(TableEffect.REWRITE, table, "SET TABLESPACE copies every row");
                    case "access":
                        return new Effect(TableEffect.REWRITE, table, "SET ACCESS METHOD writes a new copy of the table");
                    case "schema", "without":
                        return catalog(table, "only changes the catalog");
                    default:
                        return a.size() > 1 && a.get(1).isSymbol("(") ? catalog(table, "storage parameters only change the catalog")
                                : unknown(table, a);
                }
            case "reset", "enable", "disable", "owner", "replica", "cluster", "force", "no", "inherit", "of", "not",
                    "detach":
                return catalog(table, verb.toUpperCase(java.util.Locale.ROOT) + " only changes the catalog");
            case "attach":
                return new Effect(TableEffect.UNKNOWN, table,
                        "ATTACH PARTITION scans the partition unless one of its constraints proves the bound");
            default:
                return unknown(table, a);
        }
    }

    /**
     * A check constraint follows its column through a rename, so what it proves moves along (the
     * swap of an altered column renames the shadow column, then sets it NOT NULL).
     */
    private static void renameColumn(List<Token> a, TableRef table, Walk walk) {
        int i = w(a, 1).equals("column") ? 2 : 1;
        if (w(a, i).equals("constraint") || w(a, i).equals("to") || i + 2 >= a.size() || !w(a, i + 1).equals("to")) {
            return;
        }
        String from = a.get(i).text();
        String to = a.get(i + 2).text();
        if (walk.provenNotNull.remove(List.of(table.schema(), table.name(), from))) {
            walk.provenNotNull.add(List.of(table.schema(), table.name(), to));
        }
        walk.notNullChecks.replaceAll((check, column) -> check.get(0).equals(table.schema())
                && check.get(1).equals(table.name()) && column.equals(from) ? to : column);
    }

    private Effect add(List<Token> a, TableRef table, Walk walk) {
        int i = 1;
        String name = null;
        if (w(a, i).equals("constraint")) {
            name = i + 1 < a.size() ? a.get(i + 1).text() : null;
            i += 2;
        }
        boolean notValid = has(a, "not", "valid");
        switch (w(a, i)) {
            case "check": {
                String column = notNullColumn(a, i + 1);
                if (notValid) {
                    if (column != null && name != null) {
                        walk.notNullChecks.put(List.of(table.schema(), table.name(), name), column);
                    }
                    return catalog(table, "CHECK ... NOT VALID: only new writes are checked");
                }
                if (column != null) {
                    walk.provenNotNull.add(List.of(table.schema(), table.name(), column));
                }
                return new Effect(TableEffect.SCAN, table, "ADD CHECK reads every row");
            }
            case "foreign":
                return notValid ? catalog(table, "FOREIGN KEY ... NOT VALID: only new writes are checked")
                        : new Effect(TableEffect.SCAN, table, "ADD FOREIGN KEY reads every row and looks it up");
            case "unique", "primary":
                if (has(a, "using", "index")) {
                    if (w(a, i).equals("unique")) {
                        return catalog(table, "UNIQUE USING INDEX takes over an index already built");
                    }
                    // the key's columns must be NOT NULL; PostgreSQL scans to make them so unless they are
                    return walk.setNotNullInStep.contains(table)
                            ? catalog(table, "PRIMARY KEY USING INDEX takes over an index already built, on columns set NOT NULL before")
                            : new Effect(TableEffect.UNKNOWN, table,
                                    "PRIMARY KEY USING INDEX scans unless the key's columns are NOT NULL already");
                }
                return new Effect(TableEffect.SCAN, table, "ADD " + w(a, i).toUpperCase(java.util.Locale.ROOT)
                        + " builds an index: reads every row");
            case "exclude":
                return new Effect(TableEffect.SCAN, table, "ADD EXCLUDE builds an index: reads every row");
            default:
                return addColumn(a, i, table);
        }
    }

    private Effect addColumn(List<Token> a, int i, TableRef table) {
        if (w(a, i).equals("column")) i++;
        while (Set.of("if", "not", "exists").contains(w(a, i))) i++;
        i++; // the column's name
        String type = w(a, i);
        if (SERIAL_TYPES.contains(type)) {
            return new Effect(TableEffect.REWRITE, table, "a serial column takes a value from its sequence for every row");
        }
        if (has(a, "generated")) {
            if (has(a, "identity")) {
                return new Effect(TableEffect.REWRITE, table, "an identity column takes a value from its sequence for every row");
            }
            if (has(a, "stored")) {
                return new Effect(TableEffect.REWRITE, table, "a stored generated column is computed for every row");
            }
        }
        int d = indexOfTop(a, "default");
        Effect result = catalog(table, "ADD COLUMN" + (d < 0 ? "" : " with a non-volatile default") + " only changes the catalog");
        if (d >= 0) {
            String function = DefaultCalls.firstCall(a, d + 1);
            if (function != null && DefaultCalls.VOLATILE_FUNCTIONS.contains(function)) {
                return new Effect(TableEffect.REWRITE, table, "a volatile default (" + function + "()) is computed for every row");
            }
            if (function != null) {
                result = new Effect(TableEffect.UNKNOWN, table, "the default calls " + function
                        + "(): a rewrite if it is volatile");
            }
        }
        if (d < 0 && has(a, "not", "null")) {
            result = costlier(result, new Effect(TableEffect.SCAN, table,
                    "NOT NULL without a default checks every row (and fails on a non-empty table)"));
        }
        if (has(a, "check") || has(a, "references")) {
            result = costlier(result, new Effect(TableEffect.SCAN, table, "an inline constraint checks every row"));
        }
        if (has(a, "unique") || has(a, "primary", "key")) {
            result = costlier(result, new Effect(TableEffect.SCAN, table, "an inline UNIQUE or PRIMARY KEY builds an index"));
        }
        return result;
    }


    private Effect alterColumn(List<Token> a, TableRef table, Walk walk) {
        int i = 1;
        if (w(a, i).equals("column")) i++;
        String column = i < a.size() ? a.get(i).text() : "";
        i++;
        String verb = w(a, i);
        if (verb.equals("type") || (verb.equals("set") && w(a, i + 1).equals("data"))) {
            return typeChange(a, verb.equals("type") ? i + 1 : i + 3, column, table);
        }
        if (verb.equals("set") && w(a, i + 1).equals("not") && w(a, i + 2).equals("null")) {
            walk.setNotNullInStep.add(table);
            return walk.provenNotNull.contains(List.of(table.schema(), table.name(), column))
                    ? catalog(table, "SET NOT NULL: a validated CHECK (" + column + " IS NOT NULL) spares the scan")
                    : new Effect(TableEffect.SCAN, table, "SET NOT NULL reads every row, no validated CHECK ("
                    + column + " IS NOT NULL) in this plan sparing it");
        }
        if (verb.equals("set") && w(a, i + 1).equals("expression")) {
            return new Effect(TableEffect.REWRITE, table, "SET EXPRESSION computes the column again for every row");
        }
        if (Set.of("set", "drop", "reset", "add", "restart").contains(verb)) {
            return catalog(table, "ALTER COLUMN " + verb.toUpperCase(java.util.Locale.ROOT) + " only changes the catalog");
        }
        return unknown(table, a);
    }

    /**
     * A type change rewrites the table unless the old type is binary-coercible to the new one. Only
     * the new type is in the statement, so a rewrite is certain for built-in types nothing else is
     * coercible to; text, varchar, numeric and the rest depend on the old type, and stay unknown.
     */
    private Effect typeChange(List<Token> a, int from, String column, TableRef table) {
        int using = indexOfTop(a, "using");
        if (using >= 0 && !(a.size() == using + 2 && a.get(using + 1).text().equals(column))) {
            return new Effect(TableEffect.REWRITE, table, "ALTER COLUMN TYPE ... USING computes every row again");
        }
        String type = w(a, from);
        if (REWRITTEN_TYPES.contains(type)) {
            return new Effect(TableEffect.REWRITE, table, "ALTER COLUMN TYPE " + type
                    + " rewrites the table and its indexes (unless the type does not change)");
        }
        return new Effect(TableEffect.UNKNOWN, table, "ALTER COLUMN TYPE rewrites the table unless the old type is"
                + " binary-coercible to " + (type.isEmpty() ? "the new one" : type) + " (varchar to text, say)");
    }

    /** The column of {@code ( column IS NOT NULL )} starting at {@code i}, else null. */
    private static String notNullColumn(List<Token> a, int i) {
        if (a.size() >= i + 6 && a.get(i).isSymbol("(") && a.get(i + 1).kind() != Kind.SYMBOL && a.get(i + 2).is("is")
                && a.get(i + 3).is("not") && a.get(i + 4).is("null") && a.get(i + 5).isSymbol(")")) {
            return a.get(i + 1).text();
        }
        return null;
    }

    private static Effect catalog(TableRef table, String reason) {
        return new Effect(TableEffect.CATALOG, table, reason);
    }

    private static Effect unknown(TableRef table, List<Token> action) {
        return new Effect(TableEffect.UNKNOWN, table, "ALTER TABLE " + first(action) + ": Bascule cannot tell");
    }

    // ---- tokens --------------------------------------------------------------------------

    private record Name(TableRef ref, int next) {}

    /** The table name at {@code i} (after IF EXISTS, ONLY), unqualified names in the plan's schema. */
    private Name name(List<Token> t, int i) {
        while (Set.of("if", "not", "exists", "only").contains(w(t, i))) i++;
        if (i >= t.size() || !isName(t.get(i))) {
            return new Name(null, i);
        }
        String first = t.get(i).text();
        if (i + 2 < t.size() && t.get(i + 1).isSymbol(".") && isName(t.get(i + 2))) {
            return new Name(new TableRef(first, t.get(i + 2).text()), i + 3);
        }
        int next = i + 1 < t.size() && t.get(i + 1).isSymbol("*") ? i + 2 : i + 1;
        return new Name(new TableRef(schema, first), next); // Bascule runs statements with search_path = the schema
    }

}

