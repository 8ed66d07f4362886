package dev.bascule.lint;

import dev.bascule.lint.MySqlDdlFacts.Algorithm;
import dev.bascule.lint.MySqlDdlFacts.Column;
import dev.bascule.lint.MySqlDdlFacts.Facts;
import dev.bascule.lint.MySqlDdlFacts.Given;
import dev.bascule.lint.MySqlDdlFacts.Lock;
import dev.bascule.lint.MySqlDdlFacts.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The facts checked on a real MariaDB (MySQL 8.0: {@code MySqlDdlFactsOnMySql8Test}): each statement runs with the algorithm and lock the facts name, and is
 * refused (error 1845 or 1846) with the next more efficient algorithm or the next weaker lock. Skipped when no
 * MariaDB answers at BASCULE_TEST_MYSQL_URL (default {@value #DEFAULT_URL}). Works in a database of its own,
 * dropped at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MySqlDdlFactsServerTest {
    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";
    private static final String DATABASE = "bascule_ddl_facts_" + ProcessHandle.current().pid();

    private Connection connection;
    private Server server;
    /** Why the tests are skipped, or null. */
    private String unavailable;

    /** The server whose facts are checked. */
    String url() {
        return System.getenv().getOrDefault("BASCULE_TEST_MYSQL_URL", DEFAULT_URL);
    }

    @BeforeAll
    void connect() throws SQLException {
        String url = url();
        DriverManager.setLoginTimeout(3);
        try {
            connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            unavailable = "skipped: no MariaDB answers at " + url + " (set BASCULE_TEST_MYSQL_URL): " + e.getMessage();
            System.err.println(getClass().getSimpleName() + " " + unavailable);
            return;
        }
        server = Server.parse(value("SELECT VERSION()"));
        boolean mysql = server.product() == Server.Product.MYSQL;
        if (mysql ? !server.atLeast(8, 0, 29) : !server.atLeast(10, 6, 0)) {
            unavailable = "skipped: the facts are checked on MariaDB 10.6 or later and MySQL 8.0.29 or later; " + url + " runs " + value("SELECT VERSION()");
            System.err.println(getClass().getSimpleName() + " " + unavailable);
            return;
        }
        exec("CREATE DATABASE " + DATABASE);
        exec("USE " + DATABASE);
    }

    @AfterAll
    void dropDatabase() throws SQLException {
        if (connection != null) {
            try {
                if (unavailable != null) return;
                exec("DROP DATABASE IF EXISTS " + DATABASE);
            } finally {
                connection.close();
            }
        }
    }

    @BeforeEach
    void freshTables() throws SQLException {
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
        exec("SET SESSION foreign_key_checks = 1");
        exec("DROP TABLE IF EXISTS t, t2, p");
        exec("CREATE TABLE p (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
        exec("INSERT INTO p VALUES (1), (2)");
        exec("CREATE TABLE t (id INT NOT NULL, a INT, b VARCHAR(50), c VARCHAR(50) CHARACTER SET utf8mb3, e ENUM('red','green'),"
                + " p_id BIGINT, doc TEXT, g POINT NOT NULL DEFAULT (POINT(0, 0)), KEY ia (a), PRIMARY KEY (id))"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb3");
        exec("INSERT INTO t (id, a, b, c, e, p_id, doc) VALUES (1, 1, 'x', 'y', 'red', 1, 'hello'), (2, 2, 'z', 'w', 'green', 2, 'world')");
    }

    @Test
    void anInstantAddColumnRunsAndAnInPlaceTypeChangeIsRefused() throws SQLException {
        exec("ALTER TABLE t ADD COLUMN added INT, ALGORITHM=INSTANT");
        assertThat(value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'"
                + " AND COLUMN_NAME = 'added'")).isEqualTo("1");
        assertThatThrownBy(() -> exec("ALTER TABLE t MODIFY a BIGINT, ALGORITHM=INPLACE"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1846));
        assertThat(MySqlDdlFacts.facts("ALTER TABLE t MODIFY a BIGINT, ALGORITHM=INPLACE", server).orElseThrow().refusal()).isNotNull();
    }

    @ParameterizedTest(name = "ALTER TABLE t {0}")
    @ValueSource(strings = {
            "ADD COLUMN c2 INT",
            "ADD COLUMN c2 INT AFTER a",
            "ADD COLUMN c2 BIGINT NOT NULL AUTO_INCREMENT UNIQUE",
            "ADD COLUMN v INT AS (a + 1) VIRTUAL",
            "ADD COLUMN s INT AS (a + 1) STORED",
            "DROP COLUMN doc",
            "RENAME COLUMN b TO bb",
            "ALTER COLUMN a SET DEFAULT 5",
            "MODIFY a BIGINT",
            "ADD INDEX ib (b)",
            "ADD UNIQUE INDEX ub (b)",
            "DROP INDEX ia",
            "RENAME INDEX ia TO ia2",
            "ADD FULLTEXT INDEX fd (doc)",
            "ADD SPATIAL INDEX sg (g)",
            "DROP PRIMARY KEY",
            "DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)",
            "ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (id)",
            "ADD CONSTRAINT ck CHECK (a > 0)",
            "CONVERT TO CHARACTER SET utf8mb4",
            "DEFAULT CHARSET = utf8mb4",
            "ENGINE = InnoDB",
            "AUTO_INCREMENT = 1000",
            "ADD COLUMN c2 INT, ADD INDEX ic (c2)",
            "RENAME TO t2",
            // judged against the current column, read from information_schema as a dialect would
            "MODIFY b VARCHAR(80)",
            "MODIFY b VARCHAR(100)",
            "MODIFY e ENUM('red','green','blue')",
            "MODIFY e ENUM('blue','red','green')",
            "MODIFY a INT NOT NULL",
            "MODIFY c VARCHAR(50) CHARACTER SET utf8mb4",
    })
    void theFactsAlgorithmAndLockRunAndNothingBetterDoes(String actions) throws SQLException {
        String statement = "ALTER TABLE t " + actions;
        Facts facts = MySqlDdlFacts.facts(statement, server, new Given(columns(), true)).orElseThrow();
        assertThat(facts.refusal()).isNull();
        boolean mysql = server.product() == Server.Product.MYSQL;
        if (mysql) {
            assertThat(facts.algorithm()).as("MySQL has no NOCOPY").isNotEqualTo(Algorithm.NOCOPY);
        }
        if (facts.algorithm() != Algorithm.INSTANT) {
            Algorithm better = Algorithm.values()[facts.algorithm().ordinal() - 1];
            if (mysql && better == Algorithm.NOCOPY) {
                better = Algorithm.INSTANT;
            }
            assertRefused(statement + ", ALGORITHM=" + better);
        }
        // MySQL takes no LOCK clause beside INSTANT: the lock of an instant change cannot be asked for there
        if (facts.lock() != Lock.NONE && !(mysql && facts.algorithm() == Algorithm.INSTANT)) {
            Lock weaker = Lock.values()[facts.lock().ordinal() - 1];
            assertRefused(statement + ", ALGORITHM=" + facts.algorithm() + ", LOCK=" + weaker);
        }
        // MySQL takes no LOCK clause beside INSTANT (error 1221)
        exec(statement + ", ALGORITHM=" + facts.algorithm()
                + (mysql && facts.algorithm() == Algorithm.INSTANT ? "" : ", LOCK=" + facts.lock()));
    }

    @Test
    void foreignKeysWithChecksOffAreBuiltWithoutACopy() throws SQLException {
        String statement = "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (id)";
        Facts facts = MySqlDdlFacts.facts(statement, server, new Given(Map.of(), false)).orElseThrow();
        assertThat(facts.online()).isTrue();
        exec("SET SESSION foreign_key_checks = 0");
        exec(statement + ", ALGORITHM=" + facts.algorithm() + ", LOCK=NONE");
    }

    private Map<String, Column> columns() throws SQLException {
        Map<String, Column> columns = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME, IS_NULLABLE,"
                     + " EXISTS (SELECT 1 FROM information_schema.STATISTICS x WHERE x.TABLE_SCHEMA = c.TABLE_SCHEMA"
                     + " AND x.TABLE_NAME = c.TABLE_NAME AND x.COLUMN_NAME = c.COLUMN_NAME) FROM information_schema.COLUMNS c"
                     + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'")) {
            while (rs.next()) {
                columns.put(rs.getString(1).toLowerCase(Locale.ROOT), new Column(rs.getString(2), rs.getString(3),
                        rs.getString(4).equals("YES"), rs.getBoolean(5)));
            }
        }
        return columns;
    }

    private void assertRefused(String statement) {
        assertThatThrownBy(() -> exec(statement)).as(statement)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).as(e.getMessage()).isIn(1845, 1846));
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private String value(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
