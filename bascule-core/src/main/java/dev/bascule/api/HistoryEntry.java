package dev.bascule.api;

import java.time.OffsetDateTime;

/** One migration of the history, as {@code bascule history} shows it. */
public record HistoryEntry(String name, String schema, String phase, String checksum, String appliedBy,
                           OffsetDateTime startedAt, OffsetDateTime completedAt, OffsetDateTime rolledBackAt) {}
