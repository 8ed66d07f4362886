package dev.bascule.safety;

import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A check that must pass before complete removes what old code used. */
public interface Gate {

    /** The name used by {@code --force-gate}. */
    String name();

    /**
     * What a gate reads to decide.
     *
     * @param doneStartSteps indexes of the start steps that finished
     * @param baselines      what each gate's {@link #baseline} recorded when start began, by gate name
     * @param note           for what the user should know without the gate closing (a signal it cannot read)
     */
    record Input(Connection connection, Plan plan, Set<Integer> doneStartSteps, Map<String, String> baselines,
                 Consumer<String> note) {
        public Input {
            baselines = Map.copyOf(baselines);
        }
    }

    /** @return why the gate is closed, or empty when it is open */
    Optional<String> check(Input in) throws SQLException;

    /**
     * Counters to compare with at complete ("since start"), read when start begins and stored as
     * JSON; empty when the gate needs none.
     */
    default Optional<String> baseline(Connection c, Plan plan) throws SQLException {
        return Optional.empty();
    }
}
