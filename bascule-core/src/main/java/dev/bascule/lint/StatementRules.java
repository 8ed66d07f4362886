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
            "current_setting", "cast", "coalesce", "nullif", "greatest", "least", "row", "array");
    /** Serial types: a column of one has a sequence default (nextval, volatile). The 32-bit ones run out. */
    private static final Set<String> SERIALS = Set.of("serial", "serial4", "smallserial", "serial2", "bigserial", "serial8");
    private static final Set<String> SMALL_SERIALS = Set.of("serial", "serial4", "smallserial", "serial2");
    /** Type names PostgreSQL also takes quoted (they are the catalog's own names): "bpchar"(50) is char(50). */
    private static final Set<String> QUOTED_TYPES = Set.of("bpchar", "json", "timestamp", "int4", "int2", "varchar", "numeric");
    private static final int MAX_IDENTIFIER_BYTES = 63;
    private static final Set<String> SMALL_INTEGERS = Set.of("int", "integer", "int4", "serial", "serial4", "smallint",
            "int2", "smallserial", "serial2");
    private static final Set<String> SMALL_INTEGER_TYPES = Set.of("int", "integer", "int4", "smallint", "int2");

    /** What the script has done so far. */
    static final class Context {
        final Set<String> createdTables = new HashSet<>();
        boolean inTransaction;
        boolean lockTimeout;
        boolean statementTimeout;
        /** MySQL: SET foreign_key_checks = 0 is in force. */
        boolean foreignKeyChecksOff;
        final Set<Rule> reportedOnce = EnumSet.noneOf(Rule.class);
        /** Knowledge carried across the files of a run, and the target version. */
        LintSession session = new LintSession();
        /** A BEGIN of this script is open: the script ends uncommitted unless a COMMIT or ROLLBACK follows. */
        boolean explicitBegin;
        /** Statements that change something (not SET, SELECT, transaction control): a script of two or more can fail half way. */
        int effectfulStatements;
        /** Constraints added NOT VALID in the open transaction, by name: VALIDATE in the same transaction scans under the add's lock. */
        final java.util.Map<String, Rule> notValidInTransaction = new java.util.HashMap<>();
        /** Constraints dropped (IF EXISTS) earlier in the script: adding one again by that name can be rerun. */
        final Set<String> droppedConstraints = new HashSet<>();

        void transactionEnds() {
            inTransaction = false;
            explicitBegin = false;
            notValidInTransaction.clear();
        }
    }

    /** Statements whose first word says they change nothing a rerun would trip over. */
    static final Set<String> INERT = Set.of("set", "reset", "select", "show", "begin", "start", "commit", "end", "rollback",
            "abort", "savepoint", "release", "explain", "values", "discard", "listen", "notify", "checkpoint");

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

    private boolean sym(int i, String symbol) {
        return i < t.size() && t.get(i).isSymbol(symbol);
    }

    /** An identifier as PostgreSQL stores it: unquoted words folded (the lexer did), truncated to 63 bytes. */
    private static String ident(Token tok) {
        String s = tok.text();
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length <= MAX_IDENTIFIER_BYTES) return s;
        int n = MAX_IDENTIFIER_BYTES;
        while (n > 0 && (b[n] & 0xC0) == 0x80) n--; // whole characters, as PostgreSQL truncates
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void check() {
        identifierLengths();
        String first = w(0);
        switch (first) {
            case "begin", "start" -> {
                if (first.equals("start") && !w(1).equals("transaction")) break;
                if (ctx.inTransaction) found.add(Rule.NESTED_TRANSACTION);
                else ctx.notValidInTransaction.clear();
                ctx.inTransaction = true;
                ctx.explicitBegin = true;
            }
            case "commit", "end", "abort" -> {
                if (!w(1).equals("prepared")) ctx.transactionEnds();
            }
            case "rollback" -> {
                if (!contains("to") && !w(1).equals("prepared")) ctx.transactionEnds(); // not ROLLBACK TO SAVEPOINT
            }
            case "set" -> set();
            case "create" -> create();
            case "drop" -> drop();
            case "alter" -> {
                switch (w(1)) {
                    case "table" -> alterTable(2);
                    case "foreign" -> {
                        if (w(2).equals("table")) alterTable(3);
                    }
                    case "domain" -> alterDomain();
                    case "type" -> alterType();
                    case "schema", "view", "sequence", "function", "procedure", "materialized" -> {
                        if (contains("rename") && !contains("rename", "constraint")) found.add(Rule.RENAME_OBJECT);
                    }
                    default -> { }
                }
            }
            case "reindex" -> reindex();
            case "vacuum" -> {
                if (vacuumFull()) { found.add(Rule.VACUUM_FULL); exclusive(); }
            }
            case "cluster" -> { found.add(Rule.CLUSTER); exclusive(); }
            case "truncate" -> {
                if (contains("cascade")) found.add(Rule.TRUNCATE_CASCADE);
                exclusive();
            }
            case "update" -> update();
            case "lock" -> {
                // LOCK [TABLE] t [IN mode MODE]: ACCESS EXCLUSIVE unless a mode says less; the modes that block writes queue them
                int in = indexOf("in");
                String mode = in < 0 ? "access exclusive" : String.join(" ", t.subList(in + 1, Math.max(in + 1, t.size() - 1)).stream()
                        .map(Token::text).toList());
                if (Set.of("access exclusive", "exclusive", "share row exclusive", "share").contains(mode)) exclusive();
            }
            case "refresh" -> {
                if (!contains("concurrently")) exclusive(); // REFRESH MATERIALIZED VIEW blocks reads of the view while it runs
            }
            case "insert" -> {
                if (w(1).equals("into")) {
                    int after = name(2, new StringBuilder());
                    if (w(after).equals("as")) after += 2;
                    if (sym(after, "(")) duplicates(columnList(after));
                }
                upsertAssignments();
            }
            case "merge" -> upsertAssignments();
            default -> { }
        }
    }

    /** SET lock_timeout / statement_timeout (SESSION or LOCAL); {@code SET foo.lock_timeout} is another setting. */
    private void set() {
        int i = 1;
        if (w(i).equals("session") || w(i).equals("local")) i++;
        if (sym(i + 1, ".")) return;
        if (w(i).equals("lock_timeout")) ctx.lockTimeout = true;
        if (w(i).equals("statement_timeout")) ctx.statementTimeout = true;
    }

    /** A value of a boolean option in a parenthesised option list that turns it off: false, off, 0, 'false'. */
    private static boolean off(List<Token> value) {
        StringBuilder sb = new StringBuilder();
        for (Token v : value) sb.append(v.text());
        String s = sb.toString().toLowerCase(java.util.Locale.ROOT).replaceAll("^(u&|e)", "").replace("'", "");
        return s.equals("false") || s.equals("off") || s.equals("0") || s.equals("no");
    }

    /** The options of {@code VERB (option [value], ...)}, by name to whether they are on; empty without a list. */
    private java.util.Map<String, Boolean> options() {
        java.util.Map<String, Boolean> options = new java.util.HashMap<>();
        if (!sym(1, "(")) return options;
        List<Token> inner = new ArrayList<>();
        int depth = 0;
        for (int i = 1; i < t.size(); i++) {
            if (t.get(i).isSymbol("(")) depth++;
            if (t.get(i).isSymbol(")")) { depth--; if (depth == 0) break; }
            if (i > 1) inner.add(t.get(i));
        }
        for (List<Token> option : SqlLexer.topLevelParts(inner, 0)) {
            if (option.isEmpty()) continue;
            options.put(option.get(0).text().toLowerCase(java.util.Locale.ROOT), !off(option.subList(1, option.size())));
        }
        return options;
    }

    /** The index of the token after a leading option list, or 1. */
    private int afterOptions() {
        if (!sym(1, "(")) return 1;
        int depth = 0;
        for (int i = 1; i < t.size(); i++) {
            if (t.get(i).isSymbol("(")) depth++;
            if (t.get(i).isSymbol(")")) { depth--; if (depth == 0) return i + 1; }
        }
        return t.size();
    }

    private void reindex() {
        int i = afterOptions();
        String what = w(i);
        if (what.equals("system")) return; // system catalogs cannot be reindexed concurrently
        boolean concurrent = Boolean.TRUE.equals(options().get("concurrently")) || w(i + 1).equals("concurrently");
        if (concurrent) {
            concurrently();
        } else {
            found.add(Rule.REINDEX_NOT_CONCURRENT);
            exclusive();
        }
    }

    private boolean vacuumFull() {
        Boolean option = options().get("full");
        if (option != null) return option;
        return w(1).equals("full");
    }

    /** Every identifier longer than 63 bytes: PostgreSQL truncates it silently, and two long names may become one. */
    private void identifierLengths() {
        for (Token tok : t) {
            if ((tok.kind() == Kind.WORD || tok.kind() == Kind.QUOTED)
                    && tok.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
                found.add(Rule.IDENTIFIER_TOO_LONG);
                return;
            }
        }
    }

    private void create() {
        int i = 1;
        if (w(i).equals("or") && w(i + 1).equals("replace")) i += 2;
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
            int n = concurrent ? i + 2 : i + 1;
            boolean named = !w(n).equals("on") && !w(n).equals("if");
            // CREATE INDEX CONCURRENTLY that fails leaves an invalid index of its name behind: even alone it cannot be rerun
            if (named && concurrent) found.add(Rule.NOT_RETRYABLE);
            else if (named && !ctx.inTransaction) notRetryable();
            return;
        }
        if (w(i).equals("domain")) {
            if (contains("check") || contains("not", "null") || contains("constraint")) found.add(Rule.CREATE_DOMAIN_CONSTRAINT);
            return;
        }
        boolean temporary = false;
        while (Set.of("temp", "temporary", "unlogged", "global", "local", "foreign", "recursive", "materialized").contains(w(i))) {
            temporary |= w(i).startsWith("temp");
            i++;
        }
        if (w(i).equals("table")) {
            boolean ifNotExists = w(i + 1).equals("if");
            StringBuilder table = new StringBuilder();
            int after = name(i + 1, table);
            ctx.createdTables.add(table.toString());
            types(after);
            intPrimaryKeys(after);
            if (sym(after, "(")) tableColumns(table.toString(), after);
            if (!ifNotExists && !(temporary && contains("on", "commit", "drop")) && !ctx.inTransaction) notRetryable();
        } else if (w(i).equals("view")) {
            StringBuilder view = new StringBuilder();
            int after = name(i + 1, view);
            if (sym(after, "(")) duplicates(columnList(after));
        }
    }

    private void drop() {
        boolean ifExists = w(2).equals("if") || w(3).equals("if");
        switch (w(1)) {
            case "index" -> {
                boolean concurrent = w(2).equals("concurrently");
                if (concurrent) concurrently();
                else { found.add(Rule.DROP_INDEX_NOT_CONCURRENT); exclusive(); }
                if (!ifExists && (concurrent || !ctx.inTransaction)) notRetryable();
            }
            case "table" -> {
                StringBuilder table = new StringBuilder();
                name(2, table);
                if (!ctx.createdTables.contains(table.toString())) { found.add(Rule.DROP_TABLE); exclusive(); }
                if (!ifExists && !ctx.inTransaction) notRetryable();
            }
            case "type" -> {
                if (!ifExists && !ctx.inTransaction) notRetryable();
            }
            case "database" -> found.add(Rule.DROP_DATABASE);
            case "view", "materialized" -> exclusive();
            default -> { }
        }
    }

    private void alterDomain() {
        StringBuilder domain = new StringBuilder();
        int i = name(2, domain);
        if (w(i).equals("add") && !contains("not", "valid")) found.add(Rule.ALTER_DOMAIN_CONSTRAINT);
        else if (w(i).equals("set") && w(i + 1).equals("not") && w(i + 2).equals("null")) found.add(Rule.ALTER_DOMAIN_CONSTRAINT);
        else if (w(i).equals("drop") && w(i + 1).equals("not") && w(i + 2).equals("null")) found.add(Rule.DROP_NOT_NULL);
        else if (w(i).equals("rename") && !w(i + 1).equals("constraint")) found.add(Rule.RENAME_OBJECT);
    }

    private void alterType() {
        StringBuilder type = new StringBuilder();
        int i = name(2, type);
        if (w(i).equals("rename")) {
            found.add(Rule.RENAME_OBJECT);
        } else if (w(i).equals("add") && w(i + 1).equals("value") && !contains("before") && !contains("after")) {
            found.add(Rule.ENUM_VALUE_ORDER);
        } else {
            for (List<Token> action : actions(i)) {
                // a composite type's attributes are the columns of the rows that use it
                if (action.size() > 1 && action.get(0).is("drop") && action.get(1).is("attribute")) found.add(Rule.DROP_COLUMN);
            }
        }
    }

    private void alterTable(int nameAt) {
        StringBuilder table = new StringBuilder();
        int i = name(nameAt, table);
        boolean created = ctx.createdTables.contains(table.toString());
        if (w(i).equals("rename") && (w(i + 1).equals("to"))) {
            if (!created) found.add(Rule.RENAME_TABLE);
            if (!created) exclusive();
            return;
        }
        boolean locks = false;
        for (List<Token> action : actions(i)) {
            locks |= alterAction(table.toString(), action, created);
        }
        if (!created && locks) {
            exclusive();
            statementOnExistingTable();
        }
    }

    /** ALTER TABLE's actions, split at top-level commas. */
    private List<List<Token>> actions(int from) {
        return SqlLexer.topLevelParts(t, from);
    }

    /** @return whether the action takes a lock that needs a timeout (all but VALIDATE and DETACH ... CONCURRENTLY) */
    private boolean alterAction(String table, List<Token> a, boolean created) {
        StatementRules sub = new StatementRules(a, ctx);
        String verb = sub.w(0);
        int version = ctx.session.postgresqlVersion();
        int i = 1;
        boolean robust = ctx.inTransaction;
        if (verb.equals("validate")) {
            String name = a.size() > 2 ? ident(a.get(2)) : "";
            Rule kind = ctx.notValidInTransaction.get(name);
            if (kind != null && ctx.inTransaction && !created) found.add(kind);
            String column = ctx.session.notNullChecks.get(name);
            if (column != null) ctx.session.provenNotNull.add(column);
            return false;
        }
        // SHARE UPDATE EXCLUSIVE: queued behind a long transaction, these block only other schema changes
        if ((verb.equals("set") || verb.equals("reset")) && sub.sym(1, "(")
                || verb.equals("cluster") || verb.equals("set") && sub.w(1).equals("without") && sub.w(2).equals("cluster")) {
            return false;
        }
        if (verb.equals("detach") && sub.w(1).equals("partition")) {
            if (sub.contains("concurrently")) { concurrently(); return false; }
            if (!sub.contains("finalize") && !created) found.add(Rule.DETACH_PARTITION_NOT_CONCURRENT);
            return true;
        }
        if (verb.equals("add")) {
            String constraintName = null;
            if (sub.w(i).equals("constraint")) { constraintName = i + 1 < a.size() ? ident(a.get(i + 1)) : ""; i += 2; }
            String what = sub.w(i);
            boolean notValid = sub.contains("not", "valid");
            if (Set.of("foreign", "check", "unique", "primary", "exclude").contains(what)) {
                if (!robust && (constraintName == null || !ctx.droppedConstraints.remove(constraintName))) notRetryable();
            }
            if (what.equals("foreign")) {
                if (!created && !notValid) found.add(Rule.FOREIGN_KEY_NOT_VALID);
                if (notValid && constraintName != null) ctx.notValidInTransaction.put(constraintName, Rule.FOREIGN_KEY_NOT_VALID);
                return true;
            }
            if (what.equals("check")) {
                if (!created && !notValid) found.add(Rule.CHECK_NOT_VALID);
                if (notValid && constraintName != null) {
                    ctx.notValidInTransaction.put(constraintName, Rule.CHECK_NOT_VALID);
                    // CHECK (col IS NOT NULL): once validated, SET NOT NULL trusts it (PostgreSQL 12+)
                    int p = i + 1;
                    if (sub.sym(p, "(") && a.size() > p + 5 && sub.w(p + 2).equals("is") && sub.w(p + 3).equals("not")
                            && sub.w(p + 4).equals("null") && sub.sym(p + 5, ")")) {
                        ctx.session.notNullChecks.put(constraintName, table + "." + ident(a.get(p + 1)));
                    }
                }
                return true;
            }
            if (what.equals("unique") || what.equals("primary") || what.equals("exclude")) {
                if (!created && !sub.contains("using", "index")) found.add(Rule.UNIQUE_CONSTRAINT);
                return true;
            }
            if (what.equals("column")) i++;
            boolean ifNotExists = sub.w(i).equals("if");
            if (ifNotExists) i += 3;
            if (!ifNotExists && !robust) notRetryable();
            // a column definition
            if (i < a.size()) ctx.session.columnTypes.put(table + "." + ident(a.get(i)), sub.typeText(i + 1));
            sub.types(i);
            String type = sub.w(i + 1);
            if (sub.smallIntegerPrimaryKey(i) || sub.smallSequence(i)) found.add(Rule.INT_PRIMARY_KEY);
            found.addAll(sub.found);
            if (created) return true;
            boolean hasDefault = sub.contains("default");
            boolean serial = SERIALS.contains(type) && i + 1 < a.size() && a.get(i + 1).kind() == Kind.WORD;
            boolean generated = sub.contains("generated");
            if (sub.contains("not", "null") && !hasDefault && !generated && !serial) found.add(Rule.NOT_NULL_WITHOUT_DEFAULT);
            if (hasDefault && (sub.volatileDefault() || version < 11 && !sub.defaultIsNull())) found.add(Rule.VOLATILE_DEFAULT);
            if (serial || generated && (sub.contains("stored") || sub.contains("identity"))) found.add(Rule.VOLATILE_DEFAULT);
            if (sub.contains("references")) found.add(Rule.FOREIGN_KEY_NOT_VALID);
            if (sub.contains("check")) found.add(Rule.CHECK_NOT_VALID);
            if (sub.contains("unique") || sub.contains("primary", "key")) found.add(Rule.UNIQUE_CONSTRAINT);
        } else if (verb.equals("alter")) {
            int c = sub.w(1).equals("column") ? 2 : 1;
            String column = c < a.size() ? table + "." + ident(a.get(c)) : "";
            if (sub.contains("set", "not", "null") && !created && !(version >= 12 && ctx.session.provenNotNull.contains(column))) {
                found.add(Rule.SET_NOT_NULL);
            }
            if (sub.contains("drop", "not", "null") && !created) found.add(Rule.DROP_NOT_NULL);
            int type = sub.w(c + 1).equals("type") ? c + 1
                    : sub.w(c + 1).equals("set") && sub.w(c + 2).equals("data") && sub.w(c + 3).equals("type") ? c + 3 : -1;
            if (type >= 0) {
                String newType = sub.typeText(type + 1);
                String oldType = ctx.session.columnTypes.get(column);
                if (!created && !(oldType != null && noRewrite(oldType, newType))) found.add(Rule.COLUMN_TYPE_CHANGE);
                ctx.session.columnTypes.put(column, newType);
                sub.types(type);
            }
            if ((sub.w(c + 1).equals("set") || sub.w(c + 1).equals("reset"))
                    && (sub.w(c + 2).equals("statistics") || sub.sym(c + 2, "("))) return false;
        } else if (verb.equals("drop")) {
            boolean ifExists = sub.w(1).equals("if") || sub.w(2).equals("if");
            if (sub.w(1).equals("constraint")) {
                String name = a.size() > (ifExists ? 4 : 2) ? ident(a.get(ifExists ? 4 : 2)) : "";
                if (ifExists) ctx.droppedConstraints.add(name);
                ctx.session.provenNotNull.remove(ctx.session.notNullChecks.remove(name));
            } else if (!created) {
                found.add(Rule.DROP_COLUMN);
            }
            if (!ifExists && !robust) notRetryable();
        } else if (verb.equals("rename") && !sub.w(1).equals("constraint")) {
            if (!created) found.add(Rule.RENAME_COLUMN);
        }
        found.addAll(sub.found);
        return true;
    }

    /** Old type to new type without a rewrite on PostgreSQL: varchar longer or to text, numeric with more precision. */
    static boolean noRewrite(String oldType, String newType) {
        java.util.regex.Matcher o = TYPE.matcher(oldType);
        java.util.regex.Matcher n = TYPE.matcher(newType);
        if (!o.matches() || !n.matches()) return false;
        String ob = base(o.group(1));
        String nb = base(n.group(1));
        if ((ob.equals("varchar") || ob.equals("text")) && (nb.equals("text") || nb.equals("varchar") && n.group(2) == null)) {
            return true;
        }
        if (ob.equals("varchar") && nb.equals("varchar") && o.group(2) != null && n.group(2) != null) {
            return Integer.parseInt(n.group(2)) >= Integer.parseInt(o.group(2));
        }
        if (ob.equals("numeric") && nb.equals("numeric") && o.group(2) != null && n.group(2) != null) {
            int os = o.group(3) == null ? 0 : Integer.parseInt(o.group(3));
            int ns = n.group(3) == null ? 0 : Integer.parseInt(n.group(3));
            return os == ns && Integer.parseInt(n.group(2)) >= Integer.parseInt(o.group(2));
        }
        return false;
    }

    private static final java.util.regex.Pattern TYPE = java.util.regex.Pattern.compile(
            "(?:pg_catalog\\.)?([a-z ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?");

    private static String base(String type) {
        return switch (type.trim()) {
            case "character varying", "varchar" -> "varchar";
            case "decimal", "numeric" -> "numeric";
            default -> type.trim();
        };
    }

    /** The type written from token {@code from} up to USING, COLLATE, a constraint or the end, lower case. */
    private String typeText(int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < t.size(); i++) {
            Token tok = t.get(i);
            if (tok.kind() == Kind.WORD && Set.of("using", "collate", "not", "null", "default", "constraint", "primary", "unique",
                    "references", "check", "generated").contains(tok.text())) break;
            if (sb.length() > 0 && tok.kind() == Kind.WORD && Character.isLetter(sb.charAt(sb.length() - 1))) sb.append(' ');
            sb.append(tok.kind() == Kind.QUOTED ? tok.text().toLowerCase(java.util.Locale.ROOT) : tok.text());
        }
        return sb.toString();
    }

    /** DEFAULT NULL (a no-op default: no rewrite on any version). */
    private boolean defaultIsNull() {
        int d = indexOf("default");
        return d >= 0 && w(d + 1).equals("null");
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
                    && !STABLE_DEFAULTS.contains(tok.text()) && !isTypeWord(tok.text()) && !afterAs(i)) {
                return true;
            }
        }
        return false;
    }

    /** The word is a type in {@code CAST(x AS type(...))}. */
    private boolean afterAs(int i) {
        return i > 0 && t.get(i - 1).is("as");
    }

    private static boolean isTypeWord(String word) {
        return Set.of("varchar", "numeric", "decimal", "char", "character", "timestamp", "time", "interval", "bit").contains(word);
    }

    private void update() {
        StringBuilder table = new StringBuilder();
        name(1, table);
        int set = indexOf("set");
        if (set >= 0) assignments(set);
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

    /** INSERT ... ON CONFLICT DO UPDATE SET, MERGE's UPDATE SET and INSERT (columns): a column assigned twice. */
    private void upsertAssignments() {
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).is("update") && t.get(i + 1).is("set")) assignments(i + 1);
            if (t.get(i).is("insert") && t.get(i + 1).isSymbol("(")) duplicates(columnList(i + 1));
        }
    }

    /** The SET list starting after token {@code set}: a column assigned twice (whole, or whole and in part). */
    private void assignments(int set) {
        {
            List<Token> rest = new ArrayList<>();
            int depth = 0;
            for (int i = set + 1; i < t.size(); i++) {
                Token tok = t.get(i);
                if (tok.isSymbol("(")) depth++;
                if (tok.isSymbol(")")) depth--;
                if (depth == 0 && (tok.is("from") || tok.is("where") || tok.is("returning") || tok.is("when"))) break;
                rest.add(tok);
            }
            List<String> whole = new ArrayList<>();
            List<String> partial = new ArrayList<>();
            for (List<Token> part : SqlLexer.topLevelParts(rest, 0)) {
                if (part.isEmpty()) continue;
                if (part.get(0).isSymbol("(")) {
                    for (int k = 1; k < part.size() && !part.get(k).isSymbol(")"); k++) {
                        if (part.get(k).kind() == Kind.WORD || part.get(k).kind() == Kind.QUOTED) whole.add(ident(part.get(k)));
                    }
                } else if (part.size() > 1 && (part.get(1).isSymbol(".") || part.get(1).isSymbol("["))) {
                    partial.add(ident(part.get(0)));
                } else {
                    whole.add(ident(part.get(0)));
                }
            }
            Set<String> seen = new HashSet<>();
            for (String c : whole) if (!seen.add(c)) found.add(Rule.DUPLICATE_COLUMN);
            for (String c : partial) if (seen.contains(c)) found.add(Rule.DUPLICATE_COLUMN);
        }
    }

    /** The plain names in a parenthesised list starting at {@code open} (a column list). */
    private List<String> columnList(int open) {
        List<String> names = new ArrayList<>();
        if (open < 0) return names;
        for (int i = open + 1; i < t.size() && !t.get(i).isSymbol(")"); i++) {
            Token tok = t.get(i);
            boolean partial = sym(i + 1, ".") || sym(i + 1, "[");
            if ((tok.kind() == Kind.WORD || tok.kind() == Kind.QUOTED) && (i == open + 1 || t.get(i - 1).isSymbol(","))) {
                names.add(partial ? "." + ident(tok) : ident(tok));
            }
        }
        return names;
    }

    private void duplicates(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) if (!n.startsWith(".") && !seen.add(n)) found.add(Rule.DUPLICATE_COLUMN);
    }

    /** A CREATE TABLE body's columns: their types are remembered, a name given twice is reported. */
    private void tableColumns(String table, int open) {
        List<List<Token>> elements = elements(open);
        Set<String> seen = new HashSet<>();
        for (List<Token> e : elements) {
            if (e.isEmpty()) continue;
            Token first = e.get(0);
            if (first.kind() == Kind.WORD && Set.of("constraint", "primary", "unique", "check", "foreign", "exclude", "like")
                    .contains(first.text())) continue;
            String column = ident(first);
            if (!seen.add(column)) found.add(Rule.DUPLICATE_COLUMN);
            ctx.session.columnTypes.put(table + "." + column, new StatementRules(e, ctx).typeText(1));
        }
    }

    private List<List<Token>> elements(int from) {
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
        return elements;
    }

    /** Column types of a CREATE TABLE body or a column definition, from token {@code from} on. */
    private void types(int from) {
        for (int i = Math.max(from, 1); i < t.size(); i++) {
            Token tok = t.get(i);
            Token before = t.get(i - 1);
            boolean typePosition = before.kind() == Kind.WORD || before.kind() == Kind.QUOTED;
            boolean word = tok.kind() == Kind.WORD || tok.kind() == Kind.QUOTED && QUOTED_TYPES.contains(tok.text());
            if (!word || !typePosition || before.isSymbol("::")) continue;
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

    /** In a CREATE TABLE body: a 32-bit column that is (or is in) the primary key, or a 32-bit serial or identity column. */
    private void intPrimaryKeys(int from) {
        List<List<Token>> elements = elements(from);
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
            if (small && (el.contains("primary", "key") && !el.w(0).equals("primary") || keyColumns.contains(e.get(0).text()))
                    || el.smallSequence(0)) {
                found.add(Rule.INT_PRIMARY_KEY);
            }
        }
    }

    private boolean smallIntegerPrimaryKey(int i) {
        return i + 1 < t.size() && SMALL_INTEGERS.contains(w(i + 1)) && contains("primary", "key");
    }

    /** The column defined at {@code i} draws from a sequence that runs out at 32 bits: serial, or an int identity. */
    private boolean smallSequence(int i) {
        if (i + 1 >= t.size()) return false;
        Token type = t.get(i + 1);
        if (type.kind() == Kind.WORD && SMALL_SERIALS.contains(type.text())) return true;
        boolean smallInt = type.kind() == Kind.WORD && SMALL_INTEGER_TYPES.contains(type.text())
                || type.kind() == Kind.QUOTED && (type.text().equals("int4") || type.text().equals("int2"));
        return smallInt && contains("generated") && contains("identity");
    }

    private int indexOf(String word) {
        for (int i = 0; i < t.size(); i++) if (t.get(i).is(word)) return i;
        return -1;
    }

    private void concurrently() {
        if (ctx.inTransaction) found.add(Rule.CONCURRENT_IN_TRANSACTION);
    }

    /** A statement that fails when run again, in a script of several run statement by statement (autocommit). */
    private void notRetryable() {
        if (!ctx.inTransaction && ctx.effectfulStatements >= 2) found.add(Rule.NOT_RETRYABLE);
    }

    /** The statement takes ACCESS EXCLUSIVE (or SHARE) on an existing table: it needs a lock timeout. */
    private void exclusive() {
        if (!ctx.lockTimeout && ctx.reportedOnce.add(Rule.LOCK_TIMEOUT_MISSING)) found.add(Rule.LOCK_TIMEOUT_MISSING);
    }

    private void statementOnExistingTable() {
        if (!ctx.statementTimeout && ctx.reportedOnce.add(Rule.STATEMENT_TIMEOUT_MISSING)) found.add(Rule.STATEMENT_TIMEOUT_MISSING);
    }
}
