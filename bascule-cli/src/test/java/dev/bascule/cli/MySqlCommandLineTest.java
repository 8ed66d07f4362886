package dev.bascule.cli;

import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line on MySQL 8.0 through a {@code jdbc:mysql:} URL, as MySQL users write it: the
 * server, not the URL, tells the dialect MySQL's SQL; plan, start, complete and a rollback run through.
 */
class MySqlCommandLineTest {
    @TempDir
    Path dir;
    TestDb db;
    Cli cli;

    @BeforeEach
    void setUp() {
        assumeTrue(Server.MYSQL_8_0.available(), "MySQL 8.0 is not in bascule.test.servers");
        db = Server.MYSQL_8_0.get();
        db.exec("CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL, legacy int)",
                "INSERT INTO users (name, legacy) VALUES ('ann', 1), ('bob', 2)");
        String url = Server.MYSQL_8_0.jdbcUrl().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");
        cli = new Cli().dir(dir).globals("--url", url, "--schema", db.name(), "--state-schema", db.stateSchema());
    }

    @AfterEach
    void tearDown() {
        if (db != null) db.close();
    }

    @Test
    void theCoreScenarioCompletesOnMySql() throws IOException {
        Files.writeString(dir.resolve("0001_core.yaml"), """
                operations:
                  - rename_column: {table: users, from: name, to: full_name}
                  - add_column: {table: users, column: {name: nick, type: varchar(60), nullable: false}, up: "upper(name)"}
                  - drop_column: {table: users, column: legacy, down: "length(full_name)"}
                  - create_index: {name: users_nick_idx, table: users, columns: [nick]}
                """);
        Cli.Result plan = cli.run("plan", "0001_core.yaml");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        assertThat(plan.out()).contains("ALGORITHM=INSTANT").contains("ALGORITHM=INPLACE, LOCK=NONE");
        Cli.Result start = cli.run("start", "0001_core.yaml");
        assertThat(start.exit()).as(start.toString()).isEqualTo(0);
        Cli.Result complete = cli.run("complete", "--yes");
        assertThat(complete.exit()).as(complete.toString()).isEqualTo(0);
        assertThat(db.column("SELECT CONCAT(full_name, ':', nick) FROM users ORDER BY id")).containsExactly("ann:ANN", "bob:BOB");
        assertThat(cli.run("history").out()).contains("0001_core").contains("completed");
    }

    @Test
    void aCheckIsRefusedAtPlanWithMySqlsReasonAndARollbackGivesBackTheTable() throws Exception {
        Files.writeString(dir.resolve("0001_check.yaml"), """
                operations:
                  - add_check: {table: users, name: users_legacy_positive, expression: "legacy > 0"}
                """);
        Cli.Result refused = cli.run("plan", "0001_check.yaml");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err() + refused.out()).contains("MySQL 8.0");
        var before = db.snapshot();
        Files.writeString(dir.resolve("0001_nick.yaml"), """
                operations:
                  - add_column: {table: users, column: {name: nick, type: varchar(60), nullable: false}, up: "upper(name)"}
                """);
        assertThat(cli.run("start", "0001_nick.yaml").exit()).isEqualTo(0);
        Cli.Result rollback = cli.run("rollback");
        assertThat(rollback.exit()).as(rollback.toString()).isEqualTo(0);
        assertThat(db.snapshot()).containsExactlyElementsOf(before);
    }
}
