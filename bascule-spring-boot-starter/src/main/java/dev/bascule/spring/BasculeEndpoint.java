package dev.bascule.spring;

import dev.bascule.api.MigrationStatus;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/bascule}: the migrations' status (GET), and {@code POST /actuator/bascule/pause}
 * or {@code /resume} for the active migration's backfill, from any instance.
 */
@Endpoint(id = "bascule")
public class BasculeEndpoint {
    private final BasculeMigrator migrator;

    public BasculeEndpoint(BasculeMigrator migrator) {
        this.migrator = migrator;
    }

    @ReadOperation
    public Map<String, Object> status() {
        MigrationStatus status = migrator.bascule().status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schema", migrator.schema());
        out.put("applicationVersion", migrator.version());
        out.put("latestVersion", status.latestSchema());
        out.put("appliedAtStartup", migrator.applied());
        MigrationStatus.Active a = status.active();
        if (a == null) {
            out.put("active", null);
        } else {
            Map<String, Object> active = new LinkedHashMap<>();
            active.put("name", a.name());
            active.put("phase", a.phase());
            active.put("version", a.versionSchema());
            active.put("previousVersion", a.previousVersionSchema());
            active.put("startedAt", a.startedAt() == null ? null : a.startedAt().toString());
            active.put("paused", a.paused());
            active.put("pauseReason", a.pauseReason());
            active.put("lastError", a.lastError());
            List<Map<String, Object>> backfills = new ArrayList<>();
            for (MigrationStatus.Backfill b : a.backfills()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("table", b.table());
                one.put("rowsDone", b.rowsDone());
                one.put("rowsTotal", b.rowsTotal());
                one.put("rowsPerSecond", b.rate());
                one.put("finished", b.finished());
                one.put("throttleReason", b.throttleReason());
                backfills.add(one);
            }
            active.put("backfills", backfills);
            out.put("active", active);
        }
        return out;
    }

    /** {@code pause} or {@code resume} the active migration's backfill; the status after it. */
    @WriteOperation
    public Map<String, Object> control(@Selector String action) {
        switch (action) {
            case "pause" -> migrator.bascule().pause(true);
            case "resume" -> migrator.bascule().pause(false);
            default -> throw new IllegalArgumentException("unknown action '" + action + "': pause or resume");
        }
        return status();
    }
}
