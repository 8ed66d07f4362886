package dev.bascule.spring;

import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestSchema;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.jooq.JooqAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jOOQ's {@code DSLContext} (and {@code JdbcTemplate}) are made after the migrations ran, as with
 * Flyway: an application bean that reads the migrated table through them while it is constructed
 * (the first bean the context makes) finds it. With {@code configure-pool} (the default) the pool
 * itself waits for the version, so the order is checked with the pool left alone.
 */
class JooqOrderingTest {
    private final TestSchema schema = new TestSchema();

    @AfterEach
    void drop() {
        schema.close();
    }

    /** Made before any auto-configured bean: it pulls the DSLContext and the JdbcTemplate in first. */
    @Configuration(proxyBeanMethods = false)
    static class ReadsAtStartup {
        @Bean
        UsersAtStartup usersAtStartup(DSLContext dsl, JdbcTemplate jdbc, org.springframework.core.env.Environment env) {
            // both fail with 'relation "users" does not exist' if they were made before the migrator
            String schema = env.getProperty("bascule.schema");
            int viaJooq = dsl.fetchCount(DSL.table(DSL.name(schema, "users")));
            Integer viaJdbc = jdbc.queryForObject("SELECT count(*) FROM " + DSL.name(schema, "users"), Integer.class);
            return new UsersAtStartup(viaJooq, viaJdbc);
        }
    }

    record UsersAtStartup(int viaJooq, int viaJdbc) {}

    private ApplicationContextRunner app(String... properties) {
        return new ApplicationContextRunner()
                .withUserConfiguration(ReadsAtStartup.class)
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, TransactionAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, JooqAutoConfiguration.class, BasculeAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + PostgresServer.jdbcUrl(),
                        "spring.datasource.hikari.maximum-pool-size=2",
                        "bascule.schema=" + schema.name(), "bascule.state-schema=" + schema.stateSchema(),
                        "bascule.quiet-time=0s", "bascule.locations=classpath:db/release1,classpath:db/release2")
                .withPropertyValues(properties);
    }

    @Test
    void theDslContextAndJdbcTemplateAreMadeAfterTheMigrationsRan() {
        app("bascule.configure-pool=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(UsersAtStartup.class)).isEqualTo(new UsersAtStartup(0, 0));
            assertThat(context.getBeanFactory().getBeanDefinition("dslContext").getDependsOn())
                    .contains(BasculeAutoConfiguration.MIGRATOR);
            assertThat(context.getBeanFactory().getBeanDefinition("jdbcTemplate").getDependsOn())
                    .contains(BasculeAutoConfiguration.MIGRATOR);
        });
    }

    @Test
    void jooqsConnectionsAreThePoolsOnTheNewestVersion() {
        app().run(context -> {
                    assertThat(context).hasNotFailed();
                    // jOOQ's connections are the pool's: on the newest version, whose column is full_name
                    DSLContext dsl = context.getBean(DSLContext.class);
                    dsl.execute("INSERT INTO users (id, full_name) VALUES (1, 'Ada')");
                    assertThat(dsl.fetchValue("SELECT full_name FROM users WHERE id = 1")).isEqualTo("Ada");
                    assertThat(dsl.fetchValue("SHOW search_path")).isEqualTo(
                            schema.name() + "_0002_users_full_name, " + schema.name());
                });
    }
}
