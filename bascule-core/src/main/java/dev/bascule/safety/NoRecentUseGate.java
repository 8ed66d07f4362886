package dev.bascule.safety;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.Health;
import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * No query still names a table or column that complete removes (dropped, moved or renamed away):
 * old code that does would fail once it is gone. Read from pg_stat_statements: queries that named
 * one since start began (call counts recorded then) must have stopped for a quiet time. Without
 * the extension the gate says it cannot tell and lets complete go on.
 */
final class NoRecentUseGate implements Gate {
    private final Dialect dialect;
    private final Duration quiet;

    public NoRecentUseGate(Dialect dialect, Duration quiet) {
        this.dialect = dialect;
        this.quiet = quiet;
    }

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
        Optional<List<Health.StatementCount>> entries = dialect.health().statementCounts(c);
        return Optional.of(RecentUse.write(new Baseline(entries.isPresent(), entries.map(e -> calls(e, plan)).orElse(Map.of()))));
    }

    @Override
    public Optional<String> check(Input in) throws SQLException {
        Plan plan = in.plan();
        if (plan.retiredNames().isEmpty()) {
            return Optional.empty();
        }
        Optional<List<Health.StatementCount>> now = dialect.health().statementCounts(in.connection());
        String json = in.baselines().get(name());
        Baseline before = json == null ? null : RecentUse.read(json, new TypeReference<Baseline>() {}, name());
        if (now.isEmpty() || before == null || !before.available()) {
            in.note().accept("gate no_recent_use cannot tell whether queries still use " + String.join(", ", plan.retiredNames())
                    + (now.isEmpty() ? ": pg_stat_statements is not installed in this database, or not readable"
                    + " (shared_preload_libraries, CREATE EXTENSION pg_stat_statements, pg_read_all_stats)"
                    : ": pg_stat_statements was not readable when start began"));
            return Optional.empty();
        }
        long hidden = now.get().stream().filter(e -> StatementStats.hidden(e.query())).count();
        if (hidden > 0) {
            in.note().accept("gate no_recent_use cannot see " + hidden + " queries of other roles; grant pg_read_all_stats"
                    + " to the role Bascule connects as to have them checked");
        }
        Map<String, String> texts = new LinkedHashMap<>();
        RecentUse.Counters counters = () -> {
            List<Health.StatementCount> entries = dialect.health().statementCounts(in.connection()).orElse(List.of());
            entries.forEach(e -> texts.putIfAbsent(e.key(), e.query()));
            return calls(entries, plan);
        };
        now.get().forEach(e -> texts.put(e.key(), e.query()));
        Map<String, Long> still = RecentUse.stillMoving(before.calls(), calls(now.get(), plan), counters, quiet,
                "queries named what complete removes", key -> naming(texts.get(key), plan).orElse("?"), in.note());
        if (still.isEmpty()) {
            return Optional.empty();
        }
        List<String> used = new ArrayList<>();
        still.forEach((key, calls) -> used.add(naming(texts.get(key), plan).orElse("?") + " by " + calls + " call(s) of: "
                + abbreviate(texts.get(key))));
        return Optional.of("queries used what complete removes in the last " + quiet.toSeconds() + " s: " + String.join("; ", used)
                + " (old code still runs, or a job names it: deploy the new code everywhere first)");
    }

    /** The calls of each query naming a retired name, by the query's key. */
    private static Map<String, Long> calls(List<Health.StatementCount> entries, Plan plan) {
        Map<String, Long> calls = new LinkedHashMap<>();
        entries.stream().filter(e -> naming(e.query(), plan).isPresent()).forEach(e -> calls.put(e.key(), e.calls()));
        return calls;
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
        String flat = query == null ? "" : query.replaceAll("\\s+", " ").strip();
        return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
    }
}
