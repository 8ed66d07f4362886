package dev.bascule.spring;

import dev.bascule.Bascule;
import dev.bascule.BasculeConfig;
import dev.bascule.api.InvalidMigrationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.autoconfigure.orm.jpa.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Runs Bascule at start-up, before the JPA {@code EntityManagerFactory}, jOOQ's {@code DSLContext}
 * and {@code JdbcTemplate} (as Flyway's auto-configuration does: {@link BasculeDatabaseInitializerDetector}
 * through Spring Boot's {@link DatabaseInitializationDependencyConfigurer}), on connections of its own,
 * and points the application's pool at the version ({@code bascule.*}, {@link BasculeProperties}).
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, before = HibernateJpaAutoConfiguration.class,
        beforeName = "org.springframework.boot.autoconfigure.jooq.JooqAutoConfiguration")
@Import(DatabaseInitializationDependencyConfigurer.class)
@ConditionalOnClass(Bascule.class)
@ConditionalOnProperty(prefix = "bascule", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(BasculeProperties.class)
public class BasculeAutoConfiguration {
    /** The migrator's bean name: what the EntityManagerFactory depends on. */
    public static final String MIGRATOR = "basculeMigrator";

    @Bean(name = MIGRATOR)
    BasculeMigrator basculeMigrator(BasculeProperties properties, ObjectProvider<DataSourceProperties> dataSourceProperties,
                                    ResourceLoader resourceLoader) {
        BasculeConfig file = BasculeConfigFile.find(properties.getConfig(), resourceLoader);
        // the connection: bascule.url, else bascule.yaml's url, else the application's spring.datasource
        String url = first(properties.getUrl(), file.url().orElse(null));
        String user = first(properties.getUser(), file.user().orElse(null));
        String password = first(properties.getPassword(), file.password().orElse(null));
        if (url == null || url.isBlank()) {
            DataSourceProperties ds = dataSourceProperties.getIfAvailable();
            if (ds == null) {
                throw new InvalidMigrationException("Bascule needs a database: set bascule.url or spring.datasource.url");
            }
            url = ds.determineUrl();
            if (user == null) {
                user = ds.determineUsername();
            }
            if (password == null) {
                password = ds.determinePassword();
            }
        }
        if (url == null) {
            throw new InvalidMigrationException("Bascule needs a database: set bascule.url or spring.datasource.url");
        }
        // Bascule's own connections, apart from the application's pool and its version
        DriverManagerDataSource own = new DriverManagerDataSource(url);
        own.setUsername(user);
        own.setPassword(password);
        return new BasculeMigrator(properties, file, own, url, ResourcePatternUtils.getResourcePatternResolver(resourceLoader));
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    @Bean
    @ConditionalOnProperty(prefix = "bascule", name = "configure-pool", havingValue = "true", matchIfMissing = true)
    static VersionedDataSourcePostProcessor basculeVersionedDataSourcePostProcessor(ObjectProvider<BasculeMigrator> migrator) {
        return new VersionedDataSourcePostProcessor(migrator);
    }

    /** {@code /actuator/bascule}: status, pause, resume. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
    static class Actuator {
        @Bean
        @ConditionalOnAvailableEndpoint(endpoint = BasculeEndpoint.class)
        BasculeEndpoint basculeEndpoint(BasculeMigrator migrator) {
            return new BasculeEndpoint(migrator);
        }
    }

    /** Gauges in the application's Micrometer registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class Meters {
        @Bean
        BasculeMeters basculeMeters(BasculeMigrator migrator) {
            return new BasculeMeters(migrator);
        }
    }

    /** JPA waits for the migrations, whichever order the beans are made in. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.orm.jpa.AbstractEntityManagerFactoryBean",
            "jakarta.persistence.EntityManagerFactory"})
    static class JpaDependsOnBascule {
        @Bean
        static EntityManagerFactoryDependsOnPostProcessor basculeEntityManagerFactoryDependsOnPostProcessor() {
            return new EntityManagerFactoryDependsOnPostProcessor(MIGRATOR);
        }
    }
}
