package dev.bascule.fleet;

import dev.bascule.Bascule;
import dev.bascule.api.Event;
import dev.bascule.api.HistoryEntry;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationStatus;
import dev.bascule.api.Notifier;
import dev.bascule.api.RefusedException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one phase of a migration (start, complete, rollback) on every member of a fleet through
 * each member's own {@link Bascule}: the canary first (its members must all succeed before any other
 * begins), then the rest, at most {@link FleetSpec#concurrency()} at a time, in the file's order. Once
 * more members failed than {@link FleetSpec#maxFailures()} allows, no further member begins (those
 * running finish). At most {@link FleetSpec#perServer()} members of one server run at once. A phase
 * holds the journal's lock ({@link FleetJournal#lock()}) from its first read to its report. Every
 * member's outcome goes to the {@link FleetJournal} as it ends, so a killed fleet command run again
 * skips the members done and continues the others.
 */
public final class Fleet {
    /** A member's outcome in one fleet command: {@code done}, {@code failed} or {@code not_started}. */
    public record MemberResult(FleetMember member, String outcome, String detail) {}

    /** What one fleet command did; {@code peakConcurrency} is the most members that ran at once. */
    public record Report(String action, String migration, List<MemberResult> members, int peakConcurrency, boolean stopped) {
        public long failures() {
            return members.stream().filter(m -> m.outcome().equals(FleetJournal.FAILED)).count();
        }
    }

    /**
     * One member as {@code fleet status} and the live table show it, read from its own database:
     * backfill rows over all its tables, the rate (rows a second, summed), the ETA (the slowest
     * table's; null when unknown) and why a backfill waits now (null when none does).
     */
    public record MemberStatus(FleetMember member, String migration, String phase, long rowsDone, long rowsTotal,
                               double rate, Duration eta, String throttle, boolean backfilled, boolean paused,
                               String journal, String error) {}

    private final FleetSpec spec;
    private final List<FleetMember> members;
    private final Function<FleetMember, Bascule> open;
    private final FleetJournal journal;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Set<FleetMember> active = ConcurrentHashMap.newKeySet();
    private final Map<String, Semaphore> servers = new ConcurrentHashMap<>();
    private final Notifier notifier;

    /**
     * @param members every member (the file's and the query's)
     * @param open    the facade for a member, with the command's credentials and settings
     */
    public Fleet(FleetSpec spec, List<FleetMember> members, Function<FleetMember, Bascule> open, FleetJournal journal) {
        this(spec, members, open, journal, Notifier.NONE);
    }

    /**
     * @param notifier told once for the fleet when a phase ends ({@code started}, {@code completed},
     *                 {@code rolled_back}, or {@code failed} when a member failed or the policy
     *                 stopped the run) and once for each member that failed, with its name as
     *                 {@link Event#member()}; the command is {@code fleet start}, {@code fleet complete}
     *                 or {@code fleet rollback}
     */
    public Fleet(FleetSpec spec, List<FleetMember> members, Function<FleetMember, Bascule> open, FleetJournal journal,
                 Notifier notifier) {
        this.spec = spec;
        this.members = List.copyOf(members);
        this.open = open;
        this.journal = journal;
        this.notifier = notifier;
    }

    /** Members listed by {@code sql} on {@code ds}: a JDBC URL per row, and a schema when the row has a second column. */
    public static List<FleetMember> fromQuery(DataSource ds, String sql) {
        List<FleetMember> found = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.setMaxRows(FleetFile.MAX_MEMBERS + 1);
            try (ResultSet rs = s.executeQuery(sql)) {
                boolean withSchema = rs.getMetaData().getColumnCount() > 1;
                while (rs.next()) {
                    String url = rs.getString(1);
                    if (url == null || !url.strip().toLowerCase(java.util.Locale.ROOT).matches("jdbc:(postgresql|mariadb|mysql)://\\S+")) {
                        throw new dev.bascule.api.InvalidMigrationException("the fleet's query gave a row whose first column is not a JDBC URL");
                    }
                    found.add(FleetMember.of(url.strip(), withSchema ? rs.getString(2) : null, null));
                }
            }
        } catch (SQLException e) {
            throw new dev.bascule.api.BasculeException("the fleet's query failed: " + e.getMessage(), e);
        }
        if (found.size() > FleetFile.MAX_MEMBERS) {
            throw new dev.bascule.api.InvalidMigrationException("the fleet's query gave more than " + FleetFile.MAX_MEMBERS + " members");
        }
        return found;
    }

    public List<FleetMember> members() {
        return members;
    }

    public FleetJournal journal() {
        return journal;
    }

    /** The members running a phase in this process now, in the file's order. */
    public List<FleetMember> running() {
        return members.stream().filter(active::contains).toList();
    }

    /** The status of the members running now ({@link #running()}), for a live table. */
    public List<MemberStatus> live() {
        List<MemberStatus> out = new ArrayList<>();
        for (FleetMember m : running()) {
            out.add(statusOf(m));
        }
        return out;
    }

    /** Expand and backfill {@code migration} on every member. */
    public Report start(Migration migration) {
        return start(migration, false, java.util.Set.of());
    }

    /**
     * Expand {@code migration} on every member, and backfill it unless {@code skipBackfill}, with the
     * preflight checks {@code forcedPreflight} overridden on each (as {@link Bascule#start(Migration,
     * boolean, java.util.Set)}).
     */
    public Report start(Migration migration, boolean skipBackfill, java.util.Set<String> forcedPreflight) {
        try (FleetJournal.Lock held = journal.lock()) {
            return run("start", migration.name(), m -> open.apply(m).start(migration, skipBackfill, forcedPreflight)
                    .name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Contracts every member, only once every member not yet completed in this run has the same
     * migration started with its backfills finished; otherwise refused (exit 3) with the members
     * that are not ready, and nothing changed. Each member's own gates run before its contract, the
     * canary's first.
     */
    public Report complete(Function<Bascule, String> complete) {
        try (FleetJournal.Lock held = journal.lock()) {
            return completeHeld(complete);
        }
    }

    private Report completeHeld(Function<Bascule, String> complete) {
        String name = journal.migration();
        boolean continuing = "complete".equals(journal.action());
        List<String> problems = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<MemberStatus> all = status();
        for (MemberStatus s : all) {
            if (continuing && FleetJournal.DONE.equals(s.journal())) {
                continue;
            }
            if (s.error() != null && s.phase() == null) {
                problems.add(s.member().name() + ": " + s.error());
            } else if (s.migration() == null) {
                problems.add(s.member().name() + ": no migration started");
            } else if (!"started".equals(s.phase()) && !"completing".equals(s.phase())) {
                problems.add(s.member().name() + ": " + s.migration() + " is " + s.phase());
            } else if (!s.backfilled()) {
                problems.add(s.member().name() + ": its backfill has not finished (run fleet start again)");
            } else {
                names.add(s.migration());
            }
        }
        for (MemberStatus s : all) {
            if (s.migration() != null && name != null && !name.equals(s.migration()) && problems.isEmpty()) {
                problems.add(s.member().name() + ": started " + s.migration() + ", the fleet's migration is " + name);
            }
        }
        if (names.size() > 1 && problems.isEmpty()) {
            problems.add("members have different migrations started: " + String.join(", ", names));
        }
        if (!problems.isEmpty()) {
            throw new RefusedException("fleet complete refused: every member must have started the same migration"
                    + " first; nothing was changed:\n" + String.join("\n", problems.subList(0, Math.min(20, problems.size())))
                    + (problems.size() > 20 ? "\n(" + (problems.size() - 20) + " more)" : ""));
        }
        String migration = name != null ? name : names.stream().findFirst().orElse(null);
        return run("complete", migration, m -> complete.apply(open.apply(m)));
    }

    /** Undoes the start on every member (a member with nothing started is done at once). */
    public Report rollback() {
        try (FleetJournal.Lock held = journal.lock()) {
            return run("rollback", journal.migration(), m -> open.apply(m).rollback().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Pauses or resumes: no further member begins while paused, and every member's running backfill pauses. */
    public List<MemberResult> pause(boolean paused) {
        journal.setPaused(paused);
        List<MemberResult> results = new ArrayList<>();
        for (MemberStatus s : status()) {
            if (s.phase() != null && ("starting".equals(s.phase()) || "started".equals(s.phase())) && s.paused() != paused) {
                try {
                    open.apply(s.member()).pause(paused);
                    results.add(new MemberResult(s.member(), FleetJournal.DONE, paused ? "paused" : "resumed"));
                } catch (RuntimeException e) {
                    results.add(new MemberResult(s.member(), FleetJournal.FAILED, message(e)));
                }
            }
        }
        return results;
    }

    /** Every member's migration, phase and backfill progress, read from its database (up to the concurrency at once). */
    public List<MemberStatus> status() {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(spec.concurrency(), Math.max(1, members.size())), daemon());
        try {
            List<Future<MemberStatus>> futures = new ArrayList<>();
            for (FleetMember m : members) {
                futures.add(pool.submit(() -> statusOf(m)));
            }
            List<MemberStatus> out = new ArrayList<>();
            for (Future<MemberStatus> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.bascule.api.BasculeException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new dev.bascule.api.BasculeException(message(e.getCause()), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private MemberStatus statusOf(FleetMember m) {
        String j = journal.state(m.name());
        try {
            Bascule b = open.apply(m);
            MigrationStatus st = b.status();
            MigrationStatus.Active a = st.active();
            if (a == null) {
                List<HistoryEntry> h = b.history();
                HistoryEntry last = h.isEmpty() ? null : h.get(h.size() - 1);
                boolean ours = last != null && journal.migration() != null && journal.migration().equals(last.name());
                return new MemberStatus(m, ours ? last.name() : null, ours ? last.phase() : "none", 0, 0, 0, null, null, true,
                        false, j, journal.error(m.name()));
            }
            long done = 0;
            long total = 0;
            double rate = 0;
            Duration eta = null;
            String throttle = null;
            // a start expanded without its backfill (--no-backfill) has no backfill rows yet, and is not backfilled
            boolean finished = !"starting".equals(a.phase());
            for (MigrationStatus.Backfill bf : a.backfills()) {
                done += bf.rowsDone();
                total += bf.rowsTotal();
                finished &= bf.finished();
                if (!bf.finished()) {
                    rate += bf.rate();
                    eta = bf.eta() == null ? eta : eta == null || bf.eta().compareTo(eta) > 0 ? bf.eta() : eta;
                    throttle = throttle != null ? throttle : bf.throttleReason();
                }
            }
            if (a.paused() && throttle == null) {
                throttle = a.pauseReason() == null || a.pauseReason().isBlank() ? "paused" : a.pauseReason();
            }
            String err = a.lastError() != null && !a.lastError().isBlank() ? a.lastError() : journal.error(m.name());
            return new MemberStatus(m, a.name(), a.phase(), done, total, rate, eta, throttle, finished, a.paused(), j, err);
        } catch (RuntimeException e) {
            return new MemberStatus(m, null, null, 0, 0, 0, null, null, false, false, j, message(e));
        }
    }

    private Report run(String action, String migration, Function<FleetMember, String> step) {
        journal.begin(action, migration);
        List<MemberResult> results = new ArrayList<>();
        int canary = spec.canary(members.size());
        List<FleetMember> first = members.subList(0, canary);
        List<FleetMember> rest = members.subList(canary, members.size());
        boolean stopped = batch(first, Math.min(spec.concurrency(), Math.max(1, canary)), 0, step, results);
        if (stopped) {
            rest.forEach(m -> results.add(new MemberResult(m, "not_started", "the canary failed")));
        } else {
            stopped = batch(rest, spec.concurrency(), spec.maxFailures(), step, results);
        }
        // in the file's order
        List<MemberResult> ordered = new ArrayList<>();
        for (FleetMember m : members) {
            results.stream().filter(r -> r.member().equals(m)).findFirst().ifPresent(ordered::add);
        }
        Report report = new Report(action, migration, ordered, peak.get(), stopped);
        notify(report);
        return report;
    }

    /** Once for the fleet, then once per failed member; a notifier that throws does not fail the run. */
    private void notify(Report report) {
        String command = "fleet " + report.action();
        long done = report.members().stream().filter(r -> r.outcome().equals(FleetJournal.DONE)).count();
        Event.Type type = report.failures() > 0 || report.stopped() ? Event.Type.FAILED : switch (report.action()) {
            case "start" -> Event.Type.STARTED;
            case "complete" -> Event.Type.COMPLETED;
            default -> Event.Type.ROLLED_BACK;
        };
        String summary = done + " of " + report.members().size() + " members done, " + report.failures() + " failed"
                + (report.stopped() ? ", the rest stopped by the failure policy" : "");
        send(Event.of(type, command, report.migration(), null).withReason(summary));
        for (MemberResult r : report.members()) {
            if (r.outcome().equals(FleetJournal.FAILED)) {
                send(Event.of(Event.Type.FAILED, command, report.migration(), r.member().schema())
                        .withReason(r.detail()).withMember(r.member().name()));
            }
        }
    }

    private void send(Event e) {
        try {
            notifier.send(e);
        } catch (RuntimeException ex) {
            // a notifier must not throw; one that does loses its event, not the fleet's run
        }
    }

    /** Runs {@code step} on {@code batch}; true when failures stopped it. */
    private boolean batch(List<FleetMember> batch, int concurrency, int maxFailures, Function<FleetMember, String> step,
                          List<MemberResult> results) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency), daemon());
        Semaphore slots = new Semaphore(Math.max(1, concurrency));
        AtomicInteger failures = new AtomicInteger();
        boolean stopped = false;
        try {
            for (FleetMember m : batch) {
                if (FleetJournal.DONE.equals(journal.state(m.name()))) {
                    synchronized (results) {
                        results.add(new MemberResult(m, FleetJournal.DONE, "done before (journal)"));
                    }
                    continue;
                }
                waitWhilePaused();
                slots.acquireUninterruptibly();
                if (failures.get() > maxFailures) {
                    slots.release();
                    stopped = true;
                }
                if (stopped) {
                    synchronized (results) {
                        results.add(new MemberResult(m, "not_started", "stopped by the failure policy"));
                    }
                    continue;
                }
                Semaphore server = servers.computeIfAbsent(m.server(), k -> new Semaphore(Math.max(1, spec.perServer())));
                server.acquireUninterruptibly();
                journal.record(m.name(), FleetJournal.RUNNING, null);
                active.add(m);
                pool.submit(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    MemberResult r;
                    try {
                        String outcome = step.apply(m);
                        journal.record(m.name(), FleetJournal.DONE, null);
                        r = new MemberResult(m, FleetJournal.DONE, outcome);
                    } catch (RuntimeException | Error e) {
                        failures.incrementAndGet();
                        String msg = message(e);
                        journal.record(m.name(), FleetJournal.FAILED, msg);
                        r = new MemberResult(m, FleetJournal.FAILED, msg);
                    } finally {
                        running.decrementAndGet();
                        active.remove(m);
                        server.release();
                    }
                    synchronized (results) {
                        results.add(r);
                    }
                    slots.release();
                });
            }
        } finally {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    // members finish their phase; a killed command leaves them resumable
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return stopped || failures.get() > maxFailures;
    }

    private void waitWhilePaused() {
        while (journal.paused()) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.bascule.api.BasculeException("interrupted while the fleet is paused");
            }
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "bascule-fleet-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
