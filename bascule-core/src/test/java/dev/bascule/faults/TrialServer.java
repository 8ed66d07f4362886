package dev.bascule.faults;

import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.RestartablePostgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A server trials run on: the tests' shared one, or one of the trial's own ({@link RestartablePostgres}) that it can restart. */
record TrialServer(DataSource dataSource, String url) {

    static TrialServer of(RestartablePostgres pg) {
        return new TrialServer(pg.dataSource(), pg.jdbcUrl());
    }

    static TrialServer shared() {
        return new TrialServer(PostgresServer.dataSource(), PostgresServer.jdbcUrl());
    }

    void exec(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    List<List<String>> rows(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    String value(String query) throws SQLException {
        List<List<String>> rows = rows(query);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }
}
