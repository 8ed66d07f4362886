package dev.bascule.state;

import java.time.OffsetDateTime;

/** A row of the migration history. */
public record MigrationRecord(long id, String schema, String name, String checksum, Phase phase, String versionSchema,
                              String previousVersionSchema, String appliedBy, OffsetDateTime startedAt,
                              OffsetDateTime startFinishedAt, OffsetDateTime completedAt, OffsetDateTime rolledBackAt,
                              boolean paused, String pauseReason, String lastError,
                              java.util.List<String> forcedGates) {

    public enum Phase {
        STARTING, STARTED, COMPLETING, COMPLETED, ROLLING_BACK, ROLLED_BACK;

        public boolean active() {
            return this == STARTING || this == STARTED || this == COMPLETING || this == ROLLING_BACK;
        }

        public String dbName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Phase of(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
