package dev.bascule.plan;

import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;

import java.util.List;
import java.util.Set;

/** The functions a column default calls, as PostgreSQL decides from them whether ADD COLUMN rewrites the table. */
final class DefaultCalls {
    private DefaultCalls() {}

    /** Functions that return a new value per row: a default calling one is computed for every row. */
    static final Set<String> VOLATILE_FUNCTIONS = Set.of("random", "random_normal", "nextval",
            "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp",
            "timeofday", "setseed", "txid_current", "pg_current_xact_id");
    /** Functions and syntax that are stable or immutable: a default calling them is computed once, at ALTER time. */
    static final Set<String> STABLE_FUNCTIONS = Set.of("now", "current_timestamp", "current_date",
            "current_time", "localtimestamp", "localtime", "transaction_timestamp", "statement_timestamp",
            "current_user", "session_user", "current_setting", "cast", "coalesce", "nullif", "greatest", "least",
            "row", "array", "lower", "upper", "length", "abs", "round", "to_char", "make_date", "make_interval",
            "varchar", "numeric", "decimal", "char", "character", "timestamp", "timestamptz", "time", "interval", "bit");

    private static final Set<String> COLUMN_CONSTRAINT_WORDS = Set.of("default", "not", "null", "check", "references",
            "unique", "primary", "constraint", "generated", "collate");

    /**
     * The first function the default calls that is not known to be stable, or null. A volatile one
     * is returned as soon as it is seen; any other only when no volatile one follows.
     */
    static String firstCall(List<Token> a, int from) {
        String unknown = null;
        int depth = 0;
        for (int i = from; i < a.size(); i++) {
            Token tok = a.get(i);
            if (tok.isSymbol("(")) depth++;
            if (tok.isSymbol(")")) depth--;
            if (depth == 0 && tok.kind() == Kind.WORD && COLUMN_CONSTRAINT_WORDS.contains(tok.text())
                    && !a.get(i - 1).isSymbol("::")) {
                break;
            }
            boolean call = tok.kind() != Kind.STRING && tok.kind() != Kind.SYMBOL && tok.kind() != Kind.NUMBER
                    && i + 1 < a.size() && a.get(i + 1).isSymbol("(") && !a.get(i - 1).isSymbol("::");
            if (call) {
                String f = tok.text();
                if (VOLATILE_FUNCTIONS.contains(f)) {
                    return f;
                }
                if (!STABLE_FUNCTIONS.contains(f) && unknown == null) {
                    unknown = f;
                }
            }
        }
        return unknown;
    }
}
