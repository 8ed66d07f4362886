package dev.bascule.spring;

import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The starter reads {@code bascule.yaml}, the CLI's file; a property set wins over it; bad values stop the start-up. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private final TestSchema schema = new TestSchema();

    @AfterEach
    void drop() {
        schema.close();
    }

    private ApplicationContextRunner app(String config, String... properties) throws Exception {
        Path file = dir.resolve("bascule.yaml");
        Files.writeString(file, config);
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, BasculeAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + PostgresServer.jdbcUrl(),
                        "spring.datasource.hikari.maximum-pool-size=2", "bascule.quiet-time=0s",
                        "bascule.locations=classpath:db/release1", "bascule.config=file:" + file)
                .withPropertyValues(properties);
    }

    @Test
    void theFileGivesTheSchemaAndAPropertyWinsOverTheFilesStateSchema() throws Exception {
        app("schema: " + schema.name() + "\nstate_schema: not_this_one\nlock_attempts: 3\nstart:\n  batch_size: 500\n",
                "bascule.state-schema=" + schema.stateSchema()).run(context -> {
            assertThat(context).hasNotFailed();
            BasculeMigrator migrator = context.getBean(BasculeMigrator.class);
            assertThat(migrator.schema()).isEqualTo(schema.name());
            assertThat(migrator.bascule().history()).extracting(e -> e.name() + ":" + e.phase())
                    .containsExactly("0001_users:completed");
            assertThat(schema.value("SELECT count(*) FROM " + schema.stateSchema() + ".migrations")).isEqualTo("1");
            assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'not_this_one'")).isEqualTo("0");
            assertThat(schema.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + schema.name() + "' AND table_name = 'users'")).isEqualTo("1");
        });
    }

    @Test
    void withoutBasculeConfigTheFileIsFoundOnTheClassPath() throws Exception {
        Path resources = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(resources.resolve("bascule.yaml"), "schema: " + schema.name() + "\nstate_schema: " + schema.stateSchema() + "\n");
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {resources.toUri().toURL()},
                getClass().getClassLoader())) {
            new ApplicationContextRunner()
                    .withClassLoader(loader)
                    .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, BasculeAutoConfiguration.class))
                    .withPropertyValues("spring.datasource.url=" + PostgresServer.jdbcUrl(),
                            "spring.datasource.hikari.maximum-pool-size=2", "bascule.quiet-time=0s",
                            "bascule.locations=classpath:db/release1")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(BasculeMigrator.class).schema()).isEqualTo(schema.name());
                        assertThat(schema.value("SELECT count(*) FROM " + schema.stateSchema() + ".migrations")).isEqualTo("1");
                    });
        }
    }

    @Test
    void aBadValueInTheFileStopsTheStartUpNamingFileLineAndKeyAndChangesNothing() throws Exception {
        app("schema: " + schema.name() + "\nstart:\n  workers: 0\n", "bascule.state-schema=" + schema.stateSchema())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("bascule.yaml:3:12: start.workers must be between 1 and 32, got 0");
                });
        assertThat(schema.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema.stateSchema() + "'")).isEqualTo("0");
        // a property out of range is named as the property
        app("schema: " + schema.name() + "\n", "bascule.state-schema=" + schema.stateSchema(), "bascule.backfill.workers=0")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("bascule.backfill.workers must be between 1 and 32, got 0"));
        app("", "bascule.config=classpath:nowhere/bascule.yaml").run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("bascule.config: classpath:nowhere/bascule.yaml does not exist"));
    }
}
