package dev.bascule.bench.traffic;

/**
 * A stretch of a run, named as the report shows it. The stage lines up phases of the two ways of
 * migrating that play the same part, so that they can be compared side by side.
 */
public record Phase(String name, Stage stage) {

    /** The parts of a migration every way of doing it goes through, in order. */
    public enum Stage {
        BEFORE("before the migration"),
        CHANGE("schema change and data migration"),
        SIDE_BY_SIDE("old and new code side by side"),
        CONTRACT("contract"),
        AFTER("after the migration");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
