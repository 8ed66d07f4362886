package dev.bascule.dialect;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Bascule writes on the objects it makes (a version schema's comment, a comment in a trigger's
 * body or function): which migration, by its version schema, and which state schema made it. It is
 * read from the object itself, so it still tells Bascule's objects from others when the state schema
 * that recorded them is another one, or lost.
 *
 * @param versionSchema the version schema of the migration that made the object
 * @param stateSchema   the state schema that recorded that migration
 */
public record OwnerMarker(String versionSchema, String stateSchema) {
    /** What the refusal to touch an object Bascule did not make says, in every dialect. */
    public static final String GUARD = "exists and was not made by Bascule for this migration";
    private static final Pattern TEXT = Pattern.compile("made by Bascule: version ([A-Za-z0-9_]+), state schema ([A-Za-z0-9_]+)");

    /** The marker as written on an object; names are identifiers, so it needs no quoting. */
    public String text() {
        return "made by Bascule: version " + versionSchema + ", state schema " + stateSchema;
    }

    /**
     * Why a version schema (database) of that name is left alone: it exists and this migration did
     * not make it. Said at plan time and by the statement that would have dropped it.
     */
    public static String notOurs(String kind, String name) {
        return kind + " " + name + " " + GUARD + ": drop or rename it,"
                + " or give the migration another name (its version " + kind + " is <schema>_<name>)";
    }

    /**
     * The start of why a version schema (database) is not dropped: it holds, or something elsewhere
     * depends on, what Bascule did not make. The objects follow, last, as a long list may be cut.
     */
    public static String foreignInVersion(String kind, String name) {
        return "version " + kind + " " + name + " holds objects Bascule did not make, or objects elsewhere depend on"
                + " its views; Bascule drops only its own views there, never with CASCADE, and nothing was dropped:"
                + " move each of these out of the way (ALTER ... SET SCHEMA, RENAME TABLE, or a view over the base "
                + kind + " instead) or drop it, then run again: ";
    }

    /** The first marker in {@code text} (a comment, a trigger's or function's body), or empty. */
    public static Optional<OwnerMarker> in(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(text);
        return m.find() ? Optional.of(new OwnerMarker(m.group(1), m.group(2))) : Optional.empty();
    }
}
