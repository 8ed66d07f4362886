package dev.bascule.convert;

import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A cursor over one statement's tokens, for {@link StatementConverter}: any surprise throws {@link NotConvertible}. */
abstract class TokenCursor {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The statement is kept as SQL. */
    static final class NotConvertible extends RuntimeException {
        NotConvertible() {
            super(null, null, false, false);
        }
    }

    final String sql;
    final List<Token> t;
    int i;

    TokenCursor(String sql, List<Token> tokens) {
        this.sql = sql;
        this.t = tokens;
    }


    boolean peek(String word) {
        return i < t.size() && t.get(i).is(word);
    }

    boolean peekSymbol(String symbol) {
        return i < t.size() && t.get(i).isSymbol(symbol);
    }

    boolean accept(String... words) {
        for (int k = 0; k < words.length; k++) {
            if (i + k >= t.size() || !t.get(i + k).is(words[k])) return false;
        }
        i += words.length;
        return true;
    }

    void expect(String word) {
        if (!accept(word)) throw fail();
    }

    void expectSymbol(String symbol) {
        if (!peekSymbol(symbol)) throw fail();
        i++;
    }

    void end() {
        if (i != t.size()) throw fail();
    }

    /** An identifier, unquoted (folded to lower case by the lexer) or quoted (kept); a qualified name is not converted. */
    String name() {
        if (i >= t.size()) throw fail();
        Token tok = t.get(i);
        if (tok.kind() != Kind.WORD && tok.kind() != Kind.QUOTED) throw fail();
        if (!NAME.matcher(tok.text()).matches()) throw fail();
        i++;
        if (peekSymbol(".")) throw fail();
        return tok.text();
    }

    String word() {
        if (i >= t.size() || t.get(i).kind() != Kind.WORD) throw fail();
        return t.get(i++).text();
    }

    List<String> names() {
        expectSymbol("(");
        List<String> names = new ArrayList<>();
        do {
            names.add(name());
        } while (i < t.size() && t.get(i).isSymbol(",") && i++ >= 0);
        expectSymbol(")");
        return names;
    }

    /** {@code ( expression )}: the expression's text as written. */
    String parenthesized() {
        expectSymbol("(");
        int close = closing(i - 1);
        if (close == i) throw fail();
        String text = text(i, close);
        i = close + 1;
        return text;
    }

    /** A storage parameter's value: a number, a boolean or a word. */
    Object parameter() {
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

    String rest() {
        if (i >= t.size()) throw fail();
        String text = text(i, t.size());
        i = t.size();
        return text;
    }

    int closing(int open) {
        int depth = 0;
        for (int k = open; k < t.size(); k++) {
            if (t.get(k).isSymbol("(")) depth++;
            if (t.get(k).isSymbol(")") && --depth == 0) return k;
        }
        throw fail();
    }

    /** The source text of tokens {@code [from, to)}, comments between them included. */
    String text(int from, int to) {
        return sql.substring(t.get(from).start(), t.get(to - 1).end()).trim();
    }

    static NotConvertible fail() {
        return new NotConvertible();
    }

    static Map<String, Object> op(String kind, Object... kv) {
        return Map.of(kind, map(kv));
    }

    /** Keys and values in the order given, as the file shows them. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) body.put((String) kv[k], kv[k + 1]);
        return body;
    }
}
