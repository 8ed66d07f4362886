package dev.bascule;

import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrations read from a class-path resource, a stream or text, within the same limits as a file. */
class MigrationsTest {
    private static final String YAML = """
            operations:
              - add_column:
                  table: users
                  column: {name: email, type: text, nullable: true}
            """;

    @Test
    void aResourceIsReadAndNamedAfterItsFile() {
        Migration m = Migrations.fromResource("dev/bascule/migrations/0002_users_email.yaml");
        assertThat(m.name()).isEqualTo("0002_users_email");
        assertThat(m.operations()).singleElement().isInstanceOf(Operation.AddColumn.class);
        assertThat(m.source().file()).isEqualTo("dev/bascule/migrations/0002_users_email.yaml");
    }

    @Test
    void aMissingResourceIsRefusedByName() {
        assertThatThrownBy(() -> Migrations.fromResource("dev/bascule/migrations/nope.yaml"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("nope.yaml")
                .hasMessageContaining("no such class-path resource");
    }

    @Test
    void aStreamGivesTheSameMigrationAsTheSameBytesInAFile() {
        Migration fromStream = Migrations.read(new ByteArrayInputStream(YAML.getBytes(StandardCharsets.UTF_8)), "0002_users_email.yaml");
        Migration fromText = Migrations.fromText("0002_users_email.yaml", YAML);
        assertThat(fromStream.operations()).isEqualTo(fromText.operations());
        assertThat(fromStream.checksum()).isEqualTo(fromText.checksum());
        assertThat(fromStream.name()).isEqualTo("0002_users_email");
    }

    @Test
    void aStreamLongerThanTheFileLimitIsRefusedWithoutReadingItAll() {
        byte[] big = (YAML + "#" + "x".repeat(2000) + "\n").getBytes(StandardCharsets.UTF_8);
        CountingStream in = new CountingStream(big);
        assertThatThrownBy(() -> Migrations.read(in, "big.yaml", new InputLimits(1024)))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("big.yaml")
                .hasMessageContaining("the limit for an input file");
        assertThat(in.read).isLessThanOrEqualTo(1025);
    }

    @Test
    void textNamedWithoutAnExtensionIsYamlAndTheMigrationTakesTheName() {
        Migration m = Migrations.fromText("0002_users_email", YAML);
        assertThat(m.name()).isEqualTo("0002_users_email");
        assertThat(m.operations()).isEqualTo(Migrations.fromText("0002_users_email.yaml", YAML).operations());
    }

    @Test
    void theNameChoosesTheFormat() {
        assertThatThrownBy(() -> Migrations.fromText("0002_users_email.txt", YAML))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("unknown file type");
        Migration json = Migrations.fromText("0003_j.json",
                "{\"operations\": [{\"drop_column\": {\"table\": \"users\", \"column\": \"email\"}}]}");
        assertThat(json.operations()).singleElement().isInstanceOf(Operation.DropColumn.class);
    }

    /** Counts the bytes taken from it, to show the reader stops at the limit. */
    private static final class CountingStream extends ByteArrayInputStream {
        int read;

        CountingStream(byte[] content) {
            super(content);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public synchronized int read() {
            int c = super.read();
            read += c < 0 ? 0 : 1;
            return c;
        }
    }
}
