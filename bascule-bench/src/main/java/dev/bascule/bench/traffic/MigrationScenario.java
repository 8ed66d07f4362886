package dev.bascule.bench.traffic;

/** One way of applying the change to a live table, run under the clients' traffic. */
interface MigrationScenario {

    /** As the report names it. */
    String name();

    /**
     * Applies the change, entering its phases as it goes and deploying the clients as a rollout
     * would: the new group onto the new version as soon as there is one, the old group onto it once
     * the old code is to go.
     *
     * @return what the migration itself did and how long it took, one line for the report
     */
    String migrate(MigrationContext context) throws Exception;
}
