package dev.bascule.model;

import dev.bascule.sql.SqlSyntax;
import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.List;
import java.util.Optional;

/**
 * Checks that a SQL expression of a migration file stays one expression. Expressions are pasted
 * into generated statements, backfill UPDATEs and trigger bodies; a {@code ;}, a comment, a quote
 * or parenthesis left open or closed early could end the expression there and start SQL of the
 * file's choosing, so the text is read the way the server's lexer reads it (see {@link SqlLexer})
 * and refused when it holds any of these.
 *
 * <p>A backslash is refused anywhere, inside literals too: whether {@code '\''} is one quote or a
 * closed literal followed by a quote depends on settings (PostgreSQL's standard_conforming_strings,
 * MariaDB's NO_BACKSLASH_ESCAPES) that the server, a database, a role or a session can change.
 * Bascule pins them on its own connections, but a PL/pgSQL trigger body is compiled in the
 * application's session, under the application's standard_conforming_strings: without backslashes
 * the text means the same under either setting, and the two dialects' lexers agree where literals
 * start and end. {@code chr(92)} (PostgreSQL) or {@code CHAR(92)} (MariaDB) writes one.
 */
public final class Expressions {
    private Expressions() {}

    /**
     * Why {@code sql} is not a single expression on any server, or empty when it is one on at least
     * one, checked before the dialect is known (by the file reader, to name the problem early). What
     * both dialects refuse ({@code ;}, comments, backslashes, parentheses closed early or left open,
     * quotes left open) is refused here; what only one refuses (MariaDB's {@code #}, a backtick on
     * PostgreSQL) is left to the planner, which checks every expression again with the server's
     * dialect ({@link #problem(String, SqlSyntax)}), those of a migration built through the Java API
     * included.
     */
    public static Optional<String> problem(String sql) {
        Optional<String> postgres = problem(sql, SqlSyntax.POSTGRESQL);
        return postgres.isPresent() && problem(sql, SqlSyntax.MYSQL).isPresent() ? postgres : Optional.empty();
    }

    /** Why {@code sql} is not a single expression when {@code dialect}'s server reads it, or empty when it is. */
    public static Optional<String> problem(String sql, SqlSyntax dialect) {
        boolean mysql = dialect == SqlSyntax.MYSQL;
        if (sql.indexOf('\\') >= 0) {
            return Optional.of("'\\' is not allowed in an expression, not even in a literal: its meaning depends on server"
                    + " settings (standard_conforming_strings, NO_BACKSLASH_ESCAPES); for a backslash write chr(92) on PostgreSQL"
                    + " or CHAR(92) on MariaDB");
        }
        List<Token> tokens = SqlLexer.tokens(sql, 1, dialect);
        StringBuilder code = new StringBuilder(); // the text outside literals, each literal as a blank
        int at = 0;
        for (Token t : tokens) {
            if (t.kind() != Kind.STRING && t.kind() != Kind.QUOTED) {
                continue;
            }
            String literal = sql.substring(t.start(), t.end());
            Optional<String> problem = literalProblem(literal, mysql);
            if (problem.isPresent()) {
                return problem;
            }
            code.append(sql, at, t.start()).append(' ');
            at = t.end();
        }
        code.append(sql, at, sql.length());
        return codeProblem(code.toString(), mysql);
    }

    private static Optional<String> literalProblem(String literal, boolean mysql) {
        char quote = literal.charAt(0);
        if (quote == '$') {
            return Optional.of("dollar quoting ($$...$$) is not allowed in an expression; use a plain '...' literal");
        }
        if (quote != '\'' && quote != '"' && quote != '`') {
            return Optional.of("escape strings (E'...') are not allowed in an expression; use a plain '...' literal");
        }
        if (!closed(literal, quote)) {
            return Optional.of(quote == '\'' || (mysql && quote == '"') ? "a string literal is not closed"
                    : "a quoted identifier is not closed");
        }
        return Optional.empty();
    }

    /** True when {@code literal} is one quoted literal ending at its last character (a doubled quote is part of the text). */
    private static boolean closed(String literal, char quote) {
        int i = 1;
        while (i < literal.length()) {
            if (literal.charAt(i) == quote) {
                if (i + 1 < literal.length() && literal.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i == literal.length() - 1;
            }
            i++;
        }
        return false;
    }

    /** What in the text outside literals would end the expression, or read differently on the server than here. */
    private static Optional<String> codeProblem(String code, boolean mysql) {
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            String next = i + 1 < code.length() ? code.substring(i, i + 2) : String.valueOf(c);
            if (c == ';') return Optional.of("';' is not allowed in an expression; use a sql operation for statements");
            if (next.equals("--")) return Optional.of("comments (--) are not allowed in an expression"
                    + (mysql ? "; write '- -' for minus a negative number" : ""));
            if (next.equals("/*") || next.equals("*/")) {
                return Optional.of("comments (/* */, /*! */) are not allowed in an expression");
            }
            if (mysql && c == '#') return Optional.of("'#' starts a comment on MariaDB and is not allowed in an expression");
            if (!mysql && c == '$') return Optional.of("'$' (dollar quoting or parameters) is not allowed in an expression");
            if (mysql && c == '?') return Optional.of("'?' is not allowed in an expression on MariaDB (a statement parameter)");
            if (c == '\'' || c == '"' || c == '`') {
                // a quote the lexer did not read as a literal (a backtick on PostgreSQL, say): refused
                // rather than guessed at
                return Optional.of("'" + c + "' is not allowed here in an expression");
            }
        }
        // Bascule writes the expression inside parentheses of its own: one closed early ends them
        int depth = 0;
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) == '(') depth++;
            if (code.charAt(i) == ')' && --depth < 0) {
                return Optional.of("')' closes a parenthesis the expression did not open; an expression is not allowed to"
                        + " leave its parentheses");
            }
        }
        return depth == 0 ? Optional.empty() : Optional.of("a parenthesis is not closed");
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
