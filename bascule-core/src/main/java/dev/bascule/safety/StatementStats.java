package dev.bascule.safety;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the {@code no_recent_use} gate reads the application's statements, as the server's statement
 * statistics count them ({@link dev.bascule.dialect.Health#statementCounts}): whether one names
 * what complete removes.
 */
final class StatementStats {
    private static final String OWN = dev.bascule.dialect.Dialect.OWN_STATEMENT.strip();

    private static final Pattern DML = Pattern.compile("(?is)^\\s*(?:/\\*.*?\\*/\\s*|--[^\\n]*\\n\\s*)*"
            + "(select|insert|update|delete|with|merge|values|table|copy)\\b.*");

    private StatementStats() {}

    /** An application query (not DDL, not Bascule's own) naming every one of {@code names} as an identifier. */
    static boolean names(String query, List<String> names) {
        if (query == null || query.contains(OWN) || !DML.matcher(query).matches()) {
            return false;
        }
        for (String name : names) {
            if (!identifier(name).matcher(query).find()) {
                return false;
            }
        }
        return true;
    }

    /** {@code <insufficient privilege>}: the query of another user, which a role without pg_read_all_stats cannot see. */
    static boolean hidden(String query) {
        return query != null && query.toLowerCase(Locale.ROOT).equals("<insufficient privilege>");
    }

    private static Pattern identifier(String name) {
        // bare or quoted; case-insensitive because unquoted identifiers fold to lower case
        return Pattern.compile("(?<![\\p{L}\\p{N}_$])\"?" + Pattern.quote(name) + "\"?(?![\\p{L}\\p{N}_$])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
