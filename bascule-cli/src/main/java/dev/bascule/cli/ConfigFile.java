package dev.bascule.cli;

import dev.bascule.Notifications;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.CommandHook;
import dev.bascule.api.Notifier;
import dev.bascule.api.Webhook;

import dev.bascule.input.Excerpt;
import dev.bascule.input.InputFiles;
import dev.bascule.api.InputLimits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bascule.yaml}: the global options as a file, and where to send notifications, e.g.
 * <pre>
 * url: jdbc:postgresql://db.internal:5432/app
 * user: migrator
 * schema: public
 * state_schema: bascule
 * lock_timeout: 250
 * lock_attempts: 10
 * notifications:
 *   webhooks:
 *     - url: https://hooks.example.com/bascule
 *       events: [paused, failed, completed]
 *       headers: {Authorization: "Bearer ${HOOK_TOKEN}"}
 *   commands:
 *     - run: notify-send "$BASCULE_EVENT"
 * </pre>
 * Unknown keys are refused (a typo would otherwise silently fall back to a default). Errors name
 * the file, line, column and key, and never quote a value (it may be a password or a token).
 */
final class ConfigFile {
    static final String DEFAULT_NAME = "bascule.yaml";
    static final List<String> KEYS = List.of("url", "user", "password", "schema", "state_schema", "lock_timeout",
            "lock_attempts", NotificationsConfig.KEY);

    /**
     * @param values        the global options, by key, as text
     * @param notifications where to send events
     */
    record Contents(Map<String, String> values, NotificationsConfig notifications) {
        static final Contents EMPTY = new Contents(Map.of(), NotificationsConfig.NONE);

        String get(String key) {
            return values.get(key);
        }
    }

    /** Where events go: built from the {@code notifications} key. */
    record NotificationsConfig(List<Webhook> webhooks, List<CommandHook> commands) {
        static final String KEY = "notifications";
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
        byte[] content = InputFiles.read(file, limits);
        String name = file.toString();
        ConfigTree root = ConfigTree.read(name, content, limits);
        if (root == null || root instanceof ConfigTree.Scalar s && s.text() == null) {
            return Contents.EMPTY;
        }
        if (!(root instanceof ConfigTree.Mapping mapping)) {
            throw new InvalidMigrationException(name, root.line(), root.column(), "",
                    "expected a mapping of " + String.join(", ", KEYS));
        }
        Map<String, String> values = new LinkedHashMap<>();
        NotificationsConfig notifications = NotificationsConfig.NONE;
        for (Map.Entry<String, ConfigTree> e : mapping.fields().entrySet()) {
            String key = e.getKey();
            ConfigTree.Scalar keyAt = mapping.keys().get(key);
            if (!KEYS.contains(key)) {
                throw new InvalidMigrationException(name, keyAt.line(), keyAt.column(), Excerpt.isName(key) ? key : "",
                        "unknown key " + Excerpt.key(key) + "; known keys are " + String.join(", ", KEYS));
            }
            ConfigTree v = e.getValue();
            if (key.equals(NotificationsConfig.KEY)) {
                notifications = new NotificationsReader(name, env).read(v);
                continue;
            }
            if (v instanceof ConfigTree.Scalar s) {
                if (s.text() != null) {
                    values.put(key, s.text());
                }
            } else {
                throw new InvalidMigrationException(name, v.line(), v.column(), key, "expected a single value, found " + v.typeName());
            }
        }
        return new Contents(values, notifications);
    }
}
