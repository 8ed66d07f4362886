package dev.bascule.safety;

import dev.bascule.dialect.Dialect;

import java.time.Duration;
import java.util.List;

/** The gates complete runs, in order: the cheap catalog checks first, the ones that read every row or wait last. */
public final class Gates {
    private Gates() {}

    public static List<Gate> all(Dialect dialect, Duration oldVersionQuiet) {
        return List.of(new BackfillFinishedGate(), new NoReferencesGate(), new IndexUnusedGate(), new NoRecentUseGate(),
                new VerifiedGate(dialect), new OldVersionIdleGate(dialect, oldVersionQuiet));
    }

    /** The gates, for their names. */
    public static List<Gate> all(Dialect dialect) {
        return all(dialect, OldVersionIdleGate.DEFAULT_QUIET);
    }
}
