package dev.bascule.safety;

import dev.bascule.dialect.Dialect;

import java.time.Duration;
import java.util.List;

/** The gates complete runs, in order: the cheap catalog checks first, the ones that read every row or wait last. */
public final class Gates {
    private Gates() {}

    /** @param quiet how long what was in use since start must then go unused (index scans, queries, old version reads) */
    public static List<Gate> all(Dialect dialect, Duration quiet) {
        // a gate reads the server's catalog or statistics: a server without them has fewer gates
        // (docs/guides/mariadb.md says which, and what is not watched)
        return List.<Gate>of(new BackfillFinishedGate(), new NoReferencesGate(dialect), new IndexUnusedGate(dialect, quiet), new NoRecentUseGate(dialect, quiet),
                new VerifiedGate(dialect), new OldVersionIdleGate(dialect, quiet)).stream()
                .filter(g -> dialect.capabilities().supportsGate(g.name())).toList();
    }

    /** The gates, for their names. */
    public static List<Gate> all(Dialect dialect) {
        return all(dialect, OldVersionIdleGate.DEFAULT_QUIET);
    }
}
