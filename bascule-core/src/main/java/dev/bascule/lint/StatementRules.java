package dev.bascule.lint;

import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

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

    private final Tokens t;
    private final StatementFindings out;
    private final Context ctx;

    private StatementRules(List<Token> tokens, Context ctx) {
        this.t = new Tokens(tokens);
        this.out = new StatementFindings(ctx);
        this.ctx = ctx;
    }

    /**
     * Dispatches on the statement's verb; ALTER TABLE ({@link AlterTableRules}), column types
     * ({@link ColumnTypeFacts}) and columns named twice ({@link DuplicateColumnRules}) have their own classes.
     *
     * @param tokens the statement without comments
     */
    static Set<Rule> check(List<Token> tokens, Context ctx) {
        StatementRules r = new StatementRules(tokens, ctx);
        if (!tokens.isEmpty()) {
            r.check();
        }
        return r.out.found;
    }

    private void check() {
        identifierLengths();
        String first = t.w(0);
        switch (first) {
            case "begin", "start" -> {
                if (first.equals("start") && !t.w(1).equals("transaction")) break;
                if (ctx.inTransaction) out.add(Rule.NESTED_TRANSACTION);
                else ctx.notValidInTransaction.clear();
                ctx.inTransaction = true;
                ctx.explicitBegin = true;
            }
            case "commit", "end", "abort" -> {
                if (!t.w(1).equals("prepared")) ctx.transactionEnds();
            }
            case "rollback" -> {
                if (!t.contains("to") && !t.w(1).equals("prepared")) ctx.transactionEnds(); // not ROLLBACK TO SAVEPOINT
            }
            case "set" -> set();
            case "create" -> create();
            case "drop" -> drop();
            case "alter" -> {
                switch (t.w(1)) {
                    case "table" -> AlterTableRules.check(t, 2, out);
                    case "foreign" -> {
                        if (t.w(2).equals("table")) AlterTableRules.check(t, 3, out);
                    }
                    case "domain" -> alterDomain();
                    case "type" -> alterType();
                    case "schema", "view", "sequence", "function", "procedure", "materialized" -> {
                        if (t.contains("rename") && !t.contains("rename", "constraint")) out.add(Rule.RENAME_OBJECT);
                    }
                    default -> { }
                }
            }
            case "reindex" -> reindex();
            case "vacuum" -> {
                if (vacuumFull()) { out.add(Rule.VACUUM_FULL); out.exclusive(); }
            }
            case "cluster" -> { out.add(Rule.CLUSTER); out.exclusive(); }
            case "truncate" -> {
                if (t.contains("cascade")) out.add(Rule.TRUNCATE_CASCADE);
                out.exclusive();
            }
            case "update" -> update();
            case "lock" -> {
                // LOCK [TABLE] t [IN mode MODE]: ACCESS EXCLUSIVE unless a mode says less; the modes that block writes queue them
                int in = t.indexOf("in");
                String mode = in < 0 ? "access exclusive" : String.join(" ", t.list().subList(in + 1, Math.max(in + 1, t.size() - 1))
                        .stream().map(Token::text).toList());
                if (Set.of("access exclusive", "exclusive", "share row exclusive", "share").contains(mode)) out.exclusive();
            }
            case "refresh" -> {
                if (!t.contains("concurrently")) out.exclusive(); // REFRESH MATERIALIZED VIEW blocks reads of the view while it runs
            }
            case "insert" -> {
                if (t.w(1).equals("into")) {
                    int after = t.name(2, new StringBuilder());
                    if (t.w(after).equals("as")) after += 2;
                    if (t.sym(after, "(")) DuplicateColumnRules.columnListDuplicates(t, after, out);
                }
                DuplicateColumnRules.upsertAssignments(t, out);
            }
            case "merge" -> DuplicateColumnRules.upsertAssignments(t, out);
            default -> { }
        }
    }

    /** SET lock_timeout / statement_timeout (SESSION or LOCAL); {@code SET foo.lock_timeout} is another setting. */
    private void set() {
        int i = 1;
        if (t.w(i).equals("session") || t.w(i).equals("local")) i++;
        if (t.sym(i + 1, ".")) return;
        if (t.w(i).equals("lock_timeout")) ctx.lockTimeout = true;
        if (t.w(i).equals("statement_timeout")) ctx.statementTimeout = true;
    }

    private void reindex() {
        int i = t.afterOptions();
        String what = t.w(i);
        if (what.equals("system")) return; // system catalogs cannot be reindexed concurrently
        boolean concurrent = Boolean.TRUE.equals(t.options().get("concurrently")) || t.w(i + 1).equals("concurrently");
        if (concurrent) {
            out.concurrently();
        } else {
            out.add(Rule.REINDEX_NOT_CONCURRENT);
            out.exclusive();
        }
    }

    private boolean vacuumFull() {
        Boolean option = t.options().get("full");
        if (option != null) return option;
        return t.w(1).equals("full");
    }

    /** Every identifier longer than 63 bytes: PostgreSQL truncates it silently, and two long names may become one. */
    private void identifierLengths() {
        for (Token tok : t.list()) {
            if ((tok.kind() == Kind.WORD || tok.kind() == Kind.QUOTED)
                    && tok.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Tokens.MAX_IDENTIFIER_BYTES) {
                out.add(Rule.IDENTIFIER_TOO_LONG);
                return;
            }
        }
    }

    private void create() {
        int i = 1;
        if (t.w(i).equals("or") && t.w(i + 1).equals("replace")) i += 2;
        if (t.w(i).equals("unique")) i++;
        if (t.w(i).equals("index")) {
            boolean concurrent = t.w(i + 1).equals("concurrently");
            int on = t.indexOf("on");
            StringBuilder table = new StringBuilder();
            if (on >= 0) t.name(on + 1, table);
            if (concurrent) {
                out.concurrently();
            } else if (!ctx.createdTables.contains(table.toString())) {
                out.add(Rule.INDEX_NOT_CONCURRENT);
                out.exclusive();
            }
            int n = concurrent ? i + 2 : i + 1;
            boolean named = !t.w(n).equals("on") && !t.w(n).equals("if");
            // CREATE INDEX CONCURRENTLY that fails leaves an invalid index of its name behind: even alone it cannot be rerun
            if (named && concurrent) out.add(Rule.NOT_RETRYABLE);
            else if (named && !ctx.inTransaction) out.notRetryable();
            return;
        }
        if (t.w(i).equals("domain")) {
            if (t.contains("check") || t.contains("not", "null") || t.contains("constraint")) out.add(Rule.CREATE_DOMAIN_CONSTRAINT);
            return;
        }
        boolean temporary = false;
        while (Set.of("temp", "temporary", "unlogged", "global", "local", "foreign", "recursive", "materialized").contains(t.w(i))) {
            temporary |= t.w(i).startsWith("temp");
            i++;
        }
        if (t.w(i).equals("table")) {
            boolean ifNotExists = t.w(i + 1).equals("if");
            StringBuilder table = new StringBuilder();
            int after = t.name(i + 1, table);
            ctx.createdTables.add(table.toString());
            ColumnTypeFacts.types(t, after, out);
            ColumnTypeFacts.intPrimaryKeys(t, after, out);
            if (t.sym(after, "(")) DuplicateColumnRules.tableColumns(t, table.toString(), after, out);
            if (!ifNotExists && !(temporary && t.contains("on", "commit", "drop")) && !ctx.inTransaction) out.notRetryable();
        } else if (t.w(i).equals("view")) {
            StringBuilder view = new StringBuilder();
            int after = t.name(i + 1, view);
            if (t.sym(after, "(")) DuplicateColumnRules.columnListDuplicates(t, after, out);
        }
    }

    private void drop() {
        boolean ifExists = t.w(2).equals("if") || t.w(3).equals("if");
        switch (t.w(1)) {
            case "index" -> {
                boolean concurrent = t.w(2).equals("concurrently");
                if (concurrent) out.concurrently();
                else { out.add(Rule.DROP_INDEX_NOT_CONCURRENT); out.exclusive(); }
                if (!ifExists && (concurrent || !ctx.inTransaction)) out.notRetryable();
            }
            case "table" -> {
                StringBuilder table = new StringBuilder();
                t.name(2, table);
                if (!ctx.createdTables.contains(table.toString())) { out.add(Rule.DROP_TABLE); out.exclusive(); }
                if (!ifExists && !ctx.inTransaction) out.notRetryable();
            }
            case "type" -> {
                if (!ifExists && !ctx.inTransaction) out.notRetryable();
            }
            case "database" -> out.add(Rule.DROP_DATABASE);
            case "view", "materialized" -> out.exclusive();
            default -> { }
        }
    }

    private void alterDomain() {
        StringBuilder domain = new StringBuilder();
        int i = t.name(2, domain);
        if (t.w(i).equals("add") && !t.contains("not", "valid")) out.add(Rule.ALTER_DOMAIN_CONSTRAINT);
        else if (t.w(i).equals("set") && t.w(i + 1).equals("not") && t.w(i + 2).equals("null")) out.add(Rule.ALTER_DOMAIN_CONSTRAINT);
        else if (t.w(i).equals("drop") && t.w(i + 1).equals("not") && t.w(i + 2).equals("null")) out.add(Rule.DROP_NOT_NULL);
        else if (t.w(i).equals("rename") && !t.w(i + 1).equals("constraint")) out.add(Rule.RENAME_OBJECT);
    }

    private void alterType() {
        StringBuilder type = new StringBuilder();
        int i = t.name(2, type);
        if (t.w(i).equals("rename")) {
            out.add(Rule.RENAME_OBJECT);
        } else if (t.w(i).equals("add") && t.w(i + 1).equals("value") && !t.contains("before") && !t.contains("after")) {
            out.add(Rule.ENUM_VALUE_ORDER);
        } else {
            for (List<Token> action : t.actions(i)) {
                // a composite type's attributes are the columns of the rows that use it
                if (action.size() > 1 && action.get(0).is("drop") && action.get(1).is("attribute")) out.add(Rule.DROP_COLUMN);
            }
        }
    }

    private void update() {
        StringBuilder table = new StringBuilder();
        t.name(1, table);
        int set = t.indexOf("set");
        if (set >= 0) DuplicateColumnRules.assignments(t, set, out);
        if (ctx.createdTables.contains(table.toString())) return;
        int depth = 0;
        for (Token tok : t.list()) {
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            if (depth == 0 && tok.is("where")) {
                out.statementOnExistingTable();
                return;
            }
        }
        out.add(Rule.UNBATCHED_UPDATE);
        out.statementOnExistingTable();
    }
}
