package dev.bascule.plan;

import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading a statement's tokens by keyword: the small parser {@link StatementEffects} walks DDL with. */
final class StatementTokens {
    private StatementTokens() {}

    static boolean isName(Token t) {
        return t.kind() == Kind.WORD || t.kind() == Kind.QUOTED;
    }

    static String w(List<Token> t, int i) {
        return i < t.size() && t.get(i).kind() == Kind.WORD ? t.get(i).text() : "";
    }

    static String first(List<Token> t) {
        return t.isEmpty() ? "empty" : t.get(0).text().toUpperCase(java.util.Locale.ROOT);
    }

    static boolean has(List<Token> t, String... words) {
        return SqlLexer.containsWords(t, words);
    }

    static int indexOf(List<Token> t, String word) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).is(word)) return i;
        }
        return -1;
    }

    /** Where {@code word} is outside parentheses, or -1. */
    static int indexOfTop(List<Token> t, String word) {
        int depth = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).isSymbol("(")) depth++;
            if (t.get(i).isSymbol(")")) depth--;
            if (depth == 0 && t.get(i).is(word)) return i;
        }
        return -1;
    }

    static boolean topLevel(List<Token> t, String word) {
        return indexOfTop(t, word) >= 0;
    }

    /** The actions of an ALTER TABLE, split at top-level commas. */
    static List<List<Token>> split(List<Token> t) {
        List<List<Token>> parts = SqlLexer.topLevelParts(t, 0);
        if (parts.get(parts.size() - 1).isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    /** The statements of a script, comments left out, split at top-level semicolons. */
    static List<List<Token>> statements(String sql) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token t : SqlLexer.tokens(sql, 1)) {
            if (t.kind() == Kind.COMMENT) continue;
            if (t.isSymbol("(")) depth++;
            if (t.isSymbol(")")) depth--;
            if (t.isSymbol(";") && depth <= 0) {
                if (!current.isEmpty()) out.add(current);
                current = new ArrayList<>();
                depth = 0;
            } else {
                current.add(t);
            }
        }
        if (!current.isEmpty()) out.add(current);
        return out;
    }
}
