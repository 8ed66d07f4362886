package dev.bascule.faults;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The catalog of a fault-free run of the migration, taken before start, after start and after
 * complete on a fixture of its own, with the number of steps each phase has: what a faulted run
 * must end up equal to.
 */
record Reference(List<String> before, List<String> started, List<String> completed, int startSteps, int completeSteps) {

    static Reference take(TrialServer db, Path dir) throws Exception {
        try (AccountsFixture f = new AccountsFixture(db, 1_000, dir)) {
            List<String> before = f.catalog();
            var bascule = f.bascule();
            bascule.start(dev.bascule.Bascule.read(f.migration));
            List<String> started = f.catalog();
            int startSteps = Integer.parseInt(f.db.value("SELECT count(*) FROM " + f.stateSchema + ".steps WHERE phase = 'start'"));
            bascule.complete(Set.of());
            List<String> completed = f.catalog();
            int completeSteps = Integer.parseInt(f.db.value("SELECT count(*) FROM " + f.stateSchema + ".steps WHERE phase = 'complete'"));
            return new Reference(before, started, completed, startSteps, completeSteps);
        }
    }
}
