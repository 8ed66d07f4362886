package dev.bascule.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.bascule.api.HistoryEntry;
import dev.bascule.api.MigrationStatus;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration in a Spring context on the real PostgreSQL: each mode's effect on the
 * database, and the application's pool on the version.
 */
class BasculeAutoConfigurationTest {
    private final TestSchema schema = new TestSchema();

    @AfterEach
    void drop() {
        schema.close();
    }

    private ApplicationContextRunner app(String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, BasculeAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + PostgresServer.jdbcUrl(),
                        "spring.datasource.hikari.maximum-pool-size=2",
                        "bascule.schema=" + schema.name(), "bascule.state-schema=" + schema.stateSchema(),
                        "bascule.quiet-time=0s")
                .withPropertyValues(properties);
    }

    private static String searchPath(ApplicationContext context) throws Exception {
        try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> phases(ApplicationContext context) {
        return context.getBean(BasculeMigrator.class).bascule().history().stream()
                .map(e -> e.name() + ":" + e.phase()).toList();
    }

    @Test
    void migrateAppliesEveryFileOnAnEmptySchemaAndPutsThePoolOnTheNewestVersion() {
        app("bascule.locations=classpath:db/release1,classpath:db/release2").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(phases(context)).containsExactly("0001_users:completed", "0002_users_full_name:completed");
            assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
            assertThat(searchPath(context)).isEqualTo(
                    schema.name() + "_0002_users_full_name, " + schema.name());
            // the application's connections write through the version's views
            try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO users (id, full_name) VALUES (1, 'Ada')");
            }
            assertThat(schema.value("SELECT full_name FROM users WHERE id = 1")).isEqualTo("Ada");
        });
    }

    @Test
    void expandCompletesTheOlderAndLeavesTheNewestStartedWhileTheOldVersionStays() {
        app("bascule.locations=classpath:db/release1").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(searchPath(context)).startsWith(schema.name() + "_0001_users,");
        });
        app("bascule.locations=classpath:db/release1,classpath:db/release2", "bascule.mode=expand").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(phases(context)).containsExactly("0001_users:completed", "0002_users_full_name:started");
            MigrationStatus status = context.getBean(BasculeMigrator.class).bascule().status();
            assertThat(status.active().name()).isEqualTo("0002_users_full_name");
            assertThat(searchPath(context)).startsWith(schema.name() + "_0002_users_full_name,");
            // the old release's version is still there, with the old column name
            assertThat(schema.value("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                    + schema.name() + "_0001_users' AND column_name = 'name'")).isEqualTo("1");
        });
        // a second instance of the new release: nothing to do, same version
        app("bascule.locations=classpath:db/release1,classpath:db/release2", "bascule.mode=expand").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(BasculeMigrator.class).applied()).isEmpty();
            assertThat(searchPath(context)).startsWith(schema.name() + "_0002_users_full_name,");
        });
        // an old instance restarting during the rollout keeps its version
        app("bascule.locations=classpath:db/release1", "bascule.mode=validate", "bascule.version=0001_users").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(searchPath(context)).startsWith(schema.name() + "_0001_users,");
        });
    }

    @Test
    void theEndpointShowsTheStartedMigrationPausesAndResumesItAndTheGaugesSayIt() {
        app("bascule.locations=classpath:db/release1").run(context -> assertThat(context).hasNotFailed());
        app("bascule.locations=classpath:db/release1,classpath:db/release2", "bascule.mode=expand",
                "management.endpoints.web.exposure.include=bascule", "management.endpoints.jmx.exposure.include=bascule")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(BasculeEndpoint.class);
                    BasculeEndpoint endpoint = context.getBean(BasculeEndpoint.class);
                    Map<String, Object> status = endpoint.status();
                    assertThat(status).containsEntry("applicationVersion", schema.name() + "_0002_users_full_name")
                            .containsEntry("appliedAtStartup", List.of("0002_users_full_name"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> active = (Map<String, Object>) status.get("active");
                    assertThat(active).containsEntry("name", "0002_users_full_name").containsEntry("phase", "started")
                            .containsEntry("paused", false);

                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(BasculeMeters.class).bindTo(registry);
                    assertThat(registry.get("bascule.migration.active").gauge().value()).isEqualTo(1.0);

                    @SuppressWarnings("unchecked")
                    Map<String, Object> paused = (Map<String, Object>) endpoint.control("pause").get("active");
                    assertThat(paused).containsEntry("paused", true);
                    assertThat(context.getBean(BasculeMigrator.class).bascule().status().active().paused()).isTrue();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> resumed = (Map<String, Object>) endpoint.control("resume").get("active");
                    assertThat(resumed).containsEntry("paused", false);
                });
    }

    @Test
    void validateRefusesAFileChangedAfterItRanAndAPendingOne() {
        app("bascule.locations=classpath:db/release1").run(context -> assertThat(context).hasNotFailed());
        app("bascule.locations=classpath:db/changed", "bascule.mode=validate").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("0001_users ran (completed)")
                    .hasMessageContaining("must not change");
        });
        app("bascule.locations=classpath:db/release1,classpath:db/release2", "bascule.mode=validate").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("0002_users_full_name has not run");
        });
        app("bascule.locations=classpath:db/release1", "bascule.mode=validate").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(phases(context)).containsExactly("0001_users:completed");
        });
    }

    @Test
    void aVersionThatDoesNotExistRefusesToStart() {
        app("bascule.locations=classpath:db/release1", "bascule.version=0009_nope").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(schema.name() + "_0009_nope does not exist");
        });
    }

    @Test
    void disabledDoesNothing() {
        app("bascule.enabled=false", "bascule.locations=classpath:db/release1").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(BasculeMigrator.class);
            assertThat(schema.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + schema.name() + "'")).isEqualTo("0");
        });
    }

    @Test
    void modeNoneChangesNothingAndTheDedicatedUrlIsBasculesOwn() {
        app("bascule.locations=classpath:db/release1", "bascule.mode=none",
                "bascule.url=" + PostgresServer.jdbcUrl() + "&ApplicationName=bascule-own").run(context -> {
            assertThat(context).hasNotFailed();
            List<HistoryEntry> history = context.getBean(BasculeMigrator.class).bascule().history();
            assertThat(history).isEmpty();
            assertThat(searchPath(context)).isEqualTo(schema.name());
        });
    }
}
