package dev.bascule.safety;

import dev.bascule.api.VerifyResult;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Every row's new values are what the migration's expressions give: complete would make any other value final. */
final class VerifiedGate implements Gate {
    private final Dialect dialect;

    public VerifiedGate(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String name() {
        return "verified";
    }

    @Override
    public Optional<String> check(Input in) throws SQLException {
        Connection c = in.connection();
        Plan plan = in.plan();
        Set<Integer> done = in.doneStartSteps();
        if (plan.verifications().isEmpty()) {
            return Optional.empty();
        }
        if (!Verifier.backfilled(plan, done)) {
            return Optional.of("not run: the backfill has not finished");
        }
        List<String> failed = new ArrayList<>();
        for (VerifyResult r : new Verifier(dialect, 10_000).run(c, plan)) {
            if (!r.ok()) {
                failed.add(r.mismatched() + " of " + r.rowsChecked() + " rows of " + r.table() + " differ from what the"
                        + " migration's expressions give, first " + String.join("; ", r.examples()));
            }
        }
        return failed.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", failed) + " (bascule verify lists them; fix the rows, or rollback)");
    }
}
