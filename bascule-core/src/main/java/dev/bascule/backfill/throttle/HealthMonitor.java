package dev.bascule.backfill.throttle;

import dev.bascule.backfill.health.ApplicationProbe;
import dev.bascule.api.ApplicationSignal;
import dev.bascule.backfill.health.ApplicationWatch;
import dev.bascule.backfill.health.HealthSignals;
import dev.bascule.backfill.health.Thresholds;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.dialect.Dialect;
import dev.bascule.jdbc.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Samples the database's health on a connection of its own while a backfill runs, so that a
 * signal such as "an application session waits on a row the backfill locked" is seen during the
 * batch, not only between batches. The backfill asks for the latest {@link Verdict} before each batch.
 *
 * <p>The application signal ({@link ApplicationSignal}) needs a baseline measured while no batch
 * runs: it is measured when the backfill first {@linkplain #watchApplication(boolean) asks} for it,
 * and again each time a schedule window opens, since the application's load differs between the
 * hours; until it is measured the verdict throttles.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final Connection connection;
    private final ThrottleOptions options;
    private final String table;
    private final Set<Long> backfillPids = ConcurrentHashMap.newKeySet();
    private final HealthSignals signals;
    private final Thread thread;
    private volatile boolean stop;
    private volatile Verdict latest = Verdict.GO;
    private volatile boolean blind;
    /** nanoTime of the last sample that saw a session waiting on the backfill's locks; the monitor's creation until one does. */
    private volatile long lastLockWaiter = System.nanoTime();
    private volatile boolean sampledOnce;
    private volatile long samples;
    private long lastWarning = System.nanoTime() - 20_000_000_000L;

    /** Finds the dialect's probe of the application, on the monitor's connection. */
    @FunctionalInterface
    public interface ProbeFinder {
        Optional<ApplicationProbe> find(Connection connection) throws SQLException;
    }

    private enum Phase { IDLE, MEASURING, WATCHING, OFF }

    private final ProbeFinder finder;
    private final Consumer<String> notes;
    private ApplicationProbe probe;
    private volatile boolean applicationWanted;
    private volatile Phase phase = Phase.IDLE;
    private long phaseSince;
    private long lastApplicationRead;
    private ApplicationWatch watch;

    /** @param table the qualified, quoted table being filled; no application probe, notes to the log */
    public HealthMonitor(Connection connection, ThrottleOptions options, String table, HealthSignals signals) {
        this(connection, options, table, signals, c -> Optional.empty(), LOG::info);
    }

    /**
     * @param finder the application probe, used when {@link ThrottleOptions#application()} is on
     * @param notes  what the user should read: the baseline, a fallback, a signal that cannot be watched
     */
    public HealthMonitor(Connection connection, ThrottleOptions options, String table, HealthSignals signals,
                         ProbeFinder finder, Consumer<String> notes) {
        this.connection = connection;
        this.signals = signals;
        this.options = options;
        this.table = table;
        this.finder = finder;
        this.notes = notes;
        this.thread = new Thread(this::loop, "bascule-health");
        this.thread.setDaemon(true);
    }

    public HealthMonitor start() throws SQLException {
        if (options.application().on()) {
            probe = finder.find(connection).orElse(null);
        }
        sampleQuietly(); // a first verdict before the first batch
        thread.start();
        return this;
    }

    /**
     * True when batches are about to run (inside the schedule window): the baseline is measured
     * if there is none. False while they may not: the baseline is dropped, to be measured again
     * with the load of the hour when they may.
     */
    public void watchApplication(boolean wanted) {
        applicationWanted = wanted;
    }

    /** The backend pids of the backfill's connections: their locks count, their transactions do not. */
    public void watch(long pid) {
        backfillPids.add(pid);
    }

    /**
     * The backfill was resumed (by {@code bascule resume}, or by itself): an application signal
     * still tripped counts again from zero, so that a resume is not undone within the same
     * instant by a deviation measured before it.
     */
    public synchronized void resumed() {
        if (watch != null && watch.tripped() != null) {
            watch = watch.cleared();
            sampleQuietly();
        }
    }

    public Verdict verdict() {
        if (probe != null && applicationWanted && (phase == Phase.IDLE || phase == Phase.MEASURING)) {
            return new Verdict(Verdict.Level.THROTTLE, "measuring the " + what() + " for "
                    + Thresholds.format(options.application().baseline().toMillis() / 1000.0, false, "s")
                    + " before the first batch, as the baseline");
        }
        return latest;
    }

    private String what() {
        return probe.kind() == ApplicationProbe.Kind.LATENCY ? "application's statement latency"
                : "application's rollback rate";
    }

    private void loop() {
        while (!stop) {
            try {
                Thread.sleep(Math.max(10, options.checkInterval().toMillis()));
            } catch (InterruptedException e) {
                return;
            }
            sampleQuietly();
        }
    }

    /** True while the last sample failed: nothing it says can show that a cause has cleared. */
    public boolean blind() {
        return blind;
    }

    /** How many samples the monitor has taken: a verdict stands until the next one. */
    public long samples() {
        return samples;
    }

    /**
     * A batch found application sessions waiting on its locks when it was about to commit: a wait
     * the samples may have missed, remembered as if a sample had seen it.
     */
    public void sawLockWaiter() {
        lastLockWaiter = System.nanoTime();
    }

    /**
     * Whether application sessions waited on the backfill's locks within {@code memory}, however
     * briefly (seen by a sample, or {@linkplain #sawLockWaiter() counted by a batch}); true too within {@code memory} of the monitor's creation, before the first sample,
     * and while the monitor cannot see.
     */
    public boolean contended(Duration memory) {
        return !sampledOnce || blind || System.nanoTime() - lastLockWaiter < memory.toNanos();
    }

    private synchronized void sampleQuietly() {
        try {
            latest = sample();
            if (signals.sawLockWaiters()) {
                lastLockWaiter = System.nanoTime();
            }
            sampledOnce = true;
            samples++;
            blind = false;
        } catch (SQLException e) {
            blind = true;
            // A monitor that cannot see must neither stop the backfill for good nor keep an old
            // verdict: it lets batches go and says so, at most every 10 s.
            latest = Verdict.GO;
            long now = System.nanoTime();
            if (now - lastWarning > 10_000_000_000L) {
                lastWarning = now;
                LOG.warn("health check failed, backfill continues unthrottled: {}", e.getMessage());
            }
        }
    }

    Verdict sample() throws SQLException {
        List<Verdict> found = new ArrayList<>();
        signals.sample(connection, options, backfillPids, table, found);
        if (options.throttleQuery().isPresent()) {
            throttleQuery(found, options.throttleQuery().get());
        }
        if (probe != null) {
            application(found);
        }
        Verdict worst = Verdict.GO;
        for (Verdict v : found) {
            if (v.level().ordinal() > worst.level().ordinal()) {
                worst = v;
            }
        }
        return worst;
    }

    /** Moves the application signal through its phases; each probe read is one measurement. */
    private void application(List<Verdict> found) throws SQLException {
        long now = System.nanoTime();
        ApplicationSignal signal = options.application();
        if (!applicationWanted) {
            phase = Phase.IDLE;
            watch = null;
            return;
        }
        switch (phase) {
            case IDLE -> {
                probe.read(connection); // the starting point
                phaseSince = now;
                phase = Phase.MEASURING;
            }
            case MEASURING -> {
                if (now - phaseSince >= signal.baseline().toNanos()) {
                    ApplicationProbe.Interval measured = probe.read(connection);
                    lastApplicationRead = now;
                    if (ApplicationWatch.enough(measured)) {
                        watch = ApplicationWatch.fromBaseline(signal, probe.kind(), probe.source(), measured);
                        phase = Phase.WATCHING;
                        notes.accept("baseline of the " + watch.describeBaseline() + " over " + measured.events()
                                + (probe.kind() == ApplicationProbe.Kind.LATENCY ? " statements" : " transactions")
                                + ": the backfill pauses when it stays at or above " + watch.format(watch.threshold())
                                + " for " + Thresholds.format(signal.sustain().toMillis() / 1000.0, false, "s"));
                    } else {
                        phase = Phase.OFF;
                        notes.accept("the " + what() + " is not watched: only " + measured.events()
                                + " application statements in the baseline, too few to compare with");
                    }
                }
            }
            case WATCHING -> {
                if (now - lastApplicationRead >= signal.sampleInterval().toNanos()) {
                    watch = watch.observe(probe.read(connection), Duration.ofNanos(now - lastApplicationRead));
                    lastApplicationRead = now;
                }
                found.add(watch.verdict());
            }
            case OFF -> { }
        }
    }

    private void throttleQuery(List<Verdict> found, String query) throws SQLException {
        try {
            Object v = Transaction.rollBack(connection, () -> {
                try (Statement s = connection.createStatement()) {
                    s.execute(signals.throttleQueryTimeout());
                    try (ResultSet rs = s.executeQuery(Dialect.OWN_STATEMENT + query)) {
                        return rs.next() ? rs.getObject(1) : null;
                    }
                }
            });
            boolean throttle = v instanceof Boolean b ? b
                    : v instanceof Number n ? n.doubleValue() > 0
                    : v != null && !v.toString().isBlank();
            if (throttle) {
                found.add(new Verdict(Verdict.Level.THROTTLE, "throttle query: "
                        + (v instanceof String text ? text : "returned " + v)));
            }
        } catch (SQLException e) {
            found.add(new Verdict(Verdict.Level.THROTTLE, "throttle query failed: " + e.getMessage()));
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signals.close();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the monitor's connection has nothing to save
        }
    }
}
