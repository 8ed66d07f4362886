package dev.bascule.input;

import dev.bascule.api.InputLimits;
import dev.bascule.Bascule;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.lint.Linter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The bounded reader every file goes through, its limits and the parser limits derived from them. */
class InputFilesTest {
    @TempDir
    Path dir;

    @Test
    void sizesAreReadWithUnits() {
        assertThat(InputLimits.parseSize("1000")).isEqualTo(1000);
        assertThat(InputLimits.parseSize("50M")).isEqualTo(50L << 20);
        assertThat(InputLimits.parseSize("64kb")).isEqualTo(64L << 10);
        assertThat(InputLimits.parseSize("1GiB")).isEqualTo(1L << 30);
        for (String bad : new String[] {"", "-1", "0", "ten", "3G", "1.5M", "Hunter2"}) {
            assertThatThrownBy(() -> InputLimits.parseSize(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .message().doesNotContain(bad.isEmpty() ? "\u0000" : bad);
        }
        assertThat(InputLimits.DEFAULT.maxFileSize()).isEqualTo(10L << 20);
    }

    @Test
    void aRaisedLimitReadsALargerFileAndTheDefaultDoesNot() throws IOException {
        // 12 MiB of comment lines and one operation: valid, larger than the default
        StringBuilder sb = new StringBuilder("operations:\n  - drop_table: {name: old_things}\n");
        String comment = "# " + "c".repeat(1000) + "\n";
        while (sb.length() < 12 << 20) {
            sb.append(comment);
        }
        Path file = Files.writeString(dir.resolve("0001_large.yaml"), sb);
        assertThatThrownBy(() -> Bascule.read(file)).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("over the limit of 10 MiB");
        assertThat(Bascule.read(file, new InputLimits(20L << 20)).operations()).hasSize(1);
        assertThatThrownBy(() -> Bascule.configure().maxFileSize(0)).isInstanceOf(InvalidMigrationException.class);
    }

    @Test
    void lintRefusesSpecialFilesAndQuotesNothingOfAFileThatIsNotAMigration() throws Exception {
        Path fifo = dir.resolve("V1__fifo.sql");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchThrowable(() -> Linter.lint(fifo)));
        assertThat(t).isInstanceOf(InvalidMigrationException.class).hasMessageContaining("not a regular file");

        Path zero = Files.createSymbolicLink(dir.resolve("zero.sql"), Path.of("/dev/zero"));
        t = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchThrowable(() -> Linter.lint(zero)));
        assertThat(t).isInstanceOf(InvalidMigrationException.class).hasMessageContaining("not a regular file");

        Path shadow = Files.writeString(dir.resolve("shadow"), "root:$6$abcdefgh$Qw3rtyHashHash:19000:0:99999:7:::\n");
        for (String name : new String[] {"s.yaml", "s.json"}) {
            Path link = Files.createSymbolicLink(dir.resolve(name), shadow);
            t = catchThrowable(() -> Linter.lint(link));
            assertThat(t).as(name).isInstanceOf(InvalidMigrationException.class);
            assertThat(t.getMessage()).as(name).doesNotContain("Qw3rty").doesNotContain("root");
        }
    }

    @Test
    void theFlywayConfFileIsBoundedToo() throws Exception {
        Path script = Files.writeString(dir.resolve("V2__x.sql"), "CREATE INDEX i ON t (c);\n");
        Files.createSymbolicLink(dir.resolve("V2__x.sql.conf"), Path.of("/dev/zero"));
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchThrowable(() -> Linter.lint(script)));
        assertThat(t).isInstanceOf(InvalidMigrationException.class).hasMessageContaining("V2__x.sql.conf")
                .hasMessageContaining("not a regular file");
    }

    @Test
    void parserMessagesKeepOnlyOneCharacterQuotes() {
        assertThat(Parsers.describe("Unrecognized token 'root:$6$abc': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"))
                .isEqualTo("Unrecognized token: was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
        assertThat(Parsers.describe("Unexpected character ('r' (code 114)): expected a valid value\n at [Source: x]"))
                .isEqualTo("Unexpected character ('r' (code 114)): expected a valid value");
        assertThat(Parsers.describe("found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)"))
                .contains("'\\t(TAB)'");
    }

    @Test
    void excerptsAreShortAndNamesOnlyNames() {
        assertThat(Excerpt.of("a".repeat(100))).isEqualTo("a".repeat(40) + "...");
        assertThat(Excerpt.of("a\nb\u0000")).isEqualTo("a\\nb\\u0000");
        assertThat(Excerpt.key("nulable")).isEqualTo("'nulable'");
        assertThat(Excerpt.key("root:$6$x")).doesNotContain("root");
    }

    /** A JSON migration of about {@code bytes} bytes: one sql operation. */
    private static String bigMigration(int bytes) {
        return "{\"operations\": [{\"sql\": {\"up\": \"SELECT '" + "x".repeat(bytes - 60) + "'\"}}]}";
    }

    @Test
    void aFolderOfLinksToOneLargeMigrationIsRefusedBeforeAnyIsRead() throws Exception {
        // issue 14: 699 hard links to one 10 MB file made migrate DIR parse 7 GB and die of OutOfMemoryError;
        // scaled down: 1 MiB files, 70 names, over the 64 MiB total
        Path folder = Files.createDirectory(dir.resolve("links"));
        Path first = Files.writeString(folder.resolve("0000_big.json"), bigMigration(1 << 20));
        for (int i = 1; i < 70; i++) {
            Files.createLink(folder.resolve(String.format("%04d_big.json", i)), first);
        }
        InputLimits limits = new InputLimits(1 << 20);
        assertThat(limits.maxTotalSize()).isEqualTo(InputLimits.DEFAULT_MAX_TOTAL_SIZE);
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> catchThrowable(() -> Bascule.readFolder(folder, limits)));
        assertThat(t).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining(folder.toString()).hasMessageContaining("64 MiB").hasMessageContaining("--max-total-size");

        // a raised total reads them; a lower one refuses fewer
        Path small = Files.createDirectory(dir.resolve("small"));
        Path one = Files.writeString(small.resolve("0001_a.json"), bigMigration(100_000));
        Files.createLink(small.resolve("0002_b.json"), one);
        assertThat(Bascule.readFolder(small, InputLimits.DEFAULT)).hasSize(2);
        assertThatThrownBy(() -> Bascule.readFolder(small, new InputLimits(1 << 20, 150_000)))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining(small.toString());
    }

    @Test
    void aFolderOfMoreThanTenThousandFilesIsRefusedBeforeAnyIsRead() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("many"));
        Path first = Files.writeString(folder.resolve("00000_a.json"), "{\"operations\": [{\"drop_table\": {\"name\": \"t\"}}]}");
        for (int i = 1; i <= InputLimits.MAX_FOLDER_FILES; i++) {
            Files.createLink(folder.resolve(String.format("%05d_a.json", i)), first);
        }
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchThrowable(() -> Bascule.readFolder(folder, InputLimits.DEFAULT)));
        assertThat(t).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining(folder.toString()).hasMessageContaining("10,000 files");
    }
}
