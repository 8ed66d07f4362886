package dev.bascule.lint;

import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PostgreSQL does with a column's type and default: which type changes and defaults rewrite the table, which
 * types are discouraged, which columns draw from a sequence that runs out at 32 bits.
 */
final class ColumnTypeFacts {
    /** Functions a default may call without forcing a table rewrite (stable, evaluated once). */
    private static final Set<String> STABLE_DEFAULTS = Set.of("now", "current_timestamp", "current_date", "current_time",
            "localtimestamp", "localtime", "transaction_timestamp", "statement_timestamp", "current_user", "session_user",
            "current_setting", "cast", "coalesce", "nullif", "greatest", "least", "row", "array");
    /** Serial types: a column of one has a sequence default (nextval, volatile). The 32-bit ones run out. */
    static final Set<String> SERIALS = Set.of("serial", "serial4", "smallserial", "serial2", "bigserial", "serial8");
    private static final Set<String> SMALL_SERIALS = Set.of("serial", "serial4", "smallserial", "serial2");
    /** Type names PostgreSQL also takes quoted (they are the catalog's own names): "bpchar"(50) is char(50). */
    private static final Set<String> QUOTED_TYPES = Set.of("bpchar", "json", "timestamp", "int4", "int2", "varchar", "numeric");
    private static final Set<String> SMALL_INTEGERS = Set.of("int", "integer", "int4", "serial", "serial4", "smallint",
            "int2", "smallserial", "serial2");
    private static final Set<String> SMALL_INTEGER_TYPES = Set.of("int", "integer", "int4", "smallint", "int2");
    private static final Pattern TYPE = Pattern.compile(
            "(?:pg_catalog\\.)?([a-z ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?");

    private ColumnTypeFacts() {
    }

    /** Old type to new type without a rewrite on PostgreSQL: varchar longer or to text, numeric with more precision. */
    static boolean noRewrite(String oldType, String newType) {
        Matcher o = TYPE.matcher(oldType);
        Matcher n = TYPE.matcher(newType);
        if (!o.matches() || !n.matches()) return false;
        String ob = base(o.group(1));
        String nb = base(n.group(1));
        if ((ob.equals("varchar") || ob.equals("text")) && (nb.equals("text") || nb.equals("varchar") && n.group(2) == null)) {
            return true;
        }
        if (ob.equals("varchar") && nb.equals("varchar") && o.group(2) != null && n.group(2) != null) {
            return Integer.parseInt(n.group(2)) >= Integer.parseInt(o.group(2));
        }
        if (ob.equals("numeric") && nb.equals("numeric") && o.group(2) != null && n.group(2) != null) {
            int os = o.group(3) == null ? 0 : Integer.parseInt(o.group(3));
            int ns = n.group(3) == null ? 0 : Integer.parseInt(n.group(3));
            return os == ns && Integer.parseInt(n.group(2)) >= Integer.parseInt(o.group(2));
        }
        return false;
    }

    private static String base(String type) {
        return switch (type.trim()) {
            case "character varying", "varchar" -> "varchar";
            case "decimal", "numeric" -> "numeric";
            default -> type.trim();
        };
    }

    /** The type written from token {@code from} up to USING, COLLATE, a constraint or the end, lower case. */
    static String typeText(Tokens t, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < t.size(); i++) {
            Token tok = t.get(i);
            if (tok.kind() == Kind.WORD && Set.of("using", "collate", "not", "null", "default", "constraint", "primary", "unique",
                    "references", "check", "generated").contains(tok.text())) break;
            if (sb.length() > 0 && tok.kind() == Kind.WORD && Character.isLetter(sb.charAt(sb.length() - 1))) sb.append(' ');
            sb.append(tok.kind() == Kind.QUOTED ? tok.text().toLowerCase(Locale.ROOT) : tok.text());
        }
        return sb.toString();
    }

    /** DEFAULT NULL (a no-op default: no rewrite on any version). */
    static boolean defaultIsNull(Tokens t) {
        int d = t.indexOf("default");
        return d >= 0 && t.w(d + 1).equals("null");
    }

    /** A default calling a function that is not stable forces a rewrite (PostgreSQL 11+ stores the others). */
    static boolean volatileDefault(Tokens t) {
        int d = t.indexOf("default");
        for (int i = d + 1; i + 1 < t.size(); i++) {
            Token tok = t.get(i);
            if (tok.kind() == Kind.WORD && Set.of("not", "null", "references", "check", "unique", "primary", "constraint",
                    "generated", "collate").contains(tok.text()) && !t.get(i - 1).isSymbol("::")) {
                return false;
            }
            if (tok.kind() == Kind.WORD && t.get(i + 1).isSymbol("(") && !t.get(i - 1).isSymbol("::")
                    && !STABLE_DEFAULTS.contains(tok.text()) && !isTypeWord(tok.text()) && !afterAs(t, i)) {
                return true;
            }
        }
        return false;
    }

    /** The word is a type in {@code CAST(x AS type(...))}. */
    private static boolean afterAs(Tokens t, int i) {
        return i > 0 && t.get(i - 1).is("as");
    }

    private static boolean isTypeWord(String word) {
        return Set.of("varchar", "numeric", "decimal", "char", "character", "timestamp", "time", "interval", "bit").contains(word);
    }

    /** Column types of a CREATE TABLE body or a column definition, from token {@code from} on. */
    static void types(Tokens t, int from, StatementFindings out) {
        for (int i = Math.max(from, 1); i < t.size(); i++) {
            Token tok = t.get(i);
            Token before = t.get(i - 1);
            boolean typePosition = before.kind() == Kind.WORD || before.kind() == Kind.QUOTED;
            boolean word = tok.kind() == Kind.WORD || tok.kind() == Kind.QUOTED && QUOTED_TYPES.contains(tok.text());
            if (!word || !typePosition || before.isSymbol("::")) continue;
            String next = t.w(i + 1);
            switch (tok.text()) {
                case "json" -> out.add(Rule.JSON_TYPE);
                case "char", "character", "bpchar" -> {
                    if (!next.equals("varying")) out.add(Rule.CHAR_TYPE);
                }
                case "timestamp" -> {
                    if (!next.equals("with") && !(t.size() > i + 1 && t.get(i + 1).isSymbol("(") && t.w(i + 4).equals("with"))) {
                        out.add(Rule.TIMESTAMP_WITHOUT_TIME_ZONE);
                    }
                }
                default -> { }
            }
        }
    }

    /** In a CREATE TABLE body: a 32-bit column that is (or is in) the primary key, or a 32-bit serial or identity column. */
    static void intPrimaryKeys(Tokens t, int from, StatementFindings out) {
        List<List<Token>> elements = t.elements(from);
        Set<String> keyColumns = new HashSet<>();
        for (List<Token> e : elements) {
            Tokens el = new Tokens(e);
            int pk = el.indexOf("primary");
            if (pk >= 0 && (el.w(0).equals("primary") || el.w(0).equals("constraint"))) {
                for (int k = pk + 2; k < e.size(); k++) {
                    if (e.get(k).kind() == Kind.WORD || e.get(k).kind() == Kind.QUOTED) keyColumns.add(e.get(k).text());
                }
            }
        }
        for (List<Token> e : elements) {
            if (e.size() < 2) continue;
            Tokens el = new Tokens(e);
            boolean small = e.get(1).kind() == Kind.WORD && SMALL_INTEGERS.contains(e.get(1).text());
            if (small && (el.contains("primary", "key") && !el.w(0).equals("primary") || keyColumns.contains(e.get(0).text()))
                    || smallSequence(el, 0)) {
                out.add(Rule.INT_PRIMARY_KEY);
            }
        }
    }

    /** The column defined at {@code i} is a 32-bit integer and the statement declares a primary key. */
    static boolean smallIntegerPrimaryKey(Tokens t, int i) {
        return i + 1 < t.size() && SMALL_INTEGERS.contains(t.w(i + 1)) && t.contains("primary", "key");
    }

    /** The column defined at {@code i} draws from a sequence that runs out at 32 bits: serial, or an int identity. */
    static boolean smallSequence(Tokens t, int i) {
        if (i + 1 >= t.size()) return false;
        Token type = t.get(i + 1);
        if (type.kind() == Kind.WORD && SMALL_SERIALS.contains(type.text())) return true;
        boolean smallInt = type.kind() == Kind.WORD && SMALL_INTEGER_TYPES.contains(type.text())
                || type.kind() == Kind.QUOTED && (type.text().equals("int4") || type.text().equals("int2"));
        return smallInt && t.contains("generated") && t.contains("identity");
    }
}
