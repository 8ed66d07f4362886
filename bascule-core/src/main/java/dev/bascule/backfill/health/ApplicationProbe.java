package dev.bascule.backfill.health;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads how the application is doing from the server's cumulative statistics, as the difference
 * since the previous read. Each dialect knows where its server keeps them; the health monitor only
 * compares what it is given with a baseline, so the comparison is the same for every database.
 */
public interface ApplicationProbe {

    /** What {@link Interval#total()} adds up. */
    enum Kind {
        /** total: execution time in ms of {@code events} statements */
        LATENCY,
        /** total: rollbacks among {@code events} transactions */
        ROLLBACKS
    }

    /**
     * What happened between two reads: {@code events} statements (or transactions) and their
     * {@code total} (milliseconds, or rollbacks).
     */
    record Interval(long events, double total) {
        public static final Interval EMPTY = new Interval(0, 0);

        public Interval plus(Interval other) {
            return new Interval(events + other.events, total + other.total);
        }

        /** Mean per event; 0 without events. */
        public double mean() {
            return events == 0 ? 0 : total / events;
        }
    }

    Kind kind();

    /** Where the numbers come from, for messages ("pg_stat_statements"). */
    String source();

    /** The work done since the previous call; the first call only sets the starting point and returns {@link Interval#EMPTY}. */
    Interval read(Connection connection) throws SQLException;
}
