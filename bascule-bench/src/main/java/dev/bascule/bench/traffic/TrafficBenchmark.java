package dev.bascule.bench.traffic;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Application traffic through a whole migration, Bascule's and a Flyway user's, in one run:
 *
 * <pre>
 * java -jar bascule-bench/target/bascule-bench.jar traffic --url 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *     --rows 1000000 --clients 8 --phase-seconds 10
 * </pre>
 *
 * Each way migrates a fresh copy of the same table in a schema of its own, made for the run and
 * dropped after it, under the same clients. Compare ratios, not absolutes.
 */
public final class TrafficBenchmark {
    private final DataSource dataSource;
    private final TrafficOptions options;

    public TrafficBenchmark(DataSource dataSource, TrafficOptions options) {
        this.dataSource = dataSource;
        this.options = options;
    }

    /** Both runs, each in a schema made for it and dropped afterwards; the report. */
    public Results runInOwnSchemas() throws Exception {
        String id = Long.toHexString(System.nanoTime() & 0xffffffL);
        String basculeSchema = "traffic_" + id + "_bascule";
        String baselineSchema = "traffic_" + id + "_flyway";
        try {
            exec("CREATE SCHEMA " + basculeSchema, "CREATE SCHEMA " + baselineSchema);
            return run(basculeSchema, "bascule_" + basculeSchema, baselineSchema);
        } finally {
            exec("DROP SCHEMA IF EXISTS " + basculeSchema + "_" + BasculeScenario.FILE.replace(".yaml", "") + " CASCADE",
                    "DROP SCHEMA IF EXISTS " + basculeSchema + " CASCADE",
                    "DROP SCHEMA IF EXISTS bascule_" + basculeSchema + " CASCADE",
                    "DROP SCHEMA IF EXISTS " + baselineSchema + " CASCADE");
        }
    }

    /**
     * Bascule first, then the Flyway-style change, each on its own copy of the table; the schemas
     * must exist and be empty.
     */
    public Results run(String basculeSchema, String stateSchema, String baselineSchema) throws Exception {
        TrafficRun run = new TrafficRun(dataSource, options);
        RunResult bascule = run.run(new BasculeScenario(options.quietTime()), basculeSchema, stateSchema);
        RunResult baseline = run.run(new FlywayStyleScenario(), baselineSchema, stateSchema);
        return new Results(bascule, baseline, new TrafficReport(options, server(), bascule, baseline).lines());
    }

    /** Both runs and the report on them. */
    public record Results(RunResult bascule, RunResult baseline, List<String> report) {
        public Results {
            report = List.copyOf(report);
        }
    }

    private String server() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return String.format(Locale.ROOT, "PostgreSQL %s, %d cores", rs.getString(1), Runtime.getRuntime().availableProcessors());
        }
    }

    private void exec(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String sql : statements) s.execute(sql);
        }
    }
}
