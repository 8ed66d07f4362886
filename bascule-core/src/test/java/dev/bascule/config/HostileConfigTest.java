package dev.bascule.config;

import dev.bascule.BasculeConfig;
import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bascule.yaml as an attacker or a careless hand writes it: each refused with file, line and key, the password never quoted. */
class HostileConfigTest {
    private static BasculeConfig read(String yaml) {
        return BasculeConfig.read("bascule.yaml", yaml.getBytes(StandardCharsets.UTF_8), Map.of(), InputLimits.DEFAULT);
    }

    @Test
    void anAliasIsRefusedRatherThanReadAsItsAnchorsName() {
        // YAML's parser gives an alias as the anchor's name: password would silently be "u"
        assertThatThrownBy(() -> read("url: &u jdbc:postgresql://db/app\npassword: *u\n"))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("bascule.yaml:2:")
                .hasMessageContaining("password")
                .hasMessageContaining("alias");
        assertThatThrownBy(() -> read("start:\n  window: &w '22:00-06:00'\n  window_zone: *w\n"))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("bascule.yaml:3:")
                .hasMessageContaining("alias");
    }

    @Test
    void aSecondDocumentIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> read("url: jdbc:postgresql://a/app\n---\nurl: jdbc:postgresql://b/app\n"))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("bascule.yaml:3:1:")
                .hasMessageContaining("one document");
    }

    @Test
    void anInfiniteNumberIsRefused() {
        assertThatThrownBy(() -> read("start:\n  max_latency_factor: 1e400\n"))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("bascule.yaml:2:23: start.max_latency_factor");
    }

    @Test
    void bytesThatAreNotUtf8AreReportedAtTheirLineWithoutTheParsersInternals() {
        byte[] content = "url: jdbc:postgresql://db/app\npassword: hunter\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> BasculeConfig.read("bascule.yaml", content, Map.of(), InputLimits.DEFAULT))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("bascule.yaml:2:")
                .hasMessageContaining("UTF-8")
                .hasMessageNotContaining("java.io")
                .hasMessageNotContaining("hunter");
    }

    @Test
    void hostileButValidFilesStillRead() {
        assertThat(read("").url()).isEmpty();
        assertThat(read("# only a comment\n").url()).isEmpty();
        assertThat(read("password: 'a: *b'\n").password()).contains("a: *b");
    }

    @Test
    void globalSettingsOutOfRangeAreRefusedAtTheirLineNotLaterWithoutOne() {
        // the builder would refuse them at load(), naming neither file nor line
        assertThatThrownBy(() -> read("url: jdbc:postgresql://db/app\nlock_attempts: 0\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("bascule.yaml:2:16: lock_attempts");
        assertThatThrownBy(() -> read("lock_timeout: 0\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("bascule.yaml:1:15: lock_timeout");
        assertThatThrownBy(() -> read("schema: public\nstate_schema: 'bascule; drop'\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("bascule.yaml:2:15: state_schema");
        assertThatThrownBy(() -> read("schema: ''\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("bascule.yaml:1:9: schema");
        assertThat(read("schema: app_1\nlock_attempts: 1\nlock_timeout: 1\n").schema()).contains("app_1");
    }
}
