package dev.bascule.bench.traffic;

import java.util.List;

/**
 * One scenario's run under traffic.
 *
 * @param migration what the migration did and how long, or why it failed
 * @param failed    whether the migration itself failed (its phases are still reported)
 * @param check     the table afterwards
 */
public record RunResult(String scenario, List<PhaseResult> phases, String migration, boolean failed, TableCheck check,
                        long monitorSamples) {
    public RunResult {
        phases = List.copyOf(phases);
    }

    public long errors() {
        return phases.stream().mapToLong(PhaseResult::errors).sum();
    }

    public long operations() {
        return phases.stream().mapToLong(p -> p.total().count()).sum();
    }
}
