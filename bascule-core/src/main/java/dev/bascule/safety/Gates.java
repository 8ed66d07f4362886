package dev.bascule.safety;

import dev.bascule.dialect.Dialect;

import java.util.List;

/** The gates complete runs, in order. */
public final class Gates {
    private Gates() {}

    public static List<Gate> all(Dialect dialect) {
        return List.of(new BackfillFinishedGate(), new NoReferencesGate(), new VerifiedGate(dialect));
    }
}
