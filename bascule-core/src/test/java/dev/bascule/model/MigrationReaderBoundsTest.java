package dev.bascule.model;

import dev.bascule.api.InvalidMigrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Input that is endless, huge or not a migration at all: each is refused (exit 2) in bounded time
 * and memory, and the message quotes nothing of a file that is not a migration.
 */
class MigrationReaderBoundsTest {
    /** Lines of a shadow password file: a migration path or lint argument may be a link to one. */
    static final String SHADOW = "root:$6$abcdefgh$Qw3rtyHashHashHashHashHashHashHash/Xyz.:19000:0:99999:7:::\n"
            + "daemon:*:19000:0:99999:7:::\n";
    static final String HASH = "Qw3rty";

    @TempDir
    Path dir;

    private static InvalidMigrationException refused(Path file, Duration within) {
        Throwable t = assertTimeoutPreemptively(within, () -> catchThrowable(() -> MigrationReader.read(file)));
        assertThat(t).as("%s should be refused", file).isInstanceOf(InvalidMigrationException.class);
        assertThat(((InvalidMigrationException) t).exitCode()).isEqualTo(2);
        assertThat(t.getMessage()).startsWith(file.toString()).doesNotContain("Exception");
        return (InvalidMigrationException) t;
    }

    @Test
    void aLinkToDevZeroIsRefusedWithoutReadingIt() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("0001_zero.yaml"), Path.of("/dev/zero"));
        assertThat(refused(link, Duration.ofSeconds(5)).getMessage()).contains("not a regular file");
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("0001_fifo.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(refused(fifo, Duration.ofSeconds(5)).getMessage()).contains("not a regular file");
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Path d = Files.createDirectory(dir.resolve("0001_dir.yaml"));
        assertThat(refused(d, Duration.ofSeconds(5)).getMessage()).contains("not a regular file: a directory");
    }

    @Test
    void aFiftyMegabyteScalarIsRefusedBySizeInSeconds() throws IOException {
        Path file = dir.resolve("0001_big.yaml");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("operations:\n  - drop_table: {name: ".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write("}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(refused(file, Duration.ofSeconds(5)).getMessage()).contains("over the limit of 10 MiB", "--max-file-size");
    }

    @Test
    void aLongYamlLineUnderTheSizeLimitIsRefusedBeforeTheParserSlowsDown() throws IOException {
        Path file = dir.resolve("0001_long.yaml");
        Files.writeString(file, "operations:\n  - drop_table: {name: " + "x".repeat(6_000_000) + "}\n");
        InvalidMigrationException e = refused(file, Duration.ofSeconds(3));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("line longer than 100,000 characters").doesNotContain("xxx");
    }

    @Test
    void deepNestingIsRefusedByDepth() throws IOException {
        for (String ext : new String[] {"yaml", "json"}) {
            Path file = dir.resolve("0001_deep." + ext);
            String inner = "[".repeat(500) + "]".repeat(500);
            Files.writeString(file, ext.equals("json") ? "{\"operations\": " + inner + "}" : "operations: " + inner + "\n");
            assertThat(refused(file, Duration.ofSeconds(5)).getMessage()).contains("nesting depth");
        }
    }

    @Test
    void aShadowFileLinkedAsYamlIsNotEchoed() throws IOException {
        Path shadow = Files.writeString(dir.resolve("shadow"), SHADOW);
        Path link = Files.createSymbolicLink(dir.resolve("0001_s.yaml"), shadow);
        InvalidMigrationException e = refused(link, Duration.ofSeconds(5));
        assertThat(e.getMessage()).contains("unknown field (its name").doesNotContain(HASH).doesNotContain("root");
        assertThat(e.field()).isEqualTo("?");
    }

    @Test
    void aShadowFileLinkedAsJsonIsReportedByPositionOnly() throws IOException {
        Path shadow = Files.writeString(dir.resolve("shadow"), SHADOW);
        Path link = Files.createSymbolicLink(dir.resolve("0001_s.json"), shadow);
        InvalidMigrationException e = refused(link, Duration.ofSeconds(5));
        assertThat(e.getMessage()).contains("not valid JSON").doesNotContain("root").doesNotContain(HASH);
        assertThat(e.line()).isEqualTo(1);
    }

    @Test
    void aYamlSyntaxErrorQuotesNoLineOfTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("0001_t.yaml"),
                "operations:\n  - drop_table:\n      name: x\n  " + SHADOW.lines().findFirst().orElseThrow() + "\n");
        InvalidMigrationException e = refused(file, Duration.ofSeconds(5));
        assertThat(e.getMessage()).contains("not valid YAML").doesNotContain(HASH).doesNotContain("\n");
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void anUnclosedJsonObjectIsReportedWithoutTheSourceExcerpt() {
        Throwable t = catchThrowable(() -> MigrationReader.read("0001_x.json",
                ("{\"operations\": [{\"drop_table\": {\"name\": \"" + SHADOW.strip().replace("\n", " ") + "\"").getBytes(StandardCharsets.UTF_8)));
        assertThat(t).isInstanceOf(InvalidMigrationException.class);
        assertThat(t.getMessage()).contains("not valid JSON", "end-of-input").doesNotContain(HASH).doesNotContain("Source");
    }

    @Test
    void anUnknownFieldIsNamedOnlyWhenItIsAName() {
        Throwable t = catchThrowable(() -> MigrationReader.read("0001_x.json",
                "{\"operations\": [{\"drop_table\": {\"name\": \"x\", \"root:$6$Qw3rtyHash:19000\": 1}}]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(t).isInstanceOf(InvalidMigrationException.class);
        assertThat(t.getMessage()).contains("unknown field (its name, 24 characters, is not shown").doesNotContain(HASH);
        assertThat(((InvalidMigrationException) t).field()).isEqualTo("operations[0].drop_table.?");
        Throwable named = catchThrowable(() -> MigrationReader.read("0001_x.yaml",
                "operations:\n  - drop_table: {name: x, nmae: y}\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(named.getMessage()).contains("unknown field 'nmae'");
    }

    @Test
    void aValueIsQuotedAsAShortExcerpt() {
        String value = "root:$6$abcdefgh$" + "Q".repeat(60);
        Throwable t = catchThrowable(() -> MigrationReader.read("0001_x.yaml",
                ("operations:\n  - drop_table: {name: '" + value + "'}\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(t.getMessage()).contains("invalid identifier '" + value.substring(0, 40) + "...'")
                .doesNotContain(value.substring(0, 41));
    }
}
