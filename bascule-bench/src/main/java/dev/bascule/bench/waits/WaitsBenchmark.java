package dev.bascule.bench.waits;

import dev.bascule.Bascule;
import dev.bascule.Migrations;
import dev.bascule.api.BackfillBatch;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.Migration;
import dev.bascule.api.ThrottleOptions;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One bulk UPDATE and Bascule's start and complete, each on a fresh copy of the same table under
 * the same clients; see {@link WaitsCommand}.
 */
final class WaitsBenchmark {
    static final String MIGRATION = """
            operations:
              - add_column:
                  table: t
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
            """;
    static final String BEFORE = "before";
    static final String BULK = "bulk UPDATE";
    static final String EXPAND = "start: expand";
    static final String BACKFILL = "start: backfill";
    static final String PUBLISH = "start: after the backfill";
    static final String COMPLETE = "complete";

    /** One bulk UPDATE under the clients. */
    record Bulk(long rows, double seconds, Clients.PhaseStats before, Clients.PhaseStats during, BlockerMonitor.Wait longestWait) {}

    /** Bascule's start and complete under the clients, with every batch and every throttle wait. */
    record Run(long rows, double startSeconds, double expandSeconds, double backfillSeconds, double completeSeconds,
               Clients.PhaseStats before, Clients.PhaseStats expand, Clients.PhaseStats backfill, Clients.PhaseStats publish,
               Clients.PhaseStats complete, BlockerMonitor.Wait longestWait, long lockWaits,
               List<BackfillBatch> batches, List<String> throttled, double throttledSeconds) {}

    /** One size of one run: both sides and the machine's load when it began. */
    record Pair(int run, String load, Bulk bulk, Run bascule) {
        double rateRatio() {
            return bulk.seconds() / bascule.startSeconds();
        }
    }

    private final WaitsCommand options;
    private final PGSimpleDataSource ds = new PGSimpleDataSource();

    WaitsBenchmark(WaitsCommand options) {
        this.options = options;
        ds.setUrl(options.url);
    }

    List<String> run() throws Exception {
        List<Pair> pairs = new ArrayList<>();
        for (int run = 1; run <= options.runs; run++) {
            for (long n : options.sizes) {
                String load = load();
                Bulk bulk;
                Run bascule;
                if (run % 2 == 1) {
                    log("run " + run + ", " + n + " rows: bulk UPDATE, then Bascule (load " + load + ")");
                    bulk = bulk(n);
                    bascule = bascule(n);
                } else {
                    log("run " + run + ", " + n + " rows: Bascule, then bulk UPDATE (load " + load + ")");
                    bascule = bascule(n);
                    bulk = bulk(n);
                }
                Pair pair = new Pair(run, load, bulk, bascule);
                log(String.format(Locale.ROOT, "  start/bulk rate %.2f, longest client op during start and complete %.1f ms",
                        pair.rateRatio(), WaitsReport.longestDuringMigration(bascule)));
                pairs.add(pair);
            }
        }
        return new WaitsReport(options, server(), backfillOptions(), pairs).lines();
    }

    BackfillOptions backfillOptions() {
        BackfillOptions b = BackfillOptions.defaults();
        if (options.batchMs > 0) b = b.withTargetBatchTime(Duration.ofMillis(options.batchMs));
        if (options.throttle.equals("none")) b = b.withThrottle(ThrottleOptions.none());
        return b;
    }

    private Bulk bulk(long n) throws Exception {
        String schema = table(n);
        try {
            bascule(schema, BasculeListener.NONE).start(migration(), true);
            try (Clients clients = new Clients(ds, schema, n, options.clients, BEFORE);
                 BlockerMonitor monitor = new BlockerMonitor(ds, () -> BULK, options.monitorMs);
                 Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET search_path = " + schema);
                s.execute("SET bascule.backfill = 'on'"); // the sync trigger's WHEN skips this session, as it skips batches
                Thread.sleep(options.warmupSeconds * 1000);
                clients.phase(BULK);
                long t0 = System.nanoTime();
                s.executeUpdate("UPDATE t SET email_lower = lower(email)");
                double seconds = (System.nanoTime() - t0) / 1e9;
                clients.phase("after");
                Thread.sleep(300);
                return new Bulk(n, seconds, clients.stats(BEFORE), clients.stats(BULK), monitor.longest(BULK));
            }
        } finally {
            drop(schema);
        }
    }

    private Run bascule(long n) throws Exception {
        String schema = table(n);
        try {
            AtomicReference<String> phase = new AtomicReference<>(BEFORE);
            List<BackfillBatch> batches = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> throttled = java.util.Collections.synchronizedList(new ArrayList<>());
            double[] backfill = {0};
            long[] throttledNanos = {0};
            try (Clients clients = new Clients(ds, schema, n, options.clients, BEFORE);
                 BlockerMonitor monitor = new BlockerMonitor(ds, phase::get, options.monitorMs)) {
                BasculeListener listener = new BasculeListener() {
                    @Override
                    public void stepStarted(String p, int index, int total, String description, String lock) {
                        String next = !p.equals("start") ? COMPLETE : description.startsWith("backfill") ? BACKFILL
                                : backfill[0] > 0 ? PUBLISH : EXPAND;
                        phase.set(next);
                        clients.phase(next);
                    }

                    @Override
                    public void stepFinished(String p, int index, int total, String description, Duration took, boolean skipped) {
                        if (p.equals("start") && description.startsWith("backfill")) {
                            backfill[0] = took.toNanos() / 1e9;
                            phase.set(PUBLISH);
                            clients.phase(PUBLISH);
                        }
                    }

                    @Override
                    public void backfillBatch(BackfillBatch batch) {
                        batches.add(batch);
                    }

                    @Override
                    public void backfillWaited(String table, String reason, Duration waited) {
                        throttled.add(reason);
                        synchronized (throttledNanos) {
                            throttledNanos[0] += waited.toNanos();
                        }
                    }
                };
                Bascule bascule = bascule(schema, listener);
                Thread.sleep(options.warmupSeconds * 1000);
                phase.set(EXPAND);
                clients.phase(EXPAND);
                long t0 = System.nanoTime();
                bascule.start(migration());
                double start = (System.nanoTime() - t0) / 1e9;
                phase.set(COMPLETE);
                clients.phase(COMPLETE);
                long t1 = System.nanoTime();
                bascule.complete(java.util.Set.of());
                double complete = (System.nanoTime() - t1) / 1e9;
                clients.phase("after");
                phase.set("after");
                Thread.sleep(300);
                double expand = start - backfill[0]; // every step of start but the backfill
                return new Run(n, start, expand, backfill[0], complete, clients.stats(BEFORE), clients.stats(EXPAND),
                        clients.stats(BACKFILL), clients.stats(PUBLISH), clients.stats(COMPLETE),
                        WaitsReport.longest(monitor, EXPAND, BACKFILL, PUBLISH, COMPLETE),
                        monitor.count(EXPAND) + monitor.count(BACKFILL) + monitor.count(PUBLISH) + monitor.count(COMPLETE),
                        List.copyOf(batches), List.copyOf(throttled), throttledNanos[0] / 1e9);
            }
        } finally {
            drop(schema);
        }
    }

    private Bascule bascule(String schema, BasculeListener listener) {
        return Bascule.configure().dataSource(ds).schema(schema).stateSchema("bascule_" + schema)
                .backfill(backfillOptions()).quietTime(Duration.ZERO).listener(listener).load();
    }

    private static Migration migration() {
        return Migrations.fromText("0001_fill.yaml", MIGRATION);
    }

    /** A fresh table of n rows, in a schema of its own. */
    private String table(long n) throws SQLException {
        String schema = "bench_waits_" + n + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
        exec("CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".t (id bigint PRIMARY KEY, email text NOT NULL, payload text NOT NULL)",
                "INSERT INTO " + schema + ".t SELECT g, 'User' || g || '@Example.ORG', repeat('x', 80) FROM generate_series(1, " + n + ") g",
                "VACUUM ANALYZE " + schema + ".t", "CHECKPOINT");
        return schema;
    }

    private void drop(String schema) throws SQLException {
        exec("DROP SCHEMA IF EXISTS " + schema + "_0001_fill CASCADE", "DROP SCHEMA " + schema + " CASCADE",
                "DROP SCHEMA IF EXISTS bascule_" + schema + " CASCADE");
    }

    private void exec(String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    private String server() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return String.format(Locale.ROOT, "PostgreSQL %s, %d cores", rs.getString(1), Runtime.getRuntime().availableProcessors());
        }
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void log(String message) {
        System.err.println("[waits] " + message);
    }
}
