package dev.bascule.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The PostgreSQL server tests run against: the one at {@code BASCULE_TEST_PG_URL} when set,
 * otherwise an embedded PostgreSQL 15 started once per JVM.
 */
public final class PostgresServer {
    private static DataSource dataSource;
    private static String jdbcUrl;

    private PostgresServer() {}

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            String url = System.getenv("BASCULE_TEST_PG_URL");
            if (url != null && !url.isBlank()) {
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setUrl(url);
                if (System.getenv("BASCULE_TEST_PG_USER") != null) {
                    ds.setUser(System.getenv("BASCULE_TEST_PG_USER"));
                } else if (!url.contains("user=")) {
                    ds.setUser(System.getProperty("user.name"));
                }
                dataSource = ds;
                jdbcUrl = url;
            } else {
                try {
                    // pg_stat_statements loaded, as on most production servers: the no_recent_use gate reads it
                    EmbeddedPostgres pg = EmbeddedPostgres.builder()
                            .setServerConfig("shared_preload_libraries", "pg_stat_statements").start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.close();
                        } catch (IOException ignored) {
                            // the JVM is going away
                        }
                    }));
                    dataSource = pg.getPostgresDatabase();
                    jdbcUrl = pg.getJdbcUrl("postgres", "postgres");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
                }
            }
        }
        return dataSource;
    }

    /** A JDBC URL (user included) that a forked process can use to reach the same server. */
    public static synchronized String jdbcUrl() {
        dataSource();
        return jdbcUrl;
    }
}
