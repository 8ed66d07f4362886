package dev.bascule.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as users write it on the command line: a whole number and a unit, {@code 45s}, {@code 30m}, {@code 12h}, {@code 7d}. */
public final class Age {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})([smhd])");

    private Age() {}

    /** @throws InvalidMigrationException (exit 2) for anything else */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new InvalidMigrationException("invalid duration '" + text + "': give a whole number and a unit,"
                    + " s (seconds), m (minutes), h (hours) or d (days), e.g. 7d or 0s");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
