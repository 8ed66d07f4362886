package dev.bascule.deprecation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bascule.api.DeprecatedObject;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The comment on a deprecated table or column: JSON saying what it was, so that purge and restore
 * work from the catalog alone, with no state table to keep in step with renames and drops.
 * <pre>{"bascule": "deprecated", "kind": "column", "table": "users", "name": "legacy_flag",
 *  "migration": "0002_users", "deprecated_at": "2025-01-31T12:00:00.123+00:00"}</pre>
 * {@code deprecated_at} is added by the database when the object is renamed (its {@code now()}).
 */
public final class DeprecationMarker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "deprecated";
    public static final String DEPRECATED_AT = "deprecated_at";

    /**
     * The key of the comment the object had before the marker replaced it (added by the deprecating
     * statement, as the time is): a user's comment is kept, and restore puts it back.
     */
    public static final String COMMENT = "comment";

    private DeprecationMarker() {}

    /** The comment without its timestamp, which the deprecating statement adds. */
    public static String json(DeprecatedObject.Kind kind, String table, String name, String migration) {
        ObjectNode o = JSON.createObjectNode();
        o.put("bascule", MARK);
        o.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        o.put("table", table);
        o.put("name", name);
        o.put("migration", migration);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The object a comment describes; empty when the comment is not a complete marker (a user's
     * comment, or one edited by hand): such an object is left alone.
     *
     * @param table          the table the object is in now (for a table, the table itself)
     * @param deprecatedName the object's name now
     */
    public static Optional<DeprecatedObject> parse(String schema, String table, String deprecatedName, String comment) {
        if (comment == null) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(comment);
            if (o == null || !MARK.equals(o.path("bascule").asText(null))) {
                return Optional.empty();
            }
            String kind = o.path("kind").asText("");
            DeprecatedObject.Kind k = switch (kind) {
                case "table" -> DeprecatedObject.Kind.TABLE;
                case "column" -> DeprecatedObject.Kind.COLUMN;
                default -> null;
            };
            String name = o.path("name").asText(null);
            String at = o.path(DEPRECATED_AT).asText(null);
            if (k == null || name == null || at == null) {
                return Optional.empty();
            }
            return Optional.of(new DeprecatedObject(k, schema, table, deprecatedName, name,
                    o.path("table").asText(name), o.path("migration").asText(""), OffsetDateTime.parse(at),
                    o.hasNonNull(COMMENT) ? o.get(COMMENT).asText() : null));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
