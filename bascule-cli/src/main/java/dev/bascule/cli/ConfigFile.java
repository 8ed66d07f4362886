package dev.bascule.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bascule.api.InvalidMigrationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bascule.yaml}: the global options as a file, e.g.
 * <pre>
 * url: jdbc:postgresql://db.internal:5432/app
 * user: migrator
 * schema: public
 * state_schema: bascule
 * lock_timeout: 250
 * lock_attempts: 10
 * </pre>
 * Unknown keys are refused (a typo would otherwise silently fall back to a default).
 */
final class ConfigFile {
    static final String DEFAULT_NAME = "bascule.yaml";
    static final List<String> KEYS = List.of("url", "user", "password", "schema", "state_schema", "lock_timeout", "lock_attempts");

    private ConfigFile() {}

    /**
     * @param required true when the user named the file (--config): a missing file is an error;
     *                 otherwise a missing file is an empty configuration
     */
    static Map<String, String> read(Path file, boolean required) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new InvalidMigrationException("config file " + file + " does not exist");
            }
            return Map.of();
        } catch (IOException e) {
            throw new InvalidMigrationException("cannot read config file " + file + ": " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(content);
        } catch (JsonProcessingException e) {
            // only the first line of the parser's message: later lines quote the file, password included
            String problem = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage().lines().findFirst().orElse("syntax error");
            JsonLocation loc = e.getLocation();
            String where = loc == null ? file.toString() : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new InvalidMigrationException(where + ": not valid YAML: " + problem);
        } catch (IOException e) {
            throw new InvalidMigrationException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new InvalidMigrationException(file + ": expected a mapping of " + String.join(", ", KEYS));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey())) {
                throw new InvalidMigrationException(file + ": unknown key '" + e.getKey() + "'; known keys are " + String.join(", ", KEYS));
            }
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (!v.isValueNode()) {
                throw new InvalidMigrationException(file + ": " + e.getKey() + ": expected a single value");
            }
            values.put(e.getKey(), v.asText());
        }
        return values;
    }
}
