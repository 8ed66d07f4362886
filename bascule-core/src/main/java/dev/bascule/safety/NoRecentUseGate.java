package dev.bascule.safety;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * No query has named a table or column that complete removes (dropped, moved or renamed away)
 * since start began: old code that still does would fail once it is gone. Read from
 * pg_stat_statements, whose call counts are compared with those recorded when start began; without
 * the extension the gate says it cannot tell and lets complete go on.
 */
public final class NoRecentUseGate implements Gate {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What start recorded: whether the extension could be read, and the calls of the queries naming retired names. */
    record Baseline(boolean available, Map<String, Long> calls) {}

    @Override
    public String name() {
        return "no_recent_use";
    }

    @Override
    public Optional<String> baseline(Connection c, Plan plan) throws SQLException {
        if (plan.retiredNames().isEmpty()) {
            return Optional.empty();
        }
        Optional<List<StatementStats.Entry>> entries = StatementStats.read(c);
        Map<String, Long> calls = new LinkedHashMap<>();
        entries.ifPresent(all -> all.stream().filter(e -> naming(e.query(), plan).isPresent())
                .forEach(e -> calls.put(e.key(), e.calls())));
        return Optional.of(write(new Baseline(entries.isPresent(), calls)));
    }

    @Override
    public Optional<String> check(Input in) throws SQLException {
        Plan plan = in.plan();
        if (plan.retiredNames().isEmpty()) {
            return Optional.empty();
        }
        Optional<List<StatementStats.Entry>> now = StatementStats.read(in.connection());
        Baseline before = read(in.baselines().get(name()));
        if (now.isEmpty() || before == null || !before.available()) {
            in.note().accept("gate no_recent_use cannot tell whether queries still use " + String.join(", ", plan.retiredNames())
                    + (now.isEmpty() ? ": pg_stat_statements is not installed in this database (shared_preload_libraries"
                    + " and CREATE EXTENSION pg_stat_statements)" : ": pg_stat_statements was not readable when start began"));
            return Optional.empty();
        }
        List<String> used = new ArrayList<>();
        int hidden = 0;
        for (StatementStats.Entry e : now.get()) {
            if (StatementStats.hidden(e.query())) {
                hidden++;
                continue;
            }
            Optional<String> name = naming(e.query(), plan);
            long since = e.calls() - before.calls().getOrDefault(e.key(), 0L);
            if (name.isPresent() && since > 0) {
                used.add(name.get() + " by " + since + " call(s) of: " + abbreviate(e.query()));
            }
        }
        if (hidden > 0) {
            in.note().accept("gate no_recent_use cannot see " + hidden + " queries of other roles; grant pg_read_all_stats"
                    + " to the role Bascule connects as to have them checked");
        }
        return used.isEmpty() ? Optional.empty() : Optional.of("queries used what complete removes since start: "
                + String.join("; ", used) + " (old code still runs, or a job names it: deploy the new code everywhere first)");
    }

    /** The first retired name the query names. */
    private static Optional<String> naming(String query, Plan plan) {
        for (String retired : plan.retiredNames()) {
            int dot = retired.indexOf('.');
            List<String> parts = dot < 0 ? List.of(retired) : List.of(retired.substring(0, dot), retired.substring(dot + 1));
            if (StatementStats.names(query, parts)) {
                return Optional.of(retired);
            }
        }
        return Optional.empty();
    }

    private static String abbreviate(String query) {
        String flat = query.replaceAll("\\s+", " ").strip();
        return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
    }

    private static String write(Baseline b) {
        try {
            return JSON.writeValueAsString(b);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Baseline read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Baseline.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable baseline of no_recent_use: " + e.getMessage(), e);
        }
    }
}
