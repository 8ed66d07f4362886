package dev.bascule.faults;

import dev.bascule.testing.RestartablePostgres;

import dev.bascule.Bascule;
import dev.bascule.faults.ConcurrentWriter.Version;
import dev.bascule.faults.ConsistencyCheck.Findings;
import dev.bascule.faults.ConsistencyCheck.Shape;
import dev.bascule.faults.Trial.FaultKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults injected into running Bascule commands, each followed by what an operator does (run the
 * command again until it succeeds) and a check that the result is what a fault-free run gives:
 * phase, steps, catalog, and every row against values computed in Java, while an application keeps
 * writing. Kills are SIGKILLs of a separate JVM after a seeded random delay; restarts are of a
 * PostgreSQL server of the harness's own; dropped connections are Bascule's own backends,
 * terminated; and two processes are released at the same instant.
 *
 * <p>CI runs a few trials; {@code -Dbascule.faults.trials=24} runs the full form (24 kills, 4
 * restarts, 4 dropped connections, 4 pairs of processes). {@code -Dbascule.faults.seed=N} picks
 * other kill times. Results: {@code target/reliability.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionTest {
    static final int TRIALS = Integer.getInteger("bascule.faults.trials", 4);
    static final long SEED = Long.getLong("bascule.faults.seed", 9);
    static final int ROWS = Integer.getInteger("bascule.faults.rows", 20_000);
    /** How much the child stretches each step and batch (see FaultProcessMain). */
    static final long SLOW = 100;
    /** How long each command takes when stretched, measured once: kill delays are drawn from [0, that). */
    static final Map<String, Integer> KILL_WINDOW_MS = new HashMap<>();

    @TempDir
    static Path dir;
    static ReliabilityReport report;
    static final Map<TrialServer, Reference> REFERENCES = new HashMap<>();

    @BeforeAll
    static void announce() {
        report = new ReliabilityReport("mvn -B -ntp verify -pl bascule-core -am -Dtest='Fault*' -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dbascule.faults.trials=" + TRIALS + " -Dbascule.faults.seed=" + SEED);
        System.out.println("[faults] seed " + SEED + ", " + TRIALS + " kill trials, " + ROWS + " rows");
    }

    @AfterAll
    static void writeReport() throws Exception {
        report.write(Path.of("target", "reliability.md"));
    }

    /** The command a kill trial faults, the command that recovers, and the shape it must reach. */
    enum KillPlan {
        START_THEN_START("start", "start", Shape.STARTED, Version.OLD),
        START_THEN_ROLLBACK("start", "rollback", Shape.ROLLED_BACK, Version.OLD),
        COMPLETE("complete", "complete", Shape.COMPLETED, Version.NEW),
        ROLLBACK("rollback", "rollback", Shape.ROLLED_BACK, Version.OLD);

        final String killed;
        final String recovery;
        final Shape shape;
        final Version writer;

        KillPlan(String killed, String recovery, Shape shape, Version writer) {
            this.killed = killed;
            this.recovery = recovery;
            this.shape = shape;
            this.writer = writer;
        }
    }

    @Test
    @Order(1)
    void killedCommandsAreContinuedByARerun() throws Exception {
        TrialServer db = TrialServer.shared();
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            KillPlan plan = KillPlan.values()[i % KillPlan.values().length];
            Random random = new Random(SEED * 1_000 + i);
            int delay = random.nextInt(killWindow(db, plan.killed));
            trials.add(faulted(FaultKind.KILL, db, i, plan.killed, plan.recovery, plan.shape, plan.writer,
                    child -> {
                        Thread.sleep(delay);
                        return "after " + delay + " ms";
                    },
                    child -> {
                        child.kill();
                        return "SIGKILL";
                    }));
        }
        assertAllSurvived(trials);
        assertThat(trials.stream().filter(Trial::midCommand).count()).as("kills that hit a running command")
                .isGreaterThanOrEqualTo(Math.max(1, TRIALS * 3L / 4));
    }

    @Test
    @Order(2)
    void aServerRestartMidCommandIsRecoveredByARerun() throws Exception {
        String unavailable = RestartablePostgres.unavailableBecause();
        assumeTrue(unavailable == null, () -> "restart trials skipped: " + unavailable);
        List<Trial> trials = new ArrayList<>();
        try (RestartablePostgres pg = RestartablePostgres.start()) {
            TrialServer db = TrialServer.of(pg);
            int n = Math.max(1, TRIALS / 6);
            for (int i = 0; i < n; i++) {
                String mode = i % 2 == 0 ? "fast" : "immediate";
                boolean midComplete = i % 4 == 3;
                Random random = new Random(SEED * 2_000 + i);
                trials.add(faulted(FaultKind.RESTART, db, i, midComplete ? "complete" : "start", midComplete ? "complete" : "start",
                        midComplete ? Shape.COMPLETED : Shape.STARTED, midComplete ? Version.NEW : Version.OLD,
                        child -> midComplete ? atCompleteStep(child, random, db) : atBackfill(child, random),
                        child -> {
                            pg.restart(mode);
                            return "pg_ctl restart -m " + mode;
                        }));
            }
        }
        assertAllSurvived(trials);
    }

    @Test
    @Order(3)
    void droppedConnectionsAreRecoveredByARerun() throws Exception {
        TrialServer db = TrialServer.shared();
        List<Trial> trials = new ArrayList<>();
        int n = Math.max(2, TRIALS / 6);
        String[] targets = {"all", "work", "control"};
        for (int i = 0; i < n; i++) {
            boolean midComplete = i % 2 == 1;
            String target = targets[i % targets.length];
            Random random = new Random(SEED * 3_000 + i);
            trials.add(faulted(FaultKind.DROP, db, i, midComplete ? "complete" : "start", midComplete ? "complete" : "start",
                    midComplete ? Shape.COMPLETED : Shape.STARTED, midComplete ? Version.NEW : Version.OLD,
                    child -> midComplete ? atCompleteStep(child, random, db) : atBackfill(child, random),
                    child -> terminate(db, target)));
        }
        assertAllSurvived(trials);
    }

    @Test
    @Order(4)
    void aSecondProcessIsRefusedCleanly() throws Exception {
        TrialServer db = TrialServer.shared();
        List<Trial> trials = new ArrayList<>();
        int n = Math.max(1, TRIALS / 12);
        for (int i = 0; i < n; i++) {
            trials.add(twoAtOnce(db, i, false));
            trials.add(twoAtOnce(db, i, true));
        }
        assertAllSurvived(trials);
    }

    // ---- the trials ------------------------------------------------------------------------

    @FunctionalInterface
    interface Step {
        /** @return what it did, for the report */
        String run(BasculeProcess child) throws Exception;
    }

    /**
     * Runs {@code command} in a child JVM (after start, in-process and unhurried, when the command
     * is complete or rollback), waits for {@code when}, injects {@code fault}, waits for the child to
     * end, then runs {@code recovery} in-process until it succeeds and checks the result. A trial
     * that recovers with start also completes, and is checked again.
     */
    private Trial faulted(FaultKind kind, TrialServer db, int index, String command, String recovery, Shape shape,
                          Version writerVersion, Step when, Step fault) throws Exception {
        long t0 = System.currentTimeMillis();
        Reference reference = reference(db);
        try (AccountsFixture f = new AccountsFixture(db, ROWS, dir)) {
            Bascule bascule = f.bascule();
            if (!command.equals("start")) {
                bascule.start(Bascule.read(f.migration));
            }
            String what = kind.name().toLowerCase() + " " + command + ", rerun " + recovery;
            String point;
            boolean mid;
            String childEnd;
            Reruns.Outcome rerun;
            ConcurrentWriter writer = ConcurrentWriter.start(f, writerVersion, SEED + index, 1_000_000);
            try (BasculeProcess child = BasculeProcess.launch(command, db.url(), f.schema, f.stateSchema, f.migration, SLOW, false)) {
                child.awaitReady();
                String timing = when.run(child);
                mid = child.alive();
                point = child.lastEvent();
                long faultAt = System.currentTimeMillis();
                String did = fault.run(child);
                int exit = child.awaitExit(120);
                long exitAfter = System.currentTimeMillis() - faultAt;
                String error = child.errors().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
                childEnd = did + " " + timing + " at [" + point + "]; child exit " + exit
                        + (mid && kind != FaultKind.KILL ? " " + exitAfter + " ms after the fault began" : "")
                        + (error.isEmpty() ? "" : " (" + abbreviate(error, 160) + ")");
                rerun = Reruns.untilDone(() -> switch (recovery) {
                    case "start" -> bascule.start(Bascule.read(f.migration));
                    case "complete" -> bascule.complete(Set.of());
                    default -> bascule.rollback();
                });
            } finally {
                writer.close();
            }
            Findings findings = rerun.done() ? ConsistencyCheck.of(f, shape, reference)
                    : Findings.failed("no rerun succeeded: " + rerun.failures());
            if (rerun.done() && shape == Shape.STARTED) {
                bascule.complete(Set.of());
                findings = findings.and("after complete", ConsistencyCheck.of(f, Shape.COMPLETED, reference));
            }
            return record(new Trial(kind, what, childEnd + (rerun.failures().isEmpty() ? "" : "; rerun failures "
                    + abbreviate(rerun.failures().toString(), 300)), mid, rerun.attempts(), findings, writer.writes(),
                    writer.errors(), System.currentTimeMillis() - t0));
        }
    }

    /** Two start commands released at the same instant: the same migration, or two different ones. */
    private Trial twoAtOnce(TrialServer db, int index, boolean different) throws Exception {
        long t0 = System.currentTimeMillis();
        Reference reference = reference(db);
        try (AccountsFixture f = new AccountsFixture(db, ROWS, dir)) {
            Path second = different ? f.otherMigration : f.migration;
            String what = "concurrent start " + (different ? "of two different migrations" : "of the same migration, twice");
            try (BasculeProcess a = BasculeProcess.launch("start", db.url(), f.schema, f.stateSchema, f.migration, SLOW, true);
                 BasculeProcess b = BasculeProcess.launch("start", db.url(), f.schema, f.stateSchema, second, SLOW, true)) {
                a.awaitReady();
                b.awaitReady();
                a.go();
                b.go();
                int exitA = a.awaitExit(120);
                int exitB = b.awaitExit(120);
                List<String> problems = new ArrayList<>();
                boolean aWon = exitA == 0;
                BasculeProcess loser = aWon ? b : a;
                if ((exitA == 0) == (exitB == 0)) {
                    problems.add("exits " + exitA + " and " + exitB + ", expected one 0 and one 1:\n" + a.output() + "\n" + b.output());
                } else if ((aWon ? exitB : exitA) != 1 || !loser.errors().contains("error: another Bascule command is running")) {
                    problems.add("the second process was not refused cleanly: " + loser.output());
                }
                if (loser.errors().contains("Exception")) {
                    problems.add("the refusal printed a stack trace: " + loser.errors());
                }
                Findings findings;
                Bascule bascule = f.bascule();
                if (aWon || !different) {
                    findings = ConsistencyCheck.of(f, Shape.STARTED, reference);
                } else {
                    // the other migration won: it is started and filled, accounts untouched; rolled back, all is as before
                    if (!"0".equals(db.value("SELECT count(*) FROM " + f.schema + ".ledger WHERE note_upper IS DISTINCT FROM upper(note)"))) {
                        problems.add("the other migration's backfill is incomplete");
                    }
                    bascule.rollback();
                    findings = ConsistencyCheck.of(f, Shape.ROLLED_BACK, reference);
                }
                String fault = "released together; " + (aWon ? "first" : "second") + " proceeded, other exit "
                        + (aWon ? exitB : exitA) + " (" + abbreviate(loser.errors().lines()
                        .filter(l -> l.startsWith("error: ")).findFirst().orElse("no message"), 120) + ")";
                return record(new Trial(FaultKind.CONCURRENT, what, fault, true, 1,
                        problems.isEmpty() ? findings : findings.and("processes", new Findings(problems, 0, 0, 0)),
                        0, List.of(), System.currentTimeMillis() - t0));
            }
        }
    }

    // ---- when and what -----------------------------------------------------------------------

    private static final Pattern BATCH = Pattern.compile("^event backfill \\S+ (\\d+)/");

    /** Once the backfill has done a random share (5 to 70 %) of the rows. */
    private static String atBackfill(BasculeProcess child, Random random) throws Exception {
        long rows = ROWS * (5 + random.nextInt(65)) / 100;
        boolean seen = child.awaitLine(l -> {
            Matcher m = BATCH.matcher(l);
            return m.find() && Long.parseLong(m.group(1)) >= rows;
        }, 60_000);
        return seen ? "once " + rows + " rows were backfilled" : "(the backfill never reached " + rows + " rows)";
    }

    /** Within a random step of complete: when it begins, plus up to two stretches, so into the step itself. */
    private String atCompleteStep(BasculeProcess child, Random random, TrialServer db) throws Exception {
        int steps = reference(db).completeSteps();
        int step = 1 + random.nextInt(steps);
        boolean seen = child.awaitLine(l -> l.startsWith("event complete step " + step + "/"), 60_000);
        long extra = random.nextInt((int) (2 * SLOW));
        Thread.sleep(extra);
        return seen ? extra + " ms into complete step " + step + "/" + steps : "(complete never reached step " + step + ")";
    }

    /**
     * Terminates Bascule's backends: the one holding the advisory lock (control), the others (work,
     * backfill, health monitor), or all.
     */
    private static String terminate(TrialServer db, String which) throws Exception {
        String lockHolder = "pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)";
        String filter = switch (which) {
            case "control" -> " AND " + lockHolder;
            case "work" -> " AND NOT " + lockHolder;
            default -> "";
        };
        List<List<String>> ended = db.rows("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = 'bascule' AND pid <> pg_backend_pid() AND datname = current_database()" + filter);
        return "pg_terminate_backend of " + which + " (" + ended.size() + " backend(s))";
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * How long {@code command} runs in a child, stretched, from ready to exit: one run, unfaulted,
     * on a fixture of its own, so that kill times spread over the whole command on this machine.
     */
    private static synchronized int killWindow(TrialServer db, String command) throws Exception {
        Integer known = KILL_WINDOW_MS.get(command);
        if (known != null) {
            return known;
        }
        try (AccountsFixture f = new AccountsFixture(db, ROWS, dir)) {
            if (!command.equals("start")) {
                f.bascule().start(Bascule.read(f.migration));
            }
            try (BasculeProcess child = BasculeProcess.launch(command, db.url(), f.schema, f.stateSchema, f.migration, SLOW, false)) {
                child.awaitReady();
                int exit = child.awaitExit(120);
                assertThat(exit).as("unfaulted %s: %s", command, child.output()).isZero();
                int window = (int) Math.max(100, child.elapsed());
                System.out.println("[faults] " + command + " runs " + window + " ms, stretched: kill delays are drawn from [0, " + window + ")");
                KILL_WINDOW_MS.put(command, window);
                return window;
            }
        }
    }

    private static synchronized Reference reference(TrialServer db) throws Exception {
        Reference r = REFERENCES.get(db);
        if (r == null) {
            r = Reference.take(db, dir);
            REFERENCES.put(db, r);
        }
        return r;
    }

    private static Trial record(Trial t) {
        report.add(t);
        return t;
    }

    private static void assertAllSurvived(List<Trial> trials) {
        assertThat(trials).as("trials that did not survive").allSatisfy(t ->
                assertThat(t.survived()).as(t.line()).isTrue());
    }

    private static String abbreviate(String s, int max) {
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max) + "...";
    }
}
