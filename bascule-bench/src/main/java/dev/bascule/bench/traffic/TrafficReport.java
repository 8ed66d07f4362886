package dev.bascule.bench.traffic;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The two runs as Markdown: side by side first, then each phase of each run. */
final class TrafficReport {
    private final TrafficOptions options;
    private final String server;
    private final RunResult bascule;
    private final RunResult baseline;
    private final List<String> lines = new ArrayList<>();

    TrafficReport(TrafficOptions options, String server, RunResult bascule, RunResult baseline) {
        this.options = options;
        this.server = server;
        this.bascule = bascule;
        this.baseline = baseline;
    }

    List<String> lines() {
        lines.clear();
        add("## Traffic through a whole migration: %,d rows, %d clients (%s)", options.rows(), options.clients(), server);
        add("");
        add("The change: a new column `email_lower text NOT NULL` filled with `lower(email)`, and `visits` from `int` to"
                + " `bigint`. %d clients (%d old code, %d new code) read, update and insert `accounts` by key (40/40/20 %%),"
                + " 1 ms apart, autocommit, no statement timeout. Before, between start and complete (old and new code side"
                + " by side) and after, each client runs %d s.", options.clients(), options.clients() / 2,
                options.clients() - options.clients() / 2, options.phase().toSeconds());
        add("");
        sideBySide();
        stages();
        for (RunResult r : List.of(bascule, baseline)) {
            detail(r);
        }
        return List.copyOf(lines);
    }

    private void sideBySide() {
        add("### Side by side");
        add("");
        add("| | %s | %s | %s / %s |", bascule.scenario(), baseline.scenario(), baseline.scenario(), bascule.scenario());
        add("|---|---:|---:|---:|");
        add("| migration | %s | %s | |", bascule.migration(), baseline.migration());
        compare("longest client operation from the schema change on, ms", r -> max(migrating(r), PhaseResult::longestMillis));
        compare("longest client operation before the migration, ms (this machine's noise)",
                r -> max(before(r), PhaseResult::longestMillis));
        compare("time clients waited on locks, total ms (monitor)", r -> sum(r.phases(), p -> p.lockWaits().totalMillis()));
        compare("longest lock wait, ms (monitor)", r -> max(r.phases(), p -> p.lockWaits().longestMillis()));
        compare("lock waits seen (monitor)", r -> sum(r.phases(), p -> p.lockWaits().waits()));
        compare("failed client operations", r -> r.errors());
        compare("client operations", r -> r.operations());
        compare("client operations per second during the schema change and data migration", r -> rate(r, Phase.Stage.CHANGE));
        add("| table afterwards | %s | %s | |", check(bascule), check(baseline));
        add("");
    }

    private void stages() {
        add("### p99 and max per stage, ms");
        add("");
        add("| stage | %s phases | ops | p99 | max | errors | %s phases | ops | p99 | max | errors | p99 ratio | max ratio |",
                bascule.scenario(), baseline.scenario());
        add("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        for (Phase.Stage stage : Phase.Stage.values()) {
            Stage b = stage(bascule, stage);
            Stage f = stage(baseline, stage);
            add("| %s | %s | %s | %s |", stage.label(), b.cells(), f.cells(),
                    b.empty() || f.empty() ? "— | —" : ratio(f.p99(), b.p99()) + " | " + ratio(f.max(), b.max()));
        }
        add("");
        add("Ratios are %s / %s. An operation counts in the phase in which it began.", baseline.scenario(), bascule.scenario());
        add("");
    }

    private record Stage(String phases, long ops, double p99, double max, long errors) {
        boolean empty() {
            return ops == 0 && errors == 0;
        }

        String cells() {
            return empty() ? "— | | | | " : String.format(Locale.ROOT, "%s | %,d | %.2f | %.2f | %,d", phases, ops, p99, max, errors);
        }
    }

    private static Stage stage(RunResult r, Phase.Stage stage) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        List<String> names = new ArrayList<>();
        long errors = 0;
        for (PhaseResult p : r.phases()) {
            if (p.phase().stage() == stage) {
                h.add(p.all());
                names.add(p.phase().name());
                errors += p.errors();
            }
        }
        return new Stage(String.join(" + ", names), h.getTotalCount(), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), errors);
    }

    private void detail(RunResult r) {
        add("### %s, per phase", r.scenario());
        add("");
        add("| phase | s | operation | ops | p50 ms | p99 ms | max ms | errors |");
        add("|---|---:|---|---:|---:|---:|---:|---:|");
        for (PhaseResult p : r.phases()) {
            String name = p.phase().name();
            String secs = String.format(Locale.ROOT, "%.1f", p.millis() / 1000.0);
            for (Op op : Op.values()) {
                OpStats s = p.ops().get(op);
                add("| %s | %s | %s | %,d | %.2f | %.2f | %.2f | %,d |", name, secs, op.label(), s.count(), s.p50(), s.p99(),
                        s.max(), s.errors());
                name = "";
                secs = "";
            }
        }
        add("");
        add("| phase | longest operation, ms | lock waits (monitor) | longest, ms | total, ms | the longest wait was behind |");
        add("|---|---:|---:|---:|---:|---|");
        for (PhaseResult p : r.phases()) {
            LockWaits w = p.lockWaits();
            add("| %s | %.1f (%s) | %,d | %.1f | %.1f | %s |", p.phase().name(), p.longestMillis(), p.longestWhat(), w.waits(),
                    w.longestMillis(), w.totalMillis(), w.blocker().isEmpty() ? "" : "`" + w.blocker().replace("|", "\\|") + "`");
        }
        add("");
        add("Who ran, per phase (operations that succeeded):");
        add("");
        for (PhaseResult p : r.phases()) {
            List<String> by = new ArrayList<>();
            for (Map.Entry<String, Long> e : p.operationsBy().entrySet()) {
                by.add(String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()));
            }
            add("- %s: %s", p.phase().name(), by.isEmpty() ? "none" : String.join("; ", by));
        }
        add("");
        List<String> messages = new ArrayList<>();
        for (PhaseResult p : r.phases()) {
            p.messages().forEach(m -> messages.add(p.phase().name() + ": " + m));
        }
        if (!messages.isEmpty()) {
            add("First errors:");
            add("");
            messages.forEach(m -> add("- %s", m.replace("|", "\\|")));
            add("");
        }
        add("Table afterwards: %s. The lock monitor took %,d samples every %d ms.", check(r), r.monitorSamples(),
                options.monitorIntervalMillis());
        add("");
    }

    /** The phases from the schema change on. */
    private static List<PhaseResult> migrating(RunResult r) {
        return r.phases().stream().filter(p -> p.phase().stage() != Phase.Stage.BEFORE).toList();
    }

    private static List<PhaseResult> before(RunResult r) {
        return r.phases().stream().filter(p -> p.phase().stage() == Phase.Stage.BEFORE).toList();
    }

    /** Operations that succeeded per second of the phases of {@code stage}. */
    private static double rate(RunResult r, Phase.Stage stage) {
        long ops = 0;
        long millis = 0;
        for (PhaseResult p : r.phases()) {
            if (p.phase().stage() == stage) {
                ops += p.total().count();
                millis += p.millis();
            }
        }
        return millis == 0 ? 0 : Math.rint(ops * 1000.0 / millis);
    }

    private static String check(RunResult r) {
        if (r.check() == null) return "not checked, the migration failed";
        return r.check().ok() ? "every row as expected" : String.join("; ", r.check().problems());
    }

    private void compare(String what, ToDoubleFunction<RunResult> value) {
        compare(what, value.applyAsDouble(bascule), value.applyAsDouble(baseline));
    }

    private void compare(String what, double b, double f) {
        add("| %s | %s | %s | %s |", what, number(b), number(f), ratio(f, b));
    }

    private static double max(List<PhaseResult> phases, ToDoubleFunction<PhaseResult> f) {
        return phases.stream().mapToDouble(f).max().orElse(0);
    }

    private static double sum(List<PhaseResult> phases, ToDoubleFunction<PhaseResult> f) {
        return phases.stream().mapToDouble(f).sum();
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%,.2f", v);
    }

    private static String ratio(double numerator, double denominator) {
        if (denominator <= 0) return numerator <= 0 ? "—" : "∞ (" + number(numerator) + " vs 0)";
        double r = numerator / denominator;
        return String.format(Locale.ROOT, r < 1 ? "%.2f ×" : "%,.1f ×", r);
    }

    private void add(String format, Object... args) {
        lines.add(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
    }
}
