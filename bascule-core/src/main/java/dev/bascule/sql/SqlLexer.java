package dev.bascule.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens the way the PostgreSQL lexer does for what linting needs: words
 * (folded to lower case), quoted identifiers, string literals (plain, {@code E''} and dollar
 * quoted, whose contents never count as code), numbers, punctuation, and comments (kept, for
 * suppression comments). Every token knows its line. Plan uses it too, to tell what a statement
 * does to its table.
 */
public final class SqlLexer {
    public enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, COMMENT }

    /** @param start where the token starts in the script, {@code end} where it ends */
    public record Token(Kind kind, String text, int line, int start, int end) {
        public boolean is(String word) {
            return kind == Kind.WORD && text.equals(word);
        }

        public boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    private SqlLexer() {}

    /** Tokens of {@code sql} as {@code dialect} reads it: MySQL quotes and comments differ (see {@link MySqlLexer}). */
    public static List<Token> tokens(String sql, int firstLine, SqlSyntax dialect) {
        return dialect == SqlSyntax.MYSQL ? MySqlLexer.tokens(sql, firstLine) : tokens(sql, firstLine);
    }

    /** Tokens of PostgreSQL {@code sql}. */
    public static List<Token> tokens(String sql, int firstLine) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int line = firstLine;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int start = i;
            int startLine = line;
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') i++;
                tokens.add(new Token(Kind.COMMENT, sql.substring(start + 2, i).trim(), startLine, start, i));
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", i)) { depth++; i += 2; }
                    else if (sql.startsWith("*/", i)) { depth--; i += 2; }
                    else { if (sql.charAt(i) == '\n') line++; i++; }
                } while (i < n && depth > 0);
                tokens.add(new Token(Kind.COMMENT, sql.substring(start + 2, Math.max(start + 2, i - 2)).trim(), startLine, start, i));
            } else if (c == '\'' || ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
                boolean escapes = c != '\'';
                i = escapes ? i + 2 : i + 1;
                while (i < n) {
                    char d = sql.charAt(i);
                    if (d == '\n') line++;
                    if (escapes && d == '\\') { i += 2; continue; }
                    if (d == '\'') {
                        if (i + 1 < n && sql.charAt(i + 1) == '\'') { i += 2; continue; }
                        i++;
                        break;
                    }
                    i++;
                }
                i = Math.min(i, n);
                tokens.add(new Token(Kind.STRING, sql.substring(start, i), startLine, start, i));
            } else if (c == '"') {
                i++;
                StringBuilder name = new StringBuilder();
                while (i < n) {
                    if (sql.charAt(i) == '"') {
                        if (i + 1 < n && sql.charAt(i + 1) == '"') { name.append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (sql.charAt(i) == '\n') line++;
                    name.append(sql.charAt(i++));
                }
                tokens.add(new Token(Kind.QUOTED, name.toString(), startLine, start, i));
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                end = end < 0 ? n : end + tag.length();
                for (int k = i; k < end; k++) if (sql.charAt(k) == '\n') line++;
                i = end;
                tokens.add(new Token(Kind.STRING, sql.substring(start, end), startLine, start, i));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) i++;
                tokens.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(Locale.ROOT), startLine, start, i));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) i++;
                tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), startLine, start, i));
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                i += 2;
                tokens.add(new Token(Kind.SYMBOL, "::", startLine, start, i));
            } else {
                i++;
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), startLine, start, i));
            }
        }
        return tokens;
    }

    /** {@code $tag$} starting at {@code i}, or null when the dollar sign starts no dollar quote ({@code $1}). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) j++;
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }

    /** The tokens from {@code from} on, split at commas outside parentheses (an ALTER TABLE's actions, say). */
    public static List<List<Token>> topLevelParts(List<Token> tokens, int from) {
        List<List<Token>> parts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            Token tok = tokens.get(i);
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            if (depth == 0 && tok.isSymbol(",")) {
                parts.add(current);
                current = new ArrayList<>();
            } else {
                current.add(tok);
            }
        }
        parts.add(current);
        return parts;
    }

    /**
     * Whether {@code words} occur one after the other (keywords as the lexer folded them), anywhere in the tokens:
     * the question the linter's rules and the plan's statement reader both ask of DDL.
     */
    public static boolean containsWords(List<Token> tokens, String... words) {
        outer:
        for (int i = 0; i + words.length <= tokens.size(); i++) {
            for (int k = 0; k < words.length; k++) {
                if (!tokens.get(i + k).is(words[k])) continue outer;
            }
            return true;
        }
        return false;
    }
}
