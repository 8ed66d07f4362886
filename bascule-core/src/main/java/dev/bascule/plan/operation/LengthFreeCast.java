package dev.bascule.plan.operation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type alter_column's {@code up} is cast to on PostgreSQL. An explicit cast to
 * {@code varchar(n)} or {@code char(n)} cuts a longer value short without a word (SQL's rule for
 * explicit casts), and the verifier, comparing with the same cast, would then find nothing wrong:
 * a value old code writes during start would be kept shortened. Cast to the type without its
 * length, the value reaches the column whole, and the column's own assignment refuses it ({@code
 * value too long}), as MariaDB's strict mode does.
 */
final class LengthFreeCast {
    private static final Pattern CHARS = Pattern.compile(
            "^\\s*(varchar|character\\s+varying|char|character|bpchar)\\s*\\(\\s*\\d+\\s*\\)\\s*$", Pattern.CASE_INSENSITIVE);

    private LengthFreeCast() {}

    static String of(String dialect, String type) {
        if (!dialect.equals("postgresql")) {
            return type;
        }
        Matcher m = CHARS.matcher(type);
        if (!m.matches()) {
            return type;
        }
        String base = m.group(1).toLowerCase(java.util.Locale.ROOT);
        return base.startsWith("char") && !base.contains("varying") || base.equals("character") || base.equals("bpchar")
                ? "bpchar" : "varchar";
    }
}
