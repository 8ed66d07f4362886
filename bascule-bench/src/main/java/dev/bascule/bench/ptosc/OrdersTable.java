package dev.bascule.bench.ptosc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The table both tools change, made identically in each run's database: {@code rows} orders with
 * an {@code amount INT NOT NULL} that becomes {@code BIGINT}, about the shape of a real orders table.
 */
final class OrdersTable {
    static final String NAME = "orders";

    private final DataSource dataSource;
    private final String database;
    private final long rows;

    OrdersTable(DataSource dataSource, String database, long rows) {
        this.dataSource = dataSource;
        this.database = database;
        this.rows = rows;
    }

    String database() {
        return database;
    }

    String qualified() {
        return MariaDbServer.quote(database) + "." + MariaDbServer.quote(NAME);
    }

    long rows() {
        return rows;
    }

    /** Makes the database and the table, fills it from the Sequence engine (MySQL: a recursive CTE), and analyzes it. */
    void create() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            boolean mysql;
            try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                mysql = !rs.getString(1).toLowerCase(java.util.Locale.ROOT).contains("mariadb");
            }
            if (mysql) {
                s.execute("SET SESSION cte_max_recursion_depth = 100000");
            }
            s.execute("CREATE DATABASE " + MariaDbServer.quote(database));
            s.execute("CREATE TABLE " + qualified() + " (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id int,"
                    + " amount int NOT NULL, status varchar(20), created_at datetime(6), note varchar(200),"
                    + " KEY customer_id (customer_id)) ENGINE=InnoDB");
            // in slices, so that no single transaction holds a million rows' undo
            for (long from = 1; from <= rows; from += 100_000) {
                long to = Math.min(rows, from + 99_999);
                // MySQL has no Sequence engine: the same numbers from a recursive CTE
                String numbers = mysql ? "WITH RECURSIVE bench_seq (seq) AS (SELECT " + from + " UNION ALL SELECT seq + 1 FROM bench_seq"
                        + " WHERE seq < " + to + ") " : "";
                s.execute("INSERT INTO " + qualified() + " (id, customer_id, amount, status, created_at, note) " + numbers
                        + "SELECT seq, seq % 50000, (seq * 7919) % 1000000, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'closed'),"
                        + " TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq SECOND, CONCAT('order ', seq, ' ', REPEAT('x', 60))"
                        + " FROM " + (mysql ? "bench_seq" : MariaDbServer.quote(database) + ".seq_" + from + "_to_" + to)); // the Sequence engine answers in any database
            }
            s.execute("ANALYZE TABLE " + qualified());
        }
    }

    /** Every loaded row's amount, by id (index 0 is unused): what the untouched rows must still hold. */
    long[] amounts() throws SQLException {
        long[] amounts = new long[(int) rows + 1];
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, amount FROM " + qualified() + " WHERE id <= " + rows)) {
            while (rs.next()) amounts[(int) rs.getLong(1)] = rs.getLong(2);
        }
        return amounts;
    }

    /**
     * The table after a change: its row count against the loaded rows and the clients' inserts,
     * a checksum of (id, {@code column}) over the loaded rows no client updated against (id,
     * amount) before the change, and the type of {@code column}.
     */
    TableCheck check(long[] before, Touched touched, long insertsOk, long insertsFailed, String column)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        long count;
        long untouched = 0;
        long expectedSum = 0;
        long actualSum = 0;
        long mismatches = 0;
        boolean[] seen = new boolean[before.length];
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + qualified())) {
                rs.next();
                count = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT id, " + MariaDbServer.quote(column) + " FROM " + qualified()
                    + " WHERE id <= " + rows)) {
                while (rs.next()) {
                    int id = (int) rs.getLong(1);
                    seen[id] = true;
                    if (touched.contains(id)) continue;
                    untouched++;
                    long amount = rs.getLong(2);
                    actualSum += mix(id, amount);
                    expectedSum += mix(id, before[id]);
                    if (amount != before[id]) mismatches++;
                }
            }
            long missing = 0;
            for (int id = 1; id < seen.length; id++) {
                if (!seen[id]) missing++;
            }
            if (missing > 0) problems.add(missing + " loaded rows missing");
            long low = rows + insertsOk;
            long high = low + insertsFailed; // an insert whose answer was lost may have committed
            if (count < low || count > high) {
                problems.add(String.format("%,d rows, expected %,d%s", count, low, insertsFailed > 0 ? " to " + high : ""));
            }
            if (mismatches > 0) problems.add(mismatches + " untouched rows changed");
            String type;
            try (ResultSet rs = s.executeQuery("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                    + database + "' AND TABLE_NAME = '" + NAME + "' AND COLUMN_NAME = '" + column + "'")) {
                type = rs.next() ? rs.getString(1) : "missing";
            }
            if (!type.equals("bigint")) problems.add(column + " is " + type + ", not bigint");
            return new TableCheck(count, untouched, Long.toHexString(expectedSum), Long.toHexString(actualSum), type, problems);
        }
    }

    /** A row's share of the checksum: a 64-bit mix of id and amount, summed (order does not matter). */
    private static long mix(long id, long amount) {
        long h = id * 0x9E3779B97F4A7C15L ^ amount * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    /** What the table held after a change. */
    record TableCheck(long rows, long untouchedRows, String checksumBefore, String checksumAfter, String amountType,
                      List<String> problems) {
        TableCheck {
            problems = List.copyOf(problems);
        }

        boolean ok() {
            return problems.isEmpty();
        }

        String summary() {
            return ok() ? String.format("ok: %,d rows; %,d untouched rows, checksum %s before and after; %s", rows,
                    untouchedRows, checksumAfter, amountType) : String.join("; ", problems);
        }
    }
}
