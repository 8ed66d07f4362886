package dev.bascule.cli;

import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.MariaDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expressions written to leave the place Bascule pastes them: read the way the server reads them
 * (MariaDB's backslash escapes and {@code #} comments, PostgreSQL with standard_conforming_strings
 * off), or closing their own parentheses. Each is refused at plan with exit 2, naming the file and
 * field, and nothing runs: the catalog and rows are as before, and start refuses it too.
 */
class ExpressionBreakoutTest {
    @TempDir
    Path dir;

    /** MariaDB reads {@code \'} as an escaped quote and {@code #} as a comment: a default that turns the CREATE TABLE into CREATE ... AS SELECT. */
    @Test
    void mariaDbBackslashAndHashInACreateTableDefaultAreRefused() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50))", "INSERT INTO users VALUES (1, 'ann')");
            Cli cli = mariaCli(db);
            String breakout = "'\\'' ), u text, h text) ENGINE=InnoDB AS SELECT user, password FROM mysql.user #'";
            write("0001_loot.yaml", "operations:\n  - create_table: {name: loot, primary_key: [id], columns: [{name: id, type: int}, "
                    + "{name: note, type: text, default: " + yamlQuoted(breakout) + "}]}\n");
            refusedWithoutChange(db, cli, "0001_loot.yaml", "create_table.columns[1].default");
            assertThat(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name = 'loot'")).isEqualTo("0");
        }
    }

    /** With standard_conforming_strings off, PostgreSQL reads {@code '\''} as one quote: the rest ran as statements during plan. */
    @Test
    void postgresPlanRunsNothingWhenTheDatabaseHasStandardConformingStringsOff() throws Exception {
        String name = "bascule_scs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = PostgresServer.jdbcUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
        try (Connection admin = PostgresServer.dataSource().getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            s.execute("ALTER DATABASE " + name + " SET standard_conforming_strings = off");
            try {
                try (Connection c = DriverManager.getConnection(url); Statement t = c.createStatement()) {
                    t.execute("CREATE TABLE users (id int PRIMARY KEY, name text)");
                    t.execute("INSERT INTO users VALUES (1, 'ann')");
                }
                Cli cli = new Cli().dir(dir).globals("--url", url, "--schema", "public", "--state-schema", "bascule_state");
                write("0001_nick.yaml", """
                        operations:
                          - add_column: {table: users, column: {name: nick, type: text}, up: "'\\\\'' ); COMMIT; CREATE TABLE pwned_by_plan(x int); --'"}
                        """);
                Cli.Result plan = cli.run("plan", "0001_nick.yaml");
                assertUntouched(url);
                assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
                assertThat(plan.err()).contains("0001_nick.yaml").contains("add_column.up").contains("chr(92)");
                Cli.Result start = cli.run("start", "0001_nick.yaml");
                assertThat(start.exit()).as(start.toString()).isEqualTo(2);
                assertUntouched(url);
            } finally {
                s.execute("DROP DATABASE " + name + " WITH (FORCE)");
            }
        }
    }

    /**
     * A string literal in an expression may hold {@code $bascule_fn$}, the dollar-quote tag of the
     * trigger functions Bascule writes: with a fixed tag the body ended there and the rest of the
     * literal ran as SQL when start created the function (with check_function_bodies off, as a
     * database or a URL may set it). The body is quoted with a tag it does not hold.
     */
    @Test
    void aStringHoldingTheTriggerBodysDollarQuoteTagStaysAString() throws Exception {
        for (String options : List.of("", "options=-c%20check_function_bodies%3Doff")) {
            try (TestDb db = TestDb.postgres()) {
                db.exec("CREATE TABLE users (id int PRIMARY KEY, name text)",
                        "INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 10) g");
                String url = PostgresServer.jdbcUrl() + (options.isEmpty() ? "" : (PostgresServer.jdbcUrl().contains("?") ? "&" : "?") + options);
                Cli cli = new Cli().dir(dir).globals("--url", url, "--schema", db.name(), "--state-schema", db.stateSchema());
                String literal = "$bascule_fn$; DELETE FROM " + db.name() + ".users WHERE id > 5; SELECT $bascule_fn$";
                write("0001_tag.yaml", "operations:\n  - add_column: {table: users, column: {name: tag, type: text},"
                        + " up: \"name || '" + literal + "'\"}\n");
                Cli.Result start = cli.run("start", "0001_tag.yaml");
                assertThat(start.exit()).as(options + ": " + start).isEqualTo(0);
                assertThat(db.column("SELECT count(*) FROM users")).as(options).containsExactly("10");
                db.exec("INSERT INTO users (id, name) VALUES (11, 'old code')"); // through the trigger
                assertThat(db.column("SELECT tag FROM users WHERE id IN (1, 11) ORDER BY id"))
                        .containsExactly("u1" + literal, "old code" + literal);
                assertThat(cli.run("rollback").exit()).isZero();
            }
        }
    }

    /** {@code 'x'), legacy_flag = (true} closes the parenthesis Bascule put around it: the backfill would set a column the file never names. */
    @Test
    void anExpressionCannotCloseItsOwnParenthesesOnEitherDialect() throws Exception {
        for (TestDb db : List.of(TestDb.postgres(), TestDb.mariadb())) {
            try (db) {
                db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50), legacy_flag boolean)",
                        "INSERT INTO users (id, name, legacy_flag) VALUES (1, 'ann', false), (2, 'bob', false)");
                Cli cli = db.dialect().equals("mariadb") ? mariaCli(db)
                        : new Cli().dir(dir).globals("--url", PostgresServer.jdbcUrl(), "--schema", db.name(), "--state-schema", db.stateSchema());
                write("0001_nick.yaml", """
                        operations:
                          - add_column: {table: users, column: {name: nick, type: varchar(50)}, up: "'x'), legacy_flag = (true"}
                        """);
                refusedWithoutChange(db, cli, "0001_nick.yaml", "add_column.up");
                assertThat(db.column("SELECT count(*) FROM users WHERE legacy_flag")).as(db.dialect()).containsExactly("0");
            }
        }
    }

    /** MariaDB reads {@code #} as a comment to the end of the line: what Bascule writes after the expression would vanish. */
    @Test
    void mariaDbHashInAnUpIsRefusedAtPlan() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50))", "INSERT INTO users VALUES (1, 'ann'), (2, 'bob')");
            Cli cli = mariaCli(db);
            write("0001_nick.yaml", """
                    operations:
                      - add_column: {table: users, column: {name: nick, type: varchar(50)}, up: "upper(name) # shout\\n"}
                    """);
            refusedWithoutChange(db, cli, "0001_nick.yaml", "add_column.up");
        }
    }

    /** What each server reads as one expression still passes: backticks and double-quoted strings on MariaDB, jsonb's ? on PostgreSQL. */
    @Test
    void eachDialectsOwnQuotingAndOperatorsStillRun() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, `order` varchar(50))", "INSERT INTO users VALUES (1, 'ann')");
            write("0001_nick.yaml", """
                    operations:
                      - add_column: {table: users, column: {name: nick, type: varchar(50)}, up: 'concat(upper(`order`), "!")'}
                    """);
            Cli.Result start = mariaCli(db).run("start", "0001_nick.yaml");
            assertThat(start.exit()).as(start.toString()).isEqualTo(0);
            assertThat(db.column("SELECT nick FROM users")).containsExactly("ANN!");
        }
        try (TestDb db = TestDb.postgres()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, doc jsonb)",
                    "INSERT INTO users VALUES (1, '{\"a\": 1}'), (2, '{\"b\": 2}')");
            write("0001_has_a.yaml", """
                    operations:
                      - add_column: {table: users, column: {name: has_a, type: boolean}, up: "doc ? 'a' AND NOT doc ?| array['z']"}
                    """);
            Cli cli = new Cli().dir(dir).globals("--url", PostgresServer.jdbcUrl(), "--schema", db.name(), "--state-schema", db.stateSchema());
            Cli.Result plan = cli.run("plan", "0001_has_a.yaml");
            assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
            // the backfill and the verifier paste the expression into statements with key parameters of their own
            Cli.Result start = cli.run("start", "0001_has_a.yaml");
            assertThat(start.exit()).as(start.toString()).isEqualTo(0);
            assertThat(db.column("SELECT has_a::text FROM users ORDER BY id")).containsExactly("true", "false");
            Cli.Result complete = cli.run("complete", "--yes");
            assertThat(complete.exit()).as(complete.toString()).isEqualTo(0);
        }
    }

    private static void assertUntouched(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement t = c.createStatement();
             ResultSet rs = t.executeQuery("SELECT to_regclass('public.pwned_by_plan') IS NULL,"
                     + " (SELECT count(*) FROM information_schema.columns WHERE table_name = 'users')")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("no table created by plan").isTrue();
            assertThat(rs.getInt(2)).as("users keeps its two columns").isEqualTo(2);
        }
    }

    private Cli mariaCli(TestDb db) {
        return new Cli().dir(dir).globals("--url", MariaDbServer.jdbcUrl(), "--schema", db.name(), "--state-schema", db.stateSchema());
    }

    private void refusedWithoutChange(TestDb db, Cli cli, String file, String field) throws Exception {
        List<String> before = db.snapshot();
        Cli.Result plan = cli.run("plan", file);
        assertThat(plan.exit()).as(db.dialect() + " plan: " + plan).isEqualTo(2);
        assertThat(plan.err()).contains(file).contains(field);
        Cli.Result start = cli.run("start", file);
        assertThat(start.exit()).as(db.dialect() + " start: " + start).isEqualTo(2);
        assertThat(db.snapshot()).isEqualTo(before);
        assertThat(db.versions()).isEmpty();
    }

    private void write(String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text);
    }

    /** {@code s} as a YAML double-quoted scalar. */
    private static String yamlQuoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
