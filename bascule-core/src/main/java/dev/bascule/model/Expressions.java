package dev.bascule.model;

import java.util.Optional;

/**
 * Checks that a SQL expression of a migration file stays one expression. Expressions are pasted
 * into generated statements and trigger bodies; a {@code ;}, a comment or a dollar quote outside a
 * literal could end the expression there and start SQL of the file's choosing, so they are refused.
 * Quoted literals and identifiers are skipped as the server reads them (standard conforming strings).
 */
public final class Expressions {
    private Expressions() {}

    /** Why {@code sql} is not a single expression, or empty when it is. */
    public static Optional<String> problem(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                if (i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_')) {
                    return Optional.of("escape strings (E'...') are not allowed in an expression; use a plain '...' literal");
                }
                i = skipQuoted(sql, i, '\'');
                if (i < 0) return Optional.of("a string literal is not closed");
                continue;
            }
            if (c == '"') {
                i = skipQuoted(sql, i, '"');
                if (i < 0) return Optional.of("a quoted identifier is not closed");
                continue;
            }
            if (c == ';') return Optional.of("';' is not allowed in an expression; use a sql operation for statements");
            if (c == '$') return Optional.of("'$' (dollar quoting or parameters) is not allowed in an expression");
            if (c == '\\') return Optional.of("'\\' is not allowed outside a string literal");
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') return Optional.of("comments (--) are not allowed in an expression");
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') return Optional.of("comments (/* */) are not allowed in an expression");
            i++;
        }
        return Optional.empty();
    }

    /**
     * {@code sql} with every reference to column {@code from} replaced by {@code toQuoted} (an
     * identifier already quoted). A reference is a quoted identifier equal to {@code from}, or an
     * unquoted word that folds to it, that is neither qualified ({@code t.x}), a function name
     * ({@code x(}) nor a type after {@code ::}. Literals are left alone. Used on expressions the
     * server deparsed (index and check definitions) and on a migration's own expressions.
     */
    public static String renameColumn(String sql, String from, String toQuoted) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = sql.length();
        String previousWord = ""; // the word before this one, with only spaces between
        while (i < n) {
            char c = sql.charAt(i);
            if (!Character.isWhitespace(c) && !(Character.isLetter(c) || c == '_')) {
                previousWord = "";
            }
            if (c == '\'') {
                int end = skipQuoted(sql, i, '\'');
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '"') {
                int end = skipQuoted(sql, i, '"');
                end = end < 0 ? n : end;
                String name = sql.substring(i + 1, Math.max(i + 1, end - 1)).replace("\"\"", "\"");
                out.append(isReference(sql, i, end) && name.equals(from) ? toQuoted : sql.substring(i, end));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = wordEnd(sql, i);
                String word = sql.substring(i, end);
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                boolean partOfNumber = i > 0 && Character.isDigit(sql.charAt(i - 1));
                boolean keyword = KEYWORD_PAIRS.contains(previousWord + " " + lower);
                out.append(!partOfNumber && !keyword && isReference(sql, i, end) && lower.equals(from) ? toQuoted : word);
                previousWord = lower;
                i = end;
                continue;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Words that continue a type or an operator after the word before them: {@code time without
     * time zone}, {@code double precision}, {@code character varying}, {@code AT TIME ZONE}. A
     * column of that name right after such a word is the keyword, not the column.
     */
    private static final java.util.Set<String> KEYWORD_PAIRS = java.util.Set.of("time with", "time without",
            "timestamp with", "timestamp without", "with time", "without time", "time zone", "at time",
            "double precision", "character varying", "bit varying", "national character", "national char");

    private static int wordEnd(String sql, int start) {
        int end = start + 1;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_' || sql.charAt(end) == '$')) {
            end++;
        }
        return end;
    }

    private static boolean isReference(String sql, int start, int end) {
        int before = start - 1;
        while (before >= 0 && Character.isWhitespace(sql.charAt(before))) before--;
        if (before >= 0 && sql.charAt(before) == '.') return false;
        if (before >= 1 && sql.charAt(before) == ':' && sql.charAt(before - 1) == ':') return false;
        int after = end;
        while (after < sql.length() && Character.isWhitespace(sql.charAt(after))) after++;
        return after >= sql.length() || (sql.charAt(after) != '(' && sql.charAt(after) != '.');
    }

    /** Index after the closing quote, a doubled quote being part of the text; -1 when unclosed. */
    private static int skipQuoted(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return -1;
    }
}
