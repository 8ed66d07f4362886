package dev.bascule.safety;

import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** A check that must pass before complete removes what old code used. */
public interface Gate {

    /** The name used by {@code --force-gate}. */
    String name();

    /**
     * @param doneStartSteps indexes of the start steps that finished
     * @return why the gate is closed, or empty when it is open
     */
    Optional<String> check(Connection c, Plan plan, Set<Integer> doneStartSteps) throws SQLException;
}
