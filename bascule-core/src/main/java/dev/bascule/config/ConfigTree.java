package dev.bascule.config;

import com.fasterxml.jackson.core.JsonLocation;
import dev.bascule.input.Excerpt;
import dev.bascule.api.InputLimits;
import dev.bascule.input.Parsers;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.bascule.api.InvalidMigrationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config file as a tree whose every value and key knows its line and column: Jackson's own
 * tree drops them, and an error must say where in the file it is.
 */
public sealed interface ConfigTree {
    int line();

    int column();

    String typeName();

    /** {@code keys}: where each key stands, for errors about the key itself. */
    record Mapping(Map<String, ConfigTree> fields, Map<String, ConfigTree.Scalar> keys, int line, int column)
            implements ConfigTree {
        public String typeName() { return "a mapping"; }
    }

    record Sequence(List<ConfigTree> items, int line, int column) implements ConfigTree {
        public String typeName() { return "a list"; }
    }

    /** {@code text} null for YAML's null; {@code string} when written as a string rather than a number or boolean. */
    record Scalar(String text, boolean string, int line, int column) implements ConfigTree {
        public String typeName() {
            return text == null ? "null" : string ? "a string" : "a number or boolean";
        }
    }

    /** The document's root, or null for an empty file. */
    public static ConfigTree read(String file, byte[] content, InputLimits limits) {
        Parsers.Problem longLine = Parsers.longYamlLine(content);
        if (longLine != null) {
            throw new InvalidMigrationException(file + ":" + longLine.line() + ":" + longLine.column() + ": " + longLine.description());
        }
        try (JsonParser parser = Parsers.yaml(limits).createParser(content)) {
            if (parser.nextToken() == null) {
                return null;
            }
            return value(file, parser);
        } catch (JsonProcessingException e) {
            // by position and kind: the parser's message quotes the file, password included
            Parsers.Problem p = Parsers.problem(e);
            throw new InvalidMigrationException(file + ":" + p.line() + ":" + p.column() + ": not valid YAML: " + p.description());
        } catch (IOException e) {
            throw new InvalidMigrationException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    private static ConfigTree value(String file, JsonParser parser) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = Math.max(1, at.getLineNr());
        int column = Math.max(1, at.getColumnNr());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, ConfigTree> fields = new LinkedHashMap<>();
                Map<String, Scalar> keys = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    JsonLocation k = parser.currentTokenLocation();
                    Scalar keyNode = new Scalar(key, true, Math.max(1, k.getLineNr()), Math.max(1, k.getColumnNr()));
                    if (fields.containsKey(key)) {
                        throw new InvalidMigrationException(file, keyNode.line(), keyNode.column(), Excerpt.isName(key) ? key : "",
                                "duplicate key " + Excerpt.key(key));
                    }
                    parser.nextToken();
                    fields.put(key, value(file, parser));
                    keys.put(key, keyNode);
                }
                return new Mapping(fields, keys, line, column);
            }
            case START_ARRAY -> {
                List<ConfigTree> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(file, parser));
                }
                return new Sequence(items, line, column);
            }
            case VALUE_NULL -> {
                return new Scalar(null, false, line, column);
            }
            case VALUE_STRING -> {
                return new Scalar(parser.getText(), true, line, column);
            }
            default -> {
                return new Scalar(parser.getText(), false, line, column);
            }
        }
    }
}
