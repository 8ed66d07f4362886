package dev.bascule.lint;

import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One statement's tokens (comments removed) and the questions every PostgreSQL rule asks of them: the word at a
 * position, whether a run of words occurs, a name, an option list. Read-only: rules keep their findings elsewhere.
 */
final class Tokens {
    static final int MAX_IDENTIFIER_BYTES = 63;

    private final List<Token> t;

    Tokens(List<Token> tokens) {
        this.t = tokens;
    }

    int size() {
        return t.size();
    }

    Token get(int i) {
        return t.get(i);
    }

    List<Token> list() {
        return t;
    }

    /** The word at {@code i}, or "" when it is not a word or past the end (so callers need no bounds checks). */
    String w(int i) {
        return i < t.size() && t.get(i).kind() == Kind.WORD ? t.get(i).text() : "";
    }

    boolean contains(String... words) {
        return SqlLexer.containsWords(t, words);
    }

    /** The name starting at {@code i} (schema-qualified names give the last part), and where it ends. */
    int name(int i, StringBuilder out) {
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

    boolean sym(int i, String symbol) {
        return i < t.size() && t.get(i).isSymbol(symbol);
    }

    int indexOf(String word) {
        for (int i = 0; i < t.size(); i++) if (t.get(i).is(word)) return i;
        return -1;
    }

    /** An identifier as PostgreSQL stores it: unquoted words folded (the lexer did), truncated to 63 bytes. */
    static String ident(Token tok) {
        String s = tok.text();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_IDENTIFIER_BYTES) return s;
        int n = MAX_IDENTIFIER_BYTES;
        while (n > 0 && (b[n] & 0xC0) == 0x80) n--; // whole characters, as PostgreSQL truncates
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** A value of a boolean option in a parenthesised option list that turns it off: false, off, 0, 'false'. */
    private static boolean off(List<Token> value) {
        StringBuilder sb = new StringBuilder();
        for (Token v : value) sb.append(v.text());
        String s = sb.toString().toLowerCase(Locale.ROOT).replaceAll("^(u&|e)", "").replace("'", "");
        return s.equals("false") || s.equals("off") || s.equals("0") || s.equals("no");
    }

    /** The options of {@code VERB (option [value], ...)}, by name to whether they are on; empty without a list. */
    Map<String, Boolean> options() {
        Map<String, Boolean> options = new HashMap<>();
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
            options.put(option.get(0).text().toLowerCase(Locale.ROOT), !off(option.subList(1, option.size())));
        }
        return options;
    }

    /** The index of the token after a leading option list, or 1. */
    int afterOptions() {
        if (!sym(1, "(")) return 1;
        int depth = 0;
        for (int i = 1; i < t.size(); i++) {
            if (t.get(i).isSymbol("(")) depth++;
            if (t.get(i).isSymbol(")")) { depth--; if (depth == 0) return i + 1; }
        }
        return t.size();
    }

    /** The elements of the parenthesised list opening at or after {@code from} (a CREATE TABLE body), split at its commas. */
    List<List<Token>> elements(int from) {
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

    /** ALTER TABLE's (or ALTER TYPE's) actions, split at top-level commas. */
    List<List<Token>> actions(int from) {
        return SqlLexer.topLevelParts(t, from);
    }
}
