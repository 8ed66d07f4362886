package dev.bascule.cli;

import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Files that are endless, huge or not Bascule's at all, and secrets typed in the wrong place: the
 * real command line refuses each with exit 2 in bounded time, and prints no file content and no
 * password; the password is not masked where it is not (a schema that shares its text).
 */
class HostileInputTest {
    private static final String SHADOW = "root:$6$abcdefgh$Qw3rtyHashHashHashHashHashHashHash/Xyz.:19000:0:99999:7:::\n"
            + "daemon:*:19000:0:99999:7:::\n";
    private static final String HASH = "Qw3rty";
    private static final String NO_DB = "jdbc:postgresql://127.0.0.1:1/db";
    private static final String NO_MARIADB = "jdbc:mariadb://127.0.0.1:1/db";

    @TempDir
    Path dir;

    private Cli.Result run(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new Cli().dir(dir).run(args));
    }

    private static void assertRefused(Cli.Result r, String name) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).startsWith("bascule: error: ").contains(name)
                .doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Error:");
    }

    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        return fifo;
    }

    private Path shadowLink(String name) throws IOException {
        Path shadow = dir.resolve("shadow");
        if (!Files.exists(shadow)) {
            Files.writeString(shadow, SHADOW);
        }
        return Files.createSymbolicLink(dir.resolve(name), shadow);
    }

    // ---- special files -------------------------------------------------------------------

    @Test
    void migrationFilesThatAreDevicesFifosOrDirectoriesAreExit2AtOnce() throws Exception {
        Files.createSymbolicLink(dir.resolve("0001_zero.yaml"), Path.of("/dev/zero"));
        fifo("0002_fifo.yaml");
        Files.createDirectory(dir.resolve("0003_dir.json"));
        // refused before any connection, whatever the database (no server listens on port 1)
        for (String url : List.of(NO_DB, NO_MARIADB)) {
            for (String file : List.of("0001_zero.yaml", "0002_fifo.yaml", "0003_dir.json")) {
                for (String command : List.of("plan", "start", "rehearse")) {
                    Cli.Result r = run("--url", url, command, file);
                    assertRefused(r, file);
                    assertThat(r.err()).contains("not a regular file");
                }
            }
            Cli.Result migrate = run("--url", url, "migrate", ".");
            assertRefused(migrate, "0001_zero.yaml");
        }
    }

    @Test
    void lintArgumentsAreBoundedAndNeverEchoAFileThatIsNotAMigration() throws Exception {
        Files.createSymbolicLink(dir.resolve("zero.sql"), Path.of("/dev/zero"));
        fifo("fifo.sql");
        assertRefused(run("lint", "zero.sql"), "zero.sql");
        assertRefused(run("lint", "fifo.sql"), "fifo.sql");
        for (String name : List.of("s.yaml", "s.json")) {
            shadowLink(name);
            for (String format : List.of("text", "json", "github")) {
                Cli.Result r = run("lint", "--format", format, name);
                assertRefused(r, name);
                assertThat(r.all()).as(r.toString()).doesNotContain(HASH).doesNotContain("root:");
            }
        }
        // a FIFO inside a linted directory is refused, not skipped and not waited on
        Path sub = Files.createDirectory(dir.resolve("scripts"));
        Files.writeString(sub.resolve("V1__ok.sql"), "SELECT 1;\n");
        new ProcessBuilder("mkfifo", sub.resolve("V2__fifo.sql").toString()).start().waitFor();
        assertRefused(run("lint", "scripts"), "V2__fifo.sql");
    }

    @Test
    void configFilesAreBounded() throws Exception {
        Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));
        assertRefused(run("--config", "zero.yaml", "latest"), "zero.yaml");
        fifo("fifo.yaml");
        assertRefused(run("--config", "fifo.yaml", "latest"), "fifo.yaml");
        fifo("bascule.yaml"); // the default config file, read by every command that needs the database
        assertRefused(run("--url", NO_DB, "latest"), "bascule.yaml");
    }

    @Test
    void configAndNotificationsNeverEchoAFileThatIsNotAConfig() throws IOException {
        shadowLink("shadow.yaml");
        Cli.Result r = run("--config", "shadow.yaml", "latest");
        assertRefused(r, "shadow.yaml");
        assertThat(r.all()).doesNotContain(HASH).doesNotContain("root");
        Files.writeString(dir.resolve("hooks.yaml"), "notifications:\n  commands:\n    - run: x\n      "
                + SHADOW.lines().findFirst().orElseThrow() + "\n");
        r = run("--config", "hooks.yaml", "latest");
        assertRefused(r, "hooks.yaml");
        assertThat(r.all()).doesNotContain(HASH).doesNotContain("root");
    }

    @Test
    void theSizeLimitIsAnOptionAndTheDefaultIsTenMebibytes() throws IOException {
        StringBuilder sb = new StringBuilder("SELECT 1;\n");
        String comment = "-- " + "c".repeat(1000) + "\n";
        while (sb.length() < 11 << 20) {
            sb.append(comment);
        }
        Files.writeString(dir.resolve("big.sql"), sb);
        Cli.Result dflt = run("lint", "big.sql");
        assertRefused(dflt, "big.sql");
        assertThat(dflt.err()).contains("over the limit of 10 MiB", "--max-file-size");
        Cli.Result raised = run("--max-file-size", "20M", "lint", "big.sql");
        assertThat(raised.exit()).as(raised.toString()).isZero();
        Cli.Result fromEnv = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> new Cli().dir(dir).env(Map.of("BASCULE_MAX_FILE_SIZE", "12M")).run("lint", "big.sql"));
        assertThat(fromEnv.exit()).as(fromEnv.toString()).isZero();
        Cli.Result bad = run("--max-file-size", "Hunter2Zz", "lint", "big.sql");
        assertRefused(bad, "--max-file-size");
        assertThat(bad.all()).doesNotContain("Hunter2Zz");
    }

    @Test
    void aFiftyMegabyteYamlOrJsonScalarIsExit2InSeconds() throws IOException {
        for (String ext : List.of("yaml", "json")) {
            Path file = dir.resolve("0001_big." + ext);
            try (var out = Files.newOutputStream(file)) {
                out.write((ext.equals("yaml") ? "operations:\n  - drop_table: {name: "
                        : "{\"operations\": [{\"drop_table\": {\"name\": \"").getBytes());
                byte[] chunk = "x".repeat(1 << 20).getBytes();
                for (int i = 0; i < 50; i++) {
                    out.write(chunk);
                }
                out.write((ext.equals("yaml") ? "}\n" : "\"}}]}\n").getBytes());
            }
            for (String command : List.of("plan", "start", "lint")) {
                long t0 = System.nanoTime();
                Cli.Result r = command.equals("lint") ? run("lint", file.getFileName().toString())
                        : run("--url", NO_DB, command, file.getFileName().toString());
                assertRefused(r, file.getFileName().toString());
                assertThat(r.err()).as(r.toString()).contains("over the limit");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(command + " " + ext).isLessThan(Duration.ofSeconds(5));
            }
            Files.delete(file);
        }
    }

    /**
     * PostgreSQL quotes the token it choked on ({@code syntax error at or near "..."}): a token of a
     * megabyte from the file was printed whole by plan and start, stored whole as the migration's
     * last error and printed again by status. Each is now a short excerpt that says how much it left out.
     */
    @Test
    void aServerMessageQuotingMegabytesOfTheFileIsCutToAnExcerpt() throws Exception {
        try (TestSchema schema = new TestSchema()) {
            schema.exec("CREATE TABLE users (id int PRIMARY KEY, name text)", "INSERT INTO users VALUES (1, 'ann')");
            Cli cli = Cli.on(schema).dir(dir);
            String token = "b".repeat(1_000_000);
            // JSON: a YAML line that long is refused before any server sees it
            Files.writeString(dir.resolve("0001_long_up.json"), "{\"operations\": [{\"add_column\": {\"table\": \"users\","
                    + " \"column\": {\"name\": \"nick\", \"type\": \"text\"}, \"up\": \"name " + token + "\"}}]}");
            for (String command : List.of("plan", "start")) {
                Cli.Result r = cli.run(command, "0001_long_up.json");
                assertRefused(r, "0001_long_up.json");
                assertThat(r.err()).contains("add_column.up").contains("syntax error").contains("characters left out");
                assertThat(r.all().length()).as(command + " prints an excerpt").isLessThan(2_000);
            }
            Files.writeString(dir.resolve("0002_long_sql.json"), "{\"operations\": [{\"sql\": {\"up\": \"" + token
                    + "\", \"down\": \"SELECT 1\"}}]}");
            Cli.Result start = cli.run("start", "0002_long_sql.json");
            assertThat(start.exit()).as(start.toString()).isEqualTo(1);
            assertThat(start.err()).contains("syntax error").contains("characters left out");
            assertThat(start.all().length()).as("start prints an excerpt").isLessThan(3_000);
            Cli.Result status = cli.run("status", "--json");
            assertThat(status.exit()).as(status.toString()).isZero();
            assertThat(status.out()).contains("characters left out");
            assertThat(status.out().length()).as("the stored last error is an excerpt").isLessThan(3_000);
            assertThat(cli.run("rollback").exit()).isZero();
        }
    }

    // ---- secrets -------------------------------------------------------------------------

    /** pgjdbc takes USER:PASSWORD@ in a JDBC URL for part of the host name, looks it up and prints it in its errors. */
    @Test
    void aPasswordBeforeTheHostOfAPostgresJdbcUrlIsRefusedWithoutBeingPrinted() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("BASCULE_DEBUG", "1"))) {
            Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new Cli().dir(dir).env(env)
                    .run("--url", "jdbc:postgresql://u:SeCrEt123@127.0.0.1:1/test", "status"));
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("--user and --password");
            assertThat(r.all()).as(r.toString()).doesNotContain("SeCrEt123");
        }
    }

    @Test
    void aMistypedPasswordOptionNeverEchoesItsValue() {
        String secret = "Hunter2Zz";
        for (List<String> typo : List.of(List.of("-p", secret), List.of("-P", secret), List.of("--pw", secret),
                List.of("-W", secret), List.of("--pw=" + secret), List.of("-p" + secret), List.of("--passwrd", secret))) {
            for (boolean afterCommand : new boolean[] {false, true}) {
                List<String> args = new java.util.ArrayList<>(List.of("--url", NO_DB));
                if (afterCommand) {
                    args.add("status");
                }
                args.addAll(typo);
                if (!afterCommand) {
                    args.add("status");
                }
                Cli.Result r = run(args.toArray(String[]::new));
                assertThat(r.exit()).as(args + "\n" + r).isEqualTo(2);
                assertThat(r.all()).as(args + "\n" + r).doesNotContain(secret).doesNotContain("Hunter");
                String option = typo.get(0).startsWith("--") ? typo.get(0).split("=")[0] : typo.get(0).substring(0, 2);
                assertThat(r.err()).as(args + "\n" + r).contains("unknown option '" + option + "'");
            }
        }
        Cli.Result command = run("teleport");
        assertThat(command.err()).contains("unknown command 'teleport'");
    }

    @Test
    void aPasswordThatIsAlsoASchemaNameDoesNotMaskTheSchema() throws Exception {
        try (TestSchema schema = new TestSchema()) {
            // the password is the schema's name: it is printed as the schema, not as ***
            Cli cli = Cli.on(schema).dir(dir).globals("--password", schema.name());
            Cli.Result latest = cli.run("latest");
            assertThat(latest.exit()).as(latest.toString()).isZero();
            assertThat(latest.out().strip()).isEqualTo(schema.name());
            Cli.Result status = cli.run("status", "--json");
            assertThat(status.exit()).as(status.toString()).isZero();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.out()).get("latest_schema").asText())
                    .isEqualTo(schema.name());
            assertThat(status.out()).doesNotContain("***");
        }
    }
}
