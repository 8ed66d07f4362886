package dev.bascule.cli.fuzz;

import dev.bascule.cli.CliAccess;
import dev.bascule.testing.CatalogSnapshot;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The "huge and special files" family ({@link HugeAndSpecialFiles}) given to the real command line:
 * {@code start FILE}, {@code plan FILE}, {@code lint FILE} (but for the directory, which lint walks),
 * and {@code migrate DIR} with the file in DIR. Each must exit 2 within seconds, name the file, print no stack trace, and change nothing in
 * the database (catalog compared after every case, state schema never created).
 */
class HugeAndSpecialFilesTest {
    /** Far above what any case takes (well under a second each); a hang or a full read fails it. */
    private static final Duration EACH = Duration.ofSeconds(5);

    static TestSchema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void createSchema() {
        schema = new TestSchema();
        schema.exec("CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text)");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @Test
    void everyHugeOrSpecialFileIsExit2InSecondsAndNothingChanges() throws Exception {
        List<String> before = catalog();
        List<String> failures = new ArrayList<>();
        for (HugeAndSpecialFiles.Case c : HugeAndSpecialFiles.cases()) {
            Path caseDir = Files.createDirectory(dir.resolve("case-" + c.fileName().substring(0, 4)));
            c.make().make(caseDir.resolve(c.fileName()));
            for (String[] args : List.of(new String[] {"start", c.fileName()}, new String[] {"plan", c.fileName()},
                    new String[] {"lint", c.fileName()}, new String[] {"migrate", "."})) {
                if (args[0].equals("lint") && Files.isDirectory(caseDir.resolve(c.fileName()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue; // lint takes directories by design, and lints the files in them
                }
                long t0 = System.nanoTime();
                CliAccess.Result r;
                try {
                    r = assertTimeoutPreemptively(EACH.multipliedBy(2), () -> CliAccess.run(schema, caseDir, args));
                } catch (Throwable timeout) {
                    failures.add(c + " " + args[0] + ": no answer within " + EACH.multipliedBy(2).toSeconds() + " s");
                    continue;
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                String output = r.out() + r.err();
                String problem = null;
                if (r.exit() != 2) {
                    problem = "exit " + r.exit();
                } else if (took.compareTo(EACH) > 0) {
                    problem = "took " + took.toMillis() + " ms";
                } else if (!r.err().contains(c.fileName())) {
                    problem = "the message does not name the file";
                } else if (output.contains("\tat ") || output.matches("(?s).*\\b(java|javax|com|org)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*")) {
                    problem = "a stack trace or exception class in the output";
                } else if (output.contains("x".repeat(41)) || output.contains("k".repeat(41)) || output.contains("lol")) {
                    problem = "the output quotes the file";
                } else if (!catalog().equals(before)) {
                    problem = "the catalog changed";
                    before = catalog();
                }
                if (problem != null) {
                    String flat = output.replace("\n", " | ");
                    failures.add(problem + " for " + c + " " + args[0] + "\n    -> " + (flat.length() > 300 ? flat.substring(0, 300) + "..." : flat));
                }
            }
        }
        System.out.printf("huge and special files: %d cases x 4 commands%n", HugeAndSpecialFiles.cases().size());
        assertThat(failures).as("cases that were not refused cleanly").isEmpty();
        assertThat(schema.value("SELECT to_regnamespace('" + schema.stateSchema() + "')")).as("no state schema").isNull();
    }

    /**
     * Issue 14: {@code migrate DIR} of 700 hard links to a 10 MB migration ran out of memory after a
     * minute; {@code lint DIR} of 300 links to a 10 MB script grew to 5.5 GB. Scaled down (1 MiB files,
     * the total over the default 64 MiB), both are exit 2 in seconds, naming the folder and the limit.
     */
    @Test
    void aFolderOfLinksOverTheTotalIsExit2InSecondsAndNothingChanges() throws Exception {
        List<String> before = catalog();
        Path migrations = Files.createDirectory(dir.resolve("migrations"));
        Path first = Files.writeString(migrations.resolve("0000_big.json"),
                "{\"operations\": [{\"sql\": {\"up\": \"SELECT '" + "x".repeat((1 << 20) - 60) + "'\"}}]}");
        for (int i = 1; i < 70; i++) {
            Files.createLink(migrations.resolve(String.format("%04d_big.json", i)), first);
        }
        Path scripts = Files.createDirectory(dir.resolve("scripts"));
        Path script = Files.writeString(scripts.resolve("V0__big.sql"), "SELECT '" + "x".repeat((1 << 20) - 20) + "';\n");
        for (int i = 1; i < 300; i++) {
            Files.createLink(scripts.resolve("V" + i + "__big.sql"), script);
        }
        for (String[] args : List.of(new String[] {"--max-file-size", "1M", "migrate", "migrations"},
                new String[] {"--max-file-size", "1M", "lint", "scripts"})) {
            long t0 = System.nanoTime();
            CliAccess.Result r = assertTimeoutPreemptively(EACH.multipliedBy(2), () -> CliAccess.run(schema, dir, args));
            String output = r.out() + r.err();
            assertThat(r.exit()).as(output).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(EACH);
            assertThat(r.err()).contains(args[3]).contains("64 MiB").contains("--max-total-size");
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Error").doesNotContain("x".repeat(41));
        }
        assertThat(catalog()).isEqualTo(before);
        assertThat(schema.value("SELECT to_regnamespace('" + schema.stateSchema() + "')")).as("no state schema").isNull();

        // a lower total refuses a small folder; within it, lint reads the folder as before
        Path small = Files.createDirectory(dir.resolve("small"));
        Files.writeString(small.resolve("V1__a.sql"), "SELECT 1;\n");
        Files.writeString(small.resolve("V2__b.sql"), "SELECT 2;\n");
        assertThat(CliAccess.run(schema, dir, "--max-total-size", "12", "lint", "small").exit()).isEqualTo(2);
        CliAccess.Result ok = CliAccess.run(schema, dir, "lint", "small");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("no findings");
    }

    private static List<String> catalog() throws Exception {
        try (Connection c = schema.dataSource().getConnection()) {
            return CatalogSnapshot.take(c, schema.name(), schema.stateSchema());
        }
    }
}
