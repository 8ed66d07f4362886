package dev.bascule.config;

import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.StartSettings;
import dev.bascule.input.Excerpt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code bascule.yaml}: the connection and global settings as text, {@code notifications}, and
 * {@code start}, every option of {@code start} under its file key. Unknown keys are refused (a typo
 * would otherwise fall back to a default); errors name the file, line, column and key, and never
 * quote a value (it may be a password or a token).
 */
public final class ConfigReader {
    public static final String START = "start";
    /** Global settings, read as text. */
    public static final List<String> TEXT_KEYS = List.of("url", "user", "password", "schema", "state_schema");
    /** Global settings, whole numbers: the lock timeout in ms and the lock attempts. */
    public static final List<String> NUMBER_KEYS = List.of("lock_timeout", "lock_attempts");
    public static final List<String> KEYS = List.of("url", "user", "password", "schema", "state_schema", "lock_timeout",
            "lock_attempts", NotificationsReader.KEY, START);

    /**
     * @param values        the global settings given, by key, as text
     * @param notifications where to send events
     * @param start         the options of start given
     */
    public record Contents(Map<String, String> values, NotificationsReader.Result notifications, StartSettings start) {
        public static final Contents EMPTY = new Contents(Map.of(), NotificationsReader.Result.NONE, StartSettings.none());
    }

    private ConfigReader() {}

    /** @param env for {@code ${NAME}} in webhook URLs and header values */
    public static Contents read(String name, byte[] content, Map<String, String> env, InputLimits limits) {
        ConfigTree root = ConfigTree.read(name, content, limits);
        if (root == null || root instanceof ConfigTree.Scalar s && s.text() == null) {
            return Contents.EMPTY;
        }
        if (!(root instanceof ConfigTree.Mapping mapping)) {
            throw new InvalidMigrationException(name, root.line(), root.column(), "",
                    "expected a mapping of " + String.join(", ", KEYS));
        }
        Map<String, String> values = new LinkedHashMap<>();
        NotificationsReader.Result notifications = NotificationsReader.Result.NONE;
        StartSettings start = StartSettings.none();
        for (Map.Entry<String, ConfigTree> e : mapping.fields().entrySet()) {
            String key = e.getKey();
            ConfigTree.Scalar keyAt = mapping.keys().get(key);
            if (!KEYS.contains(key)) {
                throw new InvalidMigrationException(name, keyAt.line(), keyAt.column(), Excerpt.isName(key) ? key : "",
                        "unknown key " + Excerpt.key(key) + "; known keys are " + String.join(", ", KEYS));
            }
            ConfigTree v = e.getValue();
            if (key.equals(NotificationsReader.KEY)) {
                notifications = new NotificationsReader(name, env).read(v);
            } else if (key.equals(START)) {
                start = start(name, v);
            } else if (v instanceof ConfigTree.Scalar s) {
                if (s.text() != null) {
                    if (NUMBER_KEYS.contains(key) && (s.string() || !s.text().matches("\\d{1,9}"))) {
                        throw new InvalidMigrationException(name, s.line(), s.column(), key, "expected a whole number");
                    }
                    values.put(key, s.text());
                }
            } else {
                throw new InvalidMigrationException(name, v.line(), v.column(), key, "expected a single value, found " + v.typeName());
            }
        }
        return new Contents(values, notifications, start);
    }

    private static StartSettings start(String file, ConfigTree node) {
        if (node instanceof ConfigTree.Scalar s && s.text() == null) {
            return StartSettings.none();
        }
        String known = Arrays.stream(StartSettings.Key.values()).map(StartSettings.Key::fileKey).collect(Collectors.joining(", "));
        if (!(node instanceof ConfigTree.Mapping m)) {
            throw new InvalidMigrationException(file, node.line(), node.column(), START,
                    "expected a mapping of " + known + ", found " + node.typeName());
        }
        StartSettings settings = StartSettings.none();
        for (Map.Entry<String, ConfigTree> e : m.fields().entrySet()) {
            ConfigTree.Scalar keyAt = m.keys().get(e.getKey());
            StartSettings.Key key = StartSettings.Key.ofFileKey(e.getKey()).orElseThrow(() -> new InvalidMigrationException(
                    file, keyAt.line(), keyAt.column(), Excerpt.isName(e.getKey()) ? START + "." + e.getKey() : START,
                    "unknown key " + Excerpt.key(e.getKey()) + "; the options of start are " + known));
            ConfigTree v = e.getValue();
            String where = file + ":" + v.line() + ":" + v.column() + ": " + START + "." + key.fileKey();
            settings = settings.with(key, value(key, v, where), where);
        }
        return settings;
    }

    /** The node as the value {@link StartSettings#with} takes for the key's kind; null for YAML's null. */
    private static Object value(StartSettings.Key key, ConfigTree node, String where) {
        if (node instanceof ConfigTree.Scalar s && s.text() == null) {
            return null;
        }
        if (key.kind() == StartSettings.Kind.LIST) {
            List<ConfigTree> items = node instanceof ConfigTree.Sequence seq ? seq.items() : List.of(node);
            List<String> texts = new ArrayList<>();
            for (ConfigTree item : items) {
                if (!(item instanceof ConfigTree.Scalar s) || s.text() == null || !s.string()) {
                    throw new InvalidMigrationException(where + " must be a list of texts, found " + item.typeName());
                }
                texts.add(s.text());
            }
            return texts;
        }
        if (!(node instanceof ConfigTree.Scalar s)) {
            throw new InvalidMigrationException(where + " expected a single value, found " + node.typeName());
        }
        String text = s.text().strip();
        switch (key.kind()) {
            case WHOLE -> {
                if (!s.string() && text.matches("-?\\d{1,18}")) {
                    return Long.parseLong(text);
                }
                throw new InvalidMigrationException(where + " must be a whole number");
            }
            case DECIMAL -> {
                if (!s.string()) {
                    try {
                        return Double.parseDouble(text);
                    } catch (NumberFormatException ignored) {
                        // reported below
                    }
                }
                throw new InvalidMigrationException(where + " must be a number");
            }
            case FLAG -> {
                if (!s.string() && (text.equals("true") || text.equals("false"))) {
                    return Boolean.valueOf(text);
                }
                throw new InvalidMigrationException(where + " must be true or false");
            }
            default -> {
                return s.text();
            }
        }
    }
}
