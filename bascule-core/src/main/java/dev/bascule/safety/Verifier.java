package dev.bascule.safety;

import dev.bascule.api.VerifyResult;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Plan;
import dev.bascule.step.Step;
import dev.bascule.plan.Verification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads every row of the tables a migration changes, in keyset batches, and reports the rows whose
 * new values are not what the migration's expressions give. Each batch is one short read-only
 * statement, so the pass takes no lock an application waits on.
 */
public final class Verifier {
    /** Failures listed per table; the count covers them all. */
    static final int EXAMPLES = 20;

    private final Dialect dialect;
    private final int batchSize;

    public Verifier(Dialect dialect, int batchSize) {
        this.dialect = dialect;
        this.batchSize = batchSize;
    }

    public List<VerifyResult> run(Connection c, Plan plan) throws SQLException {
        List<VerifyResult> results = new ArrayList<>();
        for (Verification v : plan.verifications()) {
            results.add(verify(c, v));
        }
        return results;
    }

    private VerifyResult verify(Connection c, Verification v) throws SQLException {
        String keys = v.key().stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
        String keyText = IntStream.range(0, v.key().size())
                .mapToObj(i -> dialect.copy().keyAsText(dialect.quote(v.key().get(i).name())) + " AS bascule_k" + i)
                .collect(Collectors.joining(", "));
        String params = v.key().stream().map(k -> dialect.copy().keyParameter(k.type())).collect(Collectors.joining(", "));
        String table = dialect.qualify(v.schema(), v.table()) + " AS bascule_row";
        String after = "(" + keys + ") > (" + params + ")";
        String failing = v.mismatches().stream().map(m -> "(" + dialect.copy().preparedText(m.predicate()) + ")").collect(Collectors.joining(" OR "));
        String which = IntStream.range(0, v.mismatches().size())
                .mapToObj(i -> "(" + dialect.copy().preparedText(v.mismatches().get(i).predicate()) + ") AS bascule_m" + i).collect(Collectors.joining(", "));

        long checked = 0;
        long mismatched = 0;
        List<String> examples = new ArrayList<>();
        List<String> lower = null;
        while (true) {
            List<String> bound = null;
            try (PreparedStatement ps = c.prepareStatement(Dialect.OWN_STATEMENT + "SELECT " + keyText + " FROM " + table
                    + (lower == null ? "" : " WHERE " + after) + " ORDER BY " + keys + " " + dialect.copy().offsetOneRow())) {
                int p = bind(ps, 1, lower);
                ps.setInt(p, batchSize - 1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        bound = new ArrayList<>();
                        for (int i = 1; i <= v.key().size(); i++) bound.add(rs.getString(i));
                    }
                }
            }
            String range = (lower == null ? "TRUE" : after) + (bound == null ? "" : " AND (" + keys + ") <= (" + params + ")");
            try (PreparedStatement ps = c.prepareStatement(Dialect.OWN_STATEMENT + "SELECT count(CASE WHEN " + failing + " THEN 1 END), count(*) FROM "
                    + table + " WHERE " + range)) {
                bind(ps, bind(ps, 1, lower), bound);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long bad = rs.getLong(1);
                    mismatched += bad;
                    checked += rs.getLong(2);
                    if (bad > 0 && examples.size() < EXAMPLES) {
                        examples.addAll(examples(c, v, table, keyText, keys, range, failing, which, lower, bound,
                                EXAMPLES - examples.size()));
                    }
                }
            }
            if (bound == null) {
                return new VerifyResult(v.table(), checked, mismatched, examples);
            }
            lower = bound;
        }
    }

    private List<String> examples(Connection c, Verification v, String table, String keyText, String keys, String range,
                                  String failing, String which, List<String> lower, List<String> bound, int limit)
            throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(Dialect.OWN_STATEMENT + "SELECT " + keyText + ", " + which + " FROM " + table + " WHERE "
                + range + " AND (" + failing + ") ORDER BY " + keys + " LIMIT " + limit)) {
            bind(ps, bind(ps, 1, lower), bound);
            try (ResultSet rs = ps.executeQuery()) {
                int n = v.key().size();
                while (rs.next()) {
                    List<String> key = new ArrayList<>();
                    for (int i = 1; i <= n; i++) key.add(rs.getString(i));
                    List<String> what = new ArrayList<>();
                    for (int m = 0; m < v.mismatches().size(); m++) {
                        if (rs.getBoolean(n + 1 + m)) what.add(v.mismatches().get(m).what());
                    }
                    found.add("(" + String.join(", ", key) + "): " + String.join(", ", what));
                }
            }
        }
        return found;
    }

    private static int bind(PreparedStatement ps, int from, List<String> values) throws SQLException {
        int p = from;
        if (values != null) {
            for (String value : values) ps.setString(p++, value);
        }
        return p;
    }

    /** Whether the plan's start finished every backfill step: before that, unfilled rows would all fail. */
    public static boolean backfilled(Plan plan, java.util.Set<Integer> doneStartSteps) {
        for (int i = 0; i < plan.start().size(); i++) {
            if (plan.start().get(i).action() instanceof Step.BackfillStep && !doneStartSteps.contains(i)) {
                return false;
            }
        }
        return true;
    }
}
