package dev.bascule.bench.traffic;

/** What an application client does with one statement, by primary key. */
public enum Op {
    READ, INSERT, UPDATE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
