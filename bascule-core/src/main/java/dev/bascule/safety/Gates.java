package dev.bascule.safety;

import java.util.List;

/** The gates complete runs, in order. */
public final class Gates {
    private Gates() {}

    public static List<Gate> all() {
        return List.of(new BackfillFinishedGate(), new NoReferencesGate());
    }
}
