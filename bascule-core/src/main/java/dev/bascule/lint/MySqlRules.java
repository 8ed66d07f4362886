package dev.bascule.lint;

import dev.bascule.lint.MySqlDdl.Action;
import dev.bascule.lint.MySqlDdl.Op;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules applied to one MySQL or MariaDB statement, in the context of the script before it (tables it
 * created, lock_wait_timeout and foreign_key_checks as set). The lock rules follow {@link MySqlDdlFacts}: a
 * statement that states {@code ALGORITHM=INSTANT}, or {@code LOCK=NONE}, cannot silently block, since the
 * server refuses it instead.
 */
final class MySqlRules {
    private static final Set<String> SMALL_INTEGERS = Set.of("int", "integer", "mediumint", "smallint", "tinyint");
    /** Rules that already say how an ALTER locks: the catch-all ALTER_ALGORITHM_MISSING is not added to them. */
    private static final Set<Rule> LOCK_RULES = EnumSet.of(Rule.ALTER_COPY_OR_LOCK, Rule.COLUMN_TYPE_CHANGE, Rule.ENUM_CHANGE,
            Rule.INDEX_NOT_CONCURRENT, Rule.FULLTEXT_SPATIAL_INDEX, Rule.PRIMARY_KEY_CHANGE, Rule.FOREIGN_KEY_COPY,
            Rule.CONVERT_CHARSET, Rule.TABLE_REBUILD, Rule.ADD_COLUMN_POSITION);

    private final MySqlDdl.Reader r;
    private final List<Token> t;
    private final StatementRules.Context ctx;
    private final Set<Rule> found = EnumSet.noneOf(Rule.class);

    private MySqlRules(List<Token> tokens, StatementRules.Context ctx) {
        this.t = tokens;
        this.r = new MySqlDdl.Reader(tokens);
        this.ctx = ctx;
    }

    /** @param tokens the statement without comments */
    static Set<Rule> check(List<Token> tokens, StatementRules.Context ctx) {
        MySqlRules rules = new MySqlRules(tokens, ctx);
        if (!tokens.isEmpty()) {
            rules.check();
        }
        return rules.found;
    }

    private void check() {
        switch (r.w(0)) {
            case "begin", "start" -> {
                // BEGIN or START TRANSACTION inside a transaction commits it first (an implicit commit)
                if (r.w(0).equals("start") && !r.w(1).equals("transaction")) break;
                if (ctx.inTransaction) found.add(Rule.NESTED_TRANSACTION);
                ctx.inTransaction = true;
                ctx.explicitBegin = true;
            }
            case "commit" -> ctx.transactionEnds();
            case "rollback" -> {
                if (!t.stream().anyMatch(tok -> tok.is("to"))) ctx.transactionEnds(); // not ROLLBACK TO SAVEPOINT
            }
            case "set" -> set();
            case "create" -> create();
            case "alter" -> {
                if (r.w(1).equals("database") || r.w(1).equals("schema")) charset(t);
                else MySqlDdl.parse(t).ifPresent(this::ddl);
            }
            case "drop" -> drop();
            case "rename", "optimize" -> MySqlDdl.parse(t).ifPresent(this::ddl);
            case "truncate" -> {
                StringBuilder table = new StringBuilder();
                r.name(r.w(1).equals("table") ? 2 : 1, table);
                if (!created(table.toString())) {
                    found.add(Rule.TRUNCATE_TABLE);
                    metadataLock(false);
                }
            }
            case "update" -> dml(1);
            case "insert", "replace" -> {
                // INSERT [LOW_PRIORITY|DELAYED|HIGH_PRIORITY] [IGNORE] [INTO] t (columns): a column named twice is error 1110
                int i = 1;
                while (Set.of("low_priority", "delayed", "high_priority", "ignore", "into").contains(r.w(i))) i++;
                int after = r.name(i, new StringBuilder());
                if (after < t.size() && t.get(after).isSymbol("(")) duplicates(columnNames(after, false));
            }
            case "delete" -> {
                for (int i = 1; i < t.size(); i++) {
                    if (t.get(i).is("from")) { dml(i + 1); break; }
                }
            }
            default -> { }
        }
    }

    /** SET lock_wait_timeout and foreign_key_checks, session or global, with {@code @@} or without. */
    private void set() {
        for (int i = 1; i + 2 < t.size(); i++) {
            boolean userVariable = t.get(i - 1).isSymbol("@") && !(i >= 2 && t.get(i - 2).isSymbol("@"));
            if (!t.get(i + 1).isSymbol("=") || userVariable) continue;
            if (t.get(i).is("lock_wait_timeout")) ctx.lockTimeout = true;
            if (t.get(i).is("foreign_key_checks")) {
                // a restore from a saved value (mysqldump's @OLD_FOREIGN_KEY_CHECKS) turns the checks back on
                String value = t.get(i + 2).text().toLowerCase(Locale.ROOT);
                boolean off = value.equals("0") || value.equals("off") || value.equals("false");
                ctx.foreignKeyChecksOff = off;
                if (off) found.add(Rule.FOREIGN_KEY_CHECKS_OFF);
            }
        }
    }

    private void create() {
        int i = 1;
        if (r.w(i).equals("or") && r.w(i + 1).equals("replace")) i += 2;
        while (Set.of("temporary", "unique", "fulltext", "spatial", "online", "offline").contains(r.w(i))) i++;
        switch (r.w(i)) {
            case "table" -> {
                StringBuilder table = new StringBuilder();
                int after = r.name(i + 1, table);
                ctx.createdTables.add(table.toString().toLowerCase(Locale.ROOT));
                if (after < t.size() && t.get(after).isSymbol("(")) duplicates(columnNames(after, true)); // error 1060
                charset(t);
                intKeys(after);
            }
            case "index" -> MySqlDdl.parse(t).ifPresent(this::ddl);
            case "database", "schema" -> charset(t);
            default -> { }
        }
    }

    /**
     * The names in the parenthesised list at {@code open}, lower case (MySQL column names ignore case): each
     * element's first word, or with {@code definitions}, each column definition's name (not keys and constraints).
     */
    private List<String> columnNames(int open, boolean definitions) {
        List<String> names = new ArrayList<>();
        int depth = 0;
        boolean first = true;
        for (int i = open; i < t.size(); i++) {
            Token tok = t.get(i);
            if (tok.isSymbol("(")) { depth++; if (depth == 1) { first = true; continue; } }
            if (tok.isSymbol(")")) { depth--; if (depth == 0) break; }
            if (depth == 1 && tok.isSymbol(",")) { first = true; continue; }
            if (depth == 1 && first) {
                first = false;
                boolean keyword = tok.kind() == Kind.WORD && Set.of("primary", "key", "index", "unique", "constraint",
                        "foreign", "fulltext", "spatial", "check", "period").contains(tok.text());
                if (tok.kind() == Kind.WORD || tok.kind() == Kind.QUOTED) {
                    if (!(definitions && keyword)) names.add(tok.text().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private void duplicates(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) if (!seen.add(n)) found.add(Rule.DUPLICATE_COLUMN);
    }

    private void drop() {
        int i = r.w(1).equals("temporary") ? 2 : 1;
        switch (r.w(i)) {
            case "table", "tables" -> {
                boolean existing = false;
                for (List<Token> part : r.parts(i + 1)) {
                    StringBuilder table = new StringBuilder();
                    new MySqlDdl.Reader(part).name(0, table);
                    existing |= !created(table.toString());
                }
                if (existing && !r.w(1).equals("temporary")) {
                    found.add(Rule.DROP_TABLE);
                    metadataLock(false);
                }
            }
            case "database", "schema" -> found.add(Rule.DROP_DATABASE);
            case "index" -> MySqlDdl.parse(t).ifPresent(this::ddl);
            default -> { }
        }
    }

    private void ddl(MySqlDdl ddl) {
        if (ddl.verb() == MySqlDdl.Verb.RENAME_TABLE) {
            renameTable(ddl);
            return;
        }
        if (created(ddl.table())) {
            for (Action a : ddl.actions()) {
                charset(a.tokens());
                if (a.op() == Op.ADD_COLUMN || a.op() == Op.MODIFY_COLUMN || a.op() == Op.CHANGE_COLUMN) intKey(a.definition());
            }
            return;
        }
        String algorithm = ddl.algorithm();
        String lock = ddl.lock();
        boolean instant = "instant".equals(algorithm);
        boolean noLock = "none".equals(lock);
        // INSTANT, INPLACE and NOCOPY refuse a copy; LOCK=NONE refuses any lock beyond the brief metadata ones
        boolean refusesCopy = instant || "inplace".equals(algorithm) || "nocopy".equals(algorithm) || noLock;
        if ("copy".equals(algorithm) || "shared".equals(lock) || "exclusive".equals(lock)) found.add(Rule.ALTER_COPY_OR_LOCK);
        for (Action a : ddl.actions()) {
            action(a, instant, noLock, refusesCopy);
        }
        if (ddl.verb() == MySqlDdl.Verb.ALTER_TABLE && !instant && !noLock && found.stream().noneMatch(LOCK_RULES::contains)) {
            found.add(Rule.ALTER_ALGORITHM_MISSING);
        }
        metadataLock(ddl.waits());
    }

    private void action(Action a, boolean instant, boolean noLock, boolean refusesCopy) {
        charset(a.tokens());
        switch (a.op()) {
            case ADD_COLUMN -> {
                Tokens def = new Tokens(a.definition());
                boolean computed = def.contains("as") || def.contains("generated") || def.contains("auto_increment");
                if (def.contains("not", "null") && !def.contains("default") && !computed) found.add(Rule.NOT_NULL_WITHOUT_DEFAULT);
                if (a.positioned() && !instant) found.add(Rule.ADD_COLUMN_POSITION);
                if (def.contains("primary", "key")) found.add(Rule.PRIMARY_KEY_CHANGE);
                else if (def.contains("unique") && !noLock) found.add(Rule.INDEX_NOT_CONCURRENT);
                intKey(a.definition());
            }
            case DROP_COLUMN -> found.add(Rule.DROP_COLUMN);
            case RENAME_COLUMN -> found.add(Rule.RENAME_COLUMN);
            case CHANGE_COLUMN, MODIFY_COLUMN -> {
                if (a.op() == Op.CHANGE_COLUMN && !a.column().equalsIgnoreCase(a.newName())) found.add(Rule.RENAME_COLUMN);
                String type = a.type();
                if (type.startsWith("enum") || type.startsWith("set")) {
                    if (!instant) found.add(Rule.ENUM_CHANGE);
                } else if (!refusesCopy) {
                    found.add(Rule.COLUMN_TYPE_CHANGE);
                }
                intKey(a.definition());
            }
            case ADD_INDEX -> {
                if (!noLock) found.add(Rule.INDEX_NOT_CONCURRENT);
            }
            case ADD_FULLTEXT_INDEX, ADD_SPATIAL_INDEX -> found.add(Rule.FULLTEXT_SPATIAL_INDEX);
            case ADD_PRIMARY_KEY, DROP_PRIMARY_KEY -> found.add(Rule.PRIMARY_KEY_CHANGE);
            case ADD_FOREIGN_KEY -> {
                if (!ctx.foreignKeyChecksOff) found.add(Rule.FOREIGN_KEY_COPY);
            }
            case RENAME_TABLE -> found.add(Rule.RENAME_TABLE);
            case CONVERT_CHARSET -> found.add(Rule.CONVERT_CHARSET);
            case REBUILD -> found.add(Rule.TABLE_REBUILD);
            default -> { }
        }
    }

    /**
     * RENAME TABLE breaks old code, except as the cut-over of a copy: {@code RENAME TABLE t TO t_old, t_new TO t}
     * leaves every name old code uses in place.
     */
    private void renameTable(MySqlDdl ddl) {
        Set<String> targets = new HashSet<>();
        Set<String> sources = new HashSet<>();
        ddl.actions().forEach(a -> { targets.add(a.newName()); sources.add(a.column()); });
        // a name goes away unless another table takes it; a table moved into a vacated name is the new copy
        boolean breaks = ddl.actions().stream().anyMatch(a -> !targets.contains(a.column()) && !sources.contains(a.newName())
                && !created(a.column()));
        if (breaks) found.add(Rule.RENAME_TABLE);
        for (Action a : ddl.actions()) {
            if (ctx.createdTables.remove(a.column().toLowerCase(Locale.ROOT))) ctx.createdTables.add(a.newName().toLowerCase(Locale.ROOT));
        }
        if (breaks || ddl.actions().stream().anyMatch(a -> !created(a.newName()))) metadataLock(ddl.waits());
    }

    /**
     * Created earlier in the script. Names are compared without case, as Windows and macOS servers do: two
     * tables whose names differ only in case are rare.
     */
    private boolean created(String table) {
        return ctx.createdTables.contains(table.toLowerCase(Locale.ROOT));
    }

    /** UPDATE or DELETE of a whole table: no WHERE and no LIMIT at the top level. */
    private void dml(int tableAt) {
        StringBuilder table = new StringBuilder();
        r.name(tableAt, table);
        if (created(table.toString())) return;
        int depth = 0;
        for (Token tok : t) {
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            if (depth == 0 && (tok.is("where") || tok.is("limit"))) return;
        }
        found.add(Rule.UNBATCHED_UPDATE);
    }

    /** utf8 (utf8mb3) named as a character set or in a collation. */
    private void charset(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token tok = tokens.get(i);
            boolean charsetWord = tok.is("charset") || (tok.is("set") && i > 0 && tokens.get(i - 1).is("character"));
            if (!charsetWord && !tok.is("collate")) continue;
            int v = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("=") ? i + 2 : i + 1;
            if (v >= tokens.size()) continue;
            String value = tokens.get(v).text().toLowerCase(Locale.ROOT);
            if (charsetWord && (value.equals("utf8") || value.equals("utf8mb3"))
                    || tok.is("collate") && (value.startsWith("utf8_") || value.startsWith("utf8mb3_"))) {
                found.add(Rule.UTF8MB3);
            }
        }
    }

    /** CREATE TABLE: a column of 32 bits or fewer that is AUTO_INCREMENT or (in) the primary key. */
    private void intKeys(int from) {
        List<List<Token>> elements = new ArrayList<>();
        int open = from;
        while (open < t.size() && !t.get(open).isSymbol("(")) open++;
        if (open >= t.size()) return;
        int depth = 0;
        List<Token> current = new ArrayList<>();
        for (int i = open; i < t.size(); i++) {
            Token tok = t.get(i);
            if (tok.isSymbol("(") && ++depth == 1) continue;
            if (tok.isSymbol(")") && --depth == 0) break;
            if (depth == 1 && tok.isSymbol(",")) { elements.add(current); current = new ArrayList<>(); }
            else current.add(tok);
        }
        elements.add(current);
        Set<String> keyColumns = new HashSet<>();
        for (List<Token> e : elements) {
            Tokens el = new Tokens(e);
            int pk = el.indexOf("primary");
            if (pk >= 0 && (el.w(0).equals("primary") || el.w(0).equals("constraint"))) {
                for (int k = pk + 2; k < e.size() && !e.get(k).isSymbol(")"); k++) {
                    if (e.get(k).kind() == Kind.WORD || e.get(k).kind() == Kind.QUOTED) keyColumns.add(e.get(k).text());
                }
            }
        }
        for (List<Token> e : elements) {
            if (e.size() >= 2 && (keyColumns.contains(e.get(0).text()) && SMALL_INTEGERS.contains(e.get(1).text()))) {
                found.add(Rule.INT_PRIMARY_KEY);
            } else if (e.size() >= 2 && (e.get(0).kind() == Kind.WORD || e.get(0).kind() == Kind.QUOTED)) {
                intKey(e.subList(1, e.size()));
            }
        }
    }

    /** A column definition (from its type on) of 32 bits or fewer that is AUTO_INCREMENT or the primary key. */
    private void intKey(List<Token> definition) {
        if (definition.isEmpty() || !SMALL_INTEGERS.contains(definition.get(0).text())) return;
        Tokens def = new Tokens(definition);
        if (def.contains("auto_increment") || def.contains("primary", "key")) found.add(Rule.INT_PRIMARY_KEY);
    }

    /**
     * A DDL statement on an existing table waits for its metadata lock, and queues every query behind it, unless
     * the script set lock_wait_timeout or the statement bounds its own wait (MariaDB's WAIT n / NOWAIT).
     */
    private void metadataLock(boolean waits) {
        if (!ctx.lockTimeout && !waits && ctx.reportedOnce.add(Rule.LOCK_TIMEOUT_MISSING)) found.add(Rule.LOCK_TIMEOUT_MISSING);
    }
}
