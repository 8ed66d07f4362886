package dev.bascule.notify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a command hook does not inherit from the Bascule process. */
class HookEnvironmentTest {
    @Test
    void basculesOwnVariablesAndSecretNamedOnesAreNotPassedOn() {
        for (String name : new String[] {"BASCULE_URL", "BASCULE_PASSWORD", "BASCULE_SERVE_TOKEN", "PGPASSWORD", "PGPASSFILE",
                "SLACK_TOKEN", "hook_token", "AWS_SECRET_ACCESS_KEY", "OPENAI_API_KEY", "DB_PASSWD", "GOOGLE_CREDENTIALS"}) {
            assertThat(CommandHookNotifier.secretOrOwn(name)).as(name).isTrue();
        }
        for (String name : new String[] {"PATH", "HOME", "LANG", "PGHOST", "USER", "TZ"}) {
            assertThat(CommandHookNotifier.secretOrOwn(name)).as(name).isFalse();
        }
    }
}
