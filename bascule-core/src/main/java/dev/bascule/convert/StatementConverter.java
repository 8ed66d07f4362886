package dev.bascule.convert;

import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One statement of a Flyway script as the operations it becomes, or {@link TokenCursor.NotConvertible}
 * when no operation fits it as written: a statement is converted whole or kept as SQL.
 */
final class StatementConverter extends TokenCursor {
    /** Words of a MySQL column definition that no operation field holds. */
    private static final Set<String> MYSQL_COLUMN_EXTRAS = Set.of("after", "first", "comment", "on",
            "character", "charset", "invisible", "as", "generated", "zerofill", "storage", "column_format");

    /** MySQL/MariaDB: backticks, MODIFY, CHANGE, ADD INDEX, RENAME TABLE, ENGINE=InnoDB. */
    private final boolean mysql;

    StatementConverter(String sql, List<Token> tokens, boolean mysql) {
        super(sql, tokens);
        this.mysql = mysql;
    }

    private StatementConverter part(List<Token> tokens) {
        return new StatementConverter(sql, tokens, mysql);
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
            StatementConverter s = part(part);
            Map<String, Object> column = new LinkedHashMap<>();
            s.column(column, pk);
            s.end();
            columns.add(column);
            byName.put((String) column.get("name"), column);
        }
        for (List<Token> part : later) {
            StatementConverter s = part(part);
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
            StatementConverter s = part(part);
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
                StatementConverter s = part(part);
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
}
