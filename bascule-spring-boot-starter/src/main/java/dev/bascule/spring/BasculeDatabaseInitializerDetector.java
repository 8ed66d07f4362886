package dev.bascule.spring;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

import java.util.Set;

/**
 * Tells Spring Boot that the {@link BasculeMigrator} initializes the database, as Flyway's detector
 * does for Flyway: every bean that depends on database initialization (the JPA
 * {@code EntityManagerFactory}, jOOQ's {@code DSLContext}, {@code JdbcTemplate}, beans annotated
 * {@code @DependsOnDatabaseInitialization}) is then made after the migrations ran, whatever order
 * the application asks for them in.
 */
public class BasculeDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {
    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(BasculeMigrator.class);
    }

    /** Flyway's and Liquibase's detectors' order: a schema tool runs before script-based initialization. */
    @Override
    public int getOrder() {
        return 1;
    }
}
