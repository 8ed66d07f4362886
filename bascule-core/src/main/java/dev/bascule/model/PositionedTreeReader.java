package dev.bascule.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.MigrationSource.Position;
import dev.bascule.input.Excerpt;
import dev.bascule.api.InputLimits;
import dev.bascule.input.Parsers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads YAML or JSON into {@link Node}s with positions. Jackson's own tree model drops positions,
 * and error messages must name line and column, so the tree is built from the token stream.
 */
final class PositionedTreeReader {
    private final String file;
    private final InputLimits limits;

    PositionedTreeReader(String file, InputLimits limits) {
        this.file = file;
        this.limits = limits;
    }

    Node read(byte[] content, boolean yaml) {
        if (content.length > limits.maxFileSize()) {
            throw new InvalidMigrationException(file, 1, 1, "", String.format(java.util.Locale.ROOT,
                    "the file is %,d bytes, over the limit of %s for an input file", content.length,
                    InputLimits.describe(limits.maxFileSize())));
        }
        requireUtf8(content);
        Parsers.Problem longLine = yaml ? Parsers.longYamlLine(content) : null;
        if (longLine != null) {
            throw new InvalidMigrationException(file, longLine.line(), longLine.column(), "", longLine.description());
        }
        try (JsonParser parser = (yaml ? Parsers.yaml(limits) : Parsers.json(limits)).createParser(content)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidMigrationException(file, 1, 1, "", "the file is empty");
            }
            Node root = readValue(parser, "");
            if (parser.nextToken() != null) {
                Position p = position(parser.currentTokenLocation());
                throw new InvalidMigrationException(file, p.line(), p.column(), "", "unexpected content after the migration");
            }
            return root;
        } catch (JsonProcessingException e) {
            // by position and kind only: the parsers' own messages quote the file, which may not be a migration at all
            Parsers.Problem p = Parsers.problem(e);
            throw new InvalidMigrationException(file, p.line(), p.column(), "",
                    "not valid " + (yaml ? "YAML" : "JSON") + ": " + p.description());
        } catch (IOException e) {
            throw new InvalidMigrationException(file, 1, 1, "", "cannot read: " + Excerpt.of(String.valueOf(e.getMessage()), 120));
        }
    }

    private Node readValue(JsonParser parser, String path) throws IOException {
        Position pos = position(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                LinkedHashMap<String, Node> fields = new LinkedHashMap<>();
                java.util.Map<String, Position> keys = new java.util.HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Position keyPos = position(parser.currentTokenLocation());
                    parser.nextToken();
                    if (fields.containsKey(key)) {
                        throw new InvalidMigrationException(file, keyPos.line(), keyPos.column(),
                                FieldReader.displayPath(path + "/" + key), "duplicate field " + Excerpt.key(key));
                    }
                    fields.put(key, readValue(parser, path + "/" + key));
                    keys.put(key, keyPos);
                }
                return new Node.ObjectNode(fields, keys, pos);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, path + "/" + items.size()));
                }
                return new Node.ArrayNode(items, pos);
            }
            case VALUE_STRING:
                return new Node.ScalarNode(parser.getText(), parser.getText(), pos);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                // the text as written: 010 or 1.50 must reach SQL unchanged, not as 8 or 1.5
                return new Node.ScalarNode(parser.getNumberValue(), parser.getText(), pos);
            case VALUE_TRUE:
                return new Node.ScalarNode(Boolean.TRUE, parser.getText(), pos);
            case VALUE_FALSE:
                return new Node.ScalarNode(Boolean.FALSE, parser.getText(), pos);
            case VALUE_NULL:
                return new Node.ScalarNode(null, parser.getText(), pos);
            default:
                throw new InvalidMigrationException(file, pos.line(), pos.column(), FieldReader.displayPath(path), "unexpected " + token);
        }
    }

    /**
     * Migration files are UTF-8: a byte sequence that is not gets its line and column named here,
     * where the parsers would report the decoder's exception at 1:1.
     */
    private void requireUtf8(byte[] content) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(content);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(content.length + 1);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            return;
        }
        out.flip();
        int line = 1;
        int column = 1;
        for (int i = 0; i < out.limit(); i++) {
            if (out.get(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        throw new InvalidMigrationException(file, line, column, "", String.format(java.util.Locale.ROOT,
                "not valid UTF-8: byte 0x%02X at byte offset %d; save the file as UTF-8", content[in.position()] & 0xFF, in.position()));
    }

    private static Position position(JsonLocation loc) {
        return new Position(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }
}
