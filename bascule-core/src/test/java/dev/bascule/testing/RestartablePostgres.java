package dev.bascule.testing;

import static dev.bascule.testing.PostgresBinaries.asPostgres;
import static dev.bascule.testing.PostgresBinaries.freePort;
import static dev.bascule.testing.PostgresBinaries.run;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts a PostgreSQL 15 server of a test's own, from the machine's binaries run as user postgres
 * (see {@link PostgresBinaries}), so the test can restart it under a running command; closing stops
 * it and deletes its data directory.
 */
public final class RestartablePostgres implements AutoCloseable {
    static final Path BIN = PostgresBinaries.BIN;

    private final Path dir;
    private final Path data;
    private final int port;

    private RestartablePostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** Why this machine cannot run one, or null when it can. */
    public static String unavailableBecause() throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("pg_ctl")) || !Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            return "needs the PostgreSQL 15 binaries in " + BIN + " and runuser";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root, to run the server as user postgres";
        }
        if (run(List.of("id", "postgres")) != 0) {
            return "needs a postgres user";
        }
        return null;
    }

    public static RestartablePostgres start() throws Exception {
        Path dir = Files.createTempDirectory("bascule-faults");
        run(List.of("chown", "postgres", dir.toString()));
        RestartablePostgres pg = new RestartablePostgres(dir, freePort());
        asPostgres(BIN + "/initdb", "-D", pg.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
        String preload = Files.exists(Path.of("/usr/lib/postgresql/15/lib/pg_stat_statements.so"))
                ? " -c shared_preload_libraries=pg_stat_statements" : "";
        asPostgres(BIN + "/pg_ctl", "-D", pg.data.toString(), "-w", "-l", dir.resolve("server.log").toString(), "-o",
                "-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off" + preload, "start");
        return pg;
    }

    /** A JDBC URL, user included, of the server's postgres database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl());
        return ds;
    }

    /**
     * {@code pg_ctl restart -m mode}: fast ends every session and shuts down cleanly; immediate
     * stops without a checkpoint, so the restart recovers from the WAL and commits made with
     * synchronous_commit off may be lost.
     */
    public void restart(String mode) throws Exception {
        asPostgres(BIN + "/pg_ctl", "-D", data.toString(), "-w", "-m", mode, "-l", dir.resolve("server.log").toString(), "restart");
    }

    @Override
    public void close() throws Exception {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(List.of("runuser", "-u", "postgres", "--", BIN + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "stop"));
        }
        run(List.of("rm", "-rf", dir.toString()));
    }
}
