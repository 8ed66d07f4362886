package dev.bascule.lint;

import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A column named twice where PostgreSQL takes each once: in a SET list, an INSERT or view column list, a CREATE
 * TABLE body. Names are compared as PostgreSQL stores them (truncated to 63 bytes), so two long names can collide.
 */
final class DuplicateColumnRules {
    private DuplicateColumnRules() {
    }

    /** INSERT ... ON CONFLICT DO UPDATE SET, MERGE's UPDATE SET and INSERT (columns): a column assigned twice. */
    static void upsertAssignments(Tokens t, StatementFindings out) {
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).is("update") && t.get(i + 1).is("set")) assignments(t, i + 1, out);
            if (t.get(i).is("insert") && t.get(i + 1).isSymbol("(")) duplicates(columnList(t, i + 1), out);
        }
    }

    /** The SET list starting after token {@code set}: a column assigned twice (whole, or whole and in part). */
    static void assignments(Tokens t, int set, StatementFindings out) {
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
                    if (part.get(k).kind() == Kind.WORD || part.get(k).kind() == Kind.QUOTED) whole.add(Tokens.ident(part.get(k)));
                }
            } else if (part.size() > 1 && (part.get(1).isSymbol(".") || part.get(1).isSymbol("["))) {
                partial.add(Tokens.ident(part.get(0)));
            } else {
                whole.add(Tokens.ident(part.get(0)));
            }
        }
        Set<String> seen = new HashSet<>();
        for (String c : whole) if (!seen.add(c)) out.add(Rule.DUPLICATE_COLUMN);
        for (String c : partial) if (seen.contains(c)) out.add(Rule.DUPLICATE_COLUMN);
    }

    /** The column list opening at {@code open} (INSERT INTO t (...), CREATE VIEW v (...)): a name given twice. */
    static void columnListDuplicates(Tokens t, int open, StatementFindings out) {
        duplicates(columnList(t, open), out);
    }

    /** The plain names in a parenthesised list starting at {@code open}; a part (a.b, a[1]) is marked by a leading dot. */
    private static List<String> columnList(Tokens t, int open) {
        List<String> names = new ArrayList<>();
        if (open < 0) return names;
        for (int i = open + 1; i < t.size() && !t.get(i).isSymbol(")"); i++) {
            Token tok = t.get(i);
            boolean partial = t.sym(i + 1, ".") || t.sym(i + 1, "[");
            if ((tok.kind() == Kind.WORD || tok.kind() == Kind.QUOTED) && (i == open + 1 || t.get(i - 1).isSymbol(","))) {
                names.add(partial ? "." + Tokens.ident(tok) : Tokens.ident(tok));
            }
        }
        return names;
    }

    private static void duplicates(List<String> names, StatementFindings out) {
        Set<String> seen = new HashSet<>();
        for (String n : names) if (!n.startsWith(".") && !seen.add(n)) out.add(Rule.DUPLICATE_COLUMN);
    }

    /** A CREATE TABLE body's columns: their types are remembered (for later type changes), a name given twice is reported. */
    static void tableColumns(Tokens t, String table, int open, StatementFindings out) {
        Set<String> seen = new HashSet<>();
        for (List<Token> e : t.elements(open)) {
            if (e.isEmpty()) continue;
            Token first = e.get(0);
            if (first.kind() == Kind.WORD && Set.of("constraint", "primary", "unique", "check", "foreign", "exclude", "like")
                    .contains(first.text())) continue;
            String column = Tokens.ident(first);
            if (!seen.add(column)) out.add(Rule.DUPLICATE_COLUMN);
            out.ctx.session.columnTypes.put(table + "." + column, ColumnTypeFacts.typeText(new Tokens(e), 1));
        }
    }
}
