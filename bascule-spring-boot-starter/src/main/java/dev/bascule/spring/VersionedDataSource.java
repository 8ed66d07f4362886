package dev.bascule.spring;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A pool that is not HikariCP: each connection borrowed is put on the version first. */
public class VersionedDataSource extends DelegatingDataSource {
    private final String catalog;
    private final String sql;

    VersionedDataSource(DataSource target, String catalog, String sql) {
        super(target);
        this.catalog = catalog;
        this.sql = sql;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return onVersion(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return onVersion(super.getConnection(username, password));
    }

    private Connection onVersion(Connection c) throws SQLException {
        try {
            if (catalog != null) {
                c.setCatalog(catalog);
            }
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }
}
