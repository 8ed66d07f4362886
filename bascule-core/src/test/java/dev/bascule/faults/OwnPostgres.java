package dev.bascule.faults;

import static dev.bascule.testing.PostgresBinaries.asPostgres;
import static dev.bascule.testing.PostgresBinaries.freePort;
import static dev.bascule.testing.PostgresBinaries.run;

import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A PostgreSQL server of the harness's own, from the machine's PostgreSQL 15 binaries run as user
 * postgres (as ReplicationLagTest does), so a trial can restart it under a running command.
 */
final class OwnPostgres implements AutoCloseable {
    static final Path BIN = dev.bascule.testing.PostgresBinaries.BIN;

    private final Path dir;
    private final Path data;
    private final int port;

    private OwnPostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** Why this machine cannot run one, or null when it can. */
    static String unavailableBecause() throws IOException, InterruptedException {
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

    static OwnPostgres start() throws Exception {
        Path dir = Files.createTempDirectory("bascule-faults");
        run(List.of("chown", "postgres", dir.toString()));
        OwnPostgres pg = new OwnPostgres(dir, freePort());
        asPostgres(BIN + "/initdb", "-D", pg.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
        String preload = Files.exists(Path.of("/usr/lib/postgresql/15/lib/pg_stat_statements.so"))
                ? " -c shared_preload_libraries=pg_stat_statements" : "";
        asPostgres(BIN + "/pg_ctl", "-D", pg.data.toString(), "-w", "-l", dir.resolve("server.log").toString(), "-o",
                "-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off" + preload, "start");
        return pg;
    }

    FaultDatabase database() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        ds.setUrl(url);
        return new FaultDatabase(ds, url);
    }

    /**
     * {@code pg_ctl restart -m mode}: fast ends every session and shuts down cleanly; immediate
     * stops without a checkpoint, so the restart recovers from the WAL and commits made with
     * synchronous_commit off may be lost.
     */
    void restart(String mode) throws Exception {
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
