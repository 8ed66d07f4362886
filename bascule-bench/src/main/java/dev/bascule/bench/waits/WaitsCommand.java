package dev.bascule.bench.waits;

import dev.bascule.bench.Reproduce;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bascule-bench waits}: clients' longest operations and start's rate, against one bulk UPDATE under the same traffic. */
@Command(name = "waits", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"PostgreSQL. Under clients that read and update random keys, on fresh copies of the same table:"
                + " one bulk UPDATE without the sync trigger (the rate baseline), and Bascule's start then complete of a NOT NULL"
                + " column filled with lower(email). Reports start's rate over the bulk UPDATE's, the clients' longest operation"
                + " per phase, what blocked them (sampled on the server), and where each batch's time went."})
public final class WaitsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:BASCULE_BENCH_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}",
            description = "PostgreSQL to run on (default: BASCULE_BENCH_URL, else ${DEFAULT-VALUE}); each table gets a schema of its own, dropped after")
    String url;

    @Option(names = "--sizes", paramLabel = "N,N,...", split = ",", defaultValue = "100000,1000000",
            description = "table sizes (default ${DEFAULT-VALUE})")
    List<Long> sizes;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "4", description = "clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "runs; each runs every size, the baseline and Bascule in turn, the order reversed every other run (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "2",
            description = "clients alone before each change: the machine's noise (default ${DEFAULT-VALUE})")
    long warmupSeconds;

    @Option(names = "--batch-ms", paramLabel = "MS", defaultValue = "0",
            description = "Bascule's target batch time; 0 keeps Bascule's default (default ${DEFAULT-VALUE})")
    long batchMs;

    @Option(names = "--throttle", paramLabel = "defaults|none", defaultValue = "defaults",
            description = "Bascule's health signals: its defaults, or none (default ${DEFAULT-VALUE})")
    String throttle;

    @Option(names = "--monitor-ms", paramLabel = "MS", defaultValue = "5", description = "lock monitor's sampling interval (default ${DEFAULT-VALUE})")
    long monitorMs;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the report (Markdown) to FILE")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!url.startsWith("jdbc:postgresql:")) throw refused("--url must be a jdbc:postgresql: URL, not " + Reproduce.masked(url));
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 1)) throw refused("--sizes must be positive row counts");
        if (clients < 1) throw refused("--clients must be at least 1");
        if (runs < 1) throw refused("--runs must be at least 1");
        if (warmupSeconds < 0) throw refused("--warmup-seconds must not be negative");
        if (batchMs < 0) throw refused("--batch-ms must not be negative");
        if (!throttle.equals("defaults") && !throttle.equals("none")) throw refused("--throttle must be defaults or none, not " + throttle);
        if (monitorMs < 1) throw refused("--monitor-ms must be at least 1");
        List<String> report = new ArrayList<>(Reproduce.header(spec));
        report.addAll(new WaitsBenchmark(this).run());
        report.forEach(System.out::println);
        if (out != null) Files.write(out, report);
        return 0;
    }

    private ParameterException refused(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
