package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.api.DatabaseSignals;
import dev.bascule.api.HistoryEntry;
import dev.bascule.api.MigrationStatus;

import java.time.OffsetDateTime;
import java.util.List;

/** Everything serve shows, read from the database in one go. */
record ServeSnapshot(OffsetDateTime readAt, MigrationStatus status, DatabaseSignals signals,
                     LatencyWindow.Latency latency, List<HistoryEntry> history) {

    ServeSnapshot {
        history = List.copyOf(history);
    }

    /** Reads the state, the signals and the history; each facade call uses its own connection in autocommit. */
    static ServeSnapshot read(Bascule bascule, LatencyWindow window) {
        OffsetDateTime at = OffsetDateTime.now();
        MigrationStatus status = bascule.status();
        DatabaseSignals signals = bascule.signals();
        LatencyWindow.Latency latency = window.add(signals.statements(), System.nanoTime());
        return new ServeSnapshot(at, status, signals, latency, bascule.history());
    }
}
