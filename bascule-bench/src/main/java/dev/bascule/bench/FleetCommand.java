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

/** {@code bascule-bench fleet}: fleet throughput against the same members one after another. */
@Command(name = "fleet", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"PostgreSQL. Fleet throughput (members a minute) against the same members one after another, in one"
                + " run: the same members (databases, or schemas of one database) and the same add_column with a backfill, timed"
                + " for start; each member rolled back (untimed) before the next run, the order alternated across rounds."})
public final class FleetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:BASCULE_BENCH_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}",
            description = "a PostgreSQL URL with user and password (default: BASCULE_BENCH_URL, else ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--members", paramLabel = "N", defaultValue = "16", description = "members, at least 2 (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--kind", paramLabel = "databases|schemas", defaultValue = "databases",
            description = "databases (made on the server of --url) or schemas (of its database) (default ${DEFAULT-VALUE})")
    String kind;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "20000", description = "rows of each member's table, all backfilled (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
            description = "the fleet's cap; the fleet also runs a canary of 1 first (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "2", description = "rounds, each running both, in alternating order (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the report to FILE")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!kind.equals("databases") && !kind.equals("schemas")) throw refused("--kind is databases or schemas, not " + kind);
        if (members < 2) throw refused("--members must be at least 2");
        if (rows < 1 || concurrency < 1 || rounds < 1) throw refused("--rows, --concurrency and --rounds must be at least 1");
        if (!url.startsWith("jdbc:postgresql:")) throw refused("--url must be a jdbc:postgresql: URL, not " + Reproduce.masked(url));
        List<String> report = FleetBenchmark.run(this);
        report.forEach(System.out::println);
        if (out != null) Files.write(out, report);
        return 0;
    }

    private ParameterException refused(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
