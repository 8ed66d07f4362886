package dev.bascule.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench jar's command line: help that lists the benchmarks and their options, and bad arguments refused with exit 2. */
class BenchMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return BenchMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsEveryBenchmark() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: bascule-bench", "backfill", "waits", "traffic", "ptosc", "fleet");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void eachBenchmarkListsItsOptions() {
        assertThat(run("waits", "--help")).isZero();
        assertThat(out.toString()).contains("--sizes", "--clients", "--runs", "--batch-ms", "--throttle", "--out");
        assertThat(run("help", "ptosc")).isZero();
        assertThat(out.toString()).contains("--rounds", "--tuned-batch-ms", "--pt-osc");
        assertThat(run("traffic", "-h")).isZero();
        assertThat(out.toString()).contains("--profile", "--phase-seconds");
        assertThat(run("backfill", "--help")).isZero();
        assertThat(out.toString()).contains("--latency-size", "--throttle-rows-per-second");
        assertThat(run("fleet", "--help")).isZero();
        assertThat(out.toString()).contains("--members", "--kind", "--concurrency");
    }

    @Test
    void badArgumentsAreAMessageAndExitTwoWithoutAStackTrace() {
        assertThat(run("waits", "--clients", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("bascule-bench waits", "--clients", "many").doesNotContain("Exception", "\tat ");

        assertThat(run("ptosc", "--rounds", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--rounds must be at least 1");

        assertThat(run("traffic", "--profile", "robots")).isEqualTo(2);
        assertThat(err.toString()).contains("accounts or real-clients");

        assertThat(run("nonsense")).isEqualTo(2);
        assertThat(run("--no-such-option")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("name a benchmark").doesNotContain("Exception", "\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aPasswordInTheUrlIsNotEchoed() {
        assertThat(run("waits", "--url", "jdbc:mysql://h/db?password=hunter2")).isEqualTo(2);
        assertThat(err.toString()).contains("jdbc:postgresql:").doesNotContain("hunter2");
    }

    @Test
    void theReproducingCommandNamesEveryOptionWithItsValue() {
        picocli.CommandLine cl = new picocli.CommandLine(new BenchMain());
        cl.parseArgs("waits", "--sizes", "1000,2000", "--clients", "6", "--url", "jdbc:postgresql://h/db?user=u&password=s3cret");
        String command = Reproduce.command(cl.getSubcommands().get("waits").getCommandSpec());
        assertThat(command).startsWith("java -jar bascule-bench.jar waits ")
                .contains("--sizes 1000,2000", "--clients 6", "--runs 5", "--throttle defaults", "password=***")
                .doesNotContain("s3cret", "--help");

        BackfillCommand backfill = new BackfillCommand();
        new picocli.CommandLine(backfill).parseArgs("--sizes", "0", "--latency-size", "1000");
        assertThat(backfill.rateSizes()).isEmpty();
        assertThat(Reproduce.command(backfill.spec)).contains("backfill --url", "--sizes 0 ", "--latency-size 1000 ");
    }
}
