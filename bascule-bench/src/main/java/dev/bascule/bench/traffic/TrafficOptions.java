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

    /** The options of a {@code traffic} command line (picocli's exceptions on bad ones). */
    public static TrafficOptions parse(String... args) {
        return TrafficCommand.parsed(args).options();
    }
}
