package dev.bascule.backfill;

import dev.bascule.backfill.health.ApplicationWatch;
import dev.bascule.api.BackfillWindow;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.BasculeException;
import dev.bascule.api.ThrottleOptions;
import dev.bascule.backfill.throttle.HealthMonitor;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.dialect.Dialect;
import dev.bascule.jdbc.Transaction;
import dev.bascule.state.BackfillProgress;
import dev.bascule.state.StateStore;
import dev.bascule.step.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Fills new columns of existing rows in keyset batches over the primary key, up to the key that
 * was highest when the backfill began (rows written later get their values from the sync
 * trigger, so the backfill finishes however fast the table grows). Each batch is one short
 * transaction that also moves its worker's checkpoint, so a batch is done exactly once whatever
 * is killed when; and each batch is a range scan of the key index from the checkpoint, so its
 * cost does not grow with the table. Several workers split the key range between them.
 */
public final class BackfillEngine {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillEngine.class);
    private static final int MAX_RETRIES = 5;
    private static final String PAUSED = "paused";
    /** How long after the last application session seen waiting on its locks batches stay at the contended batch time. */
    private static final Duration CONTENTION_MEMORY = Duration.ofSeconds(2);
    /** How often a backfill outside its window looks at the clock again (and refreshes "opens in"). */
    private static final Duration WINDOW_POLL = Duration.ofSeconds(1);

    /** Opens a further connection, for a worker or the health monitor. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    /** Run in each batch's transaction before it writes: throws when the command may no longer write. */
    public interface Exclusion {
        Exclusion NONE = c -> { };

        void require(Connection c) throws SQLException;
    }

    private final Dialect dialect;
    private final StateStore state;
    private final BackfillOptions options;
    private final BackfillListener listener;
    private final Exclusion exclusion;
    private final Clock clock = Clock.systemUTC();
    /** The reasons this run paused with: only those may {@linkplain ThrottleOptions#autoResume() resume} by themselves. */
    private final Set<String> ownPauses = ConcurrentHashMap.newKeySet();

    public BackfillEngine(Dialect dialect, StateStore state, BackfillOptions options, BackfillListener listener) {
        this(dialect, state, options, listener, Exclusion.NONE);
    }

    public BackfillEngine(Dialect dialect, StateStore state, BackfillOptions options, BackfillListener listener,
                          Exclusion exclusion) {
        this.dialect = dialect;
        this.state = state;
        this.options = options;
        this.listener = listener;
        this.exclusion = exclusion;
    }

    /** Runs or resumes the backfill of {@code step}; returns when every row up to the watermark is done. */
    public void run(Connection c, Connections more, long migrationId, int seq, Step.BackfillStep step) throws SQLException {
        List<BackfillProgress> workers = state.backfill(c, migrationId, seq);
        if (workers.isEmpty()) {
            new KeyRanges(dialect, state, options).plan(c, migrationId, seq, step);
            workers = state.backfill(c, migrationId, seq);
        }
        BackfillRate progress = new BackfillRate(listener, step.table(), workers);
        List<BackfillProgress> pending = workers.stream().filter(w -> !w.finished()).toList();
        if (pending.isEmpty()) {
            progress.report(0, "done", null);
            return;
        }
        String table = dialect.qualify(step.schema(), step.table());
        HealthMonitor monitor = new HealthMonitor(more.open(), throttle(options, step), table, dialect.health().healthSignals(state.schema()),
                mc -> dialect.health().applicationProbe(mc, options.throttle().application().source(), state.schema(), listener::note),
                listener::note).start();
        try {
            if (pending.size() == 1) {
                monitor.watch(dialect.session().sessionId(c));
                new Worker(c, migrationId, seq, step, pending.get(0), monitor, progress, 1, new AtomicBoolean()).run();
            } else {
                runInParallel(more, migrationId, seq, step, pending, monitor, progress);
            }
        } finally {
            monitor.close();
        }
        progress.report(0, "done", null);
    }

    /**
     * A copy's batch holds a shared lock on each row of its range until it commits: a write to one
     * of them waits up to a batch by design, so only a longer wait says batches are too long. With
     * the lock-wait minimum (100 ms) under the target batch time (200 ms), the waits each batch
     * caused halved nearly every batch of MariaDB's shadow-table copy, down to a few thousand rows,
     * where the round trips of a batch cost a third of it.
     */
    static ThrottleOptions throttle(BackfillOptions options, Step.BackfillStep step) {
        ThrottleOptions t = options.throttle();
        boolean copyOnly = step.assignments().isEmpty() && !step.copies().isEmpty();
        return copyOnly && t.lockWaitMinimum().compareTo(options.targetBatchTime()) < 0
                ? t.withLockWaitMinimum(options.targetBatchTime()) : t;
    }

    private void runInParallel(Connections more, long migrationId, int seq, Step.BackfillStep step,
                               List<BackfillProgress> pending, HealthMonitor monitor, BackfillRate progress) throws SQLException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(pending.size(), r -> {
            Thread t = new Thread(r, "bascule-backfill");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (BackfillProgress p : pending) {
                Connection wc = more.open();
                connections.add(wc);
                monitor.watch(dialect.session().sessionId(wc));
                Worker w = new Worker(wc, migrationId, seq, step, p, monitor, progress, pending.size(), stop);
                futures.add(pool.submit(() -> {
                    w.run();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    stop.set(true); // the others finish their batch and stop; their checkpoints stand
                    Throwable cause = e.getCause();
                    if (cause instanceof SQLException se) throw se;
                    if (cause instanceof RuntimeException re) throw re;
                    throw new BasculeException("backfill worker failed: " + cause, cause);
                } catch (InterruptedException e) {
                    stop.set(true);
                    Thread.currentThread().interrupt();
                    throw new BasculeException("backfill interrupted; progress is saved, rerun start to resume");
                }
            }
        } finally {
            stop.set(true);
            pool.shutdown();
            try {
                pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Connection wc : connections) {
                try {
                    wc.close();
                } catch (SQLException ignored) {
                    // nothing to save on a worker connection: checkpoints are committed
                }
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BasculeException("backfill interrupted; progress is saved, rerun start to resume");
        }
    }

    /**
     * {@code last}: the batch reached the watermark; {@code waiters}: sessions waiting on its locks
     * just before it committed, -1 when the server cannot tell; the nanoTimes at which its parts ended.
     */
    private record BatchResult(int rows, List<String> lastKey, boolean last, int waiters, long begun, long settled, long bounded,
                               long written, long checkpointed) {}

    /** Walks one key range, batch by batch. */
    private final class Worker {
        private final Connection c;
        private final long migrationId;
        private final int seq;
        private final Step.BackfillStep step;
        private final BackfillProgress range;
        private final HealthMonitor monitor;
        private final BackfillRate progress;
        private final int workers;
        private final AtomicBoolean stop;
        private final String boundFirst;
        private final String boundNext;
        private final List<String> updateFirst;
        private final List<String> updateNext;
        private Optional<String> waitersSql = dialect.copy().waitersOnThisSession();
        /** nanoTime at which the previous batch and its pause ended; 0 before the first. */
        private long lastBatchEnd;

        Worker(Connection c, long migrationId, int seq, Step.BackfillStep step, BackfillProgress range,
               HealthMonitor monitor, BackfillRate progress, int workers, AtomicBoolean stop) {
            this.c = c;
            this.migrationId = migrationId;
            this.seq = seq;
            this.step = step;
            this.range = range;
            this.monitor = monitor;
            this.progress = progress;
            this.workers = workers;
            this.stop = stop;
            this.boundFirst = Dialect.OWN_STATEMENT + boundSql(false);
            this.boundNext = Dialect.OWN_STATEMENT + boundSql(true);
            this.updateFirst = updateSql(false).stream().map(u -> Dialect.OWN_STATEMENT + u).toList();
            this.updateNext = updateSql(true).stream().map(u -> Dialect.OWN_STATEMENT + u).toList();
        }

        void run() throws SQLException {
            BatchSizer sizer = new BatchSizer(options);
            List<String> after = range.resumeAfter();
            String waitingFor = null;
            String pauseReason = null;
            long splitAtSample = -1;
            int retries = 0;
            while (!stop.get()) {
                if (state.paused(c, migrationId)) {
                    if (resumedByItself()) {
                        continue;
                    }
                    if (!PAUSED.equals(waitingFor)) {
                        state.throttled(c, migrationId, seq, range.worker(), PAUSED); // tells pause it took effect
                        waitingFor = PAUSED;
                        pauseReason = state.pauseReason(c, migrationId); // once: it does not change while paused
                        pauseReason = pauseReason == null || pauseReason.isEmpty() ? null : pauseReason;
                    }
                    progress.report(sizer.size(), PAUSED, pauseReason);
                    sleep(Duration.ofMillis(250));
                    continue;
                }
                if (PAUSED.equals(waitingFor)) {
                    monitor.resumed();
                    waitingFor = null;
                }
                if (options.window().isPresent()
                        && options.window().get().at(clock) instanceof BackfillWindow.Closed closed) {
                    monitor.watchApplication(false);
                    if (!closed.reason().equals(waitingFor)) {
                        state.throttled(c, migrationId, seq, range.worker(), closed.reason());
                        waitingFor = closed.reason();
                    }
                    progress.report(sizer.size(), "waiting", closed.reason());
                    sleep(closed.opensIn().compareTo(WINDOW_POLL) < 0 ? closed.opensIn() : WINDOW_POLL);
                    continue;
                }
                monitor.watchApplication(true);
                Verdict verdict = monitor.verdict();
                if (verdict.level() == Verdict.Level.CRITICAL) {
                    if (!state.pauseIfRunning(c, migrationId, verdict.reason())) {
                        continue; // someone paused meanwhile: theirs stands, and is not this run's to lift
                    }
                    ownPauses.add(verdict.reason());
                    boolean auto = options.throttle().autoResume();
                    LOG.warn("backfill of {} paused: {}; {}", step.table(), verdict.reason(),
                            auto ? "it resumes by itself once the cause is gone" : "run resume once the cause is gone");
                    listener.note("backfill of " + step.table() + " paused: " + verdict.reason() + "; "
                            + (auto ? "it resumes by itself once that clears" : "run 'bascule resume' once the cause is gone"));
                    progress.report(sizer.size(), PAUSED, verdict.reason());
                    continue;
                }
                if (verdict.level() == Verdict.Level.THROTTLE && verdict.reason().startsWith("sessions waiting")) {
                    // Waiting would not help: the sessions waited on the batch that just committed.
                    // A shorter batch holds its row locks for less time; once per sample, since the
                    // verdict stands until the next one.
                    if (monitor.samples() != splitAtSample) {
                        splitAtSample = monitor.samples();
                        sizer.split();
                    }
                    waitingFor = null;
                } else if (verdict.level() == Verdict.Level.THROTTLE) {
                    if (!verdict.reason().equals(waitingFor)) {
                        state.throttled(c, migrationId, seq, range.worker(), verdict.reason());
                        waitingFor = verdict.reason();
                    }
                    progress.report(sizer.size(), "throttled", verdict.reason());
                    Duration wait = options.throttle().checkInterval().multipliedBy(2);
                    sleep(wait);
                    listener.waited(step.table(), verdict.reason(), wait);
                    continue;
                } else {
                    waitingFor = null;
                }
                long t0 = System.nanoTime();
                BatchResult result;
                try {
                    result = batch(after, sizer.size());
                    retries = 0;
                } catch (SQLException e) {
                    if (++retries > MAX_RETRIES) {
                        throw new BasculeException("backfill of " + step.table() + " failed " + MAX_RETRIES
                                + " times in a row, last: " + e.getMessage() + ". Progress is saved: rerun start to resume.", e);
                    }
                    if (dialect.session().isStatementTimeout(e) || dialect.session().isLockTimeout(e)) {
                        // a row lock held past the lock timeout (MariaDB's innodb_lock_wait_timeout) is
                        // a hot key range: retried whole it would fail again, split it goes on
                        // around the hot rows, and ends on them in the smallest batch
                        sizer.split();
                        LOG.warn("backfill batch of {} hit the {} timeout; retrying with {} rows", step.table(),
                                dialect.session().isStatementTimeout(e) ? "statement" : "row lock", sizer.size());
                    } else {
                        LOG.warn("backfill batch of {} failed ({}); retrying", step.table(), e.getMessage());
                        sleep(Duration.ofMillis(100L << retries));
                    }
                    continue;
                }
                long committed = System.nanoTime();
                long elapsed = committed - t0;
                after = result.lastKey();
                int size = sizer.size();
                progress.add(result.rows(), size);
                if (result.last()) {
                    timed(result, size, committed, 0);
                    state.finishBackfill(c, migrationId, seq, range.worker());
                    return;
                }
                if (result.waiters() > 0) {
                    // exact where the monitor's samples miss waits shorter than their interval: those
                    // made batches grow back to the uncontended target every few seconds under steady
                    // traffic, and the first client to hit such a batch waited for all of it
                    monitor.sawLockWaiter();
                }
                sizer.observe(result.rows(), elapsed, monitor.contended(CONTENTION_MEMORY), committed - result.checkpointed());
                timed(result, size, committed, pace(result.rows(), elapsed));
            }
        }

        /**
         * With auto-resume, lifts a pause this run made once the signal behind it has cleared. A
         * pause of the user's, or of another run, has a reason this run did not write, and stays.
         */
        private boolean resumedByItself() throws SQLException {
            if (!options.throttle().autoResume() || monitor.verdict().level() == Verdict.Level.CRITICAL || monitor.blind()) {
                return false;
            }
            String reason = state.pauseReason(c, migrationId);
            if (reason == null || !ownPauses.contains(reason)) {
                return false;
            }
            if (!state.resumeIfPausedFor(c, migrationId, reason)) {
                return false; // paused again, by someone else, since the reason was read
            }
            LOG.info("backfill of {} resumes: cleared: {}", step.table(), reason);
            listener.note("backfill of " + step.table() + " resumes: this has cleared: " + reason);
            return true;
        }

        private void timed(BatchResult r, int size, long committed, long pausedNanos) {
            long between = lastBatchEnd == 0 ? 0 : r.begun() - lastBatchEnd;
            lastBatchEnd = System.nanoTime();
            listener.batch(new dev.bascule.api.BackfillBatch(step.table(), range.worker(), r.rows(), size,
                    Duration.ofNanos(Math.max(0, between)), Duration.ofNanos(r.settled() - r.begun()),
                    Duration.ofNanos(r.bounded() - r.settled()), Duration.ofNanos(r.written() - r.bounded()),
                    Duration.ofNanos(r.checkpointed() - r.written()), Duration.ofNanos(committed - r.checkpointed()),
                    Duration.ofNanos(pausedNanos), r.waiters()));
        }

        /** Waits as the rate limit and batch delay ask; returns the nanoseconds it waited. */
        private long pace(int rows, long elapsedNanos) {
            long waitNanos = options.batchDelay().toNanos();
            if (options.maxRowsPerSecond() > 0) {
                long perWorker = Math.max(1, options.maxRowsPerSecond() / workers);
                waitNanos = Math.max(waitNanos, rows * 1_000_000_000L / perWorker - elapsedNanos);
            }
            if (waitNanos > 0) {
                long t = System.nanoTime();
                sleep(Duration.ofNanos(waitNanos));
                return System.nanoTime() - t;
            }
            return 0;
        }

        /**
         * The batch's upper bound: the key {@code size} rows after {@code after}, read without
         * locking; null when fewer rows remain (the bound is then the watermark).
         */
        private String boundSql(boolean lowerBound) {
            String order = keyList();
            return "SELECT " + IntStream.range(0, step.key().size()).mapToObj(i -> dialect.copy().keyAsText(dialect.quote(step.key().get(i).name()))
                    + " AS bascule_k" + i).collect(Collectors.joining(", "))
                    + " FROM " + dialect.qualify(step.schema(), step.table()) + " WHERE " + range(lowerBound)
                    + " ORDER BY " + order + " " + dialect.copy().offsetOneRow();
        }

        /**
         * Updates the rows with keys in (after, bound]. The range, not a list of keys read
         * beforehand, is what the checkpoint records: a row whose key an application changes
         * meanwhile is either still in a later range or was written through the sync trigger.
         * The UPDATE waits on rows an application holds (no SKIP LOCKED: a skipped row whose writer
         * rolls back would never be filled).
         */
        private List<String> updateSql(boolean lowerBound) {
            return BatchStatements.of(dialect, step, lowerBound);
        }

        private String keyList() {
            return BatchStatements.keyList(dialect, step);
        }

        private String range(boolean lowerBound) {
            return BatchStatements.range(dialect, step, lowerBound);
        }

        private int bind(PreparedStatement ps, List<String> after, List<String> upper) throws SQLException {
            int p = 1;
            if (after != null) {
                for (String k : after) ps.setString(p++, k);
            }
            for (String k : upper) ps.setString(p++, k);
            return p;
        }

        private BatchResult batch(List<String> after, int size) throws SQLException {
            try {
                return batchInTransaction(after, size);
            } finally {
                List<String> reset = dialect.copy().backfillBatchReset();
                if (!reset.isEmpty()) {
                    try (Statement s = c.createStatement()) {
                        for (String statement : reset) {
                            s.execute(statement);
                        }
                    }
                }
            }
        }

        /**
         * The sessions waiting on this batch's locks. A server that refuses the query (a proxy that
         * filters the lock table) loses the count for the rest of the run, and this batch, which
         * its transaction's error aborts, is retried without it.
         */
        private int waiters() throws SQLException {
            if (waitersSql.isEmpty()) {
                return -1;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(waitersSql.get())) {
                return rs.next() ? rs.getInt(1) : 0;
            } catch (SQLException e) {
                waitersSql = Optional.empty();
                LOG.warn("backfill of {} cannot count the sessions waiting on its batches ({}); it goes on without", step.table(), e.getMessage());
                throw e;
            }
        }

        private BatchResult batchInTransaction(List<String> after, int size) throws SQLException {
            return Transaction.commit(c, () -> {
                long begun = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    for (String setting : dialect.copy().backfillBatchSettings(options.statementTimeout(), step.copies())) {
                        s.execute(setting);
                    }
                }
                exclusion.require(c);
                long settled = System.nanoTime();
                List<String> bound = null;
                try (PreparedStatement ps = c.prepareStatement(after == null ? boundFirst : boundNext)) {
                    int p = bind(ps, after, range.highWatermark());
                    ps.setInt(p, size - 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            bound = new ArrayList<>();
                            for (int i = 1; i <= step.key().size(); i++) bound.add(rs.getString(i));
                        }
                    }
                }
                boolean last = bound == null;
                if (last) {
                    bound = range.highWatermark();
                }
                long bounded = System.nanoTime();
                int rows = 0;
                for (String statement : after == null ? updateFirst : updateNext) {
                    try (PreparedStatement ps = c.prepareStatement(statement)) {
                        bind(ps, after, bound);
                        rows = Math.max(rows, ps.executeUpdate());
                    }
                }
                if (step.assignments().isEmpty() && !last) {
                    rows = size; // a copy skips rows the trigger copied already; the range holds size rows
                }
                long written = System.nanoTime();
                state.checkpoint(c, migrationId, seq, range.worker(), bound, rows, size);
                int waiters = waiters();
                return new BatchResult(rows, bound, last, waiters, begun, settled, bounded, written, System.nanoTime());
            });
        }
    }

}
