package dev.bascule.example;

import dev.bascule.Bascule;
import dev.bascule.api.RefusedException;
import dev.bascule.example.v1.OldRelease;
import dev.bascule.example.v2.NewRelease;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rollout as it happens in production, with the real stack (Spring Boot, Spring Data JPA,
 * Hibernate 6, HikariCP, pgjdbc with its default server-prepared statements): the old release
 * works; {@code start}; the new release comes up on the version schema and both work side by side;
 * the old release is stopped; {@code complete} runs while the new release works. Every failed
 * operation of either release is counted, and there must be none.
 */
class RollingDeploymentTest {
    private static final Path MIGRATION = Path.of("src/main/resources/db/release2/0002_users_full_name.yaml");
    private static final int CLIENTS_PER_RELEASE = 3;
    private static final Duration TRAFFIC = Duration.ofMillis(1500);
    private static final int POOL_SIZE = 4;

    /**
     * The old release on the base table, with pgjdbc's {@code autosave=conservative}: the driver
     * re-runs a statement whose server-prepared plan {@code start} invalidated (see the next test),
     * inside the same transaction. Neither release sees a single failure.
     */
    @Test
    void bothReleasesRunThroughStartAndCompleteWithoutAFailedOperation() throws Exception {
        Rollout rollout = rollout("autosave=conservative", false);
        assertThat(rollout.oldRelease().failures()).as("failed operations of the old release").isEmpty();
        assertThat(rollout.newRelease().failures()).as("failed operations of the new release").isEmpty();
    }

    /**
     * The old release on the base table with pgjdbc's defaults: after five executions a statement
     * is prepared on the server, and {@code start} adds a column to the table. An insert whose
     * generated keys pgjdbc asks for with {@code RETURNING *} then changes its result type, and
     * PostgreSQL refuses the prepared plan once per connection that holds it: {@code cached plan
     * must not change result type}. HikariCP drops that connection, the transaction fails. This
     * test shows it is the only failure (0 up to one per pooled connection, as timing decides) and
     * that the new release, on the version schema, has none.
     */
    @Test
    void withTheDriverDefaultsTheOldReleaseCanOnlyFailOnCachedPlansOfTheBaseTable() throws Exception {
        Rollout rollout = rollout("", false);
        System.out.println("old release on the base table, pgjdbc defaults: " + rollout.oldRelease().failed()
                + " failed operations");
        assertThat(rollout.oldRelease().failures().keySet()).allSatisfy(failure -> assertThat(failure)
                .startsWith("PSQLException: ERROR: cached plan must not change result type"));
        assertThat(rollout.oldRelease().failed()).isLessThanOrEqualTo(POOL_SIZE);
        assertThat(rollout.newRelease().failures()).as("failed operations of the new release").isEmpty();
    }

    /**
     * The old release on the version schema of an earlier migration, with pgjdbc's defaults: the
     * views it reads keep their shape when {@code start} changes the table, so no prepared plan
     * changes its result type. Neither release sees a single failure.
     */
    @Test
    void oldReleaseOnAVersionSchemaNeedsNoDriverSetting() throws Exception {
        Rollout rollout = rollout("", true);
        assertThat(rollout.oldRelease().failures()).as("failed operations of the old release").isEmpty();
        assertThat(rollout.newRelease().failures()).as("failed operations of the new release").isEmpty();
    }

    /**
     * The rollout with nothing but the starter, its properties and the migration files: the first
     * release migrates an empty schema at start-up and serves; the second release expands its
     * migration at start-up while the first keeps serving (both on their versions, pgjdbc's
     * defaults); the first goes; complete. Neither release sees a single failure.
     */
    @Test
    void withTheStarterTheFirstReleaseMigratesAnEmptySchemaAndTheSecondExpandsWhileTheFirstServes() throws Exception {
        try (TestSchema schema = new TestSchema()) {
            Traffic.SharedIds ids = new Traffic.SharedIds();
            List<String> timeline = new ArrayList<>();
            Instant t0 = Instant.now();

            ConfigurableApplicationContext oldApp = startWithTheStarter(OldRelease.class, schema);
            timeline.add(at(t0) + " release 1 up: migrated an empty schema");
            assertThat(schema.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + schema.name() + "' AND table_name = 'users'")).isEqualTo("1");
            schema.exec("INSERT INTO users (name, email) SELECT 'seed-' || i, 'seed-' || i || '@old.example.com'"
                    + " FROM generate_series(1, 5000) i");
            dev.bascule.example.v1.UserService oldUsers = oldApp.getBean(dev.bascule.example.v1.UserService.class);
            Traffic oldTraffic = new Traffic("old", new Traffic.Operations() {
                public long register(String name, String email) { return oldUsers.register(name, email); }
                public boolean rename(long id, String name) { return oldUsers.rename(id, name); }
                public List<String> namesStartingWith(String prefix) { return oldUsers.namesStartingWith(prefix); }
            }, ids, CLIENTS_PER_RELEASE);
            Thread.sleep(TRAFFIC.toMillis());

            // release 2 starts while release 1 serves: its starter runs start (expand) before JPA
            ConfigurableApplicationContext newApp = startWithTheStarter(NewRelease.class, schema);
            timeline.add(at(t0) + " release 2 up: expanded");
            Bascule bascule = schema.bascule().load();
            assertThat(bascule.status().active().name()).isEqualTo("0002_users_full_name");
            assertThat(bascule.status().active().phase()).isEqualTo("started");
            dev.bascule.example.v2.UserService newUsers = newApp.getBean(dev.bascule.example.v2.UserService.class);
            Traffic newTraffic = new Traffic("new", new Traffic.Operations() {
                public long register(String name, String email) { return newUsers.register(name, email); }
                public boolean rename(long id, String name) { return newUsers.rename(id, name); }
                public List<String> namesStartingWith(String prefix) { return newUsers.namesStartingWith(prefix); }
            }, ids, CLIENTS_PER_RELEASE);
            Thread.sleep(TRAFFIC.toMillis());

            oldTraffic.close();
            oldApp.close();
            timeline.add(at(t0) + " release 1 stopped");
            completeOnceTheGatesOpen(bascule, timeline, t0);
            timeline.add(at(t0) + " complete done");
            Thread.sleep(TRAFFIC.toMillis() / 2);
            newTraffic.close();
            newApp.close();

            System.out.println(String.join("\n", timeline));
            System.out.println(oldTraffic.summary());
            System.out.println(newTraffic.summary());
            assertThat(oldTraffic.succeeded()).as("release 1 did work").isGreaterThan(0);
            assertThat(newTraffic.succeeded()).as("release 2 did work").isGreaterThan(0);
            assertThat(oldTraffic.failures()).as("failed operations of release 1").isEmpty();
            assertThat(newTraffic.failures()).as("failed operations of release 2").isEmpty();
            assertThat(schema.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                    + schema.name() + "' AND table_name = 'users' ORDER BY ordinal_position"))
                    .containsExactlyInAnyOrder("id", "full_name", "email", "visits", "email_domain");
            assertThat(Long.parseLong(schema.value("SELECT count(*) FROM users")))
                    .isEqualTo(5000 + oldTraffic.inserted() + newTraffic.inserted());
            assertThat(schema.value("SELECT count(*) FROM users WHERE email_domain <> split_part(email, '@', 2)"))
                    .isEqualTo("0");
        }
    }

    /**
     * A release's Spring context as a deployment starts it: the database and, for this test's
     * isolation, the schemas Bascule works on. Everything else is the release's properties.
     */
    static ConfigurableApplicationContext startWithTheStarter(Class<?> release, TestSchema schema) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + PostgresServer.jdbcUrl(),
                "--spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE,
                "--bascule.schema=" + schema.name(),
                "--bascule.state-schema=" + schema.stateSchema(),
                "--spring.application.name=" + release.getSimpleName()));
        if (System.getenv("BASCULE_TEST_PG_USER") != null) {
            arguments.add("--spring.datasource.username=" + System.getenv("BASCULE_TEST_PG_USER"));
        }
        return new SpringApplicationBuilder(release).run(arguments.toArray(String[]::new));
    }

    record Rollout(Traffic oldRelease, Traffic newRelease) {}

    /**
     * Runs the rollout. {@code oldDriverSettings} are added to the old release's JDBC URL; the old
     * release runs on the base schema, or with {@code oldOnVersion} on the version schema an
     * earlier migration published (as a published baseline version would be).
     */
    private static Rollout rollout(String oldDriverSettings, boolean oldOnVersion) throws Exception {
        try (TestSchema schema = new TestSchema()) {
            schema.exec(Files.readString(Path.of("base-schema.sql")),
                    "INSERT INTO users (name, email) SELECT 'seed-' || i, 'seed-' || i || '@old.example.com'"
                            + " FROM generate_series(1, 5000) i");
            Bascule bascule = schema.bascule().load();
            Traffic.SharedIds ids = new Traffic.SharedIds();
            List<String> timeline = new ArrayList<>();
            Instant t0 = Instant.now();

            String oldSchema = schema.name();
            if (oldOnVersion) {
                // an earlier migration's version; a baseline version (where Bascule offers one) serves the same
                bascule.start(Bascule.read(Path.of("src/test/resources/0001_users_email_index.yaml")));
                bascule.complete(Set.of());
                oldSchema = bascule.latest();
            }
            // the old release: which schema it sees is its pool's connection-init-sql
            ConfigurableApplicationContext oldApp = start(OldRelease.class, oldSchema, oldDriverSettings);
            timeline.add(at(t0) + " old release up on " + oldSchema);
            dev.bascule.example.v1.UserService oldUsers = oldApp.getBean(dev.bascule.example.v1.UserService.class);
            Traffic oldTraffic = new Traffic("old", new Traffic.Operations() {
                public long register(String name, String email) { return oldUsers.register(name, email); }
                public boolean rename(long id, String name) { return oldUsers.rename(id, name); }
                public List<String> namesStartingWith(String prefix) { return oldUsers.namesStartingWith(prefix); }
            }, ids, CLIENTS_PER_RELEASE);
            Thread.sleep(TRAFFIC.toMillis());

            bascule.start(Bascule.read(MIGRATION));
            String newSchema = bascule.latest();
            timeline.add(at(t0) + " start done; new release's schema: " + newSchema);
            assertThat(newSchema).isNotEqualTo(schema.name());

            // the new release comes up while the old one keeps working
            ConfigurableApplicationContext newApp = start(NewRelease.class, newSchema, "");
            timeline.add(at(t0) + " new release up");
            dev.bascule.example.v2.UserService newUsers = newApp.getBean(dev.bascule.example.v2.UserService.class);
            Traffic newTraffic = new Traffic("new", new Traffic.Operations() {
                public long register(String name, String email) { return newUsers.register(name, email); }
                public boolean rename(long id, String name) { return newUsers.rename(id, name); }
                public List<String> namesStartingWith(String prefix) { return newUsers.namesStartingWith(prefix); }
            }, ids, CLIENTS_PER_RELEASE);
            Thread.sleep(TRAFFIC.toMillis());

            // the last old instance goes away before complete, as in a real rollout
            oldTraffic.close();
            oldApp.close();
            timeline.add(at(t0) + " old release stopped");

            completeOnceTheGatesOpen(bascule, timeline, t0);
            timeline.add(at(t0) + " complete done");
            Thread.sleep(TRAFFIC.toMillis() / 2);
            newTraffic.close();
            long oldDomainRows = newUsers.countInDomain("old.example.com");
            newApp.close();

            System.out.println(String.join("\n", timeline));
            System.out.println(oldTraffic.summary());
            System.out.println(newTraffic.summary());

            assertThat(oldTraffic.succeeded()).as("the old release did work").isGreaterThan(0);
            assertThat(newTraffic.succeeded()).as("the new release did work").isGreaterThan(0);

            // the physical table has the new shape, and every row of either release is there, filled
            assertThat(schema.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                    + schema.name() + "' AND table_name = 'users' ORDER BY ordinal_position"))
                    .containsExactlyInAnyOrder("id", "full_name", "email", "visits", "email_domain");
            assertThat(schema.value("SELECT is_nullable FROM information_schema.columns WHERE table_schema = '"
                    + schema.name() + "' AND table_name = 'users' AND column_name = 'email_domain'")).isEqualTo("NO");
            assertThat(Long.parseLong(schema.value("SELECT count(*) FROM users")))
                    .isEqualTo(5000 + oldTraffic.inserted() + newTraffic.inserted());
            assertThat(schema.value("SELECT count(*) FROM users WHERE email_domain <> split_part(email, '@', 2)"))
                    .isEqualTo("0");
            assertThat(oldDomainRows).as("seed rows and the old release's rows, read by the new release")
                    .isEqualTo(Long.parseLong(schema.value(
                            "SELECT count(*) FROM users WHERE email LIKE '%@old.example.com'")));
            return new Rollout(oldTraffic, newTraffic);
        }
    }

    /** Complete, as an operator would run it: refused while a gate is still closed, run again a moment later. */
    private static void completeOnceTheGatesOpen(Bascule bascule, List<String> timeline, Instant t0) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                bascule.complete(Set.of());
                return;
            } catch (RefusedException e) {
                timeline.add(at(t0) + " complete refused: " + e.getMessage());
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * A release's Spring context without the starter (the tests above run the commands themselves):
     * its pool's connections see {@code dbSchema} first.
     */
    static ConfigurableApplicationContext start(Class<?> release, String dbSchema, String driverSettings) {
        String url = PostgresServer.jdbcUrl();
        if (!driverSettings.isEmpty()) {
            url += (url.contains("?") ? "&" : "?") + driverSettings;
        }
        // as arguments, the way a deployment passes them: they override application.properties
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE,
                "--bascule.enabled=false",
                "--spring.datasource.hikari.connection-init-sql=SET search_path TO \"" + dbSchema + "\"",
                "--spring.application.name=" + release.getSimpleName()));
        if (System.getenv("BASCULE_TEST_PG_USER") != null) {
            arguments.add("--spring.datasource.username=" + System.getenv("BASCULE_TEST_PG_USER"));
        }
        return new SpringApplicationBuilder(release).run(arguments.toArray(String[]::new));
    }

    private static String at(Instant t0) {
        return String.format("%6d ms", Duration.between(t0, Instant.now()).toMillis());
    }
}
