package dev.bascule.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.lint.Finding;
import dev.bascule.lint.Linter;
import dev.bascule.model.MigrationReader;
import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;
import dev.bascule.sql.SqlSyntax;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a plain PostgreSQL Flyway migration ({@code V2__add_email.sql}) into a Bascule migration file: each
 * statement an operation fits becomes that operation (tables, columns, indexes, foreign keys, checks), the
 * rest stays as it was in {@code sql} operations, each preceded by what {@code bascule lint} finds in it.
 *
 * <p>Statements are read with the lint lexer ({@link SqlLexer}): a statement the converter does not fully
 * understand, or one whose meaning an operation would change ({@code IF EXISTS}, {@code CASCADE},
 * schema-qualified names, expression indexes), is kept as SQL rather than guessed at. Unquoted names are
 * folded to lower case as PostgreSQL folds them; quoted ones keep their case.
 */
public final class FlywayConverter {
    private static final Pattern MIGRATION_NAME = Pattern.compile("[^A-Za-z0-9_]");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    /** One converted file: the migration name, the YAML, and how many statements became operations or stayed SQL. */
    public record Result(String name, String yaml, int operations, int sqlSteps) {}

    private FlywayConverter() {}

    /** The migration name a Flyway file name gives: the name without {@code .sql}, other characters as {@code _}. */
    public static String migrationName(String fileName) {
        String base = fileName.replaceFirst("(?i)\\.sql$", "");
        String name = MIGRATION_NAME.matcher(base).replaceAll("_");
        return name.length() > 40 ? name.substring(0, 40) : name;
    }

    /**
     * Converts one script read from {@code fileName}: PostgreSQL, or MySQL/MariaDB when its text shows it
     * (backticks, {@code ENGINE=}, MySQL-only types: {@link SqlSyntax#infer}).
     */
    public static Result convert(String fileName, String sql) {
        SqlSyntax syntax = SqlSyntax.infer(sql).orElse(SqlSyntax.POSTGRESQL);
        List<Finding> findings = Linter.script(fileName, sql, 1, true, syntax);
        List<Token> tokens = SqlLexer.tokens(sql, 1, syntax);
        boolean mysql = syntax == SqlSyntax.MYSQL;
        List<Entry> entries = new ArrayList<>();
        List<Token> statement = new ArrayList<>();
        int depth = 0;
        for (Token tok : tokens) {
            if (tok.kind() == Kind.COMMENT) continue;
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            if (tok.isSymbol(";") && depth <= 0) {
                statement(sql, statement, findings, entries, mysql);
                statement = new ArrayList<>();
                depth = 0;
            } else {
                statement.add(tok);
            }
        }
        statement(sql, statement, findings, entries, mysql);
        String name = migrationName(fileName);
        StringBuilder out = new StringBuilder();
        long ops = entries.stream().filter(e -> !e.sql).count();
        long sqlSteps = entries.size() - ops;
        out.append("# converted by bascule convert from ").append(fileName.replaceAll("[\r\n]", " ")).append(": ")
                .append(ops).append(" operation(s), ").append(sqlSteps).append(" statement(s) kept as sql\n");
        out.append("name: ").append(name).append('\n');
        out.append("operations:\n");
        if (entries.isEmpty()) {
            // a migration has at least one operation: an empty script keeps a no-op
            entries.add(new Entry(Map.of("sql", Map.of("up", "SELECT 1")), true, List.of("the script had no statement")));
        }
        for (Entry e : entries) {
            for (String c : e.comments) {
                out.append("  # ").append(c.replaceAll("[\r\n]+", " ")).append('\n');
            }
            out.append(trimmed(write(List.of(e.op)))); // a list written with indented indicators: "  - op"
        }
        String yaml = out.toString();
        try {
            MigrationReader.read(name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidMigrationException e) {
            // statements that are valid alone but not together (two indexes of one name): all of it kept as written
            if (ops > 0) return asWritten(fileName, sql, e.getMessage());
            throw e;
        }
        return new Result(name, yaml, (int) ops, (int) sqlSteps);
    }

    /** The script as one sql operation, with the reason the operations did not make a valid migration. */
    private static Result asWritten(String fileName, String sql, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("up", sql.strip());
        String name = migrationName(fileName);
        String yaml = "# converted by bascule convert from " + fileName.replaceAll("[\r\n]", " ") + ": kept as sql whole, since"
                + " the operations it would give do not make a valid migration: " + reason.replaceAll("[\r\n]+", " ") + "\n"
                + "name: " + name + "\n" + document(List.of(Map.of("sql", body)));
        return new Result(name, yaml, 0, 1);
    }

    private record Entry(Map<String, Object> op, boolean sql, List<String> comments) {}

    private static void statement(String sql, List<Token> st, List<Finding> findings, List<Entry> entries, boolean mysql) {
        if (st.isEmpty()) return;
        int first = st.get(0).line();
        int last = st.get(st.size() - 1).line();
        List<Map<String, Object>> ops;
        try {
            ops = new StatementConverter(sql, st, mysql).operations();
            readable(ops);
        } catch (TokenCursor.NotConvertible | InvalidMigrationException e) {
            ops = null; // not understood, or not a valid operation (a type or expression cut short): kept as written
        }
        if (ops != null) {
            for (Map<String, Object> op : ops) {
                if (!mergeAlter(entries, op)) entries.add(new Entry(op, false, List.of()));
            }
            return;
        }
        List<String> comments = new ArrayList<>();
        for (Finding f : findings) {
            if (f.line() >= first && f.line() <= last) {
                comments.add("lint " + f.rule().id() + " (" + f.severity().name().toLowerCase(Locale.ROOT) + "): " + f.message());
            }
        }
        if (comments.isEmpty()) comments.add("kept as sql: no Bascule operation fits this statement");
        String text = sql.substring(st.get(0).start(), st.get(st.size() - 1).end());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("up", text);
        entries.add(new Entry(Map.of("sql", body), true, comments));
    }

    /** What the reader refuses (a name too long, an expression with a quote left open) is not written as an operation. */
    private static void readable(List<Map<String, Object>> ops) {
        MigrationReader.read("statement.yaml", document(ops).getBytes(StandardCharsets.UTF_8));
    }

    private static String document(List<?> ops) {
        return "operations:\n" + write(ops);
    }

    /** Two alterations of one column (type, then NOT NULL) become one alter_column: Bascule alters a column once per migration. */
    @SuppressWarnings("unchecked")
    private static boolean mergeAlter(List<Entry> entries, Map<String, Object> op) {
        if (!op.containsKey("alter_column")) return false;
        Map<String, Object> alter = (Map<String, Object>) op.get("alter_column");
        for (Entry e : entries) {
            if (e.sql || !e.op.containsKey("alter_column")) continue;
            Map<String, Object> earlier = (Map<String, Object>) e.op.get("alter_column");
            if (earlier.get("table").equals(alter.get("table")) && earlier.get("column").equals(alter.get("column"))) {
                for (var field : alter.entrySet()) {
                    if (!field.getKey().equals("table") && !field.getKey().equals("column") && earlier.containsKey(field.getKey())) {
                        return false;
                    }
                }
                alter.forEach(earlier::putIfAbsent);
                return true;
            }
        }
        return false;
    }

    private static String write(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String trimmed(String yaml) {
        String s = yaml.endsWith("\n") ? yaml : yaml + "\n";
        while (s.endsWith("\n\n")) s = s.substring(0, s.length() - 1);
        return s;
    }
}
