package dev.bascule.backfill.health;

import dev.bascule.api.ThrottleOptions;
import java.util.List;
import java.util.Locale;

/** Holds a signal's value against its {@link ThrottleOptions.Limit}: shared by every server's {@link HealthSignals}. */
public final class Thresholds {

    private Thresholds() {}

    /** Adds a verdict when {@code value} reaches the throttle or the critical threshold of {@code limit}. */
    public static void check(List<Verdict> found, String what, double value, ThrottleOptions.Limit limit, boolean bytes,
                              String unit) {
        if (limit.critical() > 0 && value >= limit.critical()) {
            found.add(new Verdict(Verdict.Level.CRITICAL, what + " " + format(value, bytes, unit) + " >= critical "
                    + format(limit.critical(), bytes, unit)));
        } else if (limit.throttle() > 0 && value >= limit.throttle()) {
            found.add(new Verdict(Verdict.Level.THROTTLE, what + " " + format(value, bytes, unit) + " >= "
                    + format(limit.throttle(), bytes, unit)));
        }
    }

    public static String format(double value, boolean bytes, String unit) {
        if (bytes) {
            String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
            int i = 0;
            while (value >= 1024 && i < units.length - 1) {
                value /= 1024;
                i++;
            }
            return String.format(Locale.ROOT, "%.1f %s%s", value, units[i], unit.equals("/s") ? "/s" : "");
        }
        return String.format(Locale.ROOT, value == Math.rint(value) ? "%.0f%s" : "%.1f%s", value, unit.isEmpty() ? "" : " " + unit);
    }
}
