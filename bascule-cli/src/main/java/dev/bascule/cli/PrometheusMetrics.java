package dev.bascule.cli;

import dev.bascule.api.DatabaseSignals;
import dev.bascule.api.MigrationStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * serve's {@code /metrics}: gauges set from a snapshot read at each scrape. Values that cannot be
 * known (no database, no standby) are NaN rather than a stale or invented number.
 */
final class PrometheusMetrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, MultiGauge> perRow = new HashMap<>();
    // Micrometer may hold a gauge's value weakly: the rows of the last scrape are kept here
    private final List<MultiGauge.Row<?>> rows = new ArrayList<>();
    private ServeSnapshot current;

    PrometheusMetrics() {
        gauge("bascule.up", "1 when the last read of the database succeeded", s -> s == null ? 0 : 1);
        gauge("bascule.paused", "1 when the active migration's backfill is paused",
                s -> s == null ? Double.NaN : active(s) != null && active(s).paused() ? 1 : 0);
        gauge("bascule.lock.waits", "sessions waiting on a lock on the active migration's tables or their rows",
                s -> s == null ? Double.NaN : s.signals().lockWaits().size());
        gauge("bascule.replication.standbys", "standbys streaming from the server",
                s -> s == null ? Double.NaN : s.signals().replication().standbys());
        gauge("bascule.replication.lag.bytes", "WAL bytes the furthest standby has yet to replay (NaN: no standby, or not visible)",
                s -> s == null || s.signals().replication().lagBytes() == null ? Double.NaN : s.signals().replication().lagBytes());
        gauge("bascule.replication.lag.seconds", "replay delay of the furthest standby",
                s -> s == null || s.signals().replication().lagSeconds() == null ? Double.NaN : s.signals().replication().lagSeconds());
        gauge("bascule.statement.mean.seconds", "mean execution time of the application's statements over the last seconds"
                        + " (pg_stat_statements; NaN when unavailable or none ran)",
                s -> s == null || s.latency() == null || s.latency().recentMeanMillis() == null ? Double.NaN
                        : s.latency().recentMeanMillis() / 1000.0);
        for (String[] g : new String[][] {
                {"bascule.backfill.rows.done", "rows the backfill has filled, per table"},
                {"bascule.backfill.rows.expected", "rows to fill, per table (grows when rows are inserted meanwhile)"},
                {"bascule.backfill.rows.per.second", "backfill rate since it began, per table"},
                {"bascule.backfill.eta.seconds", "estimated time to the end of the backfill, per table"},
                {"bascule.backfill.finished", "1 when the table's backfill is done"},
                {"bascule.backfill.throttled", "1 while the table's backfill waits on a health signal"},
                {"bascule.phase", "1 for the active migration's phase (none: no active migration)"},
                {"bascule.migration.active", "1, labelled with the active migration; absent when none is active"}}) {
            perRow.put(g[0], MultiGauge.builder(g[0]).description(g[1]).register(registry));
        }
    }

    private void gauge(String name, String description, ToDoubleFunction<ServeSnapshot> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.current)).description(description).strongReference(true)
                .register(registry);
    }

    /** The metrics of {@code snapshot} (null: the database could not be read) in Prometheus text format. */
    synchronized String scrape(ServeSnapshot snapshot) {
        current = snapshot;
        rows.clear();
        MigrationStatus.Active a = snapshot == null ? null : active(snapshot);
        Map<String, List<MultiGauge.Row<?>>> byName = new HashMap<>();
        perRow.keySet().forEach(n -> byName.put(n, new ArrayList<>()));
        if (a != null) {
            for (MigrationStatus.Backfill b : a.backfills()) {
                Tags t = Tags.of("table", b.table());
                add(byName, "bascule.backfill.rows.done", t, b.rowsDone());
                add(byName, "bascule.backfill.rows.expected", t, b.rowsTotal());
                add(byName, "bascule.backfill.rows.per.second", t, b.rate());
                add(byName, "bascule.backfill.eta.seconds", t, b.eta() == null ? Double.NaN : b.eta().toMillis() / 1000.0);
                add(byName, "bascule.backfill.finished", t, b.finished() ? 1 : 0);
                add(byName, "bascule.backfill.throttled", t, throttled(b) ? 1 : 0);
            }
            add(byName, "bascule.migration.active", Tags.of("name", a.name(), "schema", a.schema(),
                    "version_schema", a.versionSchema() == null ? "" : a.versionSchema()), 1);
        }
        if (snapshot != null) {
            String phase = a == null ? "none" : a.phase();
            add(byName, "bascule.phase", Tags.of("phase", "none"), phase.equals("none") ? 1 : 0);
            for (String p : MigrationStatus.PHASES) {
                add(byName, "bascule.phase", Tags.of("phase", p), p.equals(phase) ? 1 : 0);
            }
        }
        byName.forEach((name, list) -> perRow.get(name).register(list, true));
        return registry.scrape();
    }

    private void add(Map<String, List<MultiGauge.Row<?>>> byName, String name, Tags tags, Number value) {
        MultiGauge.Row<?> row = MultiGauge.Row.of(tags, value);
        rows.add(row);
        byName.get(name).add(row);
    }

    /** Waiting on a health signal; a pause is counted by {@code bascule_paused}, not here. */
    private static boolean throttled(MigrationStatus.Backfill b) {
        return !b.finished() && b.throttleReason() != null
                && !b.throttleReason().toLowerCase(Locale.ROOT).startsWith("paused");
    }

    private static MigrationStatus.Active active(ServeSnapshot s) {
        return s.status().active();
    }
}
