package dev.bascule.cli;

import dev.bascule.api.DatabaseSignals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * serve's {@code /status}: what {@code status --json} prints, plus the database's signals, the
 * history, and whether this server accepts pause and resume.
 */
final class StatusDocument {
    private StatusDocument() {}

    static Map<String, Object> of(ServeSnapshot s, boolean pauseResume) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read_at", Formats.isoTime(s.readAt()));
        m.putAll(StatusCommand.toJson(s.status()));
        m.put("signals", signals(s.signals(), s.latency()));
        m.put("history", HistoryCommand.toJson(s.history()));
        m.put("pause_resume", pauseResume);
        return m;
    }

    /** When the database cannot be read: the page says so and keeps polling. */
    static Map<String, Object> error(String message, boolean pauseResume) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read_at", Formats.isoTime(java.time.OffsetDateTime.now()));
        m.put("error", message);
        m.put("pause_resume", pauseResume);
        return m;
    }

    private static Map<String, Object> signals(DatabaseSignals signals, LatencyWindow.Latency latency) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> replication = new LinkedHashMap<>();
        replication.put("standbys", signals.replication().standbys());
        replication.put("lag_bytes", signals.replication().lagBytes());
        replication.put("lag_seconds", signals.replication().lagSeconds());
        m.put("replication", replication);
        List<Object> waits = new ArrayList<>();
        for (DatabaseSignals.LockWait w : signals.lockWaits()) {
            Map<String, Object> wm = new LinkedHashMap<>();
            wm.put("pid", w.pid());
            wm.put("table", w.table());
            wm.put("lock", w.lock());
            wm.put("waiting_seconds", Math.round(w.waitingSeconds() * 10) / 10.0);
            wm.put("blocked_by", w.blockedBy());
            waits.add(wm);
        }
        m.put("lock_waits", waits);
        Map<String, Object> lm = new LinkedHashMap<>();
        lm.put("available", latency != null);
        if (latency != null) {
            lm.put("calls", latency.calls());
            lm.put("mean_ms", round(latency.meanMillis()));
            lm.put("recent_mean_ms", round(latency.recentMeanMillis()));
            lm.put("recent_window_seconds", Math.round(latency.windowSeconds() * 10) / 10.0);
        } else {
            lm.put("reason", "pg_stat_statements is not installed in this database or not loaded"
                    + " (shared_preload_libraries)");
        }
        m.put("application_latency", lm);
        return m;
    }

    private static Double round(Double millis) {
        return millis == null ? null : Math.round(millis * 1000) / 1000.0;
    }
}
