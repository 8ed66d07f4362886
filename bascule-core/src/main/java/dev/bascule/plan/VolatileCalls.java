package dev.bascule.plan;

import dev.bascule.sql.SqlLexer;
import dev.bascule.sql.SqlLexer.Kind;
import dev.bascule.sql.SqlLexer.Token;
import dev.bascule.sql.SqlSyntax;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The functions an {@code up} or {@code down} expression calls whose value changes from one call to
 * the next: the verified gate computes the expression again and compares, so such a value never
 * matches. Known here by name; on PostgreSQL the server also tells of any other volatile function
 * (pg_proc.provolatile, see {@code CatalogReader.volatileFunctions}).
 */
public final class VolatileCalls {
    private VolatileCalls() {}

    /**
     * Functions and clock keywords whose value differs between the write and the gate's second
     * computation: the volatile ones of both servers and the clock (PostgreSQL's now() is stable,
     * but only within one transaction, and the gate runs in another).
     */
    static final Set<String> KNOWN = union(DefaultCalls.VOLATILE_FUNCTIONS, Set.of("now", "current_timestamp",
            "current_date", "current_time", "localtimestamp", "localtime", "transaction_timestamp",
            "statement_timestamp", "rand", "uuid", "uuid_short", "sys_guid", "sysdate", "curdate", "curtime",
            "utc_timestamp", "utc_date", "utc_time", "unix_timestamp", "lastval", "currval", "connection_id"));

    /** The clock words SQL reads without parentheses ({@code current_timestamp}). */
    private static final Set<String> KEYWORD_CALLS = Set.of("current_timestamp", "current_date", "current_time",
            "localtimestamp", "localtime", "utc_timestamp", "utc_date", "utc_time");

    /**
     * An expression of the migration that the verified gate computes again.
     *
     * @param path  the field of the migration file ({@code operations[2].alter_column.up})
     * @param calls the functions it calls, lower case, without schema
     */
    public record Candidate(String path, String operation, String field, String expression, List<String> calls) {
        public Candidate {
            calls = List.copyOf(calls);
        }

        /** The note {@code bascule plan} shows for {@code function}. */
        public String note(String function) {
            return operation + " " + field + " calls " + function + "(), whose value changes from one call to the"
                    + " next: the verified gate computes '" + field + "' again and will report the rows it filled as"
                    + " mismatches, blocking complete; make it deterministic, or complete with --force-gate verified";
        }
    }

    /** The functions {@code expression} calls (and clock keywords it names), lower case, in order, once each. */
    public static List<String> calls(String expression, String dialect) {
        List<Token> tokens = SqlLexer.tokens(expression, 1, SqlSyntax.parse(dialect));
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED) {
                continue;
            }
            boolean afterCast = i > 0 && tokens.get(i - 1).isSymbol("::");
            boolean qualifies = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol(".");
            boolean call = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("(");
            if (afterCast || qualifies) {
                continue;
            }
            if (call || (t.kind() == Kind.WORD && KEYWORD_CALLS.contains(t.text()))) {
                out.add(t.text());
            }
        }
        return new ArrayList<>(out);
    }

    /** Of {@code calls}, those known without asking the server to change from one call to the next. */
    public static List<String> known(List<String> calls) {
        return calls.stream().filter(KNOWN::contains).toList();
    }

    /** The calls of {@code candidates} Bascule's own list does not know: the server is asked about these. */
    public static Set<String> unknown(List<Candidate> candidates) {
        Set<String> out = new LinkedHashSet<>();
        candidates.forEach(c -> c.calls().stream().filter(f -> !KNOWN.contains(f)).forEach(out::add));
        return out;
    }

    /** The notes for the calls the server says are volatile, beyond those the planner noted already. */
    public static List<String> serverNotes(List<Candidate> candidates, Set<String> volatileOnServer) {
        List<String> out = new ArrayList<>();
        for (Candidate c : candidates) {
            c.calls().stream().filter(f -> !KNOWN.contains(f) && volatileOnServer.contains(f)).forEach(f -> out.add(c.note(f)));
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
