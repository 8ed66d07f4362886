package dev.bascule.backfill.health;

/** What the health signals say about running the next batch now. */
public record Verdict(Level level, String reason) {
    public enum Level { GO, THROTTLE, CRITICAL }

    public static final Verdict GO = new Verdict(Level.GO, null);

    public boolean go() {
        return level == Level.GO;
    }
}
