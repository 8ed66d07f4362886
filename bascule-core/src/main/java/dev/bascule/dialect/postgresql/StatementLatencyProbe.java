package dev.bascule.dialect.postgresql;

import dev.bascule.backfill.health.ApplicationProbe;
import dev.bascule.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The mean execution time of the application's statements in this database, from
 * pg_stat_statements. Bascule's own statements are left out: those that begin with
 * {@link Dialect#OWN_STATEMENT} (batches, the verifier, the health monitor's queries) and those on
 * the state schema (checkpoints, pause flags). So are transaction control and other utility
 * statements, which take microseconds and would dilute the mean the more the backfill commits.
 * Entries are compared key by key with the previous read, so an entry evicted or reset in between
 * does not count as negative work.
 */
final class StatementLatencyProbe implements ApplicationProbe {
    private static final String OWN = Dialect.OWN_STATEMENT.strip();
    private static final Pattern DML = Pattern.compile("(?is)^\\s*(?:/\\*.*?\\*/\\s*|--[^\\n]*\\n\\s*)*"
            + "(select|insert|update|delete|with|merge|values|table|copy|call)\\b.*");
    private static final String KEY = "userid::text || ':' || coalesce(queryid::text, 'hidden') || ':' || toplevel";
    private static final String THIS_DATABASE = "dbid = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private final String function;
    private final String stateSchemaPrefix;
    /** Whether each entry is the application's: decided once per entry, since its text never changes. */
    private final Map<String, Boolean> application = new HashMap<>();
    private Map<String, double[]> previous;

    private StatementLatencyProbe(String function, String stateSchema) {
        this.function = function;
        this.stateSchemaPrefix = '"' + stateSchema.replace("\"", "\"\"") + "\".";
    }

    /** Empty with the reason when pg_stat_statements is not installed in this database, not loaded or not readable. */
    static Result find(Connection c, String stateSchema) throws SQLException {
        String function;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT
                + "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                + " WHERE e.extname = 'pg_stat_statements'")) {
            if (!rs.next()) {
                return new Result(Optional.empty(), "pg_stat_statements is not installed in this database");
            }
            function = rs.getString(1) + ".pg_stat_statements";
        }
        // a trial read: the extension may be created but not in shared_preload_libraries, or not granted
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT
                + "SELECT count(*) FROM " + function + "(false)")) {
            rs.next();
        } catch (SQLException e) {
            return new Result(Optional.empty(), "pg_stat_statements cannot be read (" + e.getMessage().strip() + ")");
        }
        return new Result(Optional.of(new StatementLatencyProbe(function, stateSchema)), null);
    }

    /** @param problem why there is no probe */
    record Result(Optional<ApplicationProbe> probe, String problem) {}

    @Override
    public Kind kind() {
        return Kind.LATENCY;
    }

    @Override
    public String source() {
        return "pg_stat_statements";
    }

    @Override
    public Interval read(Connection c) throws SQLException {
        Map<String, double[]> now = new HashMap<>();
        // the function's schema comes from the catalog's quote_ident, not from input
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT
                + "SELECT " + KEY + ", sum(calls), sum(total_exec_time) FROM " + function + "(false)"
                + " WHERE " + THIS_DATABASE + " GROUP BY 1")) {
            while (rs.next()) {
                now.put(rs.getString(1), new double[] {rs.getDouble(2), rs.getDouble(3)});
            }
        }
        classify(c, now);
        Interval interval = Interval.EMPTY;
        if (previous != null) {
            for (Map.Entry<String, double[]> e : now.entrySet()) {
                if (!application.getOrDefault(e.getKey(), false)) {
                    continue;
                }
                double[] before = previous.get(e.getKey());
                double[] after = e.getValue();
                boolean reset = before == null || after[0] < before[0];
                double calls = reset ? after[0] : after[0] - before[0];
                double time = reset ? after[1] : after[1] - before[1];
                interval = interval.plus(new Interval((long) calls, Math.max(0, time)));
            }
        }
        previous = now;
        return interval;
    }

    /** Reads the text of the entries not seen before: the full texts are read only when new statements appear. */
    private void classify(Connection c, Map<String, double[]> entries) throws SQLException {
        List<String> unknown = new ArrayList<>();
        for (String key : entries.keySet()) {
            if (!application.containsKey(key)) {
                unknown.add(key);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(Dialect.OWN_STATEMENT + "SELECT " + KEY + ", min(query) FROM "
                + function + "(true) WHERE " + THIS_DATABASE + " AND " + KEY + " = ANY (?) GROUP BY 1")) {
            ps.setArray(1, c.createArrayOf("text", unknown.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    application.put(rs.getString(1), isApplication(rs.getString(2)));
                }
            }
        }
    }

    /**
     * A query of another role, which a role without pg_read_all_stats sees as
     * {@code <insufficient privilege>}, is the application's: Bascule's sessions all run as this role.
     */
    private static final java.util.regex.Pattern CATALOG_ONLY = java.util.regex.Pattern.compile(
            "(?i)\\bFROM\\s+(pg_catalog\\.)?(pg_\\w+|information_schema\\.\\w+)\\b");

    private boolean isApplication(String query) {
        if (query == null || query.equalsIgnoreCase("<insufficient privilege>")) {
            return true;
        }
        // catalog and statistics reads (monitors, poolers, serve) are not the application's work
        return !query.stripLeading().startsWith(OWN) && !query.contains(stateSchemaPrefix) && DML.matcher(query).matches()
                && !CATALOG_ONLY.matcher(query).find();
    }
}
