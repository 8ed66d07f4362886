package dev.bascule.safety;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The application's statements as pg_stat_statements counts them: what the {@code no_recent_use}
 * gate reads to tell whether a name complete removes is still in queries.
 */
final class StatementStats {
    private static final String OWN = dev.bascule.dialect.Dialect.OWN_STATEMENT.strip();

    private static final Pattern DML = Pattern.compile("(?is)^\\s*(?:/\\*.*?\\*/\\s*|--[^\\n]*\\n\\s*)*"
            + "(select|insert|update|delete|with|merge|values|table|copy)\\b.*");

    /** One pg_stat_statements entry: who ran it, its normalized text and how often. */
    record Entry(String key, String query, long calls) {}

    private StatementStats() {}

    /** The statements of this database, or empty when pg_stat_statements is not installed or not loaded. */
    static Optional<List<Entry>> read(Connection c) throws SQLException {
        String view;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                        + " WHERE e.extname = 'pg_stat_statements'")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            view = rs.getString(1) + ".pg_stat_statements";
        }
        List<Entry> entries = new ArrayList<>();
        // the extension's view is schema-qualified by the catalog's own quote_ident above, not by user input
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT userid || ':' || queryid || ':' || toplevel, query, calls FROM " + view
                        + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            while (rs.next()) {
                entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            // 55000: created but not in shared_preload_libraries; 42501: its schema or view not
            // granted; 42703: an extension older than 1.9 (no toplevel) left by pg_upgrade
            if (List.of("55000", "42501", "42703").contains(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(entries);
    }

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
