package dev.bascule.dialect.detect;

import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.mysql.MySqlFamily;
import dev.bascule.dialect.postgresql.PostgresDialect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** Chooses the dialect of a database: from a JDBC URL, or from a connection's metadata. */
public final class Dialects {
    private Dialects() {}

    /**
     * The dialect a JDBC URL names, or empty for a URL of another database. A {@code jdbc:mysql:}
     * or {@code jdbc:mariadb:} URL names the MySQL family, whose server (MariaDB or MySQL, either
     * driver reaching either) only a connection tells: {@link #detect} does, and
     * {@code Bascule.Builder.load} asks it.
     */
    public static Optional<Dialect> forUrl(String jdbcUrl) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return Optional.of(new PostgresDialect());
        }
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            return Optional.of(new MariaDbDialect());
        }
        return Optional.empty();
    }

    /**
     * The dialect of the server {@code dataSource} connects to, from its metadata (the product
     * name) and, in the MySQL family, from the server's own {@code VERSION()}: MySQL Connector/J
     * and MariaDB's driver both answer for either server, and name the driver's product, not the server's.
     */
    public static Dialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return new PostgresDialect();
            }
            if (product.contains("mariadb") || product.contains("mysql")) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                    rs.next();
                    return new MariaDbDialect(MySqlFamily.ofVersion(rs.getString(1)));
                }
            }
            throw new InvalidMigrationException("Bascule supports PostgreSQL, MariaDB and MySQL; the data source connects"
                    + " to " + meta.getDatabaseProductName());
        } catch (SQLException e) {
            throw new BasculeException("cannot connect to the database to tell which it is: " + e.getMessage(), e);
        }
    }
}
