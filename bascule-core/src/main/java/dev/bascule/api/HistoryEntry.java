package dev.bascule.api;

import java.time.OffsetDateTime;

/**
 * One migration of the history, as {@code bascule history} shows it.
 *
 * @param forcedGates gates complete was told to override ({@code --force-gate})
 * @param baseline    null for a migration; for a baseline ({@code bascule baseline}), what it adopted
 *                    (the last Flyway or Liquibase migration applied before it), or empty
 */
public record HistoryEntry(String name, String schema, String phase, String checksum, String appliedBy,
                           OffsetDateTime startedAt, OffsetDateTime completedAt, OffsetDateTime rolledBackAt,
                           java.util.List<String> forcedGates, String baseline) {

    public HistoryEntry(String name, String schema, String phase, String checksum, String appliedBy,
                        OffsetDateTime startedAt, OffsetDateTime completedAt, OffsetDateTime rolledBackAt,
                        java.util.List<String> forcedGates) {
        this(name, schema, phase, checksum, appliedBy, startedAt, completedAt, rolledBackAt, forcedGates, null);
    }

    public boolean isBaseline() {
        return baseline != null;
    }
}
