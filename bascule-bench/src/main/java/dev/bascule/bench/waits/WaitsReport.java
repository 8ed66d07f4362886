package dev.bascule.bench.waits;

import dev.bascule.api.BackfillBatch;
import dev.bascule.api.BackfillOptions;
import dev.bascule.bench.waits.WaitsBenchmark.Pair;
import dev.bascule.bench.waits.WaitsBenchmark.Run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The waits benchmark's report: one row per run and size, the spread per size, where the batches' time went. */
final class WaitsReport {
    private final WaitsCommand options;
    private final String server;
    private final BackfillOptions backfill;
    private final List<Pair> pairs;
    private final List<String> lines = new ArrayList<>();

    WaitsReport(WaitsCommand options, String server, BackfillOptions backfill, List<Pair> pairs) {
        this.options = options;
        this.server = server;
        this.backfill = backfill;
        this.pairs = pairs;
    }

    /** The clients' longest operation that began during start or complete, in ms. */
    static double longestDuringMigration(Run r) {
        return Math.max(Math.max(r.expand().maxMillis(), r.backfill().maxMillis()), Math.max(r.publish().maxMillis(), r.complete().maxMillis()));
    }

    static BlockerMonitor.Wait longest(BlockerMonitor monitor, String... phases) {
        BlockerMonitor.Wait longest = null;
        for (String p : phases) {
            BlockerMonitor.Wait w = monitor.longest(p);
            if (w != null && (longest == null || w.millis() > longest.millis())) longest = w;
        }
        return longest;
    }

    List<String> lines() {
        add("## Waits and rate under traffic (%s)", server);
        add("");
        add("%d clients read and update random keys (half each, 1 ms apart, autocommit) of `t (id bigint PRIMARY KEY, email text,"
                + " payload text)`. On one fresh copy: one bulk `UPDATE t SET email_lower = lower(email)` with the sync trigger skipped"
                + " (the rate baseline); on another, Bascule's start then complete of `add_column email_lower text NOT NULL, up:"
                + " lower(email)`, backfill: target batch time %d ms, health signals %s. Rate ratio: the bulk UPDATE's time over"
                + " start's whole time (expand, backfill, the steps after it). Longest client operation: the slowest read or update"
                + " that began in the phase. Load: `/proc/loadavg` (1, 5, 15 min) when the size's run began.",
                options.clients, backfill.targetBatchTime().toMillis(), options.throttle.equals("none") ? "off" : "Bascule's defaults");
        add("");
        add("| run | load | rows | bulk UPDATE s | start s (backfill s) | start rate / bulk rate | complete s | longest client op, ms:"
                + " before / expand / backfill / after backfill / complete | during bulk UPDATE | longest lock wait seen, ms, and its blocker |");
        add("|---:|---|---:|---:|---|---:|---:|---|---:|---|");
        for (Pair p : pairs) {
            Run r = p.bascule();
            BlockerMonitor.Wait w = r.longestWait();
            add("| %d | %s | %,d | %.2f | %.2f (%.2f) | %.2f | %.2f | %.1f / %.1f / %.1f / %.1f / %.1f | %.1f | %s |", p.run(), p.load(), r.rows(),
                    p.bulk().seconds(), r.startSeconds(), r.backfillSeconds(), p.rateRatio(), r.completeSeconds(), r.before().maxMillis(),
                    r.expand().maxMillis(), r.backfill().maxMillis(), r.publish().maxMillis(), r.complete().maxMillis(),
                    p.bulk().during().maxMillis(), w == null ? "none" : String.format(Locale.ROOT, "%.1f %s: %s (%s)", w.millis(), w.lockType(),
                            w.blocker().replace("|", "\\|"), w.phase()));
        }
        add("");
        spread();
        batches();
        return lines;
    }

    private void spread() {
        add("| rows | runs | start rate / bulk rate: min – max (median) | longest client op during start and complete, ms: min – max (median) | before the change, ms (the machine's noise) | clients' p99 during the backfill, ms |");
        add("|---:|---:|---|---|---|---|");
        Map<Long, List<Pair>> bySize = new TreeMap<>(pairs.stream().collect(Collectors.groupingBy(p -> p.bascule().rows())));
        bySize.forEach((rows, ps) -> add("| %,d | %d | %s | %s | %s | %s |", rows, ps.size(), range(ps, Pair::rateRatio, "%.2f"),
                range(ps, p -> longestDuringMigration(p.bascule()), "%.1f"), range(ps, p -> p.bascule().before().maxMillis(), "%.1f"),
                range(ps, p -> p.bascule().backfill().p99Millis(), "%.2f")));
        add("");
    }

    private void batches() {
        add("Where start's time went, per run (batch times: median / max, ms; lock hold: the batch's write, checkpoint and commit,"
                + " the longest a client can have waited on it; totals: between / settings / bound / write / checkpoint / commit /"
                + " pause after the batch):");
        add("");
        add("| run | rows | steps other than the backfill, s | batches | batches clients waited on | rows per batch: median / last | between batches | settings | bound read | write | checkpoint | commit | lock hold | batches' parts, total s | throttle waits: n, s (reasons) |");
        add("|---:|---:|---:|---:|---:|---|---|---|---|---|---|---|---|---|---|");
        for (Pair p : pairs) {
            Run r = p.bascule();
            List<BackfillBatch> b = r.batches();
            Map<String, Long> reasons = r.throttled().stream().collect(Collectors.groupingBy(s -> s.replaceAll("[0-9.]+", "N"),
                    TreeMap::new, Collectors.counting()));
            add("| %d | %,d | %.2f | %d | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %d, %.2f %s |", p.run(), r.rows(), r.expandSeconds(), b.size(), waitedOn(b),
                    median(b, x -> x.rows(), "%.0f"), b.isEmpty() ? "-" : Integer.toString(b.get(b.size() - 1).size()),
                    times(b, BackfillBatch::between), times(b, BackfillBatch::settings), times(b, BackfillBatch::bound), times(b, BackfillBatch::write), times(b, BackfillBatch::checkpoint),
                    times(b, BackfillBatch::commit), times(b, BackfillBatch::lockHold), totals(b), r.throttled().size(), r.throttledSeconds(),
                    reasons.isEmpty() ? "" : "(" + reasons.entrySet().stream().map(e -> e.getValue() + " × " + e.getKey())
                            .collect(Collectors.joining("; ")) + ")");
        }
        add("");
    }

    /** Batches with application sessions waiting on their locks when they committed, as the backfill counted them. */
    private static String waitedOn(List<BackfillBatch> b) {
        if (b.stream().anyMatch(x -> x.waiters() < 0)) return "-";
        return Long.toString(b.stream().filter(x -> x.waiters() > 0).count());
    }

    /** Seconds in all batches: between / settings / bound / write / checkpoint / commit / pause. */
    private static String totals(List<BackfillBatch> b) {
        List<java.util.function.Function<BackfillBatch, Duration>> parts = List.of(BackfillBatch::between, BackfillBatch::settings,
                BackfillBatch::bound, BackfillBatch::write, BackfillBatch::checkpoint, BackfillBatch::commit, BackfillBatch::pause);
        return parts.stream().map(f -> String.format(Locale.ROOT, "%.2f", b.stream().mapToLong(x -> f.apply(x).toNanos()).sum() / 1e9))
                .collect(Collectors.joining(" / "));
    }

    private static String times(List<BackfillBatch> b, java.util.function.Function<BackfillBatch, Duration> part) {
        if (b.isEmpty()) return "-";
        List<Double> ms = b.stream().map(x -> part.apply(x).toNanos() / 1e6).sorted().toList();
        return String.format(Locale.ROOT, "%.1f / %.1f", ms.get(ms.size() / 2), ms.get(ms.size() - 1));
    }

    private static <T> String median(List<T> xs, ToDoubleFunction<T> f, String format) {
        if (xs.isEmpty()) return "-";
        List<Double> v = xs.stream().map(f::applyAsDouble).sorted().toList();
        return String.format(Locale.ROOT, format, v.get(v.size() / 2));
    }

    private static <T> String range(List<T> xs, ToDoubleFunction<T> f, String format) {
        List<Double> v = xs.stream().map(f::applyAsDouble).sorted(Comparator.naturalOrder()).toList();
        return String.format(Locale.ROOT, format + " – " + format + " (" + format + ")", v.get(0), v.get(v.size() - 1), v.get(v.size() / 2));
    }

    private void add(String format, Object... args) {
        lines.add(String.format(Locale.ROOT, format, args));
    }
}
