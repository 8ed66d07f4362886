package dev.bascule.cli.demo;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.api.BackfillOptions;
import dev.bascule.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Set;

/**
 * {@code bascule demo}: starts an embedded PostgreSQL, loads a sample table, runs a sample
 * migration while simulated old and new application clients keep reading and writing, then shows
 * what each phase did, how long it took, and that no client saw an error. No server is needed.
 */
public final class Demo {
    static final Locale LOCALE = Locale.ROOT;

    static final String MIGRATION_FILE = "0001_customers_v2.yaml";

    /** The sample migration, as a user would write it. */
    static final String MIGRATION_YAML = """
            operations:
              - rename_column: {table: customers, from: name, to: full_name}
              - add_column:
                  table: customers
                  column: {name: email_domain, type: text, nullable: false}
                  up: "split_part(email, '@', 2)"
              - create_index: {name: customers_email_domain_idx, table: customers, columns: [email_domain]}
            """;

    static final int ROWS = 100_000;
    /** The backfill's default target duration of one batch (BackfillOptions.defaults()). */
    private static final Duration TARGET_BATCH = BackfillOptions.defaults().targetBatchTime();
    private static final int CLIENT_THREADS = 2;
    private static final String SCHEMA = "public";
    private static final String OLD_DOMAIN = "old-client.example";
    private static final String NEW_DOMAIN = "new-client.example";
    /** Old clients run alone this long before start, so that start begins under traffic. */
    private static final Duration WARM_UP = Duration.ofMillis(500);
    /** Old and new versions run side by side this long between start and complete. */
    private static final Duration SIDE_BY_SIDE = Duration.ofSeconds(2);
    /** New clients keep going this long on the final schema after complete. */
    private static final Duration AFTER_COMPLETE = Duration.ofMillis(500);

    private final PrintStream out;
    private final long began = System.nanoTime();

    private Demo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the demo, printing to {@code out}.
     *
     * @return 0 when every phase worked, every check passed and no simulated client saw an error; 1 otherwise
     */
    public static int run(PrintStream out) {
        try {
            return new Demo(out).run();
        } catch (RuntimeException e) {
            out.println("Demo FAILED: " + e);
            out.flush();
            return 1;
        }
    }

    private int run() {
        out.println("Bascule demo: a zero-downtime migration of a live table (embedded PostgreSQL, no server needed)");
        out.flush();
        quietEmbeddedPostgresLogs();
        Path log;
        try {
            log = Files.createTempFile("bascule-demo-postgres-", ".log");
        } catch (IOException e) {
            out.println("Demo FAILED: cannot create a temporary file: " + e.getMessage());
            return 1;
        }
        long t0 = System.nanoTime();
        EmbeddedPostgres pg;
        try {
            // pg_stat_statements loaded, as on most production servers: complete's no_recent_use gate reads it
            pg = EmbeddedPostgres.builder()
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            out.println("Demo FAILED: cannot start the embedded PostgreSQL: " + e.getMessage());
            out.println("  its log: " + log);
            return 1;
        }
        Duration pgStart = since(t0);
        int code = 1;
        try (EmbeddedPostgres server = pg) {
            code = new Run(server.getPostgresDatabase(), pgStart, log).execute();
        } catch (IOException e) {
            out.println("note: the embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
        if (code == 0) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file left behind does no harm
            }
        }
        out.flush();
        return code;
    }

    /** zonky logs every step of the server's start at INFO; the demo's own lines say enough. */
    private static void quietEmbeddedPostgresLogs() {
        String key = "org.slf4j.simpleLogger.log.io.zonky.test";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "warn");
        }
    }

    /** What one phase did. */
    private record PhaseResult(String name, boolean ok, Duration wall, String error) {}

    /** One verification after complete. */
    private record Check(String label, boolean ok, String detail) {}

    /** One run of the demo against a started server. */
    private final class Run {
        private final DataSource ds;
        private final Duration pgStart;
        private final Path log;
        private final DemoListener listener = new DemoListener(out);
        private Duration load = Duration.ZERO;
        private String startBegan;
        private String startEnded;

        Run(DataSource ds, Duration pgStart, Path log) {
            this.ds = ds;
            this.pgStart = pgStart;
            this.log = log;
        }

        int execute() {
            String version;
            try {
                version = prepare();
            } catch (SQLException e) {
                out.println("Demo FAILED: cannot load the sample table: " + e.getMessage());
                out.println("  PostgreSQL's log: " + log);
                return 1;
            }
            out.printf(LOCALE, "PostgreSQL %s started in %s; loaded %,d rows into %s.customers in %s%n",
                    version, duration(pgStart), ROWS, SCHEMA, duration(load));
            out.println();
            out.println("Migration " + MIGRATION_FILE + ":");
            MIGRATION_YAML.lines().forEach(l -> out.println("  " + l));
            out.println("On a real server:  ./bascule --url jdbc:postgresql://host/db baseline   (once: old code runs on its version)");
            out.println("                   ./bascule --url jdbc:postgresql://host/db start " + MIGRATION_FILE);
            out.println("                   ./bascule --url jdbc:postgresql://host/db complete   (once new code is deployed)");
            out.println();
            Migration migration = Migrations.fromText(MIGRATION_FILE, MIGRATION_YAML);
            // the old clients stop before complete: a short quiet time shows the gates watching without a long wait
            Bascule bascule = Bascule.configure().dataSource(ds).schema(SCHEMA).listener(listener)
                    .quietTime(Duration.ofSeconds(1)).load();

            // old code runs on a version from the start: the baseline's views keep its columns when start
            // changes the tables, where a server-prepared SELECT * on the base table would fail once
            String baseline;
            try {
                // without the listener: its one step would crowd the report of start
                Bascule quiet = Bascule.configure().dataSource(ds).schema(SCHEMA).load();
                quiet.baseline();
                baseline = quiet.latest();
            } catch (RuntimeException e) {
                out.println("Demo FAILED: baseline: " + e.getMessage());
                return 1;
            }
            String oldSearchPath = baseline + ", " + SCHEMA;
            out.println("baseline: published version " + baseline + "; old clients use SET search_path = " + oldSearchPath);
            ClientGroup old = new ClientGroup("old", ds, quote(baseline) + ", " + quote(SCHEMA), ClientGroup.OLD, OLD_DOMAIN,
                    ROWS, CLIENT_THREADS);
            ClientGroup neu = null;
            PhaseResult start;
            PhaseResult complete = null;
            String latest = null;
            old.start();
            try {
                sleep(WARM_UP);
                out.printf(LOCALE, "start: expand + backfill, while %d old clients (search_path = %s) read and write%n",
                        CLIENT_THREADS, oldSearchPath);
                startBegan = now();
                String[] published = new String[1];
                start = phase("start", () -> {
                    bascule.start(migration);
                    published[0] = bascule.latest();
                });
                startEnded = now();
                if (start.ok()) {
                    latest = published[0];
                    String searchPath = latest + ", " + SCHEMA;
                    out.printf(LOCALE, "New version published: %d new clients start with SET search_path = %s%n",
                            CLIENT_THREADS, searchPath);
                    neu = new ClientGroup("new", ds, quote(latest) + ", " + quote(SCHEMA), ClientGroup.NEW, NEW_DOMAIN,
                            ROWS, CLIENT_THREADS);
                    neu.start();
                    sleep(SIDE_BY_SIDE);
                    old.stop();
                    out.printf(LOCALE, "Old and new clients ran side by side for %s; old clients stopped (old code retired)%n",
                            duration(SIDE_BY_SIDE));
                    out.printf(LOCALE, "complete: contract, while %d new clients read and write%n", CLIENT_THREADS);
                    complete = phase("complete", () -> bascule.complete(Set.of()));
                    sleep(AFTER_COMPLETE);
                }
            } finally {
                old.stop();
                if (neu != null) {
                    neu.stop();
                }
            }
            List<Check> checks = complete != null && complete.ok() ? checks() : List.of();
            return report(start, complete, latest, old, neu, checks);
        }

        /** Creates and fills the sample table; returns the server's version. */
        private String prepare() throws SQLException {
            long t0 = System.nanoTime();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                s.execute("CREATE TABLE public.customers (id bigserial PRIMARY KEY, name text NOT NULL,"
                        + " email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
                s.execute("INSERT INTO public.customers (name, email) SELECT 'Customer ' || g, 'customer' || g || '@'"
                        + " || (ARRAY['example.com', 'mail.example.org', 'shop.example.net', 'corp.example.io'])[1 + g % 4]"
                        + " FROM generate_series(1, " + ROWS + ") g");
                s.execute("ANALYZE public.customers");
                load = since(t0);
                try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                    rs.next();
                    return rs.getString(1).split(" ")[0];
                }
            }
        }

        private PhaseResult phase(String name, Runnable action) {
            long t0 = System.nanoTime();
            try {
                action.run();
                return new PhaseResult(name, true, since(t0), null);
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                out.println("  " + name + " FAILED: " + message);
                return new PhaseResult(name, false, since(t0), message);
            }
        }

        /** The server's clock, as text it reads back exactly. */
        private String now() {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT clock_timestamp()::text")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                return null;
            }
        }

        private List<Check> checks() {
            List<Check> checks = new ArrayList<>();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                String mismatch = "email_domain IS DISTINCT FROM split_part(email, '@', 2)";
                String oldDuringStart = "email LIKE '%@" + OLD_DOMAIN + "'"
                        + (startBegan != null && startEnded != null
                        ? " AND created_at BETWEEN '" + startBegan + "'::timestamptz AND '" + startEnded + "'::timestamptz" : "");
                try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE " + mismatch + "),"
                        + " count(*) FILTER (WHERE " + oldDuringStart + "),"
                        + " count(*) FILTER (WHERE " + oldDuringStart + " AND " + mismatch + ")"
                        + " FROM public.customers")) {
                    rs.next();
                    long rows = rs.getLong(1);
                    long bad = rs.getLong(2);
                    long oldRows = rs.getLong(3);
                    long oldBad = rs.getLong(4);
                    checks.add(new Check("email_domain = split_part(email, '@', 2) in every row", bad == 0,
                            bad == 0 ? String.format(LOCALE, "%,d rows, incl. %,d old clients wrote during start", rows, oldRows)
                                    : String.format(LOCALE, "%,d mismatches in %,d rows (%,d among the %,d rows old clients"
                                    + " wrote during start)", bad, rows, oldBad, oldRows)));
                }
                try (ResultSet rs = s.executeQuery("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.customers'::regclass"
                        + " AND attname = 'email_domain' AND NOT attisdropped")) {
                    boolean found = rs.next();
                    checks.add(new Check("column email_domain is NOT NULL", found && rs.getBoolean(1),
                            found ? "" : "the column does not exist"));
                }
                try (ResultSet rs = s.executeQuery("SELECT i.indisvalid FROM pg_index i"
                        + " WHERE i.indexrelid = to_regclass('public.customers_email_domain_idx')")) {
                    boolean found = rs.next();
                    boolean valid = found && rs.getBoolean(1);
                    checks.add(new Check("index customers_email_domain_idx exists and is valid", valid,
                            found ? (valid ? "" : "the index is INVALID") : "the index does not exist"));
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE attname = 'full_name'),"
                        + " count(*) FILTER (WHERE attname = 'name') FROM pg_attribute"
                        + " WHERE attrelid = 'public.customers'::regclass AND attnum > 0 AND NOT attisdropped")) {
                    rs.next();
                    boolean ok = rs.getLong(1) == 1 && rs.getLong(2) == 0;
                    checks.add(new Check("column full_name exists and column name is gone", ok,
                            ok ? "" : "full_name: " + rs.getLong(1) + ", name: " + rs.getLong(2)));
                }
                try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.customers'::regclass"
                        + " AND NOT tgisinternal), (SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.customers'::regclass"
                        + " AND contype = 'c')")) {
                    rs.next();
                    boolean ok = rs.getLong(1) == 0 && rs.getLong(2) == 0;
                    checks.add(new Check("no sync trigger or temporary CHECK left on customers", ok,
                            ok ? "" : rs.getLong(1) + " trigger(s), " + rs.getLong(2) + " check constraint(s)"));
                }
            } catch (SQLException e) {
                checks.add(new Check("verification queries ran", false, e.getMessage()));
            }
            return checks;
        }

        private int report(PhaseResult start, PhaseResult complete, String latest, ClientGroup old, ClientGroup neu,
                           List<Check> checks) {
            out.println();
            out.println("Report");
            reportPhase(start, "expand + backfill");
            if (complete != null) {
                reportPhase(complete, "contract");
            }
            for (DemoListener.BackfillRecord b : listener.backfills()) {
                Duration took = listener.allSteps().stream().filter(st -> st.description().equals("backfill " + b.table()))
                        .map(DemoListener.StepRecord::took).findFirst().orElse(Duration.ZERO);
                out.printf(LOCALE, "  backfill of %s: %,d rows in %s, %,.0f rows/s, %d batches (target %s each)%n",
                        b.table(), b.rowsDone(), duration(took), b.rowsPerSecond(), b.batches(), duration(TARGET_BATCH));
            }
            if (listener.lockRetries() > 0) {
                out.printf(LOCALE, "  lock retries: %d (each wait capped by the 250 ms lock timeout)%n", listener.lockRetries());
            }
            out.printf(LOCALE, "  %-31s %6s %7s %8s %8s %8s %6s  %s%n", "clients", "ran", "ops", "inserts", "updates",
                    "selects", "errors", "slowest statement");
            reportClients(old, "old (name, email)");
            if (neu != null) {
                reportClients(neu, "new (full_name, email_domain)");
            }
            boolean checksOk = !checks.isEmpty();
            if (!checks.isEmpty()) {
                out.println("  checks after complete");
                for (Check c : checks) {
                    out.printf(LOCALE, "    [%s] %s%s%n", c.ok() ? "ok" : "FAILED", c.label(),
                            c.detail().isEmpty() ? "" : ": " + c.detail());
                    checksOk &= c.ok();
                }
            }
            out.printf(LOCALE, "  total %s (PostgreSQL start %s, load %s, start %s, complete %s)%n",
                    duration(since(began)), duration(pgStart), duration(load), duration(start.wall()),
                    complete == null ? "not run" : duration(complete.wall()));
            if (latest != null) {
                out.println("  new code keeps using SET search_path = " + latest + ", " + SCHEMA);
            }

            List<String> failures = new ArrayList<>();
            if (!start.ok()) {
                failures.add("start failed: " + start.error());
            }
            if (complete != null && !complete.ok()) {
                failures.add("complete failed: " + complete.error());
            }
            if (complete != null && complete.ok() && !checksOk) {
                failures.add("a check failed");
            }
            long errors = old.errors.get() + (neu == null ? 0 : neu.errors.get());
            if (!failures.isEmpty() || errors > 0) {
                out.println("  PostgreSQL's log, kept for a look: " + log);
            }
            for (String f : failures) {
                out.println("Demo FAILED: " + f);
            }
            if (errors == 0) {
                out.println("No client saw an error.");
            } else {
                out.printf(LOCALE, "Clients saw %,d error(s), first ones:%n", errors);
                List<String> messages = new ArrayList<>(old.messages());
                if (neu != null) {
                    messages.addAll(neu.messages());
                }
                messages.stream().limit(6).forEach(m -> out.println("  " + m));
            }
            out.flush();
            return failures.isEmpty() && errors == 0 ? 0 : 1;
        }

        private void reportPhase(PhaseResult phase, String what) {
            List<DemoListener.StepRecord> steps = new ArrayList<>();
            if (phase.name().equals("complete")) {
                steps.addAll(listener.steps("validate")); // complete validates new constraints first
            }
            steps.addAll(listener.steps(phase.name()));
            out.printf(LOCALE, "  %s (%s): %s, %d steps%s%n", phase.name(), what, duration(phase.wall()), steps.size(),
                    phase.ok() ? "" : ", FAILED");
            for (DemoListener.StepRecord s : steps) {
                String[] lock = splitLock(s.lock());
                out.printf(LOCALE, "    %8s  %-22s  %s%s%s%n", duration(s.took()), lock[0], s.description(),
                        lock[1].isEmpty() ? "" : "  [" + lock[1] + "]", s.skipped() ? " (already done)" : "");
            }
        }

        private void reportClients(ClientGroup g, String label) {
            out.printf(LOCALE, "  %d %-29s %6s %,7d %,8d %,8d %,8d %,6d  %s %s%n", g.threads(), label, duration(g.seconds()),
                    g.operations(), g.inserts.get(), g.updates.get(), g.selects.get(), g.errors.get(),
                    duration(Duration.ofNanos(g.slowestNanos.get())), g.slowestWhat());
        }
    }

    /** "ACCESS EXCLUSIVE (brief, no scan) (more)" -> {"ACCESS EXCLUSIVE", "brief, no scan"}. */
    static String[] splitLock(String lock) {
        if (lock == null) {
            return new String[] {"", ""};
        }
        int open = lock.indexOf(" (");
        if (open < 0) {
            return new String[] {lock, ""};
        }
        int close = lock.indexOf(')', open);
        return new String[] {lock.substring(0, open), close < 0 ? lock.substring(open + 2) : lock.substring(open + 2, close)};
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : String.format(LOCALE, "%.1f s", ms / 1000.0);
    }

    private static String duration(double seconds) {
        return duration(Duration.ofMillis((long) (seconds * 1000)));
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
