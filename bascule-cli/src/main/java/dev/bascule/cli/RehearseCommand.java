package dev.bascule.cli;

import dev.bascule.api.BasculeListener;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.BackfillOptions;
import dev.bascule.api.RehearsalOptions;
import dev.bascule.api.RehearsalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

@Command(name = "rehearse", mixinStandardHelpOptions = true,
        description = {"Rehearse a migration on copies of its tables, under synthetic traffic, and report.",
                "Copies the tables the migration touches (and those their foreign keys link) with a sample of",
                "their rows into a scratch schema of the same database, runs start then complete (or rollback)",
                "there with its own state schema while clients of the old and the new version read and write,",
                "reports phase and step durations, locks, client latencies and errors, and drops the scratch.",
                "The real tables and the real state schema are only read: the migration runs as a temporary",
                "login role that owns only the copies (rehearse needs CREATEROLE and a pg_hba.conf that lets",
                "it log in with a password), dropped at the end.",
                "Exit 0 when the guarantees held, 3 when not (the reasons are listed)."})
final class RehearseCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "migration file (.yaml, .yml or .json)")
    Path file;

    @Option(names = "--sample-rows", paramLabel = "N",
            description = "rows copied per table, at most (default " + RehearsalOptions.DEFAULT_SAMPLE_ROWS + ")")
    Long sampleRows;

    @Option(names = "--sample-percent", paramLabel = "P", description = "copy this percentage of each table's rows instead")
    Double samplePercent;

    @Option(names = "--clients", paramLabel = "N",
            description = "synthetic clients per version, old and new (default " + RehearsalOptions.DEFAULT_CLIENTS + ")")
    Integer clients;

    @Option(names = "--rollback", description = "rehearse start then rollback, instead of start then complete")
    boolean rollback;

    @Option(names = "--keep", description = "keep the scratch schema, its version schema and its state schema")
    boolean keep;

    @Option(names = "--scratch-schema", paramLabel = "NAME",
            description = "the scratch schema's name; it must not exist (default <schema>_rehearsal_<random>)")
    String scratchSchema;

    @Option(names = "--side-by-side", paramLabel = "MS",
            description = "how long old and new clients run together before complete or rollback, in ms (default 2000)")
    Long sideBySide;

    @Option(names = "--margin", paramLabel = "MS",
            description = "what a client operation may take beyond the lock timeout before the rehearsal fails, in ms"
                    + " (default 150)")
    Long margin;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Override
    public Integer call() {
        RehearsalOptions options = options();
        Migration migration = read(file);
        var builder = cli.configured(BackfillOptions.defaults());
        if (json) {
            builder.listener(BasculeListener.NONE); // one JSON document and nothing else on stdout
        }
        RehearsalReport report = builder.load().rehearse(migration, options);
        io().out(json ? Formats.json(toJson(report)) : text(report));
        return report.metGuarantees() ? 0 : 3;
    }

    private RehearsalOptions options() {
        if (sampleRows != null && samplePercent != null) {
            throw new InvalidMigrationException("--sample-rows and --sample-percent exclude each other: give one");
        }
        RehearsalOptions o = RehearsalOptions.defaults();
        if (sampleRows != null) {
            o = o.withSampleRows(sampleRows);
        }
        if (samplePercent != null) {
            o = o.withSamplePercent(samplePercent);
        }
        if (clients != null) {
            o = o.withClients(clients);
        }
        if (scratchSchema != null) {
            o = o.withScratchSchema(scratchSchema);
        }
        if (sideBySide != null) {
            o = o.withSideBySide(Duration.ofMillis(nonNegative("--side-by-side", sideBySide)));
        }
        if (margin != null) {
            o = o.withLatencyMargin(Duration.ofMillis(nonNegative("--margin", margin)));
        }
        return o.withRollback(rollback).withKeep(keep);
    }

    private static long nonNegative(String option, long value) {
        if (value < 0) {
            throw new InvalidMigrationException(option + " must not be negative, got " + value);
        }
        return value;
    }

    static String text(RehearsalReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Rehearsal of ").append(r.migration()).append(" in scratch schema ").append(r.scratchSchema())
                .append(" (state schema ").append(r.stateSchema()).append("), ")
                .append(r.kept() ? "kept" : "dropped at the end").append('\n');
        sb.append("  copied from ").append(r.schema()).append(": ");
        sb.append(r.tables().isEmpty() ? "no table (the migration touches none that exists)"
                : String.join(", ", r.tables().stream().map(t -> t.name() + " " + number(t.rowsCopied()) + " of "
                + (t.estimatedRows() < 0 ? "? (never analyzed)" : "~" + number(t.estimatedRows())) + " rows").toList()));
        sb.append("\n\nphases:\n");
        for (RehearsalReport.Phase p : r.phases()) {
            sb.append(String.format(Locale.ROOT, "  %-9s %9s  %s%n", p.name(), ms(p.took()), p.ok() ? "ok" : "FAILED: " + p.error()));
        }
        sb.append("\nsteps:\n");
        for (RehearsalReport.StepTiming s : r.steps()) {
            sb.append(String.format(Locale.ROOT, "  %-9s %2d %9s  %s%s%s%n", s.phase(), s.index(), ms(s.took()), s.description(),
                    s.lock() == null || s.lock().isBlank() ? "" : "  [" + s.lock() + "]", s.skipped() ? " (already done)" : ""));
        }
        sb.append("\nlocks (held by Bascule's transactional steps, from pg_locks):\n");
        Optional<RehearsalReport.LockHold> longest = r.longestLock();
        sb.append("  longest held: ").append(longest.map(RehearseCommand::lock).orElse("none observed")).append('\n');
        sb.append("  longest ACCESS EXCLUSIVE: ").append(r.locks().stream()
                .filter(l -> l.locks().containsValue("AccessExclusiveLock")).max(Comparator.comparing(RehearsalReport.LockHold::held))
                .map(RehearseCommand::lock).orElse("none observed")).append('\n');
        if (!r.backfills().isEmpty()) {
            sb.append("\nbackfill:\n");
            r.backfills().forEach(b -> sb.append(String.format(Locale.ROOT, "  %s: %s rows in %s, %s rows/s%n", b.table(),
                    number(b.rows()), ms(b.took()), number(Math.round(b.rowsPerSecond())))));
        }
        sb.append(String.format(Locale.ROOT, "%nclients (lock timeout %d ms, margin %d ms):%n", r.lockTimeout().toMillis(),
                r.latencyMargin().toMillis()));
        sb.append(String.format(Locale.ROOT, "  %-7s %7s %8s %8s %8s %8s %7s %7s %8s %8s  %s%n", "version", "clients", "selects",
                "updates", "inserts", "errors", "p50 ms", "p99 ms", "max ms", "over LT", "slowest"));
        for (RehearsalReport.Clients c : r.clients()) {
            sb.append(String.format(Locale.ROOT, "  %-7s %7d %8d %8d %8d %8d %7.2f %7.2f %8.1f %8d  %s%n", c.version(), c.clients(),
                    c.selects(), c.updates(), c.inserts(), c.errors(), c.p50Ms(), c.p99Ms(), c.maxMs(), c.overLockTimeout(),
                    c.slowest()));
            c.messages().forEach(m -> sb.append("    error: ").append(m).append('\n'));
        }
        if (!r.notes().isEmpty()) {
            sb.append("\nnotes:\n");
            r.notes().forEach(n -> sb.append("  - ").append(n).append('\n'));
        }
        sb.append('\n');
        if (r.realCatalogUnchanged()) {
            sb.append("The real tables' catalog and the real state schema are as they were.\n");
        }
        if (r.metGuarantees()) {
            sb.append("Rehearsal met the guarantees: the phases ran, no client saw an error, none waited longer than the lock"
                    + " timeout + margin.\nA sample is not production: see 'what rehearse can and cannot tell' in docs/reference/cli.md.");
        } else {
            sb.append("Rehearsal did NOT meet the guarantees:");
            r.failures().forEach(f -> sb.append("\n  - ").append(f));
        }
        return sb.toString();
    }

    static Map<String, Object> toJson(RehearsalReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("migration", r.migration());
        m.put("schema", r.schema());
        m.put("scratch_schema", r.scratchSchema());
        m.put("state_schema", r.stateSchema());
        m.put("version_schema", r.versionSchema());
        m.put("kept", r.kept());
        m.put("met_guarantees", r.metGuarantees());
        m.put("failures", r.failures());
        m.put("real_catalog_unchanged", r.realCatalogUnchanged());
        m.put("lock_timeout_ms", r.lockTimeout().toMillis());
        m.put("latency_margin_ms", r.latencyMargin().toMillis());
        List<Object> tables = new ArrayList<>();
        r.tables().forEach(t -> tables.add(map("name", t.name(), "rows_copied", t.rowsCopied(),
                "estimated_rows", t.estimatedRows() < 0 ? null : t.estimatedRows())));
        m.put("tables", tables);
        List<Object> phases = new ArrayList<>();
        r.phases().forEach(p -> phases.add(map("name", p.name(), "ms", p.took().toMillis(), "ok", p.ok(), "error", p.error())));
        m.put("phases", phases);
        List<Object> steps = new ArrayList<>();
        r.steps().forEach(s -> steps.add(map("phase", s.phase(), "index", s.index(), "description", s.description(),
                "lock", s.lock(), "ms", s.took().toMillis(), "skipped", s.skipped())));
        m.put("steps", steps);
        List<Object> locks = new ArrayList<>();
        r.locks().forEach(l -> locks.add(map("phase", l.phase(), "step", l.step(), "locks", l.locks(), "held_ms", l.held().toMillis())));
        m.put("locks", locks);
        m.put("longest_lock", r.longestLock().map(l -> map("phase", l.phase(), "step", l.step(), "locks", l.locks(),
                "held_ms", l.held().toMillis())).orElse(null));
        List<Object> backfills = new ArrayList<>();
        r.backfills().forEach(b -> backfills.add(map("table", b.table(), "rows", b.rows(), "rows_per_second",
                Math.round(b.rowsPerSecond()), "ms", b.took().toMillis())));
        m.put("backfills", backfills);
        List<Object> clients = new ArrayList<>();
        for (RehearsalReport.Clients c : r.clients()) {
            Map<String, Object> cm = map("version", c.version(), "clients", c.clients(), "ran_ms", c.ran().toMillis(),
                    "selects", c.selects(), "updates", c.updates(), "inserts", c.inserts(), "errors", c.errors());
            cm.putAll(map("p50_ms", c.p50Ms(), "p99_ms", c.p99Ms(), "p999_ms", c.p999Ms(), "max_ms", c.maxMs(),
                    "slowest", c.slowest(), "over_lock_timeout", c.overLockTimeout(), "error_messages", c.messages()));
            clients.add(cm);
        }
        m.put("clients", clients);
        m.put("notes", r.notes());
        return m;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n).replace(',', ' ');
    }

    private static String ms(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** {@code 3 ms, AccessExclusiveLock on orders (start: add column ...)} */
    private static String lock(RehearsalReport.LockHold l) {
        return l.held().toMillis() + " ms, " + String.join(", ", l.locks().entrySet().stream()
                .map(e -> e.getValue() + " on " + e.getKey()).toList()) + " (" + l.phase() + ": " + l.step() + ")";
    }
}
