package dev.bascule.bench.traffic;

import dev.bascule.bench.Reproduce;
import org.postgresql.ds.PGSimpleDataSource;
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

/** {@code bascule-bench traffic}: application traffic through a whole migration, Bascule's and a Flyway user's. */
@Command(name = "traffic", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"PostgreSQL. Clients (half old code, half new) run through a whole migration of a table (a NOT NULL"
                + " column computed from another, an int to bigint change): Bascule's start and complete, then the same change"
                + " as one Flyway-style transaction on a fresh copy. Reports latency, lock waits and errors per phase, and"
                + " checks the table afterwards."})
public final class TrafficCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The client profiles: the accounts workload, or real clients ({@link RealClients}). */
    public enum Profile { ACCOUNTS, REAL_CLIENTS }

    @Option(names = "--profile", paramLabel = "accounts|real-clients", defaultValue = "accounts",
            converter = ProfileConverter.class,
            description = "accounts: the workload above (default); real-clients: failed operations per client profile through two migrations")
    Profile profile;

    @Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:BASCULE_BENCH_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}",
            description = "PostgreSQL to run on (default: BASCULE_BENCH_URL, else ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000", description = "rows of the table (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "8", description = "clients, half old code, half new (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--phase-seconds", paramLabel = "S", defaultValue = "10",
            description = "clients alone before the migration, between start and complete, and after it (default ${DEFAULT-VALUE})")
    long phaseSeconds;

    @Option(names = "--monitor-ms", paramLabel = "MS", defaultValue = "10", description = "lock monitor's sampling interval (default ${DEFAULT-VALUE})")
    long monitorMs;

    @Option(names = "--quiet-seconds", paramLabel = "S", defaultValue = "15", description = "quiet time of complete's gates (default ${DEFAULT-VALUE})")
    long quietSeconds;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the report (Markdown) to FILE")
    Path out;

    /** The options as a record; a value the record refuses is a usage error. */
    TrafficOptions options() {
        try {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--url must be a jdbc:postgresql: URL, not " + Reproduce.masked(url));
            }
            return new TrafficOptions(url, rows, clients, Duration.ofSeconds(phaseSeconds), monitorMs, Duration.ofSeconds(quietSeconds), out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The options of {@code args} (what {@link TrafficOptions#parse} gives); picocli's exceptions on bad ones. */
    static TrafficCommand parsed(String... args) {
        TrafficCommand command = new TrafficCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return command;
    }

    @Override
    public Integer call() throws Exception {
        TrafficOptions options = options();
        List<String> report = new ArrayList<>(Reproduce.header(spec));
        if (profile == Profile.REAL_CLIENTS) {
            report.addAll(RealClients.runInOwnSchema(options));
        } else {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(options.url());
            report.addAll(new TrafficBenchmark(ds, options).runInOwnSchemas().report());
        }
        report.forEach(System.out::println);
        if (out != null) Files.write(out, report);
        return 0;
    }

    /** accounts or real-clients, as the report and the docs spell them. */
    static final class ProfileConverter implements CommandLine.ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            for (Profile p : Profile.values()) {
                if (p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-').equals(value)) return p;
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a profile: accounts or real-clients");
        }
    }
}
