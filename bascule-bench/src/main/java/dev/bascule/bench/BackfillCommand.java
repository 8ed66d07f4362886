package dev.bascule.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bascule-bench backfill}: the backfill's rate against bulk UPDATEs, and clients' latency during a throttled backfill. */
@Command(name = BackfillCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"PostgreSQL. For each size, three fresh copies of a table get the same NOT NULL column filled with"
                + " lower(email): one bulk UPDATE without the sync trigger, one through it, and Bascule's unthrottled"
                + " backfill, side by side; then 8 clients' latency before and during a throttled backfill.",
                "Also the default: 'bascule-bench --url ...' runs this benchmark."})
public final class BackfillCommand implements Callable<Integer> {
    static final String NAME = "backfill";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:BASCULE_BENCH_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}",
            description = "PostgreSQL to run on (default: BASCULE_BENCH_URL, else ${DEFAULT-VALUE}); each table gets a schema of its own, dropped after")
    String url;

    @Option(names = "--sizes", paramLabel = "N,N,...", split = ",", defaultValue = "100000,1000000,10000000",
            description = "table sizes for the rate comparison (default ${DEFAULT-VALUE}); 0 alone skips it")
    List<Long> sizes;

    @Option(names = "--latency-size", paramLabel = "N", defaultValue = "1000000",
            description = "rows of the latency run's table (default ${DEFAULT-VALUE}); 0 skips the latency run")
    long latencySize;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "20",
            description = "how long clients run before, and at most during, the throttled backfill (default ${DEFAULT-VALUE})")
    long latencySeconds;

    @Option(names = "--throttle-rows-per-second", paramLabel = "N", defaultValue = "20000",
            description = "the throttled backfill's rate limit (default ${DEFAULT-VALUE})")
    long throttleRowsPerSecond;

    @Option(names = "--throttle-batch-ms", paramLabel = "MS", defaultValue = "20",
            description = "the throttled backfill's target batch time (default ${DEFAULT-VALUE})")
    long throttleBatchMs;

    @Option(names = "--health-interval-ms", paramLabel = "MS", defaultValue = "100",
            description = "the throttled backfill's health check interval; 0 turns the health signals off (default ${DEFAULT-VALUE})")
    long healthIntervalMs;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the report (Markdown) to FILE")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (rateSizes().stream().anyMatch(n -> n < 1)) throw refused("--sizes must be positive row counts, or 0 alone");
        if (latencySize < 0) throw refused("--latency-size must not be negative");
        if (latencySeconds < 1) throw refused("--latency-seconds must be at least 1");
        if (throttleRowsPerSecond < 0) throw refused("--throttle-rows-per-second must not be negative");
        if (throttleBatchMs < 1) throw refused("--throttle-batch-ms must be at least 1");
        if (healthIntervalMs < 0) throw refused("--health-interval-ms must not be negative");
        if (!url.startsWith("jdbc:postgresql:")) throw refused("--url must be a jdbc:postgresql: URL, not " + Reproduce.masked(url));
        List<String> report = BackfillBenchmark.run(this);
        report.forEach(System.out::println);
        if (out != null) Files.write(out, report);
        return 0;
    }

    /** The sizes of the rate comparison: none for {@code --sizes 0}. */
    List<Long> rateSizes() {
        return sizes.stream().filter(n -> n != 0).toList();
    }

    private ParameterException refused(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
