package dev.bascule.notify;

import dev.bascule.api.CommandHook;
import dev.bascule.api.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a command hook gets of the Bascule process's environment: an allow-list, and no credentials. */
class HookEnvironmentTest {
    private static final Map<String, String> PARENT = Map.ofEntries(
            Map.entry("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
            Map.entry("HOME", "/home/deploy"),
            Map.entry("LANG", "C.UTF-8"),
            Map.entry("LC_ALL", "C.UTF-8"),
            Map.entry("TZ", "UTC"),
            Map.entry("MYSQL_PWD", "Hunter2Zz"),
            Map.entry("PGPASSWORD", "Hunter2Zz"),
            Map.entry("DATABASE_URL", "postgres://app:Hunter2Zz@db:5432/app"),
            Map.entry("BASCULE_URL", "jdbc:postgresql://db/app?password=Hunter2Zz"),
            Map.entry("BASCULE_PASSWORD", "Hunter2Zz"),
            Map.entry("BASCULE_SERVE_TOKEN", "tok"),
            Map.entry("SLACK_TOKEN", "tok"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "k"),
            Map.entry("http_proxy", "http://u:Hunter2Zz@proxy:3128"),
            Map.entry("PWD", "/srv/app"));

    @Test
    void onlyTheAllowListIsInherited() {
        for (String name : new String[] {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "TMPDIR"}) {
            assertThat(CommandHookNotifier.inherited(name)).as(name).isTrue();
        }
        for (String name : new String[] {"MYSQL_PWD", "PGPASSWORD", "DATABASE_URL", "BASCULE_URL", "BASCULE_PASSWORD",
                "BASCULE_SERVE_TOKEN", "SLACK_TOKEN", "AWS_SECRET_ACCESS_KEY", "http_proxy", "PGPASSFILE", "MY_SECRET"}) {
            assertThat(CommandHookNotifier.inherited(name)).as(name).isFalse();
        }
    }

    @Test
    void urlsLoseTheirCredentials() {
        assertThat(CommandHookNotifier.withoutCredentials("cannot connect to postgres://app:Hunter2Zz@db:5432/app: refused"))
                .isEqualTo("cannot connect to postgres://db:5432/app: refused");
        assertThat(CommandHookNotifier.withoutCredentials("jdbc:mariadb://db/app?user=u&password=Hunter2Zz&ssl=true"))
                .isEqualTo("jdbc:mariadb://db/app?user=u&password=***&ssl=true");
    }

    @Test
    void aHookRunsWithTheAllowListAndTheEventOnly(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("env");
        Path stdin = dir.resolve("stdin");
        CommandHookNotifier hook = new CommandHookNotifier(CommandHook.shell("env > '" + env + "'; cat > '" + stdin + "'"), PARENT);
        hook.send(new Event(Event.Type.FAILED, "0002_x", "public", "users",
                "lost the connection to jdbc:postgresql://db/app?user=app&password=Hunter2Zz", "public_0002_x", "start",
                Instant.parse("2026-12-07T01:00:00Z")));
        assertThat(hook.flush(Duration.ofSeconds(10))).isTrue();
        String seen = Files.readString(env);
        assertThat(seen).doesNotContain("Hunter2Zz").doesNotContain("MYSQL_PWD").doesNotContain("DATABASE_URL")
                .doesNotContain("TOKEN").doesNotContain("SECRET").doesNotContain("BASCULE_URL").doesNotContain("http_proxy");
        assertThat(seen).contains("HOME=/home/deploy", "TZ=UTC", "LC_ALL=C.UTF-8", "BASCULE_EVENT=failed",
                "BASCULE_REASON=lost the connection to jdbc:postgresql://db/app?user=app&password=***");
        assertThat(Files.readString(stdin)).contains("\"event\":\"failed\"").doesNotContain("Hunter2Zz");
    }
}
