package dev.bascule.bench.traffic;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The migrated table, the same in every schema it is made in: {@code rows} accounts with a
 * mixed-case e-mail, an int counter, and 80 bytes of payload, about the shape of a real users table.
 */
final class AccountsTable {
    private final DataSource dataSource;
    private final String schema;
    private final long rows;

    AccountsTable(DataSource dataSource, String schema, long rows) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.rows = rows;
    }

    long rows() {
        return rows;
    }

    /** Creates and fills the table; returns the sum of its visits. */
    long create() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("SET search_path = " + quoted());
            s.execute("CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL,"
                    + " visits int NOT NULL DEFAULT 0, payload text NOT NULL)");
            s.execute("INSERT INTO accounts (id, email, visits, payload) SELECT g, 'User' || g || '@Example.ORG', g % 1000,"
                    + " repeat('x', 80) FROM generate_series(1, " + rows + ") g");
            s.execute("SELECT setval(pg_get_serial_sequence('accounts', 'id'), " + rows + ")");
            s.execute("VACUUM ANALYZE accounts");
            try (ResultSet rs = s.executeQuery("SELECT sum(visits) FROM accounts")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** What the table holds after the migration, against what the clients' writes should have left. */
    TableCheck check(long initialVisits, WriteTally tally) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("SET search_path = " + quoted());
            long count;
            long mismatches;
            long visits;
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE email_lower IS DISTINCT FROM lower(email)),"
                    + " coalesce(sum(visits), 0) FROM accounts")) {
                rs.next();
                count = rs.getLong(1);
                mismatches = rs.getLong(2);
                visits = rs.getLong(3);
            }
            String visitsType;
            boolean emailLowerNotNull;
            try (ResultSet rs = s.executeQuery("SELECT (SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                    + " WHERE attrelid = 'accounts'::regclass AND attname = 'visits' AND NOT attisdropped),"
                    + " (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'email_lower'"
                    + " AND NOT attisdropped)")) {
                rs.next();
                visitsType = rs.getString(1);
                emailLowerNotNull = rs.getBoolean(2);
            }
            return new TableCheck(count, rows + tally.insertedRows(), mismatches, visits,
                    initialVisits + tally.updatedRows(), visitsType, emailLowerNotNull);
        }
    }

    private String quoted() {
        return '"' + schema.replace("\"", "\"\"") + '"';
    }
}
