package dev.bascule.bench.ptosc;

import dev.bascule.bench.Reproduce;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bascule-bench ptosc}: Bascule against pt-online-schema-change on MariaDB or MySQL 8. */
@Command(name = "ptosc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"MariaDB or MySQL 8. The same int to bigint change on fresh copies of a table, by pt-online-schema-change"
                + " (percona-toolkit) and by Bascule, under the same clients, the order of the tools reversed every other"
                + " round. Reports copy rate, clients' latency and errors, and checks each table afterwards."})
public final class PtoscCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:BASCULE_BENCH_MYSQL_URL:-jdbc:mariadb://127.0.0.1:3306/?user=root}",
            description = "MariaDB or MySQL 8 to run on (default: BASCULE_BENCH_MYSQL_URL, else ${DEFAULT-VALUE}); its database is not used")
    String url;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000", description = "rows of the table (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "8", description = "clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "2", description = "rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--phase-seconds", paramLabel = "S", defaultValue = "5",
            description = "clients alone before and after each change (default ${DEFAULT-VALUE})")
    long phaseSeconds;

    @Option(names = "--change", paramLabel = "alter|stand-in", defaultValue = "alter",
            description = "Bascule's migration: the real alter_column (default), or the add_column stand-in")
    String change;

    @Option(names = "--tuned-batch-ms", paramLabel = "MS", description = "each round also runs Bascule with this target batch time")
    Long tunedBatchMs;

    @Option(names = "--tuned-max-rows-per-second", paramLabel = "N", defaultValue = "0",
            description = "the tuned run's rows per second limit (0: none, the default)")
    long tunedMaxRate;

    @Option(names = "--tuned-no-lock-wait-throttle", description = "the tuned run does not throttle on sessions waiting for its row locks")
    boolean tunedNoLockWaitThrottle;

    @Option(names = "--pt-osc", paramLabel = "PATH", defaultValue = "pt-online-schema-change",
            description = "the pt-online-schema-change executable (default ${DEFAULT-VALUE})")
    String ptosc;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the report (Markdown) to FILE")
    Path out;

    /** The options as a record; a value the record refuses is a usage error. */
    PtoscOptions options() {
        try {
            return new PtoscOptions(url, rows, clients, rounds, Duration.ofSeconds(phaseSeconds), BasculeChange.Kind.parse(change),
                    tunedBatchMs == null ? null : Duration.ofMillis(tunedBatchMs), tunedMaxRate, tunedNoLockWaitThrottle, ptosc, out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The options of {@code args}; picocli's exceptions on bad ones. */
    static PtoscCommand parsed(String... args) {
        PtoscCommand command = new PtoscCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Override
    public Integer call() throws Exception {
        PtoscOptions options = options();
        MariaDbServer server = new MariaDbServer(options.url());
        List<String> report = new ArrayList<>(Reproduce.header(spec));
        report.addAll(new PtoscBenchmark(server, options).run());
        report.forEach(System.out::println);
        if (out != null) Files.write(out, report);
        return 0;
    }
}
