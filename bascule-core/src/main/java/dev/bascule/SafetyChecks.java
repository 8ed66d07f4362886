package dev.bascule;

import dev.bascule.dialect.detect.Dialects;
import dev.bascule.safety.Gate;
import dev.bascule.safety.Gates;
import dev.bascule.safety.Preflight;

import java.util.Collection;
import java.util.List;

/** The names of the checks a command can be told to override: complete's gates and the preflight checks. */
public final class SafetyChecks {
    private SafetyChecks() {}

    /** The gates complete runs, by the name {@link Bascule#complete(java.util.Set)} takes to override one. */
    public static List<String> gateNames() {
        // the gates are the same on every database; any dialect lists them
        return Gates.all(Dialects.forUrl("jdbc:postgresql:").orElseThrow()).stream().map(Gate::name).toList();
    }

    /** The preflight checks start and complete run, by the name they take to override one. */
    public static List<String> preflightNames() {
        return Preflight.NAMES;
    }

    /** Refuses ({@link dev.bascule.api.InvalidMigrationException}) a preflight name that is not one of {@link #preflightNames()}. */
    public static void requireKnownPreflight(Collection<String> names) {
        Preflight.requireKnown(names);
    }
}
