package dev.bascule.rehearsal;

import dev.bascule.api.RehearsalReport;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The synthetic application clients of one version: each thread holds a connection whose
 * search_path is that version, and loops over reads, writes and inserts by key on the targets
 * until stopped, timing each operation.
 */
final class SyntheticClients {
    /** A client that waits this long is stuck; it gives up so that the rehearsal ends. */
    private static final String STATEMENT_TIMEOUT = "10s";

    private final String version;
    private final DataSource dataSource;
    private final String searchPath;
    private final List<TrafficTarget> targets;
    private final int threads;
    private final ClientStats stats;
    private final ClientThreads clients;

    /** @param searchPath as SQL, identifiers quoted */
    SyntheticClients(String version, DataSource dataSource, String searchPath, List<TrafficTarget> targets, int threads,
                     Duration lockTimeout) {
        this.version = version;
        this.dataSource = dataSource;
        this.searchPath = searchPath;
        this.targets = List.copyOf(targets);
        this.threads = targets.isEmpty() ? 0 : threads;
        this.stats = new ClientStats(version, lockTimeout);
        this.clients = new ClientThreads("bascule-rehearsal-" + version, this.threads, this::loop);
    }

    void start() {
        clients.start();
    }

    /** Stops the clients, after their statement in flight. */
    void stop() {
        clients.stop(Duration.ofSeconds(30));
    }

    RehearsalReport.Clients report() {
        return stats.report(threads, clients.elapsed());
    }

    private void loop(int worker) {
        Connection c = null;
        while (clients.running() && !Thread.currentThread().isInterrupted()) {
            if (c == null) {
                try {
                    c = connect(worker);
                } catch (SQLException e) {
                    stats.failed("connect", "-", 0, e);
                    ClientThreads.pause(100);
                    continue;
                }
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            TrafficTarget target = targets.get(rnd.nextInt(targets.size()));
            if (target.keys().isEmpty()) {
                ClientThreads.pause(10);
                continue;
            }
            Object[] key = target.keys().get(rnd.nextInt(target.keys().size()));
            int pick = rnd.nextInt(20);
            String kind;
            String sql;
            if (pick < 3 && target.insert().isPresent()) {
                kind = "insert";
                sql = target.insert().get();
            } else if (pick < 10 && target.update().isPresent()) {
                kind = "update";
                sql = target.update().get();
            } else {
                kind = "select";
                sql = target.select();
            }
            long t0 = System.nanoTime();
            try {
                run(c, sql, key, kind.equals("select"));
                stats.ok(kind, target.table(), System.nanoTime() - t0);
            } catch (SQLException | RuntimeException e) {
                stats.failed(kind, target.table(), System.nanoTime() - t0, e);
                if (!ClientThreads.usable(c)) {
                    ClientThreads.closeQuietly(c);
                    c = null;
                }
            }
            ClientThreads.pause(1); // a client thinks between queries; without it the clients alone would saturate a small server
        }
        ClientThreads.closeQuietly(c);
    }

    private Connection connect(int worker) throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = 'bascule-rehearsal-" + version + "-" + worker + "'");
            s.execute("SET search_path = " + searchPath);
            s.execute("SET statement_timeout = '" + STATEMENT_TIMEOUT + "'");
        } catch (SQLException e) {
            ClientThreads.closeQuietly(c);
            throw e;
        }
        return c;
    }

    private static void run(Connection c, String sql, Object[] key, boolean query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < key.length; i++) {
                ps.setObject(i + 1, key[i]);
            }
            if (query) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            } else {
                ps.executeUpdate();
            }
        }
    }

}
