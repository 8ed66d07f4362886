package dev.bascule.api;

import java.time.OffsetDateTime;

/**
 * One migration of the history, as {@code bascule history} shows it.
 *
 * @param forcedGates gates complete was told to override ({@code --force-gate})
 */
public record HistoryEntry(String name, String schema, String phase, String checksum, String appliedBy,
                           OffsetDateTime startedAt, OffsetDateTime completedAt, OffsetDateTime rolledBackAt,
                           java.util.List<String> forcedGates) {}
