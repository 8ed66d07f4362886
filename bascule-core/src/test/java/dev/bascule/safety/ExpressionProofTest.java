package dev.bascule.safety;

import dev.bascule.api.BasculeException;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How plan has the server prove an expression: described, never run. A query with a side effect
 * leaves none, a second statement is an error instead of running, the column count is the server's,
 * and the session settings that decide how PostgreSQL lexes strings are pinned.
 */
class ExpressionProofTest {

    @Test
    void postgresDescribesWithoutRunning() throws Exception {
        try (TestDb db = TestDb.postgres(); Connection c = db.connect(db.name())) {
            Dialect dialect = new PostgresDialect();
            db.exec(c, "CREATE SEQUENCE probe_seq", "CREATE TABLE t (id int, doc jsonb)", "INSERT INTO t VALUES (1, '{\"a\": 1}')");
            assertThat(dialect.catalog().describedColumns(c, "SELECT nextval('probe_seq'), pg_sleep(5)")).isEqualTo(2);
            assertThat(db.value("SELECT is_called FROM probe_seq")).as("nextval never ran").isEqualTo("f");
            assertThat(dialect.catalog().describedColumns(c, "SELECT (doc ? 'a') FROM t LIMIT 0")).as("? is jsonb's operator").isEqualTo(1);
            assertThatThrownBy(() -> dialect.catalog().describedColumns(c, "SELECT 1; CREATE TABLE pwned (x int)"))
                    .isInstanceOf(SQLException.class);
            assertThat(db.value("SELECT to_regclass('pwned')")).isNull();
            assertThatThrownBy(() -> dialect.catalog().describedColumns(c, "SELECT nosuch FROM t")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("nosuch");
        }
    }

    /** pgjdbc runs a query to describe it under preferQueryMode=simple: plan refuses to check there. */
    @Test
    void postgresRefusesToDescribeOnTheSimpleProtocol() throws Exception {
        String url = PostgresServer.jdbcUrl() + (PostgresServer.jdbcUrl().contains("?") ? "&" : "?") + "preferQueryMode=simple";
        try (TestDb db = TestDb.postgres(); Connection c = DriverManager.getConnection(url)) {
            db.exec("CREATE SEQUENCE probe_seq");
            assertThatThrownBy(() -> new PostgresDialect().catalog().describedColumns(c, "SELECT nextval('" + db.name() + ".probe_seq')"))
                    .isInstanceOf(BasculeException.class).hasMessageContaining("preferQueryMode=simple");
            assertThat(db.value("SELECT is_called FROM probe_seq")).isEqualTo("f");
        }
    }

    @Test
    void postgresSessionsReadStringsTheStandardWay() throws Exception {
        try (TestDb db = TestDb.postgres(); Connection c = db.connect(db.name()); Statement s = c.createStatement()) {
            s.execute("SET standard_conforming_strings = off");
            s.execute("SET backslash_quote = on");
            for (String setup : new PostgresDialect().session().sessionSetup()) {
                s.execute(setup);
            }
            var rs = s.executeQuery("SELECT current_setting('standard_conforming_strings'), current_setting('backslash_quote')");
            rs.next();
            assertThat(List.of(rs.getString(1), rs.getString(2))).containsExactly("on", "safe_encoding");
        }
    }

    @Test
    void mariaDbPreparesOnTheServerWithoutRunning() throws Exception {
        try (TestDb db = TestDb.mariadb(); Connection c = db.connect(db.name())) {
            Dialect dialect = new MariaDbDialect();
            db.exec(c, "CREATE TABLE t (id int)", "SET @probe = 1");
            assertThat(dialect.catalog().describedColumns(c, dialect.checks().boundedCheck("SELECT (@probe := 42), sleep(5) FROM t LIMIT 0")))
                    .isEqualTo(2);
            assertThat(db.value("SELECT 1")).isEqualTo("1");
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT @probe")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the assignment never ran").isEqualTo(1);
            }
            assertThatThrownBy(() -> dialect.catalog().describedColumns(c, "SELECT 1 FROM t; CREATE TABLE pwned (x int)"))
                    .isInstanceOf(SQLException.class);
            assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'pwned'")).isEqualTo("0");
            assertThatThrownBy(() -> dialect.catalog().describedColumns(c, "SELECT nosuch FROM t")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("nosuch");
        }
    }

    /** Bascule's sql_mode leaves out the modes that change how MariaDB lexes quotes and backslashes. */
    @Test
    void mariaDbSessionsLexQuotesAndBackslashesTheDefaultWay() throws Exception {
        try (TestDb db = TestDb.mariadb(); Connection c = db.connect(db.name()); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES'");
            MariaDbDialect dialect = new MariaDbDialect();
            for (String setup : dialect.session().sessionSetup()) {
                s.execute(setup);
            }
            var rs = s.executeQuery("SELECT @@SESSION.sql_mode");
            rs.next();
            assertThat(rs.getString(1)).doesNotContain("ANSI_QUOTES").doesNotContain("NO_BACKSLASH_ESCAPES").contains("STRICT_ALL_TABLES");
            for (String reset : dialect.session().sessionReset()) {
                s.execute(reset);
            }
        }
    }
}
