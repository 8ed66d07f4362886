package dev.bascule.bench.traffic;

import java.util.ArrayList;
import java.util.List;

/** The phases of a run in order; clients and the monitor record into the current one. */
final class Timeline {
    private final List<PhaseRecorder> phases = new ArrayList<>();
    private volatile PhaseRecorder current;

    synchronized void enter(Phase phase) {
        if (current != null) {
            current.end();
        }
        current = new PhaseRecorder(phase);
        phases.add(current);
        log("phase: " + phase.name());
    }

    PhaseRecorder current() {
        return current;
    }

    synchronized void end() {
        if (current != null) {
            current.end();
        }
    }

    synchronized List<PhaseRecorder> phases() {
        return List.copyOf(phases);
    }

    static void log(String message) {
        System.err.printf(java.util.Locale.ROOT, "[traffic %8.3f s] %s%n",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, message);
    }
}
