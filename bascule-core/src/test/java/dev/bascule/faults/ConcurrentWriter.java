package dev.bascule.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application writing while the fault happens: inserts and email updates, through the old
 * version (the base schema, as old code does) or the new one (the version schema, as new code
 * does), each write recorded in {@link ExpectedRows} once it committed. A broken connection (a
 * server restart) is reopened; the write it carried is recorded as of unknown outcome.
 */
final class ConcurrentWriter implements AutoCloseable {
    enum Version { OLD, NEW }

    private final AccountsFixture fixture;
    private final Version version;
    private final Random random;
    private final long firstId;
    private final Thread thread;
    private final List<String> errors = new ArrayList<>();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile boolean stop;

    private ConcurrentWriter(AccountsFixture fixture, Version version, long seed, long firstId) {
        this.fixture = fixture;
        this.version = version;
        this.random = new Random(seed);
        this.firstId = firstId;
        this.thread = new Thread(this::loop, "concurrent-writer");
        this.thread.setDaemon(true);
    }

    /** @param firstId the first id it inserts; each writer of a fixture gets a range of its own */
    static ConcurrentWriter start(AccountsFixture fixture, Version version, long seed, long firstId) {
        ConcurrentWriter w = new ConcurrentWriter(fixture, version, seed, firstId);
        w.thread.start();
        return w;
    }

    private void loop() {
        long next = firstId;
        Connection c = null;
        while (!stop) {
            try {
                if (c == null) {
                    c = connect();
                }
                if (random.nextInt(3) == 0) {
                    insert(c, next++);
                } else {
                    update(c, 1 + random.nextInt(fixture.rows));
                }
                writes.incrementAndGet();
                Thread.sleep(4);
            } catch (SQLException e) {
                if (broken(e)) {
                    close(c);
                    c = null;
                    sleep(100);
                } else {
                    synchronized (errors) {
                        errors.add(e.getMessage());
                    }
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        close(c);
    }

    private Connection connect() throws SQLException {
        Connection c = fixture.db.dataSource().getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = " + (version == Version.NEW ? fixture.versionSchema() + ", " : "") + fixture.schema);
        }
        return c;
    }

    private void insert(Connection c, long id) throws SQLException {
        String email = "Writer" + id + "@Example.COM";
        String name = "w" + id;
        long balance = id * 3;
        String sql = version == Version.NEW
                ? "INSERT INTO accounts (id, email, email_lower, full_name, balance) VALUES (?, ?, lower(?), ?, ?)"
                : "INSERT INTO accounts (id, email, name, balance) VALUES (?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, id);
            ps.setString(i++, email);
            if (version == Version.NEW) {
                ps.setString(i++, email);
            }
            ps.setString(i++, name);
            ps.setLong(i, balance);
            ps.executeUpdate();
            fixture.expected.inserted(id, email, name, balance, true);
        } catch (SQLException e) {
            if (broken(e)) {
                fixture.expected.inserted(id, email, name, balance, false);
            }
            throw e;
        }
    }

    private void update(Connection c, long id) throws SQLException {
        String email = "Changed" + random.nextInt(1_000_000) + "@Example.COM";
        String sql = version == Version.NEW
                ? "UPDATE accounts SET email = ?, email_lower = lower(?) WHERE id = ?"
                : "UPDATE accounts SET email = ? WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, email);
            if (version == Version.NEW) {
                ps.setString(i++, email);
            }
            ps.setLong(i, id);
            ps.executeUpdate();
            fixture.expected.emailUpdated(id, email, true);
        } catch (SQLException e) {
            if (broken(e)) {
                fixture.expected.emailUpdated(id, email, false);
            }
            throw e;
        }
    }

    /** A connection lost (08xxx, or terminated by the administrator: 57P01..57P03): the write's outcome is unknown. */
    private static boolean broken(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    int writes() {
        return writes.get();
    }

    /** Errors other than a lost connection: statements the database refused while the fault went on. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a broken connection is closed already as far as the server is concerned
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
