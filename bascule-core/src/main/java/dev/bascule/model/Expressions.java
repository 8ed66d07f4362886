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
