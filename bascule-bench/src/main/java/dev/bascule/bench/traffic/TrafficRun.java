package dev.bascule.bench.traffic;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * One scenario from start to end on a table of its own: the clients run alone, the scenario
 * migrates under them, they run on after it; then the table is checked against their writes.
 */
final class TrafficRun {
    private final DataSource dataSource;
    private final TrafficOptions options;

    TrafficRun(DataSource dataSource, TrafficOptions options) {
        this.dataSource = dataSource;
        this.options = options;
    }

    /**
     * @param schema      an empty schema the table is made in
     * @param stateSchema where Bascule keeps its state for this run
     */
    RunResult run(MigrationScenario scenario, String schema, String stateSchema) throws Exception {
        Timeline.log(scenario.name() + ": loading " + options.rows() + " rows into " + schema + ".accounts");
        AccountsTable table = new AccountsTable(dataSource, schema, options.rows());
        long initialVisits = table.create();

        Timeline timeline = new Timeline();
        String applicationName = "traffic-" + schema;
        Workload workload = new Workload(dataSource, timeline, applicationName, options.clients(), options.rows(),
                Assignment.of(AppVersion.OLD, schema));
        MigrationContext context = new MigrationContext(dataSource, schema, stateSchema, timeline, workload, options.phase());
        String migration;
        boolean failed = false;
        long samples;
        LockWaitMonitor monitor = new LockWaitMonitor(dataSource, timeline, applicationName, options.monitorIntervalMillis());
        try {
            timeline.enter(new Phase("before", Phase.Stage.BEFORE));
            workload.start();
            Thread.sleep(options.phase().toMillis());
            try {
                migration = scenario.migrate(context);
            } catch (Exception e) {
                failed = true;
                migration = "FAILED: " + e.getMessage();
                Timeline.log(scenario.name() + " failed: " + e);
            }
            timeline.enter(new Phase("after", Phase.Stage.AFTER));
            Thread.sleep(options.phase().toMillis());
        } finally {
            workload.stop();
            timeline.end();
            monitor.close();
        }
        samples = monitor.samples();
        List<PhaseResult> phases = new ArrayList<>();
        for (PhaseRecorder p : timeline.phases()) {
            phases.add(p.snapshot(monitor.of(p)));
        }
        TableCheck check = failed ? null : table.check(initialVisits, workload.tally());
        Timeline.log(scenario.name() + ": " + migration + (check == null ? "" : check.ok() ? "; table as expected"
                : "; table: " + String.join("; ", check.problems())));
        return new RunResult(scenario.name(), phases, migration, failed, check, samples);
    }
}
