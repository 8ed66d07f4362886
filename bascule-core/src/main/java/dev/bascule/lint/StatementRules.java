package dev.bascule.lint;

import dev.bascule.sql.SqlLexer;

import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules applied to one statement, in the context of the statements before it in its script:
 * tables the script created (new and empty: most rules do not apply to them), whether a
 * transaction block is open, whether lock and statement timeouts were set.
 */
final class StatementRules {
    /** Functions a default may call without forcing a table rewrite (stable, evaluated once). */
    private static final Set<String> STABLE_DEFAULTS = Set.of("now", "current_timestamp", "current_date", "current_time",
            "localtimestamp", "localtime", "transaction_timestamp", "statement_timestamp", "current_user", "session_user",
            "current_setting", "nextval");
    private static final Set<String> SMALL_INTEGERS = Set.of("int", "integer", "int4", "serial", "serial4", "smallint",
            "int2", "smallserial", "serial2");

    /** What the script has done so far. */
    static final class Context {
        final Set<String> createdTables = new HashSet<>();
        boolean inTransaction;
        boolean lockTimeout;
        boolean statementTimeout;
        /** MySQL: SET foreign_key_checks = 0 is in force. */
        boolean foreignKeyChecksOff;
        final Set<Rule> reportedOnce = EnumSet.noneOf(Rule.class);
    }

    private final List<Token> t;
    private final Context ctx;
    private final Set<Rule> found = EnumSet.noneOf(Rule.class);

    private StatementRules(List<Token> tokens, Context ctx) {
        this.t = tokens;
        this.ctx = ctx;
    }

    /** @param tokens the statement without comments */
    static Set<Rule> check(List<Token> tokens, Context ctx) {
        StatementRules r = new StatementRules(tokens, ctx);
        if (!tokens.isEmpty()) {
            r.check();
        }
        return r.found;
    }

    private String w(int i) {
        return i < t.size() && t.get(i).kind() == Kind.WORD ? t.get(i).text() : "";
    }

    private boolean contains(String... words) {
        outer:
        for (int i = 0; i + words.length <= t.size(); i++) {
            for (int k = 0; k < words.length; k++) {
                if (!t.get(i + k).is(words[k])) continue outer;
            }
            return true;
        }
        return false;
    }

    /** The name starting at {@code i} (schema-qualified names give the last part), and where it ends. */
    private int name(int i, StringBuilder out) {
        while (i < t.size() && (w(i).equals("if") || w(i).equals("not") || w(i).equals("exists") || w(i).equals("only"))) i++;
        if (i >= t.size()) return i;
        out.setLength(0);
        out.append(t.get(i).text());
        while (i + 2 < t.size() && t.get(i + 1).isSymbol(".")) {
            i += 2;
            out.setLength(0);
            out.append(t.get(i).text());
        }
        return i + 1;
    }

    private void check() {
        String first = w(0);
        switch (first) {
            case "begin", "start" -> ctx.inTransaction = true;
            case "commit", "end", "rollback", "abort" -> ctx.inTransaction = false;
            case "set" -> {
                if (contains("lock_timeout")) ctx.lockTimeout = true;
                if (contains("statement_timeout")) ctx.statementTimeout = true;
            }
            case "create" -> create();
            case "drop" -> drop();
            case "alter" -> {
                if (w(1).equals("table")) alterTable();
            }
            case "reindex" -> {
                if (!contains("concurrently")) { found.add(Rule.REINDEX_NOT_CONCURRENT); exclusive(); }
                else concurrently();
            }
            case "vacuum" -> {
                if (contains("full")) { found.add(Rule.VACUUM_FULL); exclusive(); }
            }
            case "cluster" -> { found.add(Rule.CLUSTER); exclusive(); }
            case "truncate" -> {
                if (contains("cascade")) found.add(Rule.TRUNCATE_CASCADE);
                exclusive();
            }
            case "update" -> update();
            default -> { }
        }
    }

    private void create() {
        int i = 1;
        if (w(i).equals("unique")) i++;
        if (w(i).equals("index")) {
            boolean concurrent = w(i + 1).equals("concurrently");
            int on = indexOf("on");
            StringBuilder table = new StringBuilder();
            if (on >= 0) name(on + 1, table);
            if (concurrent) {
                concurrently();
            } else if (!ctx.createdTables.contains(table.toString())) {
                found.add(Rule.INDEX_NOT_CONCURRENT);
                exclusive();
            }
            return;
        }
        while (Set.of("temp", "temporary", "unlogged", "global", "local").contains(w(i))) i++;
        if (w(i).equals("table")) {
            StringBuilder table = new StringBuilder();
            int after = name(i + 1, table);
            ctx.createdTables.add(table.toString());
            types(after);
            intPrimaryKeys(after);
        }
    }

    private void drop() {
        switch (w(1)) {
            case "index" -> {
                if (w(2).equals("concurrently")) concurrently();
                else { found.add(Rule.DROP_INDEX_NOT_CONCURRENT); exclusive(); }
            }
            case "table" -> {
                StringBuilder table = new StringBuilder();
                name(2, table);
                if (!ctx.createdTables.contains(table.toString())) { found.add(Rule.DROP_TABLE); exclusive(); }
            }
            case "database" -> found.add(Rule.DROP_DATABASE);
            default -> { }
        }
    }

    private void alterTable() {
        StringBuilder table = new StringBuilder();
        int i = name(2, table);
        boolean created = ctx.createdTables.contains(table.toString());
        if (w(i).equals("rename") && (w(i + 1).equals("to"))) {
            if (!created) found.add(Rule.RENAME_TABLE);
            if (!created) exclusive();
            return;
        }
        for (List<Token> action : actions(i)) {
            alterAction(action, created);
        }
        if (!created) {
            exclusive();
            statementOnExistingTable();
        }
    }

    /** ALTER TABLE's actions, split at top-level commas. */
    private List<List<Token>> actions(int from) {
        return SqlLexer.topLevelParts(t, from);
    }

    private void alterAction(List<Token> a, boolean created) {
        StatementRules sub = new StatementRules(a, ctx);
        String verb = sub.w(0);
        int i = 1;
        if (verb.equals("add")) {
            if (sub.w(i).equals("constraint")) i += 2;
            String what = sub.w(i);
            boolean notValid = sub.contains("not", "valid");
            if (what.equals("foreign")) { if (!created && !notValid) found.add(Rule.FOREIGN_KEY_NOT_VALID); return; }
            if (what.equals("check")) { if (!created && !notValid) found.add(Rule.CHECK_NOT_VALID); return; }
            if (what.equals("unique") || what.equals("primary") || what.equals("exclude")) {
                if (!created && !sub.contains("using", "index")) found.add(Rule.UNIQUE_CONSTRAINT);
                return;
            }
            if (what.equals("column")) i++;
            // a column definition
            sub.types(i);
            if (sub.smallIntegerPrimaryKey(i)) found.add(Rule.INT_PRIMARY_KEY);
            found.addAll(sub.found);
            if (created) return;
            boolean hasDefault = sub.contains("default");
            if (sub.contains("not", "null") && !hasDefault && !sub.contains("generated")) found.add(Rule.NOT_NULL_WITHOUT_DEFAULT);
            if (hasDefault && sub.volatileDefault()) found.add(Rule.VOLATILE_DEFAULT);
            if (sub.contains("references")) found.add(Rule.FOREIGN_KEY_NOT_VALID);
            if (sub.contains("check")) found.add(Rule.CHECK_NOT_VALID);
            if (sub.contains("unique") || sub.contains("primary", "key")) found.add(Rule.UNIQUE_CONSTRAINT);
        } else if (verb.equals("alter")) {
            if (sub.contains("set", "not", "null") && !created) found.add(Rule.SET_NOT_NULL);
            if (sub.contains("drop", "not", "null") && !created) found.add(Rule.DROP_NOT_NULL);
            if (sub.contains("type")) {
                if (!created) found.add(Rule.COLUMN_TYPE_CHANGE);
                sub.types(sub.indexOf("type"));
            }
        } else if (verb.equals("drop") && !sub.w(1).equals("constraint")) {
            if (!created) found.add(Rule.DROP_COLUMN);
        } else if (verb.equals("rename") && !sub.w(1).equals("constraint")) {
            if (!created) found.add(Rule.RENAME_COLUMN);
        }
        found.addAll(sub.found);
    }

    /** A default calling a function that is not stable forces a rewrite (PostgreSQL 11+ stores the others). */
    private boolean volatileDefault() {
        int d = indexOf("default");
        for (int i = d + 1; i + 1 < t.size(); i++) {
            Token tok = t.get(i);
            if (tok.kind() == Kind.WORD && Set.of("not", "null", "references", "check", "unique", "primary", "constraint",
                    "generated", "collate").contains(tok.text()) && !t.get(i - 1).isSymbol("::")) {
                return false;
            }
            if (tok.kind() == Kind.WORD && t.get(i + 1).isSymbol("(") && !t.get(i - 1).isSymbol("::")
                    && !STABLE_DEFAULTS.contains(tok.text()) && !isTypeWord(tok.text())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTypeWord(String word) {
        return Set.of("varchar", "numeric", "decimal", "char", "character", "timestamp", "time", "interval", "bit").contains(word);
    }

    private void update() {
        StringBuilder table = new StringBuilder();
        name(1, table);
        if (ctx.createdTables.contains(table.toString())) return;
        int depth = 0;
        for (Token tok : t) {
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            if (depth == 0 && tok.is("where")) {
                statementOnExistingTable();
                return;
            }
        }
        found.add(Rule.UNBATCHED_UPDATE);
        statementOnExistingTable();
    }

    /** Column types of a CREATE TABLE body or a column definition, from token {@code from} on. */
    private void types(int from) {
        for (int i = Math.max(from, 1); i < t.size(); i++) {
            Token tok = t.get(i);
            Token before = t.get(i - 1);
            boolean typePosition = before.kind() == Kind.WORD || before.kind() == Kind.QUOTED;
            if (tok.kind() != Kind.WORD || !typePosition || before.isSymbol("::")) continue;
            String next = w(i + 1);
            switch (tok.text()) {
                case "json" -> found.add(Rule.JSON_TYPE);
                case "char", "character", "bpchar" -> {
                    if (!next.equals("varying")) found.add(Rule.CHAR_TYPE);
                }
                case "timestamp" -> {
                    if (!next.equals("with") && !(t.size() > i + 1 && t.get(i + 1).isSymbol("(") && w(i + 4).equals("with"))) {
                        found.add(Rule.TIMESTAMP_WITHOUT_TIME_ZONE);
                    }
                }
                default -> { }
            }
        }
    }

    /** In a CREATE TABLE body: a 32-bit column that is (or is in) the primary key. */
    private void intPrimaryKeys(int from) {
        List<List<Token>> elements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < t.size(); i++) {
            Token tok = t.get(i);
            if (tok.isSymbol("(")) { depth++; if (depth == 1) continue; }
            if (tok.isSymbol(")")) { depth--; if (depth == 0) break; }
            if (depth == 1 && tok.isSymbol(",")) { elements.add(current); current = new ArrayList<>(); }
            else if (depth >= 1) current.add(tok);
        }
        elements.add(current);
        Set<String> keyColumns = new HashSet<>();
        for (List<Token> e : elements) {
            StatementRules el = new StatementRules(e, ctx);
            int pk = el.indexOf("primary");
            if (pk >= 0 && (el.w(0).equals("primary") || el.w(0).equals("constraint"))) {
                for (int k = pk + 2; k < e.size(); k++) {
                    if (e.get(k).kind() == Kind.WORD || e.get(k).kind() == Kind.QUOTED) keyColumns.add(e.get(k).text());
                }
            }
        }
        for (List<Token> e : elements) {
            if (e.size() < 2) continue;
            StatementRules el = new StatementRules(e, ctx);
            boolean small = e.get(1).kind() == Kind.WORD && SMALL_INTEGERS.contains(e.get(1).text());
            if (small && (el.contains("primary", "key") && !el.w(0).equals("primary") || keyColumns.contains(e.get(0).text()))) {
                found.add(Rule.INT_PRIMARY_KEY);
            }
        }
    }

    private boolean smallIntegerPrimaryKey(int i) {
        return i + 1 < t.size() && SMALL_INTEGERS.contains(w(i + 1)) && contains("primary", "key");
    }

    private int indexOf(String word) {
        for (int i = 0; i < t.size(); i++) if (t.get(i).is(word)) return i;
        return -1;
    }

    private void concurrently() {
        if (ctx.inTransaction) found.add(Rule.CONCURRENT_IN_TRANSACTION);
    }

    /** The statement takes ACCESS EXCLUSIVE (or SHARE) on an existing table: it needs a lock timeout. */
    private void exclusive() {
        if (!ctx.lockTimeout && ctx.reportedOnce.add(Rule.LOCK_TIMEOUT_MISSING)) found.add(Rule.LOCK_TIMEOUT_MISSING);
    }

    private void statementOnExistingTable() {
        if (!ctx.statementTimeout && ctx.reportedOnce.add(Rule.STATEMENT_TIMEOUT_MISSING)) found.add(Rule.STATEMENT_TIMEOUT_MISSING);
    }
}
