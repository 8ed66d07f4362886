package dev.bascule.bench.ptosc;

import javax.sql.DataSource;
import java.util.Locale;

/**
 * One tool once, on a table of its own: the table is made and read, the clients run alone, the
 * tool changes the table under them, they run on after it; then the table is checked.
 */
final class ChangeRun {
    private final DataSource dataSource;
    private final PtoscOptions options;

    ChangeRun(DataSource dataSource, PtoscOptions options) {
        this.dataSource = dataSource;
        this.options = options;
    }

    Result run(int round, SchemaChange change, String database) throws Exception {
        log("round %d, %s: loading %,d rows into %s.orders", round, change.name(), options.rows(), database);
        OrdersTable table = new OrdersTable(dataSource, database, options.rows());
        table.create();
        long[] before = table.amounts();

        OrdersLoad load = new OrdersLoad(dataSource, table);
        LatencyRecorder beforeChange = new LatencyRecorder("before");
        LatencyRecorder during = new LatencyRecorder("during the change");
        LatencyRecorder after = new LatencyRecorder("after");
        CopyPhase copy = new CopyPhase(() -> options.rows() + load.insertsOk());
        String detail;
        boolean failed = false;
        long total;
        try {
            load.start(options.clients(), beforeChange);
            Thread.sleep(options.phase().toMillis());
            log("round %d, %s: changing", round, change.name());
            load.switchTo(during);
            long t0 = System.nanoTime();
            try {
                detail = change.run(table, copy);
            } catch (Exception e) {
                failed = true;
                detail = "FAILED: " + e.getMessage();
            }
            total = System.nanoTime() - t0;
            load.switchTo(after);
            Thread.sleep(options.phase().toMillis());
        } finally {
            load.stop();
        }
        OrdersTable.TableCheck check = failed ? null : table.check(before, load.touched(), load.insertsOk(), load.insertsFailed(),
                change.checkedColumn());
        Result r = new Result(round, change.name(), detail, failed, copy.rows(), copy.rowsReported(), copy.seconds(), total / 1e9,
                beforeChange.stats(), during.stats(), after.stats(), check);
        log("round %d, %s: %s; copy %,d rows in %.2f s = %,.0f rows/s; change %.1f s; during: p50 %.2f p99 %.2f max %.1f ms,"
                        + " %d errors; table: %s", round, change.name(), detail, r.copyRows(), r.copySeconds(), r.copyRate(),
                r.totalSeconds(), r.during().total().p50(), r.during().total().p99(), r.during().total().max(), r.errors(),
                check == null ? "not checked" : check.summary());
        return r;
    }

    /**
     * @param copyRows      rows in the table as the copy began (loaded plus inserted so far)
     * @param copyReported  the tool's own count (Bascule's backfill; -1 where the tool gives none)
     */
    record Result(int round, String tool, String detail, boolean failed, long copyRows, long copyReported, double copySeconds,
                  double totalSeconds, LatencyRecorder.Stats before, LatencyRecorder.Stats during, LatencyRecorder.Stats after,
                  OrdersTable.TableCheck check) {
        double copyRate() {
            return copyRows / copySeconds;
        }

        /** Client errors during and after the change. */
        long errors() {
            return during.total().errors() + after.total().errors();
        }
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[ptosc %8.3f s] %s%n",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, String.format(Locale.ROOT, format, args));
    }
}
