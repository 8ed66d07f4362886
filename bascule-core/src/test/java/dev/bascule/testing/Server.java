package dev.bascule.testing;

import javax.sql.DataSource;
import java.util.function.Supplier;

/**
 * A server the tests run on, and the one place to add another: a constant here, with the class
 * that starts or finds the server and the {@link TestDb} that makes a database of a test's own on it.
 * As a {@code Supplier<TestDb>}, each call gives a fresh database, dropped when it is closed.
 */
public enum Server implements Supplier<TestDb> {
    /** {@code BASCULE_TEST_PG_URL}, else an embedded PostgreSQL 15 ({@link PostgresServer}). */
    POSTGRESQL("postgresql") {
        @Override
        public TestDb get() {
            return new PostgresTestDb();
        }

        @Override
        public DataSource dataSource() {
            return PostgresServer.dataSource();
        }

        @Override
        public String jdbcUrl() {
            return PostgresServer.jdbcUrl();
        }
    },
    /** {@code BASCULE_TEST_MYSQL_URL}, else an embedded MariaDB 10.11 ({@link MariaDbServer}). */
    MARIADB("mariadb") {
        @Override
        public TestDb get() {
            return new MariaDbTestDb();
        }

        @Override
        public DataSource dataSource() {
            return MariaDbServer.dataSource();
        }

        @Override
        public String jdbcUrl() {
            return MariaDbServer.jdbcUrl();
        }
    };

    private final String label;

    Server(String label) {
        this.label = label;
    }

    /** The name a parameterised test shows: {@code postgresql}, {@code mariadb}. */
    public String label() {
        return label;
    }

    /** A connection to the server as its administrator, outside any test's database. */
    public abstract DataSource dataSource();

    /** A JDBC URL, user included, that a forked process can use to reach the same server. */
    public abstract String jdbcUrl();

    /**
     * Whether the tests can reach this server. Every server here starts embedded when its URL is
     * not set; a server that cannot (one only reachable through its URL) says no when the URL is missing.
     */
    public boolean available() {
        return true;
    }
}
