package dev.bascule.sql;

import dev.bascule.sql.SqlLexer.Token;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SQL a script is written in: how lint reads it (quoting, comments) and which rules apply.
 * MYSQL covers MariaDB too: the two read SQL alike, and where their DDL differs the rules say so.
 */
public enum SqlSyntax {
    POSTGRESQL, MYSQL;

    private static final Set<String> POSTGRESQL_WORDS = Set.of("concurrently", "jsonb", "bigserial", "smallserial",
            "timestamptz", "ilike", "lock_timeout", "statement_timeout", "plpgsql", "identity", "bytea");
    private static final Set<String> MYSQL_WORDS = Set.of("auto_increment", "unsigned", "tinyint", "mediumint", "longtext",
            "mediumtext", "tinytext", "innodb", "lock_wait_timeout", "foreign_key_checks", "utf8mb4", "utf8mb3", "zerofill");
    private static final Pattern DELIMITER_LINE = Pattern.compile("(?im)^[ \\t]*delimiter[ \\t]+\\S+[ \\t]*$");
    private static final Set<String> MYSQL_OPTIONS = Set.of("engine", "algorithm", "lock", "charset", "auto_increment");

    /** The dialect named on the command line: {@code mysql} (or {@code mariadb}) and {@code postgresql} (or {@code postgres}). */
    public static SqlSyntax parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mysql", "mariadb" -> MYSQL;
            case "postgresql", "postgres", "pg" -> POSTGRESQL;
            default -> throw new IllegalArgumentException("unknown dialect '" + name + "': mysql or postgresql");
        };
    }

    /** The dialect of a JDBC URL's server, when the URL names one Bascule knows. */
    public static Optional<SqlSyntax> ofJdbcUrl(String url) {
        if (url == null) return Optional.empty();
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) return Optional.of(MYSQL);
        if (u.startsWith("jdbc:postgresql:")) return Optional.of(POSTGRESQL);
        return Optional.empty();
    }

    /**
     * The dialect a script's own text shows, when only one dialect's marks are in it: backtick identifiers,
     * {@code ENGINE=}, {@code ALGORITHM=}, {@code #} comments, {@code DELIMITER} lines, MySQL-only types for
     * MySQL; dollar quotes, {@code ::} casts, {@code CONCURRENTLY}, PostgreSQL-only types and settings for
     * PostgreSQL. Read with the PostgreSQL lexer, where MySQL's marks show as stray symbols and words. Table
     * options ({@code ENGINE=}) count only outside parentheses in CREATE and ALTER, where a column of that
     * name ({@code SET engine = 'v8'}) cannot be.
     */
    public static Optional<SqlSyntax> infer(String sql) {
        if (DELIMITER_LINE.matcher(sql).find()) {
            return Optional.of(MYSQL); // a MySQL client command; what follows it would read as a PostgreSQL dollar quote
        }
        List<Token> t = SqlLexer.tokens(sql, 1);
        int mysql = 0;
        int postgresql = 0;
        int lastLine = 0;
        int depth = 0;
        boolean ddl = false;
        boolean statementStart = true;
        for (int i = 0; i < t.size(); i++) {
            Token tok = t.get(i);
            boolean firstOnLine = tok.line() != lastLine;
            lastLine = tok.line();
            if (tok.kind() == SqlLexer.Kind.COMMENT) continue;
            if (statementStart) ddl = tok.is("create") || tok.is("alter");
            statementStart = tok.isSymbol(";");
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            String next = i + 1 < t.size() ? t.get(i + 1).text() : "";
            switch (tok.kind()) {
                case SYMBOL -> {
                    if (tok.text().equals("`") || (tok.text().equals("#") && firstOnLine)) mysql++;
                    if (tok.text().equals("::")) postgresql++;
                }
                case STRING -> {
                    if (tok.text().startsWith("$") || tok.text().startsWith("E'") || tok.text().startsWith("e'")) postgresql++;
                }
                case WORD -> {
                    boolean tableOption = ddl && depth == 0 && MYSQL_OPTIONS.contains(tok.text()) && next.equals("=");
                    if (MYSQL_WORDS.contains(tok.text()) || tableOption) mysql++;
                    if (POSTGRESQL_WORDS.contains(tok.text()) || (tok.text().equals("not") && next.equals("valid"))) postgresql++;
                }
                default -> { }
            }
        }
        if (mysql > 0 && postgresql == 0) return Optional.of(MYSQL);
        if (postgresql > 0 && mysql == 0) return Optional.of(POSTGRESQL);
        return Optional.empty();
    }

    public String label() {
        return this == MYSQL ? "MySQL/MariaDB" : "PostgreSQL";
    }
}
