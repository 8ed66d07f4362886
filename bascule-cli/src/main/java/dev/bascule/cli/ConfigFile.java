package dev.bascule.cli;

import dev.bascule.BasculeConfig;
import dev.bascule.Notifications;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.CommandHook;
import dev.bascule.api.Notifier;
import dev.bascule.api.StartSettings;
import dev.bascule.api.Webhook;
import dev.bascule.api.InputLimits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bascule.yaml} as the CLI uses it: read by the library ({@link BasculeConfig}, which says what
 * the file holds), its global settings as text for option &gt; environment &gt; file, and its
 * {@code start:} options under the command line's.
 */
final class ConfigFile {
    static final String DEFAULT_NAME = BasculeConfig.FILE_NAME;

    /**
     * @param values        the global options, by key, as text
     * @param notifications where to send events
     * @param start         the options of start the file gives
     */
    record Contents(Map<String, String> values, NotificationsConfig notifications, StartSettings start) {
        static final Contents EMPTY = new Contents(Map.of(), NotificationsConfig.NONE, StartSettings.none());

        String get(String key) {
            return values.get(key);
        }
    }

    /** Where events go: built from the {@code notifications} key. */
    record NotificationsConfig(List<Webhook> webhooks, List<CommandHook> commands) {
        static final NotificationsConfig NONE = new NotificationsConfig(List.of(), List.of());

        List<Notifier> notifiers() {
            return Stream.concat(webhooks.stream().<Notifier>map(Notifications::webhook),
                    commands.stream().<Notifier>map(Notifications::command)).toList();
        }
    }

    private ConfigFile() {}

    /**
     * @param required true when the user named the file (--config): a missing file is an error;
     *                 otherwise a missing file is an empty configuration
     * @param env      for {@code ${NAME}} in webhook URLs and header values
     */
    static Contents read(Path file, boolean required, Map<String, String> env) {
        return read(file, required, env, InputLimits.DEFAULT);
    }

    /** @param limits how large a file is read at most (a config file is a regular file like any other input) */
    static Contents read(Path file, boolean required, Map<String, String> env, InputLimits limits) {
        if (Files.notExists(file)) {
            if (required) {
                throw new InvalidMigrationException("config file " + file + " does not exist");
            }
            return Contents.EMPTY;
        }
        BasculeConfig config = BasculeConfig.load(file, env, limits);
        Map<String, String> values = new LinkedHashMap<>();
        config.url().ifPresent(v -> values.put("url", v));
        config.user().ifPresent(v -> values.put("user", v));
        config.password().ifPresent(v -> values.put("password", v));
        config.schema().ifPresent(v -> values.put("schema", v));
        config.stateSchema().ifPresent(v -> values.put("state_schema", v));
        config.lockTimeout().ifPresent(v -> values.put("lock_timeout", Long.toString(v.toMillis())));
        config.lockAttempts().ifPresent(v -> values.put("lock_attempts", Integer.toString(v)));
        return new Contents(values, new NotificationsConfig(config.webhooks(), config.commands()), config.start());
    }
}
