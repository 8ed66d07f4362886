package dev.bascule.api;

import java.util.regex.Pattern;

/**
 * What Bascule accepts as a table, column, index or constraint name. Identifiers are always
 * quoted in generated SQL; this stricter rule keeps hostile or accidental names (quotes,
 * semicolons, spaces) out of the catalog and out of generated trigger and view names.
 */
public final class Identifiers {
    /** PostgreSQL truncates identifiers at 63 bytes; MySQL allows 64. */
    public static final int MAX_LENGTH = 63;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern MIGRATION_NAME = Pattern.compile("[A-Za-z0-9_]+");
    /**
     * A SQL type name: words, an optional (precision[, scale]) and optional array brackets,
     * e.g. {@code varchar(320)}, {@code timestamp with time zone}, {@code numeric(10, 2)}, {@code text[]}.
     */
    private static final Pattern TYPE = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?( [A-Za-z_][A-Za-z0-9_]*)*"
                    + "\\s*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?( [A-Za-z_][A-Za-z0-9_]*)*(\\[\\d*\\])*");

    private Identifiers() {}

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && IDENTIFIER.matcher(name).matches();
    }

    public static boolean isValidMigrationName(String name) {
        return name != null && name.length() <= MAX_LENGTH && MIGRATION_NAME.matcher(name).matches();
    }

    public static boolean isValidType(String type) {
        return type != null && type.length() <= 200 && TYPE.matcher(type.trim()).matches();
    }

    public static String rule() {
        return "letters, digits and _, starting with a letter or _, at most " + MAX_LENGTH + " characters";
    }
}
