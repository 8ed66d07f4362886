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

    /**
     * The MySQL family's {@code enum('a','b')} and {@code set('a','b')}: each value a string literal
     * with its quotes doubled, no backslash (its meaning depends on the server's sql_mode) and no
     * control character, then words ({@code CHARACTER SET utf8mb4 COLLATE utf8mb4_bin}).
     */
    private static final String VALUE = "'(?:[^'\\\\\\x00-\\x1f]|'')*'";
    private static final Pattern ENUM_OR_SET = Pattern.compile(
            "(?i)(enum|set)\\s*\\(\\s*" + VALUE + "(\\s*,\\s*" + VALUE + ")*\\s*\\)( [A-Za-z_][A-Za-z0-9_]*)*");

    private Identifiers() {}

    /** Whether {@code type} is an {@code enum(..)} or {@code set(..)} of the MySQL family, as {@link #isValidType} takes it. */
    public static boolean isEnumOrSet(String type) {
        return type != null && type.length() <= 4000 && ENUM_OR_SET.matcher(type.trim()).matches();
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && IDENTIFIER.matcher(name).matches();
    }

    public static boolean isValidMigrationName(String name) {
        return name != null && name.length() <= MAX_LENGTH && MIGRATION_NAME.matcher(name).matches();
    }

    public static boolean isValidType(String type) {
        return type != null && (type.length() <= 200 && TYPE.matcher(type.trim()).matches() || isEnumOrSet(type));
    }

    public static String rule() {
        return "letters, digits and _, starting with a letter or _, at most " + MAX_LENGTH + " characters";
    }
}
