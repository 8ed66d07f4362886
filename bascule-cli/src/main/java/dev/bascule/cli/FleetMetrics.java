package dev.bascule.cli;

import dev.bascule.fleet.Fleet;
import dev.bascule.fleet.FleetJournal;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * serve's {@code /metrics} for a fleet ({@code bascule serve --fleet}): the per-member meters of a
 * single database's {@link PrometheusMetrics}, each with a {@code member} label, and the fleet's
 * counts. A member that cannot be read has {@code bascule_up{member=...} 0}; its other values are
 * left out rather than invented.
 */
final class FleetMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, MultiGauge> gauges = new LinkedHashMap<>();
    // Micrometer may hold a gauge's value weakly: the rows of the last scrape are kept here
    private final List<MultiGauge.Row<?>> rows = new ArrayList<>();

    FleetMetrics() {
        for (String[] g : new String[][] {
                {"bascule.up", "1 when the member's database was read, per member"},
                {"bascule.paused", "1 when the member's backfill is paused"},
                {"bascule.backfill.rows.done", "rows the member's backfills have filled"},
                {"bascule.backfill.rows.expected", "rows the member's backfills have to fill"},
                {"bascule.backfill.rows.per.second", "the member's backfill rate (its running tables together)"},
                {"bascule.backfill.eta.seconds", "estimated time to the end of the member's backfill"},
                {"bascule.backfill.finished", "1 when every backfill of the member is done"},
                {"bascule.backfill.throttled", "1 while a backfill of the member waits on a health signal"},
                {"bascule.phase", "1 for the member's phase (none: no active migration)"},
                {"bascule.fleet.member.state", "1 for the member's state in the fleet's journal (done, failed, running, none)"},
                {"bascule.fleet.members", "members of the fleet"}}) {
            gauges.put(g[0], MultiGauge.builder(g[0]).description(g[1]).register(registry));
        }
    }

    synchronized String scrape(List<Fleet.MemberStatus> all) {
        rows.clear();
        Map<String, List<MultiGauge.Row<?>>> byName = new HashMap<>();
        gauges.keySet().forEach(n -> byName.put(n, new ArrayList<>()));
        for (Fleet.MemberStatus s : all) {
            Tags m = Tags.of("member", s.member().name());
            boolean up = s.phase() != null;
            add(byName, "bascule.up", m, up ? 1 : 0);
            String state = s.journal() == null || s.journal().isEmpty() ? "none" : s.journal();
            for (String st : new String[] {FleetJournal.DONE, FleetJournal.FAILED, FleetJournal.RUNNING, "none"}) {
                add(byName, "bascule.fleet.member.state", m.and("state", st), st.equals(state) ? 1 : 0);
            }
            if (!up) {
                continue;
            }
            add(byName, "bascule.paused", m, s.paused() ? 1 : 0);
            add(byName, "bascule.backfill.rows.done", m, s.rowsDone());
            add(byName, "bascule.backfill.rows.expected", m, s.rowsTotal());
            add(byName, "bascule.backfill.rows.per.second", m, s.backfilled() ? 0 : s.rate());
            add(byName, "bascule.backfill.eta.seconds", m, s.backfilled() ? 0 : s.eta() == null ? Double.NaN : s.eta().toMillis() / 1000.0);
            add(byName, "bascule.backfill.finished", m, s.backfilled() ? 1 : 0);
            add(byName, "bascule.backfill.throttled", m, !s.backfilled() && s.throttle() != null && !s.paused() ? 1 : 0);
            add(byName, "bascule.phase", m.and("phase", s.phase()), 1);
        }
        add(byName, "bascule.fleet.members", Tags.empty(), all.size());
        byName.forEach((name, list) -> gauges.get(name).register(list, true));
        return registry.scrape();
    }

    private void add(Map<String, List<MultiGauge.Row<?>>> byName, String name, Tags tags, Number value) {
        MultiGauge.Row<?> row = MultiGauge.Row.of(tags, value);
        rows.add(row);
        byName.get(name).add(row);
    }
}
