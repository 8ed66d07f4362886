package dev.bascule.bench.ptosc;

import java.util.ArrayList;
import java.util.List;

/**
 * Bascule against pt-online-schema-change on MariaDB, side by side in one run: the same type
 * change on the same fresh table under the same clients, the order of the tools alternated
 * across rounds.
 *
 * <pre>
 * java -jar bascule-bench/target/bascule-bench.jar ptosc --url 'jdbc:mariadb://127.0.0.1:3306/?user=root' \
 *     --rows 1000000 --clients 8 --rounds 2
 * </pre>
 *
 * Every run makes databases {@code bench_ptosc_<id>_*} and drops them at the end.
 */
public final class PtoscBenchmark {
    private final MariaDbServer server;
    private final PtoscOptions options;

    PtoscBenchmark(MariaDbServer server, PtoscOptions options) {
        this.server = server;
        this.options = options;
    }

    /** The tools each round runs, in the order of the first round; later rounds alternate it. */
    List<SchemaChange> changes() {
        List<SchemaChange> changes = new ArrayList<>();
        changes.add(new PtOscChange(server, options.ptosc()));
        changes.add(new BasculeChange(server.dataSource(), options.change(), null));
        if (options.tuned()) {
            changes.add(new BasculeChange(server.dataSource(), options.change(),
                    new BasculeChange.Tuning(options.tunedBatch(), options.tunedMaxRate(), !options.tunedNoLockWaitThrottle())));
        }
        return changes;
    }

    static <T> List<T> inRoundOrder(List<T> first, int round) {
        List<T> order = new ArrayList<>(first);
        if (round % 2 == 0) java.util.Collections.reverse(order);
        return order;
    }

    List<String> run() throws Exception {
        String prefix = "bench_ptosc_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        String version = server.version();
        List<ChangeRun.Result> results = new ArrayList<>();
        ChangeRun run = new ChangeRun(server.dataSource(), options);
        try {
            for (int round = 1; round <= options.rounds(); round++) {
                int n = 0;
                for (SchemaChange change : inRoundOrder(changes(), round)) {
                    results.add(run.run(round, change, prefix + "_r" + round + "_" + ++n));
                    server.dropDatabases(prefix + "_r" + round + "_" + n);
                }
            }
        } finally {
            server.dropDatabases(prefix);
        }
        return new PtoscReport(options, (version.contains("MariaDB") ? "" : "MySQL ") + version + ", " + Runtime.getRuntime().availableProcessors() + " cores",
                changes().stream().map(SchemaChange::name).toList(), results).lines();
    }
}
