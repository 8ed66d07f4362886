package dev.bascule.cli;

import dev.bascule.fleet.Fleet;
import dev.bascule.fleet.FleetJournal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The fleet's one report, as a table ({@code fleet status}, the live table of a running fleet
 * command) and as JSON ({@code fleet status --json}, serve's {@code /status} with a fleet): the same
 * fields in both.
 */
final class FleetTable {
    private FleetTable() {}

    static List<String[]> rows(List<Fleet.MemberStatus> all, UnaryOperator<String> scrub) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MEMBER", "MIGRATION", "PHASE", "PROGRESS", "RATE", "ETA", "THROTTLE", "FLEET", "ERROR"});
        for (Fleet.MemberStatus s : all) {
            String progress = s.rowsTotal() == 0 && s.rowsDone() == 0 ? "-"
                    : String.format(Locale.ROOT, "%,d/%,d (%d%%)", s.rowsDone(), s.rowsTotal(), Formats.percent(s.rowsDone(), s.rowsTotal()));
            boolean moving = !s.backfilled() && s.phase() != null;
            rows.add(new String[] {s.member().name(), s.migration() == null ? "-" : s.migration(),
                    (s.phase() == null ? "unreachable" : s.phase()) + (s.paused() ? " (paused)" : ""), progress,
                    moving ? Formats.rate(s.rate()) + "/s" : "-", moving ? Formats.eta(s.eta()) : "-",
                    s.throttle() == null ? "-" : FleetCommand.oneLine(scrub.apply(s.throttle())),
                    s.journal() == null || s.journal().isEmpty() ? "-" : s.journal(),
                    s.error() == null ? "" : FleetCommand.oneLine(scrub.apply(s.error()))});
        }
        return rows;
    }

    static Map<String, Object> json(Fleet.MemberStatus s, UnaryOperator<String> scrub) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("member", s.member().name());
        e.put("server", s.member().server());
        e.put("schema", s.member().schema());
        e.put("migration", s.migration());
        e.put("phase", s.phase());
        e.put("rows_done", s.rowsDone());
        e.put("rows_total", s.rowsTotal());
        e.put("rows_per_second", Math.round(s.rate() * 10) / 10.0);
        e.put("eta_seconds", s.eta() == null ? null : (s.eta().toMillis() + 999) / 1000);
        e.put("throttle", s.throttle() == null ? null : scrub.apply(s.throttle()));
        e.put("backfilled", s.backfilled());
        e.put("paused", s.paused());
        e.put("journal", s.journal());
        e.put("error", s.error() == null ? null : scrub.apply(s.error()));
        return e;
    }

    static Map<String, Object> json(List<Fleet.MemberStatus> all, UnaryOperator<String> scrub) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Long> phases = new LinkedHashMap<>();
        List<Map<String, Object>> ms = new ArrayList<>();
        for (Fleet.MemberStatus s : all) {
            phases.merge(s.phase() == null ? "unreachable" : s.phase(), 1L, Long::sum);
            ms.add(json(s, scrub));
        }
        root.put("members_total", all.size());
        root.put("phases", phases);
        root.put("failed", all.stream().filter(s -> FleetJournal.FAILED.equals(s.journal())).count());
        root.put("members", ms);
        return root;
    }

    /**
     * While a fleet command runs: every {@code every}, the members running now with their progress,
     * rate, ETA and throttle reason, and how many are done, on standard error (redrawn in place at
     * a terminal). Reading a member's status is one short query on its database.
     */
    static AutoCloseable live(Fleet fleet, Io io, boolean interactive, Duration every, UnaryOperator<String> scrub) {
        if (every.isZero()) {
            return () -> { };
        }
        Thread t = new Thread(() -> {
            int drawn = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                List<Fleet.MemberStatus> running;
                try {
                    running = fleet.live();
                } catch (RuntimeException e) {
                    continue; // a member out of reach shows as unreachable next time; the run goes on
                }
                long done = fleet.members().stream().filter(m -> FleetJournal.DONE.equals(fleet.journal().state(m.name()))).count();
                long failed = fleet.members().stream().filter(m -> FleetJournal.FAILED.equals(fleet.journal().state(m.name()))).count();
                String head = String.format(Locale.ROOT, "fleet %s: %d of %d members done, %d failed, %d running",
                        fleet.journal().action(), done, fleet.members().size(), failed, running.size());
                String block = running.isEmpty() ? head : head + "\n" + FleetCommand.table(rows(running, scrub));
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                // at a terminal the last table is rewritten: cursor up over it, clear to the end
                io.err(interactive && drawn > 0 ? "\033[" + drawn + "F\033[J" + block : block);
                drawn = (int) block.lines().count();
            }
        }, "bascule-fleet-live");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
