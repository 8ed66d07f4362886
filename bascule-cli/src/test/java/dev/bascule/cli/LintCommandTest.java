package dev.bascule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** bascule lint on MySQL files: the dialect from the option, the config's URL or the file's text; no database needed. */
class LintCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Flyway migration as a MySQL team writes it: the type change copies the table, an error. */
    private static final String V2 = """
            SET SESSION lock_wait_timeout = 5;
            -- widen the key before it runs out
            ALTER TABLE `orders`
              MODIFY COLUMN `id` bigint unsigned NOT NULL AUTO_INCREMENT;
            # bascule-lint: ignore index-not-concurrent
            CREATE INDEX `idx_orders_created` ON `orders` (`created_at`);
            """;

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private Cli cli() {
        return new Cli().dir(dir);
    }

    @Test
    void mysqlDialectOnAFlywayFileExitsThreeOnAnError() throws IOException {
        Path v2 = file("V2__widen_orders_id.sql", V2);
        Cli.Result r = cli().run("lint", "--dialect", "mysql", v2.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).contains("V2__widen_orders_id.sql:3: error [column-type-change]", "ALGORITHM=COPY", "pt-online-schema-change",
                "1 error(s), 0 warning(s)");
        assertThat(r.out()).doesNotContain("index-not-concurrent", "lock-timeout-missing");

        Cli.Result gh = cli().run("lint", "--dialect", "mysql", "--format", "github", v2.toString());
        assertThat(gh.exit()).as(gh.toString()).isEqualTo(3);
        assertThat(gh.out()).startsWith("::error file=" + v2 + ",line=3,title=column-type-change::MODIFY or CHANGE restates the column");
        assertThat(gh.out().lines().count()).isEqualTo(1);

        JsonNode json = JSON.readTree(cli().run("lint", "--dialect", "mariadb", "--format", "json", v2.toString()).out());
        assertThat(json.get(0).get("dialect").asText()).isEqualTo("mysql");
        assertThat(json.get(0).get("rule").asText()).isEqualTo("column-type-change");
    }

    @Test
    void withoutTheOptionTheFileTextOrTheConfigUrlChooses() throws IOException {
        Path backticks = file("V3__drop.sql", "SET lock_wait_timeout = 5;\nALTER TABLE `users` DROP COLUMN `legacy`, ALGORITHM=INSTANT;\n");
        Cli.Result inferred = cli().run("lint", backticks.toString());
        assertThat(inferred.exit()).isEqualTo(3);
        assertThat(inferred.out()).contains("error [drop-column]", "before MySQL 8.0.29");

        Path plain = file("V4__drop.sql", "ALTER TABLE users DROP COLUMN legacy;\n");
        assertThat(cli().run("lint", plain.toString()).out()).contains("ACCESS EXCLUSIVE").doesNotContain("alter-algorithm-missing");
        file("bascule.yaml", "url: jdbc:mariadb://db.example.com:3306/app\n");
        Cli.Result configured = cli().run("lint", plain.toString());
        assertThat(configured.out()).contains("warning [alter-algorithm-missing]", "lock_wait_timeout").doesNotContain("ACCESS EXCLUSIVE");
        // the option wins over the config
        assertThat(cli().run("lint", "--dialect", "postgresql", plain.toString()).out()).contains("ACCESS EXCLUSIVE");
    }

    @Test
    void theTargetVersionComesFromTheOptionElseFromTheServer() throws IOException {
        Path v5 = file("V5__counter.sql", "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\n"
                + "ALTER TABLE users ADD COLUMN IF NOT EXISTS visits int DEFAULT 0;\n");
        assertThat(cli().run("lint", v5.toString()).out()).startsWith("no findings");
        // before PostgreSQL 11 every default rewrites the table
        Cli.Result old = cli().run("lint", "--target-version", "10", v5.toString());
        assertThat(old.exit()).as(old.toString()).isEqualTo(3);
        assertThat(old.out()).contains("V5__counter.sql:3: error [volatile-default]", "before PostgreSQL 11: any default");
        Cli.Result wrong = cli().run("lint", "--target-version", "latest", v5.toString());
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(2);
        assertThat(wrong.err()).contains("not a PostgreSQL version: 'latest'");

        // a PostgreSQL URL: lint asks the server (the test server is 11 or later), and says so only when it cannot
        Cli.Result asked = cli().globals("--url", dev.bascule.testing.PostgresServer.jdbcUrl()).run("lint", v5.toString());
        assertThat(asked.exit()).as(asked.toString()).isEqualTo(0);
        assertThat(asked.err()).doesNotContain("could not read the server's version");
        Cli.Result down = cli().globals("--url", "jdbc:postgresql://127.0.0.1:1/app?user=app").run("lint", v5.toString());
        assertThat(down.exit()).as(down.toString()).isEqualTo(0);
        assertThat(down.err()).contains("could not read the server's version", "rules follow PostgreSQL 14");
        // the option wins: no server is asked
        Cli.Result optioned = cli().globals("--url", "jdbc:postgresql://127.0.0.1:1/app?user=app")
                .run("lint", "--target-version", "10", v5.toString());
        assertThat(optioned.out()).contains("volatile-default");
        assertThat(optioned.err()).doesNotContain("could not read");
    }

    @Test
    void aFolderIsOneHistory() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(folder.resolve("V1__users.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));\n");
        Files.writeString(folder.resolve("V2__widen.sql"), "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\n"
                + "ALTER TABLE users ALTER COLUMN name TYPE varchar(200);\n");
        assertThat(cli().run("lint", folder.toString()).out()).doesNotContain("column-type-change");
        assertThat(cli().run("lint", folder.resolve("V2__widen.sql").toString()).out()).contains("error [column-type-change]");
    }

    @Test
    void anUnknownDialectIsExitTwo() throws IOException {
        Path v2 = file("V2__x.sql", V2);
        Cli.Result r = cli().run("lint", "--dialect", "oracle", v2.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("unknown dialect 'oracle'", "mysql or postgresql");
    }
}
