package dev.bascule.spring;

import dev.bascule.api.MigrationStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Gauges in the application's registry, read from Bascule's state at most once per
 * {@link #MAX_AGE}: {@code bascule.migration.active}, {@code bascule.migration.paused} (1 or 0),
 * {@code bascule.backfill.rows.done} and {@code bascule.backfill.rows.total} (the active migration's
 * tables together).
 */
public class BasculeMeters implements MeterBinder {
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final BasculeMigrator migrator;
    private MigrationStatus last;
    private long readAt;

    public BasculeMeters(BasculeMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "bascule.migration.active", "1 while a migration is started and not completed or rolled back",
                s -> s.active() == null ? 0 : 1);
        gauge(registry, "bascule.migration.paused", "1 while the active migration's backfill is paused",
                s -> s.active() != null && s.active().paused() ? 1 : 0);
        gauge(registry, "bascule.backfill.rows.done", "rows the active migration's backfills have done",
                s -> s.active() == null ? 0 : s.active().backfills().stream().mapToLong(MigrationStatus.Backfill::rowsDone).sum());
        gauge(registry, "bascule.backfill.rows.total", "rows the active migration's backfills have to do",
                s -> s.active() == null ? 0 : s.active().backfills().stream().mapToLong(MigrationStatus.Backfill::rowsTotal).sum());
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<MigrationStatus> value) {
        Gauge.builder(name, this, m -> {
            MigrationStatus s = m.status();
            return s == null ? Double.NaN : value.applyAsDouble(s);
        }).description(description).tag("schema", migrator.schema()).register(registry);
    }

    private synchronized MigrationStatus status() {
        long now = System.nanoTime();
        if (last == null || now - readAt > MAX_AGE.toNanos()) {
            try {
                last = migrator.bascule().status();
                readAt = now;
            } catch (RuntimeException e) {
                return null; // the database is unreachable: the gauges say NaN rather than fail the scrape
            }
        }
        return last;
    }
}
