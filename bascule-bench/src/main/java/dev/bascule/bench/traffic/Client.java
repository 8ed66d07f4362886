package dev.bascule.bench.traffic;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One application client: a connection of its own running reads (40 %), updates (40 %) and
 * inserts (20 %) by primary key, one at a time with a millisecond's pause between, in autocommit
 * and without a statement timeout, as most application code does. Given a new assignment (a
 * deploy), it reconnects with the new version's search_path before its next statement.
 */
final class Client implements Runnable {
    private static final long PAUSE_MILLIS = 1;

    private final int number;
    private final String applicationName;
    private final DataSource dataSource;
    private final Timeline timeline;
    private final WriteTally tally;
    private final long rows;
    private final SplittableRandom random;
    private volatile Assignment assignment;
    private volatile boolean running = true;
    private Connection connection;
    private Assignment connectedAs;
    private long seq;

    Client(int number, String applicationName, DataSource dataSource, Timeline timeline, WriteTally tally, long rows,
           Assignment assignment) {
        this.number = number;
        this.applicationName = applicationName;
        this.dataSource = dataSource;
        this.timeline = timeline;
        this.tally = tally;
        this.rows = rows;
        this.random = new SplittableRandom(number);
        this.assignment = assignment;
    }

    void deploy(Assignment next) {
        assignment = next;
    }

    Assignment assignment() {
        return assignment;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            while (running) {
                int pick = random.nextInt(10);
                Op op = pick < 4 ? Op.READ : pick < 8 ? Op.UPDATE : Op.INSERT;
                Assignment as = assignment;
                PhaseRecorder phase = timeline.current();
                long t0 = System.nanoTime();
                try {
                    if (connection == null || connectedAs != as) {
                        connect(as);
                    }
                    execute(op, as.version());
                    phase.succeeded(op, as, System.nanoTime() - t0);
                } catch (SQLException e) {
                    phase.failed(op, as, System.nanoTime() - t0, message(e));
                    if (!usable()) {
                        close();
                    }
                }
                pause();
            }
        } finally {
            close();
        }
    }

    private void execute(Op op, AppVersion v) throws SQLException {
        seq++;
        switch (op) {
            case READ -> {
                try (PreparedStatement ps = connection.prepareStatement(v.read())) {
                    ps.setLong(1, randomId());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) rs.getLong("visits");
                    }
                }
            }
            case UPDATE -> {
                String email = "Renamed.C" + number + ".S" + seq + "@Example.ORG";
                try (PreparedStatement ps = connection.prepareStatement(v.update())) {
                    int i = 1;
                    ps.setString(i++, email);
                    if (v.writesEmailLower()) ps.setString(i++, email.toLowerCase(Locale.ROOT));
                    ps.setLong(i, randomId());
                    tally.updated(ps.executeUpdate());
                }
            }
            case INSERT -> {
                String email = "New.C" + number + ".S" + seq + "@Example.ORG";
                try (PreparedStatement ps = connection.prepareStatement(v.insert())) {
                    int i = 1;
                    ps.setString(i++, email);
                    if (v.writesEmailLower()) ps.setString(i++, email.toLowerCase(Locale.ROOT));
                    ps.setString(i, "inserted by client " + number);
                    ps.executeUpdate();
                    tally.inserted();
                }
            }
        }
    }

    /** Among the rows loaded before the run: every update finds its row. */
    private long randomId() {
        return 1 + random.nextLong(rows);
    }

    private void connect(Assignment as) throws SQLException {
        close();
        Connection c = dataSource.getConnection();
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("SET application_name = '" + applicationName + "'");
            s.execute("SET search_path = " + as.searchPath());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        connection = c;
        connectedAs = as;
    }

    private boolean usable() {
        try {
            return connection != null && !connection.isClosed() && connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // going away anyway
            }
            connection = null;
            connectedAs = null;
        }
    }

    private static String message(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        m = m.replaceAll("\\s+", " ").trim();
        int detail = m.indexOf(" Detail:");
        if (detail > 0) {
            m = m.substring(0, detail); // the failing row's values would make every message distinct
        }
        return m.length() <= 200 ? m : m.substring(0, 197) + "...";
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
