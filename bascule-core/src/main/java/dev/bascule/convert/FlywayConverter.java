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
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern MIGRATION_NAME = Pattern.compile("[^A-Za-z0-9_]");
    /** Words of a MySQL column definition that no operation field holds. */
    private static final java.util.Set<String> MYSQL_COLUMN_EXTRAS = java.util.Set.of("after", "first", "comment", "on",
            "character", "charset", "invisible", "as", "generated", "zerofill", "storage", "column_format");
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
            ops = new Statement(sql, st, mysql).operations();
            readable(ops);
        } catch (NotConvertible | InvalidMigrationException e) {
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

    /** The statement is kept as SQL. */
    private static final class NotConvertible extends RuntimeException {
        NotConvertible() {
            super(null, null, false, false);
        }
    }

    /** A cursor over one statement's tokens. */
    private static final class Statement {
        private final String sql;
        private final List<Token> t;
        /** MySQL/MariaDB: backticks, MODIFY, CHANGE, ADD INDEX, RENAME TABLE, ENGINE=InnoDB. */
        private final boolean mysql;
        private int i;

        Statement(String sql, List<Token> tokens, boolean mysql) {
            this.sql = sql;
            this.t = tokens;
            this.mysql = mysql;
        }

        private Statement part(List<Token> tokens) {
            return new Statement(sql, tokens, mysql);
        }

        List<Map<String, Object>> operations() {
            if (mysql && accept("rename", "table")) {
                String from = name();
                expect("to");
                String to = name();
                end(); // several renames in one statement: kept as SQL
                return List.of(op("rename_table", "from", from, "to", to));
            }
            if (accept("create")) {
                if (accept("table")) return List.of(createTable());
                boolean unique = accept("unique");
                if (accept("index")) return List.of(createIndex(unique));
                throw fail();
            }
            if (accept("drop")) {
                if (accept("table")) {
                    String name = name();
                    end();
                    return List.of(op("drop_table", "name", name));
                }
                if (accept("index")) {
                    accept("concurrently");
                    String name = name();
                    if (mysql) {
                        expect("on"); // MySQL names the table; index names are per table there
                        name();
                    }
                    end();
                    return List.of(op("drop_index", "name", name));
                }
                throw fail();
            }
            if (accept("alter") && accept("table")) {
                if (peek("if")) throw fail();
                accept("only");
                String table = name();
                if (accept("rename")) {
                    if (accept("to")) {
                        String to = name();
                        end();
                        return List.of(op("rename_table", "from", table, "to", to));
                    }
                    if (accept("constraint")) {
                        String from = name();
                        expect("to");
                        String to = name();
                        end();
                        return List.of(op("rename_constraint", "table", table, "from", from, "to", to));
                    }
                    accept("column");
                    String from = name();
                    expect("to");
                    String to = name();
                    end();
                    return List.of(op("rename_column", "table", table, "from", from, "to", to));
                }
                List<Map<String, Object>> ops = new ArrayList<>();
                for (List<Token> part : SqlLexer.topLevelParts(t, i)) {
                    ops.addAll(part(part).alterAction(table));
                }
                return ops;
            }
            throw fail();
        }

        List<Map<String, Object>> alterAction(String table) {
            if (mysql) {
                List<Map<String, Object>> ops = mysqlAction(table);
                if (ops != null) return ops;
            }
            return List.of(alterActionOf(table));
        }

        /** MySQL's own ALTER TABLE actions; null for one written as PostgreSQL writes it (ADD COLUMN, RENAME COLUMN ...). */
        private List<Map<String, Object>> mysqlAction(String table) {
            if (accept("add")) {
                boolean unique = accept("unique");
                if (accept("index") || accept("key") || unique) {
                    String name = name();
                    List<String> columns = names();
                    end();
                    Map<String, Object> index = map("name", name, "table", table, "columns", columns);
                    if (unique) index.put("unique", true);
                    return List.of(Map.of("create_index", index));
                }
                i = 0;
                return null;
            }
            if (accept("drop")) {
                if (accept("foreign", "key")) {
                    String name = name();
                    end();
                    return List.of(op("drop_constraint", "table", table, "name", name));
                }
                if (accept("index") || accept("key")) {
                    String name = name();
                    end();
                    return List.of(op("drop_index", "name", name));
                }
                i = 0;
                return null;
            }
            if (accept("modify")) {
                accept("column");
                return List.of(restated(table, null));
            }
            if (accept("change")) {
                accept("column");
                String from = name();
                Map<String, Object> alter = restated(table, from);
                String to = (String) ((Map<?, ?>) alter.get("alter_column")).get("column");
                return from.equals(to) ? List.of(alter) : List.of(op("rename_column", "table", table, "from", from, "to", to), alter);
            }
            return null;
        }

        /**
         * MODIFY and CHANGE restate the column: its type, and NULL unless NOT NULL. A default left out is
         * kept by alter_column (MySQL drops it); anything else restated (a key, AUTO_INCREMENT, a comment,
         * a position) is kept as SQL.
         */
        private Map<String, Object> restated(String table, String renamedFrom) {
            Map<String, Object> column = new LinkedHashMap<>();
            List<String> pk = new ArrayList<>();
            column(column, pk);
            end();
            if (!pk.isEmpty() || column.containsKey("unique") || column.containsKey("check") || column.containsKey("references")
                    || ((String) column.get("type")).toLowerCase(Locale.ROOT).contains("auto_increment")) {
                throw fail();
            }
            Map<String, Object> alter = map("table", table, "column", column.get("name"), "type", column.get("type"),
                    "nullable", !Boolean.FALSE.equals(column.get("nullable")));
            if (column.containsKey("default")) alter.put("default", column.get("default"));
            return Map.of("alter_column", alter);
        }

        Map<String, Object> alterActionOf(String table) {
            if (accept("add")) {
                if (accept("constraint")) {
                    String name = name();
                    return constraint(table, name);
                }
                if (peek("foreign") || peek("check")) return constraint(table, null);
                if (peek("primary") || peek("unique") || peek("exclude")) throw fail();
                accept("column");
                if (peek("if")) throw fail();
                Map<String, Object> column = new LinkedHashMap<>();
                List<String> pk = new ArrayList<>();
                column(column, pk);
                end();
                if (!pk.isEmpty()) throw fail();
                // a NOT NULL column needs a value for the rows already there
                if (Boolean.FALSE.equals(column.get("nullable")) && !column.containsKey("default")) throw fail();
                return op("add_column", "table", table, "column", column);
            }
            if (accept("drop")) {
                if (accept("constraint")) {
                    String name = name();
                    end();
                    return op("drop_constraint", "table", table, "name", name);
                }
                accept("column");
                String column = name();
                end();
                return op("drop_column", "table", table, "column", column);
            }
            if (accept("alter")) {
                accept("column");
                String column = name();
                Map<String, Object> alter = new LinkedHashMap<>();
                alter.put("table", table);
                alter.put("column", column);
                if (accept("set")) {
                    if (accept("not")) {
                        expect("null");
                        alter.put("nullable", false);
                    } else if (accept("default")) {
                        alter.put("default", rest());
                    } else if (accept("data")) {
                        expect("type");
                        type(alter);
                    } else {
                        throw fail();
                    }
                } else if (accept("drop")) {
                    if (accept("not")) {
                        expect("null");
                        alter.put("nullable", true);
                    } else {
                        expect("default");
                        alter.put("default", null);
                    }
                } else if (accept("type")) {
                    type(alter);
                } else {
                    throw fail();
                }
                end();
                return Map.of("alter_column", alter);
            }
            throw fail();
        }

        private void type(Map<String, Object> alter) {
            int from = i;
            while (i < t.size() && !peek("using") && !peek("collate")) i++;
            if (from == i || peek("collate")) throw fail();
            alter.put("type", text(from, i));
            if (accept("using")) {
                alter.put("up", rest());
            }
        }

        private Map<String, Object> constraint(String table, String name) {
            if (accept("foreign")) {
                expect("key");
                List<String> columns = names();
                Map<String, Object> r = references();
                accept("not", "valid"); // Bascule adds every key NOT VALID and validates it at complete
                end();
                Map<String, Object> refs = new LinkedHashMap<>();
                refs.put("table", r.get("table_ref"));
                if (r.containsKey("columns_ref")) refs.put("columns", r.get("columns_ref"));
                Map<String, Object> out = new LinkedHashMap<>();
                if (name != null) out.put("name", name);
                out.put("table", table);
                out.put("columns", columns);
                out.put("references", refs);
                for (String k : List.of("on_delete", "on_update", "match_type")) {
                    if (r.containsKey(k)) out.put(k, r.get(k));
                }
                return Map.of("add_foreign_key", out);
            }
            if (accept("check") && name != null) {
                String expression = parenthesized();
                accept("not", "valid");
                end();
                return op("add_check", "table", table, "name", name, "expression", expression);
            }
            throw fail();
        }

        /** {@code REFERENCES t [(cols)] [MATCH ..] [ON DELETE ..] [ON UPDATE ..]}, as table_ref, columns_ref, on_delete, ... */
        private Map<String, Object> references() {
            expect("references");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("table_ref", name());
            if (peekSymbol("(")) r.put("columns_ref", names());
            while (true) {
                if (accept("match")) {
                    if (accept("full")) r.put("match_type", "full");
                    else if (accept("simple")) r.put("match_type", "simple");
                    else throw fail();
                } else if (accept("on")) {
                    String key = accept("delete") ? "on_delete" : accept("update") ? "on_update" : null;
                    if (key == null) throw fail();
                    r.put(key, action());
                } else {
                    return r;
                }
            }
        }

        private String action() {
            if (accept("cascade")) return "cascade";
            if (accept("restrict")) return "restrict";
            if (accept("no")) { expect("action"); return "no action"; }
            if (accept("set")) {
                if (accept("null")) return "set null";
                if (accept("default")) return "set default";
            }
            throw fail();
        }

        private Map<String, Object> createTable() {
            if (peek("if")) throw fail();
            String table = name();
            expectSymbol("(");
            int close = closing(i - 1);
            List<Token> inner = t.subList(i, close);
            i = close + 1;
            if (mysql && accept("engine")) {
                // InnoDB is what Bascule creates tables with; another engine, a charset or a collation: kept as SQL
                if (peekSymbol("=")) i++;
                expect("innodb");
            }
            end(); // PARTITION BY, INHERITS, WITH (...): kept as SQL
            List<Map<String, Object>> columns = new ArrayList<>();
            List<String> pk = new ArrayList<>();
            List<Map<String, Object>> constraints = new ArrayList<>();
            Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
            List<List<Token>> later = new ArrayList<>();
            for (List<Token> part : SqlLexer.topLevelParts(inner, 0)) {
                if (part.isEmpty()) throw fail();
                Token head = part.get(0);
                if (head.is("constraint") || head.is("primary") || head.is("unique") || head.is("check") || head.is("foreign")) {
                    later.add(part);
                    continue;
                }
                Statement s = part(part);
                Map<String, Object> column = new LinkedHashMap<>();
                s.column(column, pk);
                s.end();
                columns.add(column);
                byName.put((String) column.get("name"), column);
            }
            for (List<Token> part : later) {
                Statement s = part(part);
                String name = s.accept("constraint") ? s.name() : null;
                if (s.accept("primary")) {
                    s.expect("key");
                    if (!pk.isEmpty()) throw fail();
                    pk.addAll(s.names());
                    s.end();
                    if (name != null && !name.equals(table + "_pkey")) {
                        pkName = name;
                    }
                } else if (s.accept("unique")) {
                    if (mysql && (s.accept("key") || s.accept("index")) && !s.peekSymbol("(")) {
                        if (name != null) throw fail();
                        name = s.name(); // UNIQUE KEY name (cols)
                    }
                    List<String> cols = s.names();
                    s.end();
                    Map<String, Object> column = cols.size() == 1 ? byName.get(cols.get(0)) : null;
                    if (name == null && column != null && !column.containsKey("unique")) {
                        column.put("unique", true);
                    } else {
                        // PostgreSQL's name for an unnamed key: table_col1_col2_key
                        constraints.add(map("name", name != null ? name : table + "_" + String.join("_", cols) + "_key", "unique", cols));
                    }
                } else if (s.accept("check")) {
                    String expression = s.parenthesized();
                    s.end();
                    if (name == null) throw fail();
                    constraints.add(map("name", name, "check", expression));
                } else if (s.accept("foreign")) {
                    s.expect("key");
                    List<String> cols = s.names();
                    Map<String, Object> r = s.references();
                    s.end();
                    Map<String, Object> column = cols.size() == 1 ? byName.get(cols.get(0)) : null;
                    if (column == null || column.containsKey("references")) throw fail();
                    column.put("references", reference(r, name));
                } else {
                    throw fail();
                }
            }
            Map<String, Object> create = new LinkedHashMap<>();
            create.put("name", table);
            create.put("columns", columns);
            if (!pk.isEmpty()) create.put("primary_key", pk);
            if (pkName != null) create.put("primary_key_name", pkName);
            if (!constraints.isEmpty()) create.put("constraints", constraints);
            return Map.of("create_table", create);
        }

        private String pkName;

        private static Map<String, Object> reference(Map<String, Object> r, String name) {
            Map<String, Object> ref = new LinkedHashMap<>();
            if (name != null) ref.put("name", name);
            ref.put("table", r.get("table_ref"));
            if (r.containsKey("columns_ref")) ref.put("columns", r.get("columns_ref"));
            for (String k : List.of("on_delete", "on_update", "match_type")) {
                if (r.containsKey(k)) ref.put(k, r.get(k));
            }
            return ref;
        }

        /** A column definition: name, type, then its constraints; a PRIMARY KEY column is added to {@code pk}. */
        private void column(Map<String, Object> column, List<String> pk) {
            column.put("name", name());
            int from = i;
            while (i < t.size() && !constraintStart()) {
                if (accept("generated")) {
                    // GENERATED .. AS IDENTITY is written as part of the type; a generated column is kept as SQL
                    if (!accept("always") && !accept("by", "default")) throw fail();
                    expect("as");
                    expect("identity");
                    continue;
                }
                i++;
            }
            if (from == i) throw fail();
            if (mysql && t.subList(from, i).stream().anyMatch(tok -> tok.kind() == Kind.WORD && MYSQL_COLUMN_EXTRAS.contains(tok.text()))) {
                throw fail(); // a position, a comment, ON UPDATE, a charset: no operation field holds them
            }
            String type = text(from, i);
            column.put("type", type);
            while (i < t.size()) {
                String name = accept("constraint") ? name() : null;
                if (accept("not")) {
                    expect("null");
                    if (name != null) throw fail();
                    column.put("nullable", false);
                } else if (accept("null")) {
                    if (name != null) throw fail();
                } else if (accept("default")) {
                    if (name != null || column.containsKey("default")) throw fail();
                    int start = i;
                    while (i < t.size() && !constraintStart()) i++;
                    if (start == i) throw fail();
                    column.put("default", text(start, i));
                } else if (mysql && name == null && accept("auto_increment")) {
                    column.put("type", column.get("type") + " auto_increment"); // the type, as create_table reads it
                } else if (accept("primary")) {
                    expect("key");
                    pk.add((String) column.get("name"));
                } else if (accept("unique")) {
                    column.put("unique", name == null ? true : Map.of("name", name));
                } else if (accept("check")) {
                    if (column.containsKey("check")) throw fail();
                    String expression = parenthesized();
                    column.put("check", name == null ? expression : map("name", name, "expression", expression));
                } else if (peek("references")) {
                    if (column.containsKey("references")) throw fail();
                    column.put("references", reference(references(), name));
                } else {
                    throw fail();
                }
            }
        }

        private boolean constraintStart() {
            Token tok = t.get(i);
            if (tok.kind() != Kind.WORD) return false;
            return switch (tok.text()) {
                case "constraint", "null", "default", "primary", "unique", "check", "references", "collate" -> true;
                case "not" -> i + 1 < t.size() && t.get(i + 1).is("null");
                default -> false;
            };
        }

        private Map<String, Object> createIndex(boolean unique) {
            boolean concurrently = accept("concurrently");
            if (peek("if") || peek("on")) throw fail(); // IF NOT EXISTS, or an index without a name
            String name = name();
            expect("on");
            accept("only");
            String table = name();
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("name", name);
            index.put("table", table);
            if (accept("using")) {
                String method = word();
                if (!List.of("btree", "hash", "gist", "gin", "brin", "spgist").contains(method)) throw fail();
                if (!method.equals("btree")) index.put("method", method);
            }
            expectSymbol("(");
            int close = closing(i - 1);
            List<Object> columns = new ArrayList<>();
            for (List<Token> part : SqlLexer.topLevelParts(t.subList(i, close), 0)) {
                Statement s = part(part);
                String column = s.name();
                if (s.i < part.size()) {
                    if (s.peek("asc") || s.peek("desc") || s.peek("nulls") || s.peek("collate")) throw fail();
                    String opclass = s.word();
                    s.end();
                    columns.add(map("name", column, "opclass", opclass));
                } else {
                    columns.add(column);
                }
            }
            i = close + 1;
            index.put("columns", columns);
            if (unique) index.put("unique", true);
            if (accept("include")) index.put("include", names());
            if (accept("with")) {
                expectSymbol("(");
                int end = closing(i - 1);
                Map<String, Object> params = new LinkedHashMap<>();
                for (List<Token> part : SqlLexer.topLevelParts(t.subList(i, end), 0)) {
                    Statement s = part(part);
                    String key = s.word();
                    s.expectSymbol("=");
                    params.put(key, s.parameter());
                }
                i = end + 1;
                index.put("storage_parameters", params);
            }
            if (accept("where")) index.put("where", rest());
            end();
            // CONCURRENTLY or not: Bascule builds every index concurrently
            return Map.of("create_index", index);
        }

        // ------------------------------------------------------------------ the cursor

        private boolean peek(String word) {
            return i < t.size() && t.get(i).is(word);
        }

        private boolean peekSymbol(String symbol) {
            return i < t.size() && t.get(i).isSymbol(symbol);
        }

        private boolean accept(String... words) {
            for (int k = 0; k < words.length; k++) {
                if (i + k >= t.size() || !t.get(i + k).is(words[k])) return false;
            }
            i += words.length;
            return true;
        }

        private void expect(String word) {
            if (!accept(word)) throw fail();
        }

        private void expectSymbol(String symbol) {
            if (!peekSymbol(symbol)) throw fail();
            i++;
        }

        private void end() {
            if (i != t.size()) throw fail();
        }

        /** An identifier, unquoted (folded to lower case by the lexer) or quoted (kept); a qualified name is not converted. */
        private String name() {
            if (i >= t.size()) throw fail();
            Token tok = t.get(i);
            if (tok.kind() != Kind.WORD && tok.kind() != Kind.QUOTED) throw fail();
            if (!NAME.matcher(tok.text()).matches()) throw fail();
            i++;
            if (peekSymbol(".")) throw fail();
            return tok.text();
        }

        private String word() {
            if (i >= t.size() || t.get(i).kind() != Kind.WORD) throw fail();
            return t.get(i++).text();
        }

        private List<String> names() {
            expectSymbol("(");
            List<String> names = new ArrayList<>();
            do {
                names.add(name());
            } while (i < t.size() && t.get(i).isSymbol(",") && i++ >= 0);
            expectSymbol(")");
            return names;
        }

        /** {@code ( expression )}: the expression's text as written. */
        private String parenthesized() {
            expectSymbol("(");
            int close = closing(i - 1);
            if (close == i) throw fail();
            String text = text(i, close);
            i = close + 1;
            return text;
        }

        /** A storage parameter's value: a number, a boolean or a word. */
        private Object parameter() {
            if (i + 1 != t.size()) throw fail();
            Token tok = t.get(i++);
            if (tok.kind() == Kind.NUMBER) {
                return tok.text().contains(".") ? (Object) Double.valueOf(tok.text()) : (Object) Long.valueOf(tok.text());
            }
            if (tok.kind() != Kind.WORD) throw fail();
            return switch (tok.text()) {
                case "true", "on" -> true;
                case "false", "off" -> false;
                default -> tok.text();
            };
        }

        private String rest() {
            if (i >= t.size()) throw fail();
            String text = text(i, t.size());
            i = t.size();
            return text;
        }

        private int closing(int open) {
            int depth = 0;
            for (int k = open; k < t.size(); k++) {
                if (t.get(k).isSymbol("(")) depth++;
                if (t.get(k).isSymbol(")") && --depth == 0) return k;
            }
            throw fail();
        }

        /** The source text of tokens {@code [from, to)}, comments between them included. */
        private String text(int from, int to) {
            return sql.substring(t.get(from).start(), t.get(to - 1).end()).trim();
        }

        private static NotConvertible fail() {
            return new NotConvertible();
        }

        private static Map<String, Object> op(String kind, Object... kv) {
            return Map.of(kind, map(kv));
        }

        /** Keys and values in the order given, as the file shows them. */
        private static Map<String, Object> map(Object... kv) {
            Map<String, Object> body = new LinkedHashMap<>();
            for (int k = 0; k < kv.length; k += 2) body.put((String) kv[k], kv[k + 1]);
            return body;
        }
    }
}
