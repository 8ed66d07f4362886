package dev.bascule.bench.traffic;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeListener;
import dev.bascule.api.Migration;
import dev.bascule.Migrations;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The change as a Bascule migration: start (expand, then backfill) publishes the version schema
 * the new code is deployed onto; once the old code is redeployed too, complete contracts.
 */
final class BasculeScenario implements MigrationScenario {
    static final String FILE = "0001_accounts_v2.yaml";

    static final String MIGRATION = """
            operations:
              - add_column:
                  table: accounts
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
              - alter_column:
                  table: accounts
                  column: visits
                  type: bigint
            """;

    private final Duration quietTime;

    /** @param quietTime how long complete's gates watch for the old code to have stopped (Bascule's default is 15 s) */
    BasculeScenario(Duration quietTime) {
        this.quietTime = quietTime;
    }

    @Override
    public String name() {
        return "Bascule";
    }

    @Override
    public String migrate(MigrationContext context) {
        Migration migration = Migrations.fromText(FILE, MIGRATION);
        AtomicInteger lockRetries = new AtomicInteger();
        long[] backfillNanos = {0};
        String[] versionSchema = {null};
        BasculeListener listener = new BasculeListener() {
            @Override
            public void stepStarted(String phase, int index, int total, String description, String lock) {
                if (phase.equals("start") && description.startsWith("backfill")) {
                    context.enter(new Phase("start: backfill", Phase.Stage.CHANGE));
                }
            }

            @Override
            public void stepFinished(String phase, int index, int total, String description, Duration took, boolean skipped) {
                if (phase.equals("start") && description.startsWith("backfill")) {
                    backfillNanos[0] += took.toNanos();
                }
                // the version's views are committed: new code can use them from now on
                if (phase.equals("start") && description.startsWith("create version schema")) {
                    context.deployNewGroup(Assignment.of(AppVersion.NEW, versionSchema[0], context.schema()));
                }
            }

            @Override
            public void lockRetry(String description, int attempt, Duration wait) {
                lockRetries.incrementAndGet();
            }
        };
        Bascule bascule = Bascule.configure().dataSource(context.dataSource()).schema(context.schema())
                .stateSchema(context.stateSchema()).quietTime(quietTime).listener(listener).load();
        versionSchema[0] = bascule.plan(migration).versionSchema();

        context.enter(new Phase("start: expand", Phase.Stage.CHANGE));
        long t0 = System.nanoTime();
        bascule.start(migration);
        long start = System.nanoTime() - t0;

        context.enter(new Phase("after start: old and new code", Phase.Stage.SIDE_BY_SIDE));
        try {
            context.sideBySide();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        // the old code is retired before complete, as complete's gates demand: it is redeployed as the new
        Assignment latest = Assignment.of(AppVersion.NEW, versionSchema[0], context.schema());
        context.deployOldGroup(latest);

        context.enter(new Phase("complete", Phase.Stage.CONTRACT));
        long t1 = System.nanoTime();
        bascule.complete(Set.of());
        long complete = System.nanoTime() - t1;
        return String.format(Locale.ROOT, "start %.1f s (backfill %.1f s), complete %.1f s, %d lock retries",
                start / 1e9, backfillNanos[0] / 1e9, complete / 1e9, lockRetries.get());
    }
}
