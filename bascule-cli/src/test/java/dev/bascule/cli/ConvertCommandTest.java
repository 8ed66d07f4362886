package dev.bascule.cli;

import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** bascule convert, completion and help from the command line; the converted files planned and run on PostgreSQL. */
class ConvertCommandTest {
    @TempDir
    Path dir;

    private void file(String name, String content) throws IOException {
        Files.createDirectories(dir.resolve("flyway"));
        Files.writeString(dir.resolve("flyway").resolve(name), content);
    }

    @Test
    void aFlywayFolderConvertsToFilesThatPlanStartsAndCompletes() throws IOException {
        file("V1__users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, Email text NOT NULL);\n");
        file("V2__users_name.sql", "ALTER TABLE users ADD COLUMN name text;\nCREATE INDEX users_email_idx ON users (email);\n");
        file("V10__users_name_required.sql", "UPDATE users SET name = '' WHERE name IS NULL;\nALTER TABLE users ALTER COLUMN name SET NOT NULL;\n");
        file("R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
        try (TestSchema schema = new TestSchema()) {
            Cli cli = Cli.on(schema).dir(dir);
            Cli.Result noOutput = cli.run("convert", "flyway");
            assertThat(noOutput.exit()).as(noOutput.toString()).isEqualTo(2);
            assertThat(noOutput.err()).contains("--output");

            Cli.Result r = cli.run("convert", "flyway", "-o", "out");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.err()).contains("converted 3 file(s): 4 operation(s), 1 statement(s) kept as sql");
            assertThat(Files.readString(dir.resolve("out/V2__users_name.yaml"))).contains("add_column", "create_index");
            for (String name : new String[]{"V1__users", "V2__users_name", "V10__users_name_required"}) {
                String file = "out/" + name + ".yaml";
                for (String command : new String[]{"plan", "start", "complete"}) {
                    Cli.Result step = command.equals("complete") ? cli.run(command, "--yes") : cli.run(command, file);
                    assertThat(step.exit()).as(command + " " + file + ": " + step).isZero();
                }
            }
            assertThat(schema.value("SELECT is_nullable FROM information_schema.columns WHERE table_schema = '" + schema.name()
                    + "' AND table_name = 'users' AND column_name = 'name'")).isEqualTo("NO");

            Cli.Result again = cli.run("convert", "flyway", "-o", "out");
            assertThat(again.exit()).as("existing files are not overwritten").isEqualTo(2);
        }
    }

    @Test
    void aFileIsPrinted() throws IOException {
        file("V3__rename.sql", "ALTER TABLE \"Users\" RENAME COLUMN Email TO email_address;");
        Cli.Result r = new Cli().dir(dir).run("convert", "flyway/V3__rename.sql");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("name: V3__rename", "rename_column:", "table: \"Users\"", "from: \"email\"", "to: \"email_address\"");
    }

    @Test
    void completionPrintsAScriptForEveryCommandAndHelpShowsACommandsUsage() {
        Cli.Result r = new Cli().dir(dir).run("completion");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("complete -F", "bascule", "convert", "rehearse", "--lock-timeout");
        Cli.Result help = new Cli().dir(dir).run("help", "convert");
        assertThat(help.exit()).as(help.toString()).isZero();
        assertThat(help.out()).contains("Usage: bascule convert", "--output");
    }
}
