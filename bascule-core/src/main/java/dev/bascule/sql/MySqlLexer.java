package dev.bascule.sql;

import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits MySQL and MariaDB SQL into the same tokens as {@link SqlLexer}, with MySQL's quoting: backtick
 * identifiers, strings in single or double quotes with backslash escapes, {@code #} comments, {@code --}
 * comments (only when a space or control character follows, as MySQL requires: {@code 1--1} is
 * arithmetic), {@code /*! ... *}{@code /} version comments, which the server runs, read as code, and the
 * client's {@code DELIMITER} lines.
 *
 * <p>A statement ends at a {@code ;} SYMBOL token. After {@code DELIMITER $$}, the lexer emits {@code $$} as
 * that {@code ;} and drops the semicolons in between: they separate the statements of a routine or trigger
 * body, which lint treats as opaque, as it does a PostgreSQL function body.
 * Double quotes are strings, as in MySQL's default SQL mode (not ANSI_QUOTES).
 */
final class MySqlLexer {
    private final String sql;
    private final int n;
    private final List<Token> tokens = new ArrayList<>();
    private int i;
    private int line;
    private String delimiter = ";";
    private boolean inVersionComment;

    private MySqlLexer(String sql, int firstLine) {
        this.sql = sql;
        this.n = sql.length();
        this.line = firstLine;
    }

    static List<Token> tokens(String sql, int firstLine) {
        MySqlLexer lexer = new MySqlLexer(sql, firstLine);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (i < n) {
            char c = sql.charAt(i);
            int start = i;
            int startLine = line;
            if (atLineStart() && delimiterCommand()) {
                continue;
            }
            if (atDelimiter()) {
                i += delimiter.length();
                tokens.add(new Token(Kind.SYMBOL, ";", startLine, start, i));
            } else if (c == ';' && !delimiter.equals(";")) {
                i++; // inside a routine body
            } else if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '-' && sql.startsWith("--", i) && (i + 2 >= n || Character.isWhitespace(sql.charAt(i + 2))
                    || Character.isISOControl(sql.charAt(i + 2))))) { // MySQL: a space or a control character
                int from = c == '#' ? i + 1 : i + 2;
                while (i < n && sql.charAt(i) != '\n') i++;
                tokens.add(new Token(Kind.COMMENT, sql.substring(from, i).trim(), startLine, start, i));
            } else if (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i)) {
                i += sql.charAt(i + 2) == 'M' ? 4 : 3;
                while (i < n && Character.isDigit(sql.charAt(i))) i++;
                inVersionComment = true;
            } else if (inVersionComment && sql.startsWith("*/", i)) {
                i += 2;
                inVersionComment = false;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                countLines(i, end);
                i = end;
                tokens.add(new Token(Kind.COMMENT, sql.substring(start + 2, Math.max(start + 2, end - 2)).trim(), startLine, start, i));
            } else if (c == '\'' || c == '"') {
                i = quoted(c, true, null);
                tokens.add(new Token(Kind.STRING, sql.substring(start, i), startLine, start, i));
            } else if (c == '`') {
                StringBuilder name = new StringBuilder();
                i = quoted('`', false, name);
                tokens.add(new Token(Kind.QUOTED, name.toString(), startLine, start, i));
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$') && !atDelimiter()) i++;
                tokens.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(Locale.ROOT), startLine, start, i));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.') && !atDelimiter()) i++;
                tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), startLine, start, i));
            } else {
                i++;
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), startLine, start, i));
            }
        }
    }

    /** Past the closing quote; a doubled quote stands for itself, and in strings a backslash escapes the next character. */
    private int quoted(char quote, boolean backslash, StringBuilder content) {
        int j = i + 1;
        while (j < n) {
            char d = sql.charAt(j);
            if (d == '\n') line++;
            if (backslash && d == '\\' && j + 1 < n) {
                if (sql.charAt(j + 1) == '\n') line++;
                j += 2;
                continue;
            }
            if (d == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    if (content != null) content.append(quote);
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            if (content != null) content.append(d);
            j++;
        }
        return n;
    }

    /** At a DELIMITER other than {@code ;}: {@code END$$} ends a word and a statement. */
    private boolean atDelimiter() {
        return !delimiter.equals(";") && sql.startsWith(delimiter, i);
    }

    private boolean atLineStart() {
        for (int k = i - 1; k >= 0; k--) {
            char c = sql.charAt(k);
            if (c == '\n') return true;
            if (!Character.isWhitespace(c)) return false;
        }
        return true;
    }

    /** {@code DELIMITER $$}: a client command, not SQL; the rest of the word after it is the new delimiter. */
    private boolean delimiterCommand() {
        if (!sql.regionMatches(true, i, "delimiter", 0, 9) || i + 9 >= n || !Character.isWhitespace(sql.charAt(i + 9))
                || sql.charAt(i + 9) == '\n') {
            return false;
        }
        int j = i + 9;
        while (j < n && (sql.charAt(j) == ' ' || sql.charAt(j) == '\t')) j++;
        int from = j;
        while (j < n && !Character.isWhitespace(sql.charAt(j))) j++;
        if (j == from) return false;
        delimiter = sql.substring(from, j);
        while (j < n && sql.charAt(j) != '\n') j++;
        i = j;
        return true;
    }

    private void countLines(int from, int to) {
        for (int k = from; k < to; k++) if (sql.charAt(k) == '\n') line++;
    }
}
