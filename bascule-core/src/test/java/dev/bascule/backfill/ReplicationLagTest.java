package dev.bascule.backfill;

import static dev.bascule.testing.PostgresBinaries.asPostgres;
import static dev.bascule.testing.PostgresBinaries.freePort;
import static dev.bascule.testing.PostgresBinaries.run;

import dev.bascule.backfill.throttle.HealthMonitor;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.api.ThrottleOptions.Limit;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.dialect.postgresql.PostgresDialect;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Replication lag created for real: a primary and a streaming standby (PostgreSQL 15 binaries of
 * the machine, run as user postgres), the standby's replay paused while the primary writes.
 * Skipped where there are no such binaries or no way to run them as postgres.
 */
class ReplicationLagTest {
    static final Path BIN = dev.bascule.testing.PostgresBinaries.BIN;

    @Test
    void lagOfAPausedStandbyThrottlesThenPauses() throws Exception {
        assumeTrue(Files.isExecutable(BIN.resolve("pg_ctl")) && Files.isExecutable(Path.of("/usr/sbin/runuser"))
                && "root".equals(System.getProperty("user.name")), "needs PostgreSQL 15 binaries and root to run them as postgres");
        assumeTrue(run(List.of("id", "postgres")) == 0, "needs a postgres user");
        Path dir = Files.createTempDirectory("bascule-repl");
        run(List.of("chown", "postgres", dir.toString()));
        int primaryPort = freePort();
        int standbyPort = freePort();
        Path primary = dir.resolve("primary");
        Path standby = dir.resolve("standby");
        try {
            asPostgres(BIN + "/initdb", "-D", primary.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
            asPostgres(BIN + "/pg_ctl", "-D", primary.toString(), "-w", "-l", dir.resolve("primary.log").toString(), "-o",
                    "-p " + primaryPort + " -k " + dir + " -c listen_addresses=127.0.0.1 -c wal_level=replica", "start");
            asPostgres(BIN + "/pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primaryPort), "-U", "postgres",
                    "-D", standby.toString(), "-R", "-X", "stream");
            asPostgres(BIN + "/pg_ctl", "-D", standby.toString(), "-w", "-l", dir.resolve("standby.log").toString(), "-o",
                    "-p " + standbyPort + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");

            PGSimpleDataSource primaryDs = source(primaryPort);
            try (Connection s = source(standbyPort).getConnection(); Statement st = s.createStatement()) {
                st.execute("SELECT pg_wal_replay_pause()");
            }
            ThrottleOptions options = ThrottleOptions.none().withReplicationLagBytes(new Limit(1 << 20, 8 << 20));
            try (HealthMonitor m = new HealthMonitor(primaryDs.getConnection(), options, "public.t",
                    new PostgresDialect().health().healthSignals()).start();
                 Connection c = primaryDs.getConnection(); Statement st = c.createStatement()) {
                assertThat(m.verdict().go()).isTrue();
                st.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)");
                st.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g"); // ~2 MiB of WAL
                Verdict v = HealthSignalsTest.await(m, x -> !x.go());
                assertThat(v.level()).isEqualTo(Verdict.Level.THROTTLE);
                assertThat(v.reason()).startsWith("replication lag").contains("MiB >= 1.0 MiB");
                st.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(20001, 150000) g"); // > 8 MiB
                v = HealthSignalsTest.await(m, x -> x.level() == Verdict.Level.CRITICAL);
                assertThat(v.reason()).contains(">= critical 8.0 MiB");
                try (Connection s = source(standbyPort).getConnection(); Statement sst = s.createStatement()) {
                    sst.execute("SELECT pg_wal_replay_resume()");
                }
                assertThat(HealthSignalsTest.await(m, Verdict::go).go()).isTrue();
            }
        } finally {
            for (Path data : List.of(standby, primary)) {
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    run(List.of("runuser", "-u", "postgres", "--", BIN + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "stop"));
                }
            }
            run(List.of("rm", "-rf", dir.toString()));
        }
    }

    private static PGSimpleDataSource source(int port) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
        return ds;
    }
}
