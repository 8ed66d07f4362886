package dev.bascule.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Something an operator may need to hear about, sent to every {@link Notifier}.
 *
 * @param type      what happened
 * @param migration the migration's name; null when a command failed before it knew which migration
 * @param schema    the base schema of the application's tables
 * @param table     the table, for backfill events ({@code throttled}, {@code paused}, {@code resumed}
 *                  as seen by the backfill, {@code backfill_finished}); null otherwise
 * @param reason    why: the throttle or pause reason, or the error of {@code failed}; null when none
 * @param version   the schema new code should use, for {@code started}, {@code completed} and
 *                  {@code rolled_back}; null otherwise
 * @param command   the command whose process sent the event ({@code start}, {@code complete},
 *                  {@code rollback}, {@code pause}, {@code resume}): a pause is seen both by the
 *                  process that asked for it and by the one running the backfill
 * @param time      when it happened
 * @param member    the fleet member ({@code bascule fleet}) the event is about; null for the fleet as a
 *                  whole and for every event outside a fleet
 */
public record Event(Type type, String migration, String schema, String table, String reason, String version,
                    String command, Instant time, String member) {

    /** The event types; {@link #wireName()} is what payloads, filters and hooks use. */
    public enum Type {
        STARTED, THROTTLED, PAUSED, RESUMED, BACKFILL_FINISHED, COMPLETED, FAILED, ROLLED_BACK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type of {@code name} ({@code paused}, {@code backfill_finished}, ...), if there is one. */
        public static Optional<Type> fromWireName(String name) {
            return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
        }
    }

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(time, "time");
    }

    /** An event outside a fleet. */
    public Event(Type type, String migration, String schema, String table, String reason, String version,
                 String command, Instant time) {
        this(type, migration, schema, table, reason, version, command, time, null);
    }

    /** An event of {@code type} about {@code migration}, now; table, reason and version are added with the withers. */
    public static Event of(Type type, String command, String migration, String schema) {
        return new Event(type, migration, schema, null, null, null, command, Instant.now());
    }

    public Event withTable(String table) {
        return new Event(type, migration, schema, table, reason, version, command, time, member);
    }

    public Event withReason(String reason) {
        return new Event(type, migration, schema, table, Excerpts.bounded(reason), version, command, time, member); // a server message may quote megabytes
    }

    public Event withMember(String member) {
        return new Event(type, migration, schema, table, reason, version, command, time, member);
    }

    public Event withVersion(String version) {
        return new Event(type, migration, schema, table, reason, version, command, time, member);
    }
}
