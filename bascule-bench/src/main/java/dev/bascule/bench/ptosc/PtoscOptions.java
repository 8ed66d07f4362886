package dev.bascule.bench.ptosc;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the comparison with pt-online-schema-change is set up.
 *
 * @param url           a MariaDB JDBC URL; its database is ignored (each run makes databases of its own)
 * @param phase         how long the clients run before the change and after it
 * @param change        what Bascule does: the real {@code alter_column}, or the stand-in used while
 *                      MariaDB's {@code alter_column} did not exist
 * @param tunedBatch    if given, each round also runs Bascule with this target batch time
 * @param tunedMaxRate  the tuned run's rows per second limit (0: none)
 * @param tunedNoLockWaitThrottle the tuned run does not throttle on sessions waiting for its row locks
 *                      (the command line's {@code --no-lock-wait-throttle})
 * @param ptosc         the pt-online-schema-change executable
 * @param out           where to write the report as well (null: standard output only)
 */
public record PtoscOptions(String url, long rows, int clients, int rounds, Duration phase, BasculeChange.Kind change,
                           Duration tunedBatch, long tunedMaxRate, boolean tunedNoLockWaitThrottle, String ptosc, Path out) {

    public static final String USAGE = "ptosc [--url JDBC_URL] [--rows N] [--clients N] [--rounds N] [--phase-seconds S]"
            + " [--change alter|stand-in] [--tuned-batch-ms MS] [--tuned-max-rows-per-second N] [--tuned-no-lock-wait-throttle] [--pt-osc PATH] [--out FILE]";

    public PtoscOptions {
        if (!url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:")) {
            throw new IllegalArgumentException("--url must be a jdbc:mariadb: or jdbc:mysql: URL (MariaDB or MySQL 8), not " + url.replaceAll("password=[^&]*", "password=***"));
        }
        if (rows < 1) throw new IllegalArgumentException("--rows must be at least 1");
        if (clients < 1) throw new IllegalArgumentException("--clients must be at least 1");
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1");
        if (phase.isNegative()) throw new IllegalArgumentException("--phase-seconds must not be negative");
        if (tunedBatch != null && (tunedBatch.isNegative() || tunedBatch.isZero())) {
            throw new IllegalArgumentException("--tuned-batch-ms must be positive");
        }
        if (tunedMaxRate < 0) throw new IllegalArgumentException("--tuned-max-rows-per-second must not be negative");
    }

    /** Whether each round also runs Bascule with settings other than its defaults. */
    public boolean tuned() {
        return tunedBatch != null || tunedMaxRate > 0 || tunedNoLockWaitThrottle;
    }

    public static PtoscOptions defaults() {
        return new PtoscOptions(System.getenv().getOrDefault("BASCULE_BENCH_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root"),
                1_000_000, 8, 2, Duration.ofSeconds(5), BasculeChange.Kind.ALTER_COLUMN, null, 0, false, "pt-online-schema-change", null);
    }

    public static PtoscOptions parse(String... args) {
        PtoscOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--tuned-no-lock-wait-throttle")) {
                o = new PtoscOptions(o.url, o.rows, o.clients, o.rounds, o.phase, o.change, o.tunedBatch, o.tunedMaxRate, true,
                        o.ptosc, o.out);
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
            o = switch (args[i]) {
                case "--url" -> new PtoscOptions(value, o.rows, o.clients, o.rounds, o.phase, o.change, o.tunedBatch, o.tunedMaxRate, o.tunedNoLockWaitThrottle, o.ptosc, o.out);
                case "--rows" -> new PtoscOptions(o.url, Long.parseLong(value), o.clients, o.rounds, o.phase, o.change, o.tunedBatch,
                        o.tunedMaxRate, o.tunedNoLockWaitThrottle, o.ptosc, o.out);
                case "--clients" -> new PtoscOptions(o.url, o.rows, Integer.parseInt(value), o.rounds, o.phase, o.change, o.tunedBatch,
                        o.tunedMaxRate, o.tunedNoLockWaitThrottle, o.ptosc, o.out);
                case "--rounds" -> new PtoscOptions(o.url, o.rows, o.clients, Integer.parseInt(value), o.phase, o.change, o.tunedBatch,
                        o.tunedMaxRate, o.tunedNoLockWaitThrottle, o.ptosc, o.out);
                case "--phase-seconds" -> new PtoscOptions(o.url, o.rows, o.clients, o.rounds, Duration.ofSeconds(Long.parseLong(value)),
                        o.change, o.tunedBatch, o.tunedMaxRate, o.tunedNoLockWaitThrottle, o.ptosc, o.out);
                case "--change" -> new PtoscOptions(o.url, o.rows, o.clients, o.rounds, o.phase, BasculeChange.Kind.parse(value),
                        o.tunedBatch, o.tunedMaxRate, o.tunedNoLockWaitThrottle, o.ptosc, o.out);
                case "--tuned-batch-ms" -> new PtoscOptions(o.url, o.rows, o.clients, o.rounds, o.phase, o.change,
                        Duration.ofMillis(Long.parseLong(value)), o.tunedMaxRate, o.tunedNoLockWaitThrottle, o.ptosc, o.out);
                case "--tuned-max-rows-per-second" -> new PtoscOptions(o.url, o.rows, o.clients, o.rounds, o.phase, o.change,
                        o.tunedBatch, Long.parseLong(value), o.tunedNoLockWaitThrottle, o.ptosc, o.out);
                case "--pt-osc" -> new PtoscOptions(o.url, o.rows, o.clients, o.rounds, o.phase, o.change, o.tunedBatch, o.tunedMaxRate,
                        o.tunedNoLockWaitThrottle, value, o.out);
                case "--out" -> new PtoscOptions(o.url, o.rows, o.clients, o.rounds, o.phase, o.change, o.tunedBatch, o.tunedMaxRate,
                        o.tunedNoLockWaitThrottle, o.ptosc, Path.of(value));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
            };
            i++;
        }
        return o;
    }
}
