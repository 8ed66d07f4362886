package dev.bascule.config;

import dev.bascule.api.InvalidMigrationException;
import dev.bascule.input.Excerpt;
import dev.bascule.api.CommandHook;
import dev.bascule.api.Event;
import dev.bascule.api.Webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the {@code notifications} key of the config file, field by field, refusing what it does
 * not know. Messages never quote a URL or a header value: either may hold a token.
 */
public final class NotificationsReader {
    public static final String KEY = "notifications";

    /** Where events go. */
    public record Result(List<Webhook> webhooks, List<CommandHook> commands) {
        public static final Result NONE = new Result(List.of(), List.of());
    }

    private static final List<String> SECTIONS = List.of("webhooks", "commands");
    private static final List<String> WEBHOOK_FIELDS = List.of("url", "events", "headers", "timeout", "attempts");
    private static final List<String> COMMAND_FIELDS = List.of("run", "events", "timeout");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final int MAX_ATTEMPTS = 10;

    private final String file;
    private final Map<String, String> env;

    public NotificationsReader(String file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    public Result read(ConfigTree node) {
        String path = KEY;
        if (node instanceof ConfigTree.Scalar s && s.text() == null) {
            return Result.NONE;
        }
        ConfigTree.Mapping m = mapping(node, path, SECTIONS);
        List<Webhook> webhooks = new ArrayList<>();
        List<CommandHook> commands = new ArrayList<>();
        List<ConfigTree> items = list(m.fields().get("webhooks"), path + ".webhooks");
        for (int i = 0; i < items.size(); i++) {
            webhooks.add(webhook(items.get(i), path + ".webhooks[" + i + "]"));
        }
        items = list(m.fields().get("commands"), path + ".commands");
        for (int i = 0; i < items.size(); i++) {
            commands.add(command(items.get(i), path + ".commands[" + i + "]"));
        }
        return new Result(webhooks, commands);
    }

    private Webhook webhook(ConfigTree node, String path) {
        ConfigTree.Mapping m = mapping(node, path, WEBHOOK_FIELDS);
        ConfigTree urlNode = required(m, "url", path);
        String text = expand(string(urlNode, path + ".url"), urlNode, path + ".url");
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw error(urlNode, path + ".url", "not a valid URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw error(urlNode, path + ".url", "expected an http:// or https:// URL with a host");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        ConfigTree h = m.fields().get("headers");
        if (h != null && !isNull(h)) {
            ConfigTree.Mapping hm = mapping(h, path + ".headers", null);
            for (Map.Entry<String, ConfigTree> e : hm.fields().entrySet()) {
                String field = path + ".headers" + (Excerpt.isName(e.getKey()) ? "." + e.getKey() : "");
                if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                    ConfigTree.Scalar k = hm.keys().get(e.getKey());
                    throw error(k, field, "not a valid HTTP header name");
                }
                if (Webhook.RESERVED_HEADERS.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                    throw error(hm.keys().get(e.getKey()), field, "set by Bascule or its HTTP client; it cannot be configured");
                }
                if (!(e.getValue() instanceof ConfigTree.Scalar s) || s.text() == null) {
                    throw error(e.getValue(), field, "expected a text value, found " + e.getValue().typeName());
                }
                String value = expand(s.text(), s, field);
                if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                    throw error(s, field, "a header value must be on one line");
                }
                headers.put(e.getKey(), value);
            }
        }
        Duration timeout = seconds(m, "timeout", path, Webhook.DEFAULT_TIMEOUT);
        int attempts = Webhook.DEFAULT_ATTEMPTS;
        ConfigTree a = m.fields().get("attempts");
        if (a != null && !isNull(a)) {
            attempts = (int) wholeNumber(a, path + ".attempts", 1, MAX_ATTEMPTS);
        }
        return new Webhook(url, events(m, path), headers, timeout, attempts, Webhook.DEFAULT_BACKOFF);
    }

    private CommandHook command(ConfigTree node, String path) {
        ConfigTree.Mapping m = mapping(node, path, COMMAND_FIELDS);
        ConfigTree run = required(m, "run", path);
        List<String> argv;
        if (run instanceof ConfigTree.Sequence seq) {
            argv = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                argv.add(string(seq.items().get(i), path + ".run[" + i + "]"));
            }
            if (argv.isEmpty() || argv.get(0).isBlank()) {
                throw error(run, path + ".run", "expected a program and its arguments, found an empty list");
            }
        } else {
            String script = string(run, path + ".run");
            if (script.isBlank()) {
                throw error(run, path + ".run", "expected a shell command, found an empty text");
            }
            argv = List.of("sh", "-c", script);
        }
        return new CommandHook(argv, events(m, path), seconds(m, "timeout", path, CommandHook.DEFAULT_TIMEOUT));
    }

    private Set<Event.Type> events(ConfigTree.Mapping m, String path) {
        ConfigTree node = m.fields().get("events");
        if (node == null || isNull(node)) {
            return Set.of();
        }
        List<ConfigTree> items = node instanceof ConfigTree.Sequence seq ? seq.items() : List.of(node);
        if (items.isEmpty()) {
            throw error(node, path + ".events", "expected at least one event; leave 'events' out for all of them");
        }
        Set<Event.Type> types = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ConfigTree item = items.get(i);
            String field = path + ".events" + (node instanceof ConfigTree.Sequence ? "[" + i + "]" : "");
            String name = string(item, field);
            types.add(Event.Type.fromWireName(name).orElseThrow(() -> error(item, field, "unknown event '" + Excerpt.of(name)
                    + "'; events are " + Arrays.stream(Event.Type.values()).map(Event.Type::wireName)
                    .collect(Collectors.joining(", ")))));
        }
        return types;
    }

    private Duration seconds(ConfigTree.Mapping m, String key, String path, Duration dflt) {
        ConfigTree node = m.fields().get(key);
        if (node == null || isNull(node)) {
            return dflt;
        }
        return Duration.ofSeconds(wholeNumber(node, path + "." + key, 1, 3600));
    }

    private long wholeNumber(ConfigTree node, String field, long min, long max) {
        if (node instanceof ConfigTree.Scalar s && s.text() != null && !s.string()) {
            try {
                long v = Long.parseLong(s.text());
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw error(node, field, "expected a whole number from " + min + " to " + max);
    }

    /** {@code ${NAME}} from the environment: a token need not be written into a file that may be committed. */
    private String expand(String text, ConfigTree at, String field) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (matcher.find()) {
            String value = env.get(matcher.group(1));
            if (value == null || value.isEmpty()) {
                throw error(at, field, "environment variable " + matcher.group(1) + " is not set");
            }
            matcher.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(sb);
        return sb.toString();
    }

    /** @param known the keys allowed, or null for any */
    private ConfigTree.Mapping mapping(ConfigTree node, String path, List<String> known) {
        if (!(node instanceof ConfigTree.Mapping m)) {
            throw error(node, path, "expected a mapping" + (known == null ? "" : " of " + String.join(", ", known))
                    + ", found " + node.typeName());
        }
        if (known != null) {
            for (Map.Entry<String, ConfigTree.Scalar> k : m.keys().entrySet()) {
                if (!known.contains(k.getKey())) {
                    throw error(k.getValue(), path + (Excerpt.isName(k.getKey()) ? "." + k.getKey() : ""),
                            "unknown key " + Excerpt.key(k.getKey()) + "; known keys are " + String.join(", ", known));
                }
            }
        }
        return m;
    }

    private List<ConfigTree> list(ConfigTree node, String path) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof ConfigTree.Sequence seq)) {
            throw error(node, path, "expected a list, found " + node.typeName());
        }
        return seq.items();
    }

    private ConfigTree required(ConfigTree.Mapping m, String key, String path) {
        ConfigTree node = m.fields().get(key);
        if (node == null || isNull(node)) {
            throw error(m, path, "missing required key '" + key + "'");
        }
        return node;
    }

    private String string(ConfigTree node, String field) {
        if (node instanceof ConfigTree.Scalar s && s.text() != null && s.string()) {
            return s.text();
        }
        throw error(node, field, "expected a text, found " + node.typeName());
    }

    private static boolean isNull(ConfigTree node) {
        return node instanceof ConfigTree.Scalar s && s.text() == null;
    }

    private InvalidMigrationException error(ConfigTree at, String field, String message) {
        return new InvalidMigrationException(file, at.line(), at.column(), field, message);
    }
}
