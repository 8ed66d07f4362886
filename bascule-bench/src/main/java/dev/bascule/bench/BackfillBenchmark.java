package dev.bascule.bench;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.Migration;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.Migrations;
import org.HdrHistogram.Histogram;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backfill rate against its physical limits, side by side in one run, and application latency
 * before and during a throttled backfill.
 *
 * <pre>
 * java -jar bascule-bench/target/bascule-bench.jar backfill \
 *     --url 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' --sizes 100000,1000000,10000000 \
 *     --latency-size 1000000 --latency-seconds 20 --throttle-rows-per-second 20000 --throttle-batch-ms 20
 * </pre>
 *
 * For each size, three fresh copies of the same table get the same change: a NOT NULL column
 * filled with {@code lower(email)}. (1) one bulk UPDATE that assigns it directly, the sync trigger
 * skipped; (2) one bulk UPDATE through the sync trigger (an old-version write of every row);
 * (3) Bascule's backfill, unthrottled. Rates are rows per second; compare ratios, not absolutes.
 */
public final class BackfillBenchmark {
    private static final String MIGRATION = """
            operations:
              - add_column:
                  table: t
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
            """;

    private final PGSimpleDataSource ds = new PGSimpleDataSource();
    private final List<String> report = new ArrayList<>();
    /** The backfill of the latency run: short batches, a rate limit, and the default health signals. */
    private BackfillOptions throttled;

    /** Runs the benchmark as {@code command} describes it; the report starts with the command that reproduces it. */
    static List<String> run(BackfillCommand command) throws Exception {
        BackfillBenchmark bench = new BackfillBenchmark(command.url);
        bench.report.addAll(Reproduce.header(command.spec));
        bench.throttled = BackfillOptions.defaults().withTargetBatchTime(Duration.ofMillis(command.throttleBatchMs))
                .withMaxRowsPerSecond(command.throttleRowsPerSecond)
                .withThrottle(command.healthIntervalMs == 0 ? ThrottleOptions.none()
                        : ThrottleOptions.defaults().withCheckIntervalMillis(command.healthIntervalMs));
        if (!command.rateSizes().isEmpty()) {
            bench.rates(command.rateSizes());
        }
        if (command.latencySize > 0) {
            bench.latency(command.latencySize, Duration.ofSeconds(command.latencySeconds));
        }
        return bench.report;
    }

    private BackfillBenchmark(String url) {
        ds.setUrl(url);
    }

    // ---- rates ---------------------------------------------------------------------------

    private void rates(List<Long> sizes) throws Exception {
        report.add("## Backfill rate, rows/s (" + version() + ")");
        report.add("");
        report.add("| rows | bulk UPDATE, no trigger | bulk UPDATE through sync trigger | Bascule backfill | Bascule / with trigger | batches (final size) |");
        report.add("|---:|---:|---:|---:|---:|---|");
        Double firstRate = null;
        for (long n : sizes) {
            log("size " + n + ": bulk update without trigger");
            double plain = bulk(n, false);
            log("size " + n + ": bulk update through the trigger");
            double trigger = bulk(n, true);
            log("size " + n + ": Bascule backfill");
            Backfilled b = bascule(n);
            if (firstRate == null) firstRate = b.rate;
            report.add(String.format(Locale.ROOT, "| %,d | %,.0f | %,.0f | %,.0f | %.0f %% | %s |", n, plain, trigger, b.rate,
                    100 * b.rate / trigger, b.batches));
        }
        if (sizes.size() > 1) {
            report.add("");
            report.add(String.format(Locale.ROOT, "Bascule's rate at %,d rows is %.0f %% of its rate at %,d rows.",
                    sizes.get(sizes.size() - 1), 100 * lastRate / firstRate, sizes.get(0)));
        }
        report.add("");
    }

    private double lastRate;

    private record Backfilled(double rate, String batches) {}

    /** A fresh table of n rows, in a schema of its own. */
    private String table(long n) throws SQLException {
        String schema = "bench_" + n + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
        exec("CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".t (id bigint PRIMARY KEY, email text NOT NULL, payload text NOT NULL)",
                "INSERT INTO " + schema + ".t SELECT g, 'User' || g || '@Example.ORG', repeat('x', 80) FROM generate_series(1, " + n + ") g",
                "VACUUM ANALYZE " + schema + ".t");
        return schema;
    }

    private void drop(String schema) throws SQLException {
        exec("DROP SCHEMA IF EXISTS " + schema + "_0001_fill CASCADE", "DROP SCHEMA " + schema + " CASCADE",
                "DROP SCHEMA IF EXISTS bascule_" + schema + " CASCADE");
    }

    private Bascule bascule(String schema, BackfillOptions options, BasculeListener listener) {
        return Bascule.configure().dataSource(ds).schema(schema).stateSchema("bascule_" + schema)
                .backfill(options).listener(listener).load();
    }

    private static Migration migration() {
        return Migrations.fromText("0001_fill.yaml", MIGRATION);
    }

    /** Bascule's expand without backfill, then one UPDATE of every row: direct, or through the trigger. */
    private double bulk(long n, boolean throughTrigger) throws Exception {
        String schema = table(n);
        try {
            bascule(schema, BackfillOptions.defaults(), BasculeListener.NONE).start(migration(), true);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET search_path = " + schema);
                if (!throughTrigger) {
                    s.execute("SET bascule.backfill = 'on'");
                }
                long t0 = System.nanoTime();
                s.executeUpdate(throughTrigger ? "UPDATE t SET payload = payload" : "UPDATE t SET email_lower = lower(email)");
                return n / ((System.nanoTime() - t0) / 1e9);
            }
        } finally {
            drop(schema);
        }
    }

    private Backfilled bascule(long n) throws Exception {
        String schema = table(n);
        try {
            AtomicReference<Duration> took = new AtomicReference<>();
            long[] lastBatch = {0};
            BasculeListener listener = new BasculeListener() {
                @Override
                public void stepFinished(String phase, int index, int total, String description, Duration t, boolean skipped) {
                    if (description.startsWith("backfill")) took.set(t);
                }

                @Override
                public void backfill(String table, long done, long total, double rate, Duration eta, int batch, String state) {
                    if (batch > 0) lastBatch[0] = batch;
                }
            };
            bascule(schema, BackfillOptions.defaults().withThrottle(ThrottleOptions.none()), listener).start(migration());
            String batches;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT sum(batches) FROM bascule_" + schema + ".backfills")) {
                rs.next();
                batches = rs.getLong(1) + " (" + lastBatch[0] + ")";
            }
            double rate = n / (took.get().toNanos() / 1e9);
            lastRate = rate;
            return new Backfilled(rate, batches);
        } finally {
            drop(schema);
        }
    }

    // ---- latency -------------------------------------------------------------------------

    /** 8 clients read and update random rows; latency before, then during a throttled backfill. */
    private void latency(long n, Duration window) throws Exception {
        String schema = table(n);
        try {
            log("latency: baseline");
            Histogram before = clients(schema, n, window, null);
            log("latency: during the backfill");
            AtomicReference<Throwable> failed = new AtomicReference<>();
            AtomicBoolean done = new AtomicBoolean();
            Thread start = new Thread(() -> {
                try {
                    bascule(schema, throttled, BasculeListener.NONE).start(migration());
                } catch (Throwable t) {
                    failed.set(t);
                } finally {
                    done.set(true);
                }
            });
            Histogram during = clients(schema, n, window, start);
            start.join();
            if (failed.get() != null) throw new IllegalStateException(failed.get());
            report.add("## Application latency, " + String.format(Locale.ROOT, "%,d", n) + " rows, 8 clients (select + update by key)");
            report.add("");
            report.add("| | operations | p50 ms | p99 ms | max ms |");
            report.add("|---|---:|---:|---:|---:|");
            report.add(row("before the backfill", before));
            report.add(row("during a throttled backfill" + (done.get() ? "" : " (still running at the end)"), during));
            report.add("");
            report.add(String.format(Locale.ROOT, "Throttled backfill: batches of %d ms, at most %,d rows/s, default health signals.",
                    throttled.targetBatchTime().toMillis(), throttled.maxRowsPerSecond()));
            report.add("");
            report.add(String.format(Locale.ROOT, "p99 during / before: %.2f", (double) during.getValueAtPercentile(99)
                    / Math.max(1, before.getValueAtPercentile(99))));
            report.add("");
        } finally {
            drop(schema);
        }
    }

    private static String row(String what, Histogram h) {
        return String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f |", what, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** Runs 8 clients for {@code window} (or until {@code during} ends, if given); latencies in µs. */
    private Histogram clients(String schema, long n, Duration window, Thread during) throws Exception {
        Histogram all = new Histogram(60_000_000L, 3);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        List<Histogram> parts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Histogram h = new Histogram(60_000_000L, 3);
            parts.add(h);
            int seed = i;
            threads.add(new Thread(() -> client(schema, n, h, stop, seed)));
        }
        threads.forEach(Thread::start);
        if (during != null) {
            during.start();
        }
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end && (during == null || during.isAlive())) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Thread t : threads) t.join();
        parts.forEach(all::add);
        return all;
    }

    private void client(String schema, long n, Histogram h, AtomicBoolean stop, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path = " + schema);
            }
            try (PreparedStatement read = c.prepareStatement("SELECT email, payload FROM t WHERE id = ?");
                 PreparedStatement write = c.prepareStatement("UPDATE t SET payload = md5(payload) WHERE id = ?")) {
                while (!stop.get()) {
                    PreparedStatement ps = random.nextInt(2) == 0 ? read : write;
                    ps.setLong(1, 1 + random.nextLong(n));
                    long t0 = System.nanoTime();
                    ps.execute();
                    h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    Thread.sleep(1); // a client thinks between queries; the server is not saturated
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private void exec(String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    private String version() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        }
    }

    private static void log(String message) {
        System.err.println("[bench] " + message);
    }

}
