package dev.bascule.bench.traffic;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a traffic run is set up.
 *
 * @param phase      how long clients run before the migration, side by side between start and
 *                   complete, and after it
 * @param quietTime  how long Bascule's complete gates watch for old code (only when a gate sees it ran)
 * @param out        where to write the report as well (null: standard output only)
 */
public record TrafficOptions(String url, long rows, int clients, Duration phase, long monitorIntervalMillis,
                             Duration quietTime, Path out) {

    public static final String USAGE = "traffic [--profile accounts|real-clients] [--url JDBC_URL] [--rows N] [--clients N] [--phase-seconds S]"
            + " [--monitor-ms MS] [--quiet-seconds S] [--out FILE]";

    public TrafficOptions {
        if (rows < 1) throw new IllegalArgumentException("--rows must be at least 1");
        if (clients < 2) throw new IllegalArgumentException("--clients must be at least 2: half old code, half new");
        if (phase.isNegative() || phase.isZero()) throw new IllegalArgumentException("--phase-seconds must be positive");
        if (monitorIntervalMillis < 1) throw new IllegalArgumentException("--monitor-ms must be at least 1");
    }

    public static TrafficOptions defaults() {
        return new TrafficOptions(System.getenv().getOrDefault("BASCULE_BENCH_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"), 1_000_000, 8, Duration.ofSeconds(10), 10,
                Duration.ofSeconds(15), null);
    }

    public static TrafficOptions parse(String... args) {
        TrafficOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
            o = switch (args[i]) {
                case "--url" -> new TrafficOptions(value, o.rows, o.clients, o.phase, o.monitorIntervalMillis, o.quietTime, o.out);
                case "--rows" -> new TrafficOptions(o.url, Long.parseLong(value), o.clients, o.phase, o.monitorIntervalMillis,
                        o.quietTime, o.out);
                case "--clients" -> new TrafficOptions(o.url, o.rows, Integer.parseInt(value), o.phase, o.monitorIntervalMillis,
                        o.quietTime, o.out);
                case "--phase-seconds" -> new TrafficOptions(o.url, o.rows, o.clients, Duration.ofSeconds(Long.parseLong(value)),
                        o.monitorIntervalMillis, o.quietTime, o.out);
                case "--monitor-ms" -> new TrafficOptions(o.url, o.rows, o.clients, o.phase, Long.parseLong(value), o.quietTime,
                        o.out);
                case "--quiet-seconds" -> new TrafficOptions(o.url, o.rows, o.clients, o.phase, o.monitorIntervalMillis,
                        Duration.ofSeconds(Long.parseLong(value)), o.out);
                case "--out" -> new TrafficOptions(o.url, o.rows, o.clients, o.phase, o.monitorIntervalMillis, o.quietTime,
                        Path.of(value));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
            };
            i++;
        }
        return o;
    }
}
