package dev.bascule.cli;

import dev.bascule.testing.PostgresServer;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.MariaDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * complete and rollback leave what Bascule did not make in a version schema (database) alone:
 * exit 3, naming each object, nothing changed; once it is moved or dropped, they go through.
 */
class VersionSchemaContentsCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void completeOnPostgresIsExit3ForATableInThePreviousVersionAndAViewOverItsViews() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, email text)", "INSERT INTO users VALUES (1, 'a@example.com')");
            Cli cli = new Cli().dir(dir).globals("--url", PostgresServer.jdbcUrl(), "--schema", db.name(),
                    "--state-schema", db.stateSchema());
            Files.writeString(dir.resolve("r1.yaml"), "operations:\n  - add_column: {table: users, column: {name: nick, type: text}}\n");
            Files.writeString(dir.resolve("r2.yaml"), "operations:\n  - add_column: {table: users, column: {name: city, type: text}}\n");
            assertThat(cli.run("start", "r1.yaml").exit()).isEqualTo(0);
            assertThat(cli.run("complete", "--yes").exit()).isEqualTo(0);
            String r1 = db.name() + "_r1";
            try (Connection newCode = db.connect(r1)) { // search_path = <schema>_r1, <schema>
                db.exec(newCode, "CREATE TABLE app_sessions (id int PRIMARY KEY, token text)",
                        "INSERT INTO app_sessions VALUES (7, 'secret')");
            }
            db.exec("CREATE VIEW " + db.name() + ".user_report AS SELECT id, email FROM " + r1 + ".users");
            assertThat(cli.run("start", "r2.yaml").exit()).isEqualTo(0);

            Cli.Result refused = cli.run("complete", "--yes");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.err()).contains("table " + r1 + ".app_sessions").contains("view " + db.name() + ".user_report")
                    .contains("move each of these");
            assertThat(db.value("SELECT token FROM " + r1 + ".app_sessions")).isEqualTo("secret");
            assertThat(db.value("SELECT count(*) FROM " + db.name() + ".user_report")).isEqualTo("1");

            db.exec("ALTER TABLE " + r1 + ".app_sessions SET SCHEMA " + db.name(),
                    "CREATE OR REPLACE VIEW " + db.name() + ".user_report AS SELECT id, email FROM " + db.name() + ".users");
            Cli.Result complete = cli.run("complete", "--yes");
            assertThat(complete.exit()).as(complete.toString()).isEqualTo(0);
            assertThat(db.versions()).doesNotContain(r1);
            assertThat(db.value("SELECT token FROM app_sessions")).isEqualTo("secret");
            assertThat(db.value("SELECT count(*) FROM user_report")).isEqualTo("1");
        }
    }

    @Test
    void rollbackOnMariaDbIsExit3ForATableInTheVersionDatabase() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50))", "INSERT INTO users VALUES (1, 'ann')");
            Cli cli = new Cli().dir(dir).globals("--url", MariaDbServer.jdbcUrl(), "--schema", db.name(),
                    "--state-schema", db.stateSchema());
            Files.writeString(dir.resolve("m2.yaml"), "operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n");
            assertThat(cli.run("start", "m2.yaml").exit()).isEqualTo(0);
            String m2 = db.name() + "_m2";
            db.exec("CREATE TABLE " + m2 + ".app_cache (k varchar(20) PRIMARY KEY, v varchar(20))",
                    "INSERT INTO " + m2 + ".app_cache VALUES ('x', 'kept')");

            Cli.Result refused = cli.run("rollback");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.err()).contains("table " + m2 + ".app_cache");
            assertThat(db.value("SELECT v FROM " + m2 + ".app_cache")).isEqualTo("kept");

            db.exec("RENAME TABLE " + m2 + ".app_cache TO " + db.name() + ".app_cache");
            Cli.Result rollback = cli.run("rollback");
            assertThat(rollback.exit()).as(rollback.toString()).isEqualTo(0);
            assertThat(db.versions()).doesNotContain(m2);
            assertThat(db.value("SELECT v FROM app_cache")).isEqualTo("kept");
        }
    }
}
