package dev.bascule.bench.traffic;

import javax.sql.DataSource;
import java.time.Duration;

/** What a scenario works with: the database, its schema, and the running clients and phases. */
final class MigrationContext {
    private final DataSource dataSource;
    private final String schema;
    private final String stateSchema;
    private final Timeline timeline;
    private final Workload workload;
    private final Duration sideBySide;

    MigrationContext(DataSource dataSource, String schema, String stateSchema, Timeline timeline, Workload workload,
                     Duration sideBySide) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.stateSchema = stateSchema;
        this.timeline = timeline;
        this.workload = workload;
        this.sideBySide = sideBySide;
    }

    DataSource dataSource() {
        return dataSource;
    }

    String schema() {
        return schema;
    }

    String stateSchema() {
        return stateSchema;
    }

    void enter(Phase phase) {
        timeline.enter(phase);
    }

    void deployNewGroup(Assignment as) {
        Timeline.log("new code deployed: " + as.label());
        workload.deployNewGroup(as);
    }

    void deployOldGroup(Assignment as) {
        Timeline.log("old code redeployed: " + as.label());
        workload.deployOldGroup(as);
    }

    /** Old and new code run side by side this long, as during a rolling deploy. */
    void sideBySide() throws InterruptedException {
        Thread.sleep(sideBySide.toMillis());
    }
}
