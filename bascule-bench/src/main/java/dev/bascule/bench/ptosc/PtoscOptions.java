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

    /** The options of a {@code ptosc} command line (picocli's exceptions on bad ones). */
    public static PtoscOptions parse(String... args) {
        return PtoscCommand.parsed(args).options();
    }
}
