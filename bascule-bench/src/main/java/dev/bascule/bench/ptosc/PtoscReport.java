package dev.bascule.bench.ptosc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The runs as Markdown: each run, then each tool over the rounds with its ratios to pt-osc's. */
final class PtoscReport {
    private final PtoscOptions options;
    private final String server;
    private final List<String> tools;
    private final List<ChangeRun.Result> results;
    private final List<String> lines = new ArrayList<>();

    PtoscReport(PtoscOptions options, String server, List<String> tools, List<ChangeRun.Result> results) {
        this.options = options;
        this.server = server;
        this.tools = List.copyOf(tools);
        this.results = List.copyOf(results);
    }

    List<String> lines() {
        lines.clear();
        add("## Bascule against pt-online-schema-change: %,d rows, %d clients, %d rounds (%s)", options.rows(),
                options.clients(), options.rounds(), server);
        add("");
        add("The change: `orders.amount` from `int NOT NULL` to `bigint NOT NULL`. pt-online-schema-change: `--alter \"%s\"`,"
                + " its defaults. Bascule: %s, start then complete, its defaults%s. %d clients read (60 %%), update (30 %%)"
                + " and insert (10 %%) orders by key on the table, 1 ms apart, for %d s before the change, through it, and"
                + " %d s after. Latencies are the clients' from the change's first statement to its last.",
                PtOscChange.ALTER, options.change() == BasculeChange.Kind.STAND_IN
                        ? "**stand-in** `add_column amount2 bigint` with `up: amount` (MariaDB's `alter_column` not available)"
                        : "`alter_column {table: orders, column: amount, type: bigint}`",
                !options.tuned() ? "" : ", and once more tuned",
                options.clients(), options.phase().toSeconds(), options.phase().toSeconds());
        add("");
        add("### Each run");
        add("");
        add("| round | tool | copy: rows | s | rows/s | whole change, s | client ops | ops/s | p50 ms | p99 ms | max ms | errors | p99 before, ms | table afterwards |");
        add("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (ChangeRun.Result r : results) {
            if (r.failed()) {
                add("| %d | %s | %s | | | %.1f | %,d | %,.0f | %.2f | %.2f | %.1f | %,d | %.2f | not checked |", r.round(), r.tool(),
                        r.detail().replace("|", "\\|"), r.totalSeconds(), r.during().total().count(), r.during().opsPerSecond(),
                        r.during().total().p50(),
                        r.during().total().p99(), r.during().total().max(), r.errors(), r.before().total().p99());
                continue;
            }
            add("| %d | %s | %,d | %.2f | %,.0f | %.1f | %,d | %,.0f | %.2f | %.2f | %.1f | %,d | %.2f | %s |", r.round(), r.tool(),
                    r.copyRows(), r.copySeconds(), r.copyRate(), r.totalSeconds(), r.during().total().count(), r.during().opsPerSecond(),
                    r.during().total().p50(), r.during().total().p99(), r.during().total().max(), r.errors(),
                    r.before().total().p99(), r.check().summary().replace("|", "\\|"));
        }
        add("");
        summary();
        details();
        return List.copyOf(lines);
    }

    private void summary() {
        String ptosc = tools.get(0);
        add("### Over the rounds (mean; min – max)");
        add("");
        add("| tool | copy rows/s | whole change, s | client ops/s during | p99 during, ms | max during, ms | client errors | rate / pt-osc's | p99 / pt-osc's |");
        add("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        double ptRate = mean(ptosc, ChangeRun.Result::copyRate);
        double ptP99 = mean(ptosc, r -> r.during().total().p99());
        for (String tool : tools) {
            add("| %s | %s | %s | %s | %s | %s | %,.0f | %s | %s |", tool, spread(tool, ChangeRun.Result::copyRate, "%,.0f"),
                    spread(tool, ChangeRun.Result::totalSeconds, "%.1f"), spread(tool, r -> r.during().opsPerSecond(), "%,.0f"),
                    spread(tool, r -> r.during().total().p99(), "%.2f"),
                    spread(tool, r -> r.during().total().max(), "%.1f"), sum(tool, r -> r.errors()),
                    tool.equals(ptosc) ? "1" : ratio(mean(tool, ChangeRun.Result::copyRate), ptRate),
                    tool.equals(ptosc) ? "1" : ratio(mean(tool, r -> r.during().total().p99()), ptP99));
        }
        add("");
        for (String tool : tools.subList(1, tools.size())) {
            double rate = mean(tool, ChangeRun.Result::copyRate) / ptRate;
            double p99 = mean(tool, r -> r.during().total().p99()) / ptP99;
            boolean failed = results.stream().anyMatch(r -> r.tool().equals(tool) && (r.failed() || !r.check().ok()));
            add("- %s: %s × pt-osc's copy rate at %s × its p99: the target (≥ 1.5 × the rate at a p99 no higher) is %s.", tool,
                    ratio(rate, 1), ratio(p99, 1), failed ? "not judged, a run failed or its table check did"
                            : rate >= 1.5 && p99 <= 1.0 ? "met" : "missed");
        }
        add("");
    }

    private void details() {
        add("### What each run did");
        add("");
        for (ChangeRun.Result r : results) {
            add("- round %d, %s: %s%s.", r.round(), r.tool(), r.detail().replace("|", "\\|"),
                    r.copyReported() >= 0 ? String.format(Locale.ROOT, "; the backfill counted %,d rows", r.copyReported()) : "");
            for (LatencyRecorder.Stats s : List.of(r.during(), r.after())) {
                s.messages().forEach(m -> add("  - first errors %s: %s", s.name(), m.replace("|", "\\|")));
            }
        }
        add("");
    }

    private List<ChangeRun.Result> of(String tool) {
        return results.stream().filter(r -> r.tool().equals(tool) && !r.failed()).toList();
    }

    private double mean(String tool, ToDoubleFunction<ChangeRun.Result> f) {
        return of(tool).stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private double sum(String tool, ToDoubleFunction<ChangeRun.Result> f) {
        return results.stream().filter(r -> r.tool().equals(tool)).mapToDouble(f).sum();
    }

    private String spread(String tool, ToDoubleFunction<ChangeRun.Result> f, String format) {
        List<ChangeRun.Result> rs = of(tool);
        if (rs.isEmpty()) return "—";
        double min = rs.stream().mapToDouble(f).min().orElseThrow();
        double max = rs.stream().mapToDouble(f).max().orElseThrow();
        String mean = String.format(Locale.ROOT, format, mean(tool, f));
        String low = String.format(Locale.ROOT, format, min);
        String high = String.format(Locale.ROOT, format, max);
        return low.equals(high) ? mean : mean + " (" + low + " – " + high + ")";
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) return "—";
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    private void add(String format, Object... args) {
        lines.add(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
    }
}
