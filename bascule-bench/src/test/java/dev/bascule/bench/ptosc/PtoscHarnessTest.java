package dev.bascule.bench.ptosc;

import dev.bascule.bench.traffic.Op;
import dev.bascule.bench.traffic.OpStats;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parts of the pt-online-schema-change comparison that need neither pt-osc nor MariaDB: its
 * options, the command it runs, the order of the tools over rounds, the bookkeeping of touched
 * rows, and the ratios and verdict of the report. The comparison itself is run by hand (see
 * docs/BENCHMARKS.md): CI has no percona-toolkit.
 */
class PtoscHarnessTest {

    @Test
    void optionsParseAndRefuseWhatCannotRun() {
        PtoscOptions o = PtoscOptions.parse("--url", "jdbc:mariadb://db:3307/x?user=u", "--rows", "5000", "--clients", "4",
                "--rounds", "3", "--tuned-batch-ms", "500", "--tuned-no-lock-wait-throttle", "--change", "stand-in");
        assertThat(o.rows()).isEqualTo(5000);
        assertThat(o.clients()).isEqualTo(4);
        assertThat(o.rounds()).isEqualTo(3);
        assertThat(o.tuned()).isTrue();
        assertThat(o.tunedBatch()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.tunedNoLockWaitThrottle()).isTrue();
        assertThat(o.change()).isEqualTo(BasculeChange.Kind.STAND_IN);
        assertThat(PtoscOptions.parse().tuned()).isFalse();
        assertThat(PtoscOptions.parse().change()).isEqualTo(BasculeChange.Kind.ALTER_COLUMN);

        assertThatThrownBy(() -> PtoscOptions.parse("--url", "jdbc:postgresql://h/db?password=secret"))
                .hasMessageContaining("jdbc:mariadb:").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> PtoscOptions.parse("--rounds", "0")).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> PtoscOptions.parse("--change", "copy")).hasMessageContaining("alter or stand-in");
        assertThatThrownBy(() -> PtoscOptions.parse("--rows")).hasMessageContaining("--rows");
    }

    @Test
    void ptoscRunsWithItsDefaultsUnattendedAndGetsThePasswordThroughAnOptionFileOnly() throws Exception {
        MariaDbServer server = new MariaDbServer("jdbc:mariadb://db.example:3307/ignored?user=app&password=s%3Dcr%22t");
        List<Path> cleanup = new ArrayList<>();
        try {
            String dsn = server.ptoscDsn("bench_ptosc_1", "orders", cleanup);
            assertThat(dsn).doesNotContain("s=cr").endsWith(",h=db.example,P=3307,u=app,D=bench_ptosc_1,t=orders");
            assertThat(cleanup).hasSize(1);
            Path file = cleanup.get(0);
            assertThat(dsn).startsWith("F=" + file + ",");
            assertThat(Files.readString(file)).isEqualTo("[client]\npassword=\"s=cr\\\"t\"\n");
            assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);

            List<String> command = new PtOscChange(server, "pt-online-schema-change").command(dsn);
            assertThat(command).containsExactly("pt-online-schema-change", "--alter", "MODIFY amount BIGINT NOT NULL",
                    "--execute", "--recursion-method", "none", "--no-version-check", dsn);
        } finally {
            for (Path f : cleanup) Files.deleteIfExists(f);
        }
        assertThat(new MariaDbServer("jdbc:mariadb://localhost/?user=root").ptoscDsn("d", "t", cleanup))
                .isEqualTo("h=localhost,P=3306,u=root,D=d,t=t");
    }

    @Test
    void everyOtherRoundRunsTheToolsInTheOppositeOrder() {
        List<String> first = List.of("pt-osc", "Bascule", "Bascule tuned");
        assertThat(PtoscBenchmark.inRoundOrder(first, 1)).containsExactly("pt-osc", "Bascule", "Bascule tuned");
        assertThat(PtoscBenchmark.inRoundOrder(first, 2)).containsExactly("Bascule tuned", "Bascule", "pt-osc");
        assertThat(PtoscBenchmark.inRoundOrder(first, 3)).isEqualTo(first);
    }

    @Test
    void touchedRowsAreRememberedFromManyThreads() throws Exception {
        Touched touched = new Touched(10_000);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            Thread thread = new Thread(() -> {
                for (long id = 1 + offset; id <= 10_000; id += 4) {
                    if (id % 3 == 0) touched.add(id);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) t.join();
        for (long id = 1; id <= 10_000; id++) {
            assertThat(touched.contains(id)).as("id %d", id).isEqualTo(id % 3 == 0);
        }
    }

    @Test
    void theReportGivesRatiosToPtoscAndJudgesTheTargetFromTheMeasuredFigures() {
        PtoscOptions options = PtoscOptions.parse("--rows", "1000", "--rounds", "2", "--tuned-batch-ms", "500");
        List<ChangeRun.Result> results = List.of(
                result(1, "pt-online-schema-change", 1000, 1.0, 100.0, true),
                result(1, "Bascule", 1000, 0.5, 80.0, true),
                result(1, "Bascule (batch 500 ms)", 1000, 2.0, 50.0, true),
                result(2, "Bascule (batch 500 ms)", 1000, 2.0, 50.0, true),
                result(2, "Bascule", 1000, 0.5, 120.0, true),
                result(2, "pt-online-schema-change", 1000, 1.0, 100.0, true));
        List<String> lines = new PtoscReport(options, "MariaDB test", List.of("pt-online-schema-change", "Bascule",
                "Bascule (batch 500 ms)"), results).lines();
        String all = String.join("\n", lines);
        // Bascule: twice the rate at the same mean p99 (80 and 120 ms against 100 ms)
        assertThat(lines).contains("| Bascule | 2,000 | 5.0 | 20 | 100.00 (80.00 – 120.00) | 100.0 | 0 | 2.00 | 1.00 |");
        assertThat(all).contains("- Bascule: 2.00 × pt-osc's copy rate at 1.00 × its p99: the target (≥ 1.5 × the rate at a p99 no higher) is met.");
        // tuned: half the rate at half the p99
        assertThat(all).contains("- Bascule (batch 500 ms): 0.50 × pt-osc's copy rate at 0.50 × its p99: the target"
                + " (≥ 1.5 × the rate at a p99 no higher) is missed.");

        List<ChangeRun.Result> broken = new ArrayList<>(results);
        broken.set(1, result(1, "Bascule", 1000, 0.5, 80.0, false));
        assertThat(String.join("\n", new PtoscReport(options, "MariaDB test", List.of("pt-online-schema-change", "Bascule",
                "Bascule (batch 500 ms)"), broken).lines())).contains("- Bascule: 2.00 × pt-osc's copy rate at 1.00 × its p99:"
                + " the target (≥ 1.5 × the rate at a p99 no higher) is not judged, a run failed or its table check did.");
    }

    private static ChangeRun.Result result(int round, String tool, long rows, double copySeconds, double p99, boolean tableOk) {
        Map<Op, OpStats> ops = new EnumMap<>(Op.class);
        OpStats total = new OpStats(100, 1.0, p99, 100.0, 0);
        for (Op op : Op.values()) ops.put(op, total);
        LatencyRecorder.Stats stats = new LatencyRecorder.Stats("during the change", 5, total, ops, List.of());
        OrdersTable.TableCheck check = new OrdersTable.TableCheck(rows, rows, "1", "1", "bigint",
                tableOk ? List.of() : List.of("3 untouched rows changed"));
        return new ChangeRun.Result(round, tool, "ran", false, rows, -1, copySeconds, 5.0, stats, stats, stats, check);
    }
}
