package dev.bascule.plan.operation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The verifier compares an altered column with what {@code up} gives (and the old column with
 * {@code down}). When alter_column changes a text column's character set or collation, the two
 * sides are of different collations: MariaDB refuses to compare some pairs outright ({@code Illegal
 * mix of collations ... for operation '<=>'}), and a case-insensitive one would call 'ann' and
 * 'Ann' the same. The expression side is put in utf8mb4 under utf8mb4_bin, an explicit collation
 * that wins over the column's implicit one: the column is converted to it (utf8mb4 holds every
 * character set's characters) and the two compare character for character.
 */
final class TextComparison {
    private static final Pattern TEXT = Pattern.compile(
            "^\\s*(char|varchar|nchar|nvarchar|national|character|tinytext|text|mediumtext|longtext|enum|set)\\b.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private TextComparison() {}

    static boolean isText(String type) {
        return type != null && TEXT.matcher(type.toLowerCase(Locale.ROOT)).matches();
    }

    /** {@code expression} as the verifier compares it with a column, {@code oldType} becoming {@code newType}. */
    static String comparable(String dialect, String oldType, String newType, String expression) {
        if (!dialect.equals("mariadb") || !isText(oldType) || !isText(newType)) {
            return expression;
        }
        return "CONVERT((" + expression + ") USING utf8mb4) COLLATE utf8mb4_bin";
    }
}
