package dev.bascule.bench.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table after a migration under traffic. Every row must have {@code email_lower =
 * lower(email)} whichever version last wrote it, hold every insert and every increment of
 * {@code visits} that a client saw succeed (none lost between the old and the new column), and
 * have the new definition: {@code visits bigint}, {@code email_lower NOT NULL}.
 */
public record TableCheck(long rows, long expectedRows, long emailLowerMismatches, long visitsSum, long expectedVisitsSum,
                         String visitsType, boolean emailLowerNotNull) {

    public boolean ok() {
        return problems().isEmpty();
    }

    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (rows != expectedRows) {
            p.add(String.format(Locale.ROOT, "%,d rows, expected %,d (loaded + inserts that succeeded)", rows, expectedRows));
        }
        if (emailLowerMismatches > 0) {
            p.add(String.format(Locale.ROOT, "%,d rows whose email_lower is not lower(email)", emailLowerMismatches));
        }
        if (visitsSum != expectedVisitsSum) {
            p.add(String.format(Locale.ROOT, "sum(visits) %,d, expected %,d (loaded + updates that succeeded)",
                    visitsSum, expectedVisitsSum));
        }
        if (!"bigint".equals(visitsType)) {
            p.add("visits is " + visitsType + ", not bigint");
        }
        if (!emailLowerNotNull) {
            p.add("email_lower is not NOT NULL");
        }
        return p;
    }
}
