package dev.bascule.cli;

import dev.bascule.api.Excerpts;
import dev.bascule.api.MigrationStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the active migration, its phase and its backfill progress.",
                "Backfill progress per table (rows done/total, rate, ETA), throttling and pausing."})
final class StatusCommand extends BaseCommand {
    @Option(names = "--json", description = "print the status as JSON")
    boolean json;

    @Override
    public Integer call() {
        MigrationStatus status = bascule().status();
        io().out(json ? Formats.json(toJson(status)) : text(status));
        return 0;
    }

    static String text(MigrationStatus status) {
        MigrationStatus.Active a = status.active();
        if (a == null) {
            return "no active migration\nlatest schema: " + status.latestSchema();
        }
        StringBuilder sb = new StringBuilder();
        sb.append("active migration: ").append(a.name()).append(" (schema ").append(a.schema()).append(")\n");
        sb.append("  phase:           ").append(a.phase()).append(" (since ").append(Formats.time(a.startedAt())).append(")\n");
        sb.append("  new code uses:   ").append(a.versionSchema()).append('\n');
        sb.append("  old code uses:   ").append(a.previousVersionSchema()).append('\n');
        sb.append("  backfill:        ").append(a.paused() ? pauseText(a.pauseReason()) + " (bascule resume to go on)" : "not paused")
                .append('\n');
        if (a.lastError() != null && !a.lastError().isBlank()) {
            sb.append("  last error:      ").append(Excerpts.bounded(a.lastError().strip()).replace("\n", "\n                   ")).append('\n');
        }
        if (!a.backfills().isEmpty()) {
            sb.append("  backfills:\n");
            for (MigrationStatus.Backfill b : a.backfills()) {
                sb.append(String.format(Locale.ROOT, "    %-24s %,d/%,d rows (%d%%), %s rows/s, %s", b.table(), b.rowsDone(),
                        b.rowsTotal(), Formats.percent(b.rowsDone(), b.rowsTotal()), Formats.rate(b.rate()),
                        b.finished() ? "done" : "ETA " + Formats.eta(b.eta())));
                if (!b.finished()) {
                    if (b.batchSize() > 0) {
                        sb.append(", batch ").append(b.batchSize());
                    }
                    if (b.workers() > 1) {
                        sb.append(", ").append(b.workers()).append(" workers");
                    }
                    if (b.throttleReason() != null) {
                        sb.append(", throttled: ").append(b.throttleReason());
                    }
                }
                sb.append('\n');
            }
        }
        sb.append("latest schema: ").append(status.latestSchema());
        return sb.toString();
    }

    private static String pauseText(String reason) {
        if (reason == null || reason.isBlank()) {
            return "paused";
        }
        return reason.toLowerCase(Locale.ROOT).startsWith("paused") ? reason : "paused: " + reason;
    }

    static Map<String, Object> toJson(MigrationStatus status) {
        Map<String, Object> m = new LinkedHashMap<>();
        MigrationStatus.Active a = status.active();
        if (a == null) {
            m.put("active", null);
        } else {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("name", a.name());
            am.put("schema", a.schema());
            am.put("phase", a.phase());
            am.put("version_schema", a.versionSchema());
            am.put("previous_version_schema", a.previousVersionSchema());
            am.put("started_at", Formats.isoTime(a.startedAt()));
            am.put("paused", a.paused());
            am.put("pause_reason", a.pauseReason());
            am.put("last_error", Excerpts.bounded(a.lastError()));
            List<Object> backfills = new ArrayList<>();
            for (MigrationStatus.Backfill b : a.backfills()) {
                Map<String, Object> bm = new LinkedHashMap<>();
                bm.put("table", b.table());
                bm.put("rows_done", b.rowsDone());
                bm.put("rows_total", b.rowsTotal());
                bm.put("percent", Formats.percent(b.rowsDone(), b.rowsTotal()));
                bm.put("rows_per_second", Math.round(b.rate() * 10) / 10.0);
                bm.put("eta_seconds", b.eta() == null ? null : b.eta().toSeconds());
                bm.put("finished", b.finished());
                bm.put("workers", b.workers());
                bm.put("batch_size", b.batchSize());
                bm.put("throttle_reason", b.throttleReason());
                backfills.add(bm);
            }
            am.put("backfills", backfills);
            m.put("active", am);
        }
        m.put("latest_schema", status.latestSchema());
        return m;
    }
}
