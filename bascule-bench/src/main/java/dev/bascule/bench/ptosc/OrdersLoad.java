package dev.bascule.bench.ptosc;

import dev.bascule.bench.traffic.Op;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application during a run: {@code clients} threads, each on a connection of its own, reading
 * an order by id (60 %), updating an order's status and amount by id (30 %) and inserting an order
 * (10 %), one statement at a time with a millisecond between, in autocommit, as old code does: on
 * the table itself, by its name, whatever the tool does under it.
 */
final class OrdersLoad {
    private static final long PAUSE_MILLIS = 1;
    private static final String[] STATUSES = {"new", "paid", "shipped", "closed", "refunded"};

    private final DataSource dataSource;
    private final OrdersTable table;
    private final Touched touched;
    private final LongAdder insertsOk = new LongAdder();
    private final LongAdder insertsFailed = new LongAdder();
    private final List<Thread> threads = new ArrayList<>();
    private volatile LatencyRecorder recorder;
    private volatile boolean running = true;

    OrdersLoad(DataSource dataSource, OrdersTable table) {
        this.dataSource = dataSource;
        this.table = table;
        this.touched = new Touched(table.rows());
    }

    void start(int clients, LatencyRecorder first) {
        recorder = first;
        for (int i = 0; i < clients; i++) {
            int number = i + 1;
            Thread t = new Thread(() -> run(number), "orders-client-" + number);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** From now on operations that begin count in {@code next}; the previous stretch ends. */
    void switchTo(LatencyRecorder next) {
        LatencyRecorder previous = recorder;
        recorder = next;
        previous.end();
    }

    /** Stops every client after its current statement. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join();
        recorder.end();
    }

    Touched touched() {
        return touched;
    }

    long insertsOk() {
        return insertsOk.sum();
    }

    long insertsFailed() {
        return insertsFailed.sum();
    }

    private void run(int number) {
        SplittableRandom random = new SplittableRandom(number * 7_919L);
        String read = "SELECT id, customer_id, amount, status, created_at, note FROM " + table.qualified() + " WHERE id = ?";
        String update = "UPDATE " + table.qualified() + " SET status = ?, amount = ? WHERE id = ?";
        String insert = "INSERT INTO " + table.qualified() + " (customer_id, amount, status, created_at, note)"
                + " VALUES (?, ?, 'new', NOW(6), ?)";
        Connection connection = null;
        long seq = 0;
        try {
            while (running) {
                int pick = random.nextInt(10);
                Op op = pick < 6 ? Op.READ : pick < 9 ? Op.UPDATE : Op.INSERT;
                LatencyRecorder r = recorder;
                long t0 = System.nanoTime();
                try {
                    if (connection == null) {
                        connection = dataSource.getConnection();
                        connection.setAutoCommit(true);
                    }
                    long id = 1 + random.nextLong(table.rows());
                    switch (op) {
                        case READ -> {
                            try (PreparedStatement ps = connection.prepareStatement(read)) {
                                ps.setLong(1, id);
                                try (ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) rs.getLong("amount");
                                }
                            }
                        }
                        case UPDATE -> {
                            touched.add(id);
                            try (PreparedStatement ps = connection.prepareStatement(update)) {
                                ps.setString(1, STATUSES[random.nextInt(STATUSES.length)]);
                                ps.setInt(2, random.nextInt(1_000_000));
                                ps.setLong(3, id);
                                ps.executeUpdate();
                            }
                        }
                        case INSERT -> {
                            try (PreparedStatement ps = connection.prepareStatement(insert)) {
                                ps.setInt(1, random.nextInt(50_000));
                                ps.setInt(2, random.nextInt(1_000_000));
                                ps.setString(3, "inserted by client " + number + " #" + ++seq);
                                ps.executeUpdate();
                            }
                            insertsOk.increment();
                        }
                    }
                    r.succeeded(op, System.nanoTime() - t0);
                } catch (SQLException e) {
                    if (op == Op.INSERT) insertsFailed.increment();
                    r.failed(op, e.getErrorCode() + " " + e.getMessage());
                    if (!usable(connection)) {
                        close(connection);
                        connection = null;
                    }
                }
                try {
                    Thread.sleep(PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            close(connection);
        }
    }

    private static boolean usable(Connection c) {
        try {
            return c != null && !c.isClosed() && c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // going away anyway
        }
    }
}
