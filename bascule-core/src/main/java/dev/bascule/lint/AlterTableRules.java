package dev.bascule.lint;

import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.List;
import java.util.Set;

/**
 * ALTER TABLE, action by action: which actions lock or rewrite an existing table, which cannot be rerun, and what
 * they teach the rest of the run (column types, constraints added NOT VALID, NOT NULL proven by a validated CHECK).
 */
final class AlterTableRules {
    private final StatementFindings out;
    private final StatementRules.Context ctx;

    private AlterTableRules(StatementFindings out) {
        this.out = out;
        this.ctx = out.ctx;
    }

    /** ALTER [FOREIGN] TABLE with the table's name at {@code nameAt}. */
    static void check(Tokens t, int nameAt, StatementFindings out) {
        new AlterTableRules(out).alterTable(t, nameAt);
    }

    private void alterTable(Tokens t, int nameAt) {
        StringBuilder table = new StringBuilder();
        int i = t.name(nameAt, table);
        boolean created = ctx.createdTables.contains(table.toString());
        if (t.w(i).equals("rename") && (t.w(i + 1).equals("to"))) {
            if (!created) out.add(Rule.RENAME_TABLE);
            if (!created) out.exclusive();
            return;
        }
        boolean locks = false;
        for (List<Token> action : t.actions(i)) {
            locks |= alterAction(table.toString(), action, created);
        }
        if (!created && locks) {
            out.exclusive();
            out.statementOnExistingTable();
        }
    }

    /** @return whether the action takes a lock that needs a timeout (all but VALIDATE and DETACH ... CONCURRENTLY) */
    private boolean alterAction(String table, List<Token> a, boolean created) {
        Tokens sub = new Tokens(a);
        String verb = sub.w(0);
        int version = ctx.session.postgresqlVersion();
        int i = 1;
        boolean robust = ctx.inTransaction;
        if (verb.equals("validate")) {
            String name = a.size() > 2 ? Tokens.ident(a.get(2)) : "";
            Rule kind = ctx.notValidInTransaction.get(name);
            if (kind != null && ctx.inTransaction && !created) out.add(kind);
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
            if (sub.contains("concurrently")) { out.concurrently(); return false; }
            if (!sub.contains("finalize") && !created) out.add(Rule.DETACH_PARTITION_NOT_CONCURRENT);
            return true;
        }
        if (verb.equals("add")) {
            String constraintName = null;
            if (sub.w(i).equals("constraint")) { constraintName = i + 1 < a.size() ? Tokens.ident(a.get(i + 1)) : ""; i += 2; }
            String what = sub.w(i);
            boolean notValid = sub.contains("not", "valid");
            if (Set.of("foreign", "check", "unique", "primary", "exclude").contains(what)) {
                if (!robust && (constraintName == null || !ctx.droppedConstraints.remove(constraintName))) out.notRetryable();
            }
            if (what.equals("foreign")) {
                if (!created && !notValid) out.add(Rule.FOREIGN_KEY_NOT_VALID);
                if (notValid && constraintName != null) ctx.notValidInTransaction.put(constraintName, Rule.FOREIGN_KEY_NOT_VALID);
                return true;
            }
            if (what.equals("check")) {
                if (!created && !notValid) out.add(Rule.CHECK_NOT_VALID);
                if (notValid && constraintName != null) {
                    ctx.notValidInTransaction.put(constraintName, Rule.CHECK_NOT_VALID);
                    // CHECK (col IS NOT NULL): once validated, SET NOT NULL trusts it (PostgreSQL 12+)
                    int p = i + 1;
                    if (sub.sym(p, "(") && a.size() > p + 5 && sub.w(p + 2).equals("is") && sub.w(p + 3).equals("not")
                            && sub.w(p + 4).equals("null") && sub.sym(p + 5, ")")) {
                        ctx.session.notNullChecks.put(constraintName, table + "." + Tokens.ident(a.get(p + 1)));
                    }
                }
                return true;
            }
            if (what.equals("unique") || what.equals("primary") || what.equals("exclude")) {
                if (!created && !sub.contains("using", "index")) out.add(Rule.UNIQUE_CONSTRAINT);
                return true;
            }
            if (what.equals("column")) i++;
            boolean ifNotExists = sub.w(i).equals("if");
            if (ifNotExists) i += 3;
            if (!ifNotExists && !robust) out.notRetryable();
            // a column definition
            if (i < a.size()) ctx.session.columnTypes.put(table + "." + Tokens.ident(a.get(i)), ColumnTypeFacts.typeText(sub, i + 1));
            ColumnTypeFacts.types(sub, i, out);
            String type = sub.w(i + 1);
            if (ColumnTypeFacts.smallIntegerPrimaryKey(sub, i) || ColumnTypeFacts.smallSequence(sub, i)) out.add(Rule.INT_PRIMARY_KEY);
            if (created) return true;
            boolean hasDefault = sub.contains("default");
            boolean serial = ColumnTypeFacts.SERIALS.contains(type) && i + 1 < a.size() && a.get(i + 1).kind() == Kind.WORD;
            boolean generated = sub.contains("generated");
            if (sub.contains("not", "null") && !hasDefault && !generated && !serial) out.add(Rule.NOT_NULL_WITHOUT_DEFAULT);
            if (hasDefault && (ColumnTypeFacts.volatileDefault(sub) || version < 11 && !ColumnTypeFacts.defaultIsNull(sub))) {
                out.add(Rule.VOLATILE_DEFAULT);
            }
            if (serial || generated && (sub.contains("stored") || sub.contains("identity"))) out.add(Rule.VOLATILE_DEFAULT);
            if (sub.contains("references")) out.add(Rule.FOREIGN_KEY_NOT_VALID);
            if (sub.contains("check")) out.add(Rule.CHECK_NOT_VALID);
            if (sub.contains("unique") || sub.contains("primary", "key")) out.add(Rule.UNIQUE_CONSTRAINT);
        } else if (verb.equals("alter")) {
            int c = sub.w(1).equals("column") ? 2 : 1;
            String column = c < a.size() ? table + "." + Tokens.ident(a.get(c)) : "";
            if (sub.contains("set", "not", "null") && !created && !(version >= 12 && ctx.session.provenNotNull.contains(column))) {
                out.add(Rule.SET_NOT_NULL);
            }
            if (sub.contains("drop", "not", "null") && !created) out.add(Rule.DROP_NOT_NULL);
            int type = sub.w(c + 1).equals("type") ? c + 1
                    : sub.w(c + 1).equals("set") && sub.w(c + 2).equals("data") && sub.w(c + 3).equals("type") ? c + 3 : -1;
            if (type >= 0) {
                String newType = ColumnTypeFacts.typeText(sub, type + 1);
                String oldType = ctx.session.columnTypes.get(column);
                if (!created && !(oldType != null && ColumnTypeFacts.noRewrite(oldType, newType))) out.add(Rule.COLUMN_TYPE_CHANGE);
                ctx.session.columnTypes.put(column, newType);
                ColumnTypeFacts.types(sub, type, out);
            }
            if ((sub.w(c + 1).equals("set") || sub.w(c + 1).equals("reset"))
                    && (sub.w(c + 2).equals("statistics") || sub.sym(c + 2, "("))) return false;
        } else if (verb.equals("drop")) {
            boolean ifExists = sub.w(1).equals("if") || sub.w(2).equals("if");
            if (sub.w(1).equals("constraint")) {
                String name = a.size() > (ifExists ? 4 : 2) ? Tokens.ident(a.get(ifExists ? 4 : 2)) : "";
                if (ifExists) ctx.droppedConstraints.add(name);
                ctx.session.provenNotNull.remove(ctx.session.notNullChecks.remove(name));
            } else if (!created) {
                out.add(Rule.DROP_COLUMN);
            }
            if (!ifExists && !robust) out.notRetryable();
        } else if (verb.equals("rename") && !sub.w(1).equals("constraint")) {
            if (!created) out.add(Rule.RENAME_COLUMN);
        }
        return true;
    }
}
