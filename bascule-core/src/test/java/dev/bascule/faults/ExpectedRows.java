package dev.bascule.faults;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every row of the accounts table must hold, kept in Java beside the database: the rows the
 * fixture loaded and every write the concurrent writer saw commit. A write whose outcome is unknown
 * (its connection broke before the answer came) widens what is allowed, never narrows it.
 */
final class ExpectedRows {
    /** @param emails the values email may have (one unless a write's outcome is unknown) */
    record Row(Set<String> emails, String name, long balance, boolean mayBeAbsent) {}

    private final Map<Long, Row> rows = new ConcurrentHashMap<>();

    static String email(long id) {
        return "User" + id + "@Example.COM"; // mixed case, so lower(email) differs from email
    }

    static String name(long id) {
        return "n" + id;
    }

    static long balance(long id) {
        return id * 7;
    }

    void loaded(long id) {
        rows.put(id, new Row(Set.of(email(id)), name(id), balance(id), false));
    }

    void inserted(long id, String email, String name, long balance, boolean certain) {
        rows.put(id, new Row(Set.of(email), name, balance, !certain));
    }

    void emailUpdated(long id, String email, boolean certain) {
        rows.computeIfPresent(id, (k, r) -> {
            Set<String> emails = new LinkedHashSet<>(certain ? Set.of() : r.emails());
            emails.add(email);
            return new Row(Set.copyOf(emails), r.name(), r.balance(), r.mayBeAbsent());
        });
    }

    Map<Long, Row> snapshot() {
        return Map.copyOf(rows);
    }
}
