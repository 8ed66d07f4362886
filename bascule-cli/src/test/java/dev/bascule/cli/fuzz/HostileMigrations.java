package dev.bascule.cli.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Migration files that are wrong by construction, drawn from a seed: broken YAML and JSON, wrong
 * types, unknown operations and fields, hostile identifiers and expressions, huge and deeply nested
 * values, bad encodings. Every one must be refused (exit 2) before anything touches the database.
 * Each case records its kind, so a failure says what was generated.
 */
final class HostileMigrations {
    /** One generated file. */
    record Case(int index, String kind, String fileName, byte[] content) {
        @Override
        public String toString() {
            String text = new String(content, 0, Math.min(content.length, 300), StandardCharsets.UTF_8);
            return "case " + index + " (" + kind + ", " + fileName + ", " + content.length + " bytes): " + text;
        }
    }

    /** Operations that are valid on the fuzz schema (users(id, name, email), orders(id, user_id, total)). */
    static final List<String> VALID_OPERATIONS = List.of(
            "- add_column: {table: users, column: {name: nick, type: text}}",
            "- add_column: {table: users, column: {name: email_lower, type: text, nullable: false}, up: lower(email)}",
            "- rename_column: {table: users, from: name, to: full_name}",
            "- drop_column: {table: users, column: name}",
            "- create_index: {name: users_email_idx, table: users, columns: [email]}",
            "- add_check: {table: orders, name: total_positive, expression: total > 0}",
            "- alter_column: {table: orders, column: total, type: bigint}",
            "- create_table: {name: notes, columns: [{name: id, type: bigint}, {name: body, type: text}], primary_key: [id]}",
            "- rename_table: {from: orders, to: purchases}");

    static final List<String> HOSTILE_NAMES = List.of(
            "users\"; DROP TABLE users; --", "users;", "\"users\"", "us ers", "usérs", "ユーザー", "users\u0000",
            "users\n", "'; DELETE FROM users; --", "$1", "users'--", "../../etc/passwd", "", " ", "1users",
            "users.id", "x".repeat(64), "y".repeat(100_000), "users/*", "Robert'); DROP TABLE students;--",
            "users\u202e", "\uD83D\uDE00", "users)", "users,orders");

    static final List<String> HOSTILE_EXPRESSIONS = List.of(
            "1); DROP TABLE users; --", "lower(email)); DELETE FROM users; SELECT (1", "$$ || 1 || $$",
            "E'\\x27'", "email /* comment */", "email -- comment", "1; COMMIT; DROP TABLE users", "$x$boom$x$",
            "'unterminated", "(((", "email\\", "pg_sleep(1); SELECT 1");

    /** What closes the parentheses Bascule writes around an expression, and what follows once they are closed. */
    static final List<String> BREAKOUT_OPENERS = List.of("'x')", "1)", "email)", "lower(email))", "'a''b')", "(1))",
            "\"email\")", "total > 0)", "'('))", "NULL)");
    static final List<String> BREAKOUT_PAYLOADS = List.of(", name = ('pwned'", ", email = (name", " OR (1 = 1",
            " UNION SELECT (1", ", (SELECT count(*) FROM users", " FROM users; DELETE FROM users; SELECT (1",
            " IS NOT NULL, total = (0", "", " AS x, (2");

    /**
     * Texts one dialect's lexer reads as harmless where the other's (or the same server under another
     * setting) reads a comment, an escaped quote or code: backslash escapes, {@code #} and {@code --}
     * comments, MySQL's executable {@code /*!} comments, double quotes and backticks, PostgreSQL's
     * {@code E''} and dollar quotes.
     */
    static final List<String> LEXER_TRICKS = List.of(
            "'\\'' ), name = ('x'", "'\\'' ); COMMIT; CREATE TABLE pwned(x int); --'", "'a\\'", "'\\\\'", "'it\\'s'",
            "email # ')\n, name = ('x'", "email # (\n", "1 # )\n", "'#' # ')\n) , total = (0",
            "1--'\n), name = ('x'", "1 --')\n, name = ('x'", "total--1",
            "1 /*! ), name = (1 */", "1 /*!50000 ) , name = ( 1 */", "1 /*M!100000 ), email = (NULL */", "1 /*!*/",
            "\"x'\" ), name = ('\"", "'\"' ), name = (' \"'", "`a'` ), name = ('x'", "`email`) , name = (`name`",
            "E'\\'' ), name = ('x'", "e'x''' ), name = ('", "$$ ), name = ($$", "$q$') DELETE FROM users --$q$",
            "U&'\\0027' ), name = ('x'", "N'x' ) , (1", "'x' ) -- ", "1 ) /* ", "\\N");

    /** Valid expressions on the fuzz schema with no literal, so a token put anywhere in them lands in code. */
    static final List<String> PLAIN_EXPRESSIONS = List.of("lower(email)", "total > 0", "length(email) > 3",
            "upper(name)", "total * 2", "coalesce(name, email)");
    /** Tokens that break an expression on both servers wherever they land outside a literal. */
    static final List<String> BREAKING_TOKENS = List.of(")", "(", ";", "-- ", "--", "/*", "*/", "/*!", "\\", "'", "\"",
            "`", "\n)");

    /** Where an expression goes: every field that takes one. */
    private static final List<String> EXPRESSION_FIELDS = List.of(
            "- add_column: {table: users, column: {name: nick, type: text}, up: %s}",
            "- add_check: {table: orders, name: c1, expression: %s}",
            "- drop_column: {table: users, column: name, down: %s}",
            "- alter_column: {table: orders, column: total, type: bigint, up: %s}",
            "- alter_column: {table: orders, column: total, type: bigint, down: %s}",
            "- alter_column: {table: users, column: email, default: %s}",
            "- add_column: {table: users, column: {name: nick, type: text, default: %s}}",
            "- add_column: {table: users, column: {name: nick, type: text, check: %s}}",
            "- create_index: {name: users_p_idx, table: users, columns: [email], where: %s}",
            "- create_table: {name: notes, primary_key: [id], columns: [{name: id, type: int}, {name: body, type: text, default: %s}]}",
            "- create_table: {name: notes, primary_key: [id], columns: [{name: id, type: int, check: %s}]}",
            "- create_table: {name: notes, primary_key: [id], columns: [{name: id, type: int}], constraints: [{name: c1, check: %s}]}");

    /** Names under Bascule's own prefix: its shadow tables and columns, retired and deprecated objects, the read marker. */
    static final List<String> RESERVED_NAMES = List.of("_bascule_reads", "_bascule_new_users", "_bascule_new_email",
            "_bascule_old_orders", "_bascule_deprecated_1a2b3c4d_name", "_bascule_copy_1a2b3c4d", "_bascule_sync_1a2b3c4d",
            "_bascule", "_Bascule_new_users", "_BASCULE_READS", "_bascule_1a2b3c4d_ins", "_bascule_new_users_email_key");

    private static final List<String> FIELDS_WITH_NAMES = List.of("table", "column", "name", "from", "to");
    private final Random random;

    HostileMigrations(long seed) {
        this.random = new Random(seed);
    }

    List<Case> generate(int count) {
        List<Function<Integer, Case>> kinds = List.of(this::brokenYaml, this::truncatedJson, this::wrongType,
                this::unknownOperation, this::unknownField, this::hostileName, this::hostileExpression, this::huge,
                this::deeplyNested, this::aliasBomb, this::badEncoding, this::notAMigration, this::missingField,
                this::duplicateKey, this::reservedName, this::absurdCount, this::expressionBreakout, this::lexerDifference);
        return generate(count, kinds);
    }

    /** Only the expression families: breakouts and lexer differences, for a run on another dialect. */
    List<Case> generateExpressions(int count) {
        return generate(count, List.of(this::expressionBreakout, this::lexerDifference));
    }

    private List<Case> generate(int count, List<Function<Integer, Case>> kinds) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cases.add(kinds.get(i % kinds.size()).apply(i));
        }
        return cases;
    }

    private String operations(int n) {
        StringBuilder sb = new StringBuilder("operations:\n");
        for (int i = 0; i < n; i++) {
            sb.append("  ").append(pick(VALID_OPERATIONS)).append('\n');
        }
        return sb.toString();
    }

    private Case yaml(int i, String kind, String text) {
        return new Case(i, kind, String.format("%04d_fuzz.yaml", i), text.getBytes(StandardCharsets.UTF_8));
    }

    private Case brokenYaml(int i) {
        String valid = operations(1 + random.nextInt(3));
        String breaker = pick(List.of("  - {unclosed: [1, 2\n", "  - add_column: \"unterminated\n", "\t- tab: indented\n",
                "  - add_column: {table: users,, column: x}\n", "operations: [\n", "  - : :\n", "  - add_column: {table: users]\n",
                "  - &anchor\n  - *missing_anchor\n", "  - !!python/object/apply:os.system ['echo pwned']\n"));
        int at = random.nextInt(valid.length() + 1);
        // a breaker spliced mid-line may land in a scalar; at the end of a line it always parses as YAML
        at = valid.indexOf('\n', Math.min(at, valid.length() - 1)) + 1;
        return yaml(i, "broken yaml", valid.substring(0, at) + breaker + valid.substring(at));
    }

    private Case truncatedJson(int i) {
        String json = "{\"operations\": [{\"add_column\": {\"table\": \"users\", \"column\": {\"name\": \"nick\", \"type\": \"text\"}}},"
                + " {\"drop_column\": {\"table\": \"users\", \"column\": \"name\"}}]}";
        int cut = 1 + random.nextInt(json.length() - 2);
        return new Case(i, "truncated json", String.format("%04d_fuzz.json", i), json.substring(0, cut).getBytes(StandardCharsets.UTF_8));
    }

    private Case wrongType(int i) {
        String value = pick(List.of("[users, orders]", "{a: b}", "123", "true", "null", "~", "[[1]]", "{}", "[]", "3.14"));
        String op = pick(List.of(
                "- add_column: {table: %s, column: {name: nick, type: text}}",
                "- add_column: {table: users, column: %s}",
                "- add_column: {table: users, column: {name: %s, type: text}}",
                "- add_column: {table: users, column: {name: nick, type: %s}}",
                "- add_column: {table: users, column: {name: nick, type: text, nullable: %s}}",
                "- create_index: {name: users_x_idx, table: users, columns: %s}",
                "- rename_column: {table: users, from: %s, to: nick}",
                "- drop_column: {table: users, column: %s}",
                "- alter_column: {table: orders, column: total, type: %s}"));
        // "true" or "null" is a fine value for nullable; draw another for it
        if (op.contains("nullable") && List.of("true", "null", "~").contains(value)) {
            value = "[1, 2]";
        }
        // a scalar would be read as a name ("true", "123"): a fine column name, not a wrong type
        if (op.contains("{name: %s") && !value.startsWith("[") && !value.startsWith("{")) {
            value = "{a: b}";
        }
        if (op.contains("type: %s") && List.of("null", "~").contains(value)) {
            value = "{}";
        }
        return yaml(i, "wrong type", "operations:\n  " + op.replace("%s", value) + "\n");
    }

    private Case unknownOperation(int i) {
        String name = pick(List.of("add_collumn", "drop_database", "exec", "DROP TABLE users", "truncate", "__proto__", "sql2",
                "ADD_COLUMN", "add-column", "x".repeat(5000)));
        return yaml(i, "unknown operation", operations(random.nextInt(2)).replace("operations:\n", "operations:\n  - "
                + quoteYaml(name) + ": {table: users}\n"));
    }

    private Case unknownField(int i) {
        String field = pick(List.of("tabel", "columns_", "cascade", "on_error", "sql", "__class__", "Table"));
        return yaml(i, "unknown field", "operations:\n  - drop_column: {table: users, column: name, " + field + ": x}\n");
    }

    private Case hostileName(int i) {
        String name = pick(HOSTILE_NAMES);
        String field = pick(FIELDS_WITH_NAMES);
        String op = switch (field) {
            case "table" -> "- add_column: {table: %s, column: {name: nick, type: text}}";
            case "column" -> "- drop_column: {table: users, column: %s}";
            case "name" -> pick(List.of("- create_index: {name: %s, table: users, columns: [email]}",
                    "- create_table: {name: %s, columns: [{name: id, type: bigint}], primary_key: [id]}",
                    "- add_column: {table: users, column: {name: %s, type: text}}"));
            case "from" -> "- rename_column: {table: users, from: %s, to: nick}";
            default -> pick(List.of("- rename_column: {table: users, from: name, to: %s}", "- rename_table: {from: orders, to: %s}"));
        };
        return yaml(i, "hostile name in " + field, "operations:\n  " + op.replace("%s", quoteYaml(name)) + "\n");
    }

    /** A table, column, index or constraint a migration would create under Bascule's own prefix, after a valid operation. */
    private Case reservedName(int i) {
        String name = pick(RESERVED_NAMES);
        String op = pick(List.of(
                "- create_table: {name: %s, columns: [{name: id, type: bigint}], primary_key: [id]}",
                "- create_table: {name: notes, columns: [{name: id, type: bigint}, {name: %s, type: text}], primary_key: [id]}",
                "- create_table: {name: notes, columns: [{name: id, type: bigint}], constraints: [{name: %s, check: id > 0}]}",
                "- add_column: {table: users, column: {name: %s, type: text}}",
                "- rename_table: {from: orders, to: %s}",
                "- rename_column: {table: users, from: email, to: %s}",
                "- create_index: {name: %s, table: users, columns: [email]}",
                "- add_check: {table: orders, name: %s, expression: total > 0}",
                "- add_foreign_key: {table: orders, name: %s, columns: [user_id], references: {table: users}}",
                "- split_table: {from: users, into: [{name: %s, columns: [id, name]}, {name: contacts, columns: [id, email]}]}",
                "- merge_tables: {from: [users, orders], into: {name: %s, columns: [id, name, total]}}"));
        return yaml(i, "reserved name", "operations:\n  " + VALID_OPERATIONS.get(0) + "\n  " + op.replace("%s", name) + "\n");
    }

    /** More columns, key columns or operations than any server or migration takes. */
    private Case absurdCount(int i) {
        int n = 1_601 + random.nextInt(20_000);
        StringBuilder sb = new StringBuilder("operations:\n");
        String what = pick(List.of("columns", "index columns", "operations"));
        switch (what) {
            case "columns" -> {
                sb.append("  - create_table:\n      name: wide\n      columns:\n");
                for (int c = 0; c < n; c++) {
                    sb.append("        - {name: c").append(c).append(", type: int}\n");
                }
            }
            case "index columns" -> {
                sb.append("  - create_index: {name: wide_idx, table: users, columns: [email");
                for (int c = 0; c < 33 + random.nextInt(n); c++) {
                    sb.append(", c").append(c);
                }
                sb.append("]}\n");
            }
            default -> sb.append(("  " + VALID_OPERATIONS.get(0) + "\n").repeat(1_001 + random.nextInt(n)));
        }
        return yaml(i, "absurd count of " + what, sb.toString());
    }

    private Case hostileExpression(int i) {
        String expr = quoteYaml(pick(HOSTILE_EXPRESSIONS));
        String op = pick(List.of(
                "- add_column: {table: users, column: {name: nick, type: text}, up: %s}",
                "- add_check: {table: orders, name: c1, expression: %s}",
                "- drop_column: {table: users, column: name, down: %s}",
                "- alter_column: {table: orders, column: total, type: bigint, up: %s}",
                "- add_column: {table: users, column: {name: nick, type: text, default: %s}}",
                "- create_index: {name: users_p_idx, table: users, columns: [email], where: %s}"));
        return yaml(i, "hostile expression", "operations:\n  " + op.replace("%s", expr) + "\n");
    }

    /**
     * An expression that closes the parenthesis Bascule put around it and goes on (another column to
     * set, a second statement, a UNION), or a valid expression with a breaking token put anywhere in it.
     */
    private Case expressionBreakout(int i) {
        String expression;
        if (random.nextBoolean()) {
            expression = pick(BREAKOUT_OPENERS) + pick(BREAKOUT_PAYLOADS);
        } else {
            String valid = pick(PLAIN_EXPRESSIONS);
            int at = random.nextInt(valid.length() + 1);
            expression = valid.substring(0, at) + pick(BREAKING_TOKENS) + valid.substring(at);
        }
        return yaml(i, "expression breakout", "operations:\n  " + pick(EXPRESSION_FIELDS).replace("%s", quoteYaml(expression)) + "\n");
    }

    private Case lexerDifference(int i) {
        String expression = pick(LEXER_TRICKS);
        return yaml(i, "lexer difference", "operations:\n  " + pick(EXPRESSION_FIELDS).replace("%s", quoteYaml(expression)) + "\n");
    }

    private Case huge(int i) {
        int size = 1_000_000 + random.nextInt(4_000_000);
        String what = pick(List.of("name", "type", "up", "key"));
        String big = "a".repeat(size);
        String text = switch (what) {
            case "name" -> "operations:\n  - add_column: {table: users, column: {name: " + big + ", type: text}}\n";
            case "type" -> "operations:\n  - add_column: {table: users, column: {name: nick, type: " + big + "}}\n";
            case "up" -> "operations:\n  - add_column: {table: users, column: {name: nick, type: text}, up: \"" + big + "(\"}\n";
            default -> "operations:\n  - " + big + ": {table: users}\n";
        };
        return yaml(i, "huge " + what, text);
    }

    private Case deeplyNested(int i) {
        int depth = 1_000 + random.nextInt(20_000);
        boolean json = random.nextBoolean();
        String inner = "[".repeat(depth) + "]".repeat(depth);
        String text = json ? "{\"operations\": " + inner + "}" : "operations: " + inner + "\n";
        return new Case(i, "nested " + depth, String.format("%04d_fuzz.%s", i, json ? "json" : "yaml"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    private Case aliasBomb(int i) {
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        int levels = 8 + random.nextInt(10);
        for (int l = 1; l <= levels; l++) {
            String prev = "*a" + (l - 1);
            sb.append("a").append(l).append(": &a").append(l).append(" [").append(String.join(", ", java.util.Collections.nCopies(10, prev)))
                    .append("]\n");
        }
        sb.append("operations: *a").append(levels).append('\n');
        return yaml(i, "alias bomb", sb.toString());
    }

    private Case badEncoding(int i) {
        byte[] valid = operations(1).getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[valid.length + 4];
        int at = random.nextInt(valid.length);
        System.arraycopy(valid, 0, bad, 0, at);
        byte[] junk = pick(List.of(new byte[] {(byte) 0xC3, (byte) 0x28, 0x0A, 0x00}, new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, 0x0A}, new byte[] {0x00, 0x00, 0x00, 0x00}));
        System.arraycopy(junk, 0, bad, at, 4);
        System.arraycopy(valid, at, bad, at + 4, valid.length - at);
        return new Case(i, "bad encoding", String.format("%04d_fuzz.yaml", i), bad);
    }

    private Case notAMigration(int i) {
        String text = pick(List.of("", "---\n", "null\n", "42\n", "- a\n- b\n", "operations:\n", "operations: []\n",
                "operations: users\n", "name: x\n", "\"just a string\"\n", "{}", "[]", "operations: {add_column: {}}\n"));
        boolean json = text.startsWith("{") || text.startsWith("[");
        return new Case(i, "not a migration", String.format("%04d_fuzz.%s", i, json ? "json" : "yaml"), text.getBytes(StandardCharsets.UTF_8));
    }

    private Case missingField(int i) {
        String op = pick(List.of("- add_column: {table: users}", "- add_column: {column: {name: x, type: text}}",
                "- add_column: {table: users, column: {type: text}}", "- add_column: {table: users, column: {name: x}}",
                "- drop_column: {table: users}", "- rename_column: {table: users, from: name}", "- create_index: {table: users, columns: [email]}",
                "- add_check: {table: orders, expression: total > 0}", "- drop_table: {}", "- alter_column: {table: orders}"));
        return yaml(i, "missing field", "operations:\n  " + op + "\n");
    }

    private Case duplicateKey(int i) {
        return yaml(i, "duplicate key", pick(List.of(
                "operations:\n  - drop_column: {table: users, column: name, column: email}\n",
                "operations:\n  - add_column: {table: users, table: orders, column: {name: x, type: text}}\n",
                "operations: []\noperations:\n  - drop_column: {table: users, column: name}\n")));
    }

    private static String quoteYaml(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\u0000' -> sb.append("\\0");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // ---- name collisions: valid files meeting objects named like Bascule's that it did not make ----

    /**
     * A valid migration file and the statements that first put, in its way, an object named like
     * one Bascule would make or own: each must be refused (exit 2, or 3 when the object says another
     * migration owns the table) without touching that object or anything else.
     *
     * @param expected  a text the refusal must contain (the object's name)
     * @param watched   a schema, besides the base schema, whose catalog and data must not change; or null
     */
    record Collision(int index, String kind, String fileName, byte[] content, List<String> setup, List<String> cleanup,
                     String expected, String watched) {
        @Override
        public String toString() {
            return "case " + index + " (" + kind + ", " + fileName + "): setup " + setup + ", file "
                    + new String(content, StandardCharsets.UTF_8);
        }
    }

    static final List<String> ORDERS_OPERATIONS = List.of(
            "- add_check: {table: orders, name: total_positive, expression: total > 0}",
            "- alter_column: {table: orders, column: total, type: bigint}",
            "- rename_table: {from: orders, to: purchases}",
            "- add_column: {table: orders, column: {name: note, type: text}}");

    /** @param schema the base schema (tables users and orders), {@code stateSchema} Bascule's state schema (absent) */
    List<Collision> collisions(int count, String schema, String stateSchema) {
        List<Collision> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("%04d_%s", i, pick(List.of("coll", "orders", "v2", "x")));
            String file = name + ".yaml";
            String version = schema + "_" + name;
            String hash = hash(name);
            String ordersOp = pick(ORDERS_OPERATIONS);
            String anyOp = random.nextBoolean() ? ordersOp : pick(VALID_OPERATIONS);
            Collision c = switch (i % 9) {
                case 0 -> new Collision(i, "schema with the version's name", file, ops(anyOp),
                        List.of("CREATE SCHEMA " + version, "CREATE TABLE " + version + ".important (id int PRIMARY KEY)",
                                "INSERT INTO " + version + ".important VALUES (42)"),
                        List.of("DROP SCHEMA IF EXISTS " + version + " CASCADE"), version, version);
                case 1 -> new Collision(i, "version schema of another state schema", file, ops(anyOp),
                        List.of("CREATE SCHEMA " + version, "COMMENT ON SCHEMA " + version + " IS 'made by Bascule: version "
                                + version + ", state schema elsewhere'", "CREATE TABLE " + version + ".kept (id int)"),
                        List.of("DROP SCHEMA IF EXISTS " + version + " CASCADE"), version, version);
                case 2 -> new Collision(i, "schema marked for another version", file, ops(anyOp),
                        List.of("CREATE SCHEMA " + version, "COMMENT ON SCHEMA " + version + " IS 'made by Bascule: version "
                                + schema + "_other, state schema " + stateSchema + "'"),
                        List.of("DROP SCHEMA IF EXISTS " + version + " CASCADE"), version, version);
                case 3 -> new Collision(i, "trigger named like Bascule's sync trigger", file, ops(ordersOp),
                        List.of("CREATE FUNCTION " + schema + ".keep() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
                                "CREATE TRIGGER _bascule_sync_" + hash + " BEFORE INSERT ON " + schema + ".orders FOR EACH ROW"
                                        + " EXECUTE FUNCTION " + schema + ".keep()"),
                        List.of("DROP TRIGGER IF EXISTS _bascule_sync_" + hash + " ON " + schema + ".orders", "DROP FUNCTION IF EXISTS " + schema + ".keep()"),
                        "_bascule_sync_" + hash, null);
                case 4 -> new Collision(i, "function named like Bascule's sync function", file,
                        ops("- alter_column: {table: orders, column: total, type: bigint}"),
                        List.of("CREATE SCHEMA IF NOT EXISTS " + stateSchema, "CREATE FUNCTION " + stateSchema + ".sync_" + schema + "_orders_" + hash
                                + "() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'"),
                        List.of("DROP SCHEMA IF EXISTS " + stateSchema + " CASCADE"), "sync_" + schema + "_orders_" + hash, stateSchema);
                case 5 -> new Collision(i, "trigger of a migration of another state schema", file, ops(ordersOp),
                        List.of("CREATE FUNCTION " + schema + ".theirs() RETURNS trigger LANGUAGE plpgsql AS $f$\n-- made by Bascule:"
                                        + " version " + schema + "_theirs, state schema elsewhere\nBEGIN RETURN NEW; END$f$",
                                "CREATE TRIGGER _bascule_sync_0badc0de BEFORE INSERT ON " + schema + ".orders FOR EACH ROW"
                                        + " EXECUTE FUNCTION " + schema + ".theirs()"),
                        List.of("DROP TRIGGER IF EXISTS _bascule_sync_0badc0de ON " + schema + ".orders", "DROP FUNCTION IF EXISTS " + schema + ".theirs()"),
                        "migration theirs", null);
                case 6 -> new Collision(i, "column named like a shadow column", file, ops(ordersOp),
                        List.of("ALTER TABLE " + schema + ".orders ADD COLUMN _bascule_new_total int"),
                        List.of("ALTER TABLE " + schema + ".orders DROP COLUMN IF EXISTS _bascule_new_total"), "_bascule_new_total", null);
                case 8 -> new Collision(i, "index named like the one an alter_column builds", file,
                        ops("- alter_column: {table: orders, column: total, type: bigint}"),
                        List.of("CREATE INDEX orders_total_idx ON " + schema + ".orders (total)",
                                "CREATE INDEX _bascule_new_orders_total_idx ON " + schema + ".users (name)"),
                        List.of("DROP INDEX IF EXISTS " + schema + "._bascule_new_orders_total_idx",
                                "DROP INDEX IF EXISTS " + schema + ".orders_total_idx"), "_bascule_new_orders_total_idx", null);
                default -> new Collision(i, "table named like a shadow table", file, ops(ordersOp),
                        List.of("CREATE TABLE " + schema + "._bascule_new_orders (id int)"),
                        List.of("DROP TABLE IF EXISTS " + schema + "._bascule_new_orders"), "_bascule_new_orders", null);
            };
            cases.add(c);
        }
        return cases;
    }

    private static byte[] ops(String operation) {
        return ("operations:\n  " + operation + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The tag Bascule gives the objects of a migration: the first 4 bytes of the SHA-256 of its name, in hex. */
    private static String hash(String name) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
