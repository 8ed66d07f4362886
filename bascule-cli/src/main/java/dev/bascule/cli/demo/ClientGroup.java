package dev.bascule.cli.demo;

import dev.bascule.rehearsal.ClientThreads;

import java.time.Duration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated application clients of one version: each thread holds a connection with that
 * version's search_path and loops over inserts, updates and selects by primary key until stopped.
 * Every failed statement is counted; the first few messages are kept for the report.
 */
final class ClientGroup {
    /** The statements of one application version. */
    record Shape(String insert, String update, String select, boolean insertsDomain) {}

    static final Shape OLD = new Shape(
            "INSERT INTO customers (name, email) VALUES (?, ?)",
            "UPDATE customers SET name = ? WHERE id = ?",
            "SELECT id, name, email FROM customers WHERE id = ?",
            false);

    static final Shape NEW = new Shape(
            "INSERT INTO customers (full_name, email, email_domain) VALUES (?, ?, ?)",
            "UPDATE customers SET full_name = ? WHERE id = ?",
            "SELECT id, full_name, email, email_domain FROM customers WHERE id = ?",
            true);

    private static final int MAX_MESSAGES = 3;
    private static final long PAUSE_MILLIS = 1;

    private final String name;
    private final DataSource dataSource;
    private final String searchPath;
    private final Shape shape;
    private final String emailDomain;
    private final long maxId;
    private final int threads;
    private final List<String> messages = new ArrayList<>();
    private final ClientThreads clients;

    final AtomicLong inserts = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong selects = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong slowestNanos = new AtomicLong();
    private volatile String slowestWhat = "";

    /**
     * @param searchPath  the search_path each connection sets, as SQL (identifiers quoted)
     * @param emailDomain the domain of the e-mail addresses this group inserts, to find its rows later
     * @param maxId       ids of the loaded rows go up to this; updates and selects pick among them
     */
    ClientGroup(String name, DataSource dataSource, String searchPath, Shape shape, String emailDomain, long maxId,
                int threads) {
        this.name = name;
        this.dataSource = dataSource;
        this.searchPath = searchPath;
        this.shape = shape;
        this.emailDomain = emailDomain;
        this.maxId = maxId;
        this.threads = threads;
        this.clients = new ClientThreads("bascule-demo-" + name, threads, this::loop);
    }

    String name() {
        return name;
    }

    int threads() {
        return threads;
    }

    String emailDomain() {
        return emailDomain;
    }

    void start() {
        clients.start();
    }

    /** Stops the clients and waits for their last statement to finish. */
    void stop() {
        clients.stop(Duration.ofSeconds(15));
    }

    long operations() {
        return inserts.get() + updates.get() + selects.get();
    }

    double seconds() {
        return clients.elapsed().toNanos() / 1e9;
    }

    /** The kind of statement that took longest (insert, update, select), or "". */
    String slowestWhat() {
        return slowestWhat;
    }

    private synchronized void slowest(long nanos, String what) {
        if (nanos > slowestNanos.get()) {
            slowestNanos.set(nanos);
            slowestWhat = what;
        }
    }

    synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    private synchronized void error(String what, Exception e) {
        errors.incrementAndGet();
        String m = e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s+", " ").trim();
        String message = name + " " + what + ": " + m;
        if (messages.size() < MAX_MESSAGES && !messages.contains(message)) {
            messages.add(message); // the first few distinct ones
        }
    }

    private void loop(int worker) {
        Connection c = null;
        long seq = 0;
        while (clients.running() && !Thread.currentThread().isInterrupted()) {
            if (c == null) {
                try {
                    c = connect(worker);
                } catch (SQLException e) {
                    error("connect", e);
                    ClientThreads.pause(100);
                    continue;
                }
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int pick = rnd.nextInt(10);
            String what = pick < 3 ? "insert" : pick < 7 ? "update" : "select";
            long t0 = System.nanoTime();
            try {
                if (pick < 3) {
                    seq++;
                    insert(c, worker, seq);
                    inserts.incrementAndGet();
                } else if (pick < 7) {
                    update(c, rnd.nextLong(1, maxId + 1), worker, seq);
                    updates.incrementAndGet();
                } else {
                    select(c, rnd.nextLong(1, maxId + 1));
                    selects.incrementAndGet();
                }
            } catch (SQLException | RuntimeException e) {
                error(what, e);
                if (!ClientThreads.usable(c)) {
                    ClientThreads.closeQuietly(c);
                    c = null;
                }
            }
            slowest(System.nanoTime() - t0, what);
            ClientThreads.pause(PAUSE_MILLIS);
        }
        ClientThreads.closeQuietly(c);
    }

    private Connection connect(int worker) throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = 'bascule-demo-" + name.replace(' ', '-') + "-" + worker + "'");
            s.execute("SET search_path = " + searchPath);
        } catch (SQLException e) {
            ClientThreads.closeQuietly(c);
            throw e;
        }
        return c;
    }

    private void insert(Connection c, int worker, long seq) throws SQLException {
        String local = name.replace(' ', '.') + "." + worker + "." + seq;
        try (PreparedStatement ps = c.prepareStatement(shape.insert())) {
            ps.setString(1, name + " customer " + worker + "-" + seq);
            ps.setString(2, local + "@" + emailDomain);
            if (shape.insertsDomain()) {
                ps.setString(3, emailDomain); // new code computes the new column itself
            }
            ps.executeUpdate();
        }
    }

    private void update(Connection c, long id, int worker, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(shape.update())) {
            ps.setString(1, "renamed by " + name + " " + worker + "-" + seq);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private void select(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(shape.select())) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(2);
                }
            }
        }
    }

}
