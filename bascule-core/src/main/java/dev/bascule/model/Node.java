package dev.bascule.model;

import dev.bascule.api.MigrationSource.Position;

import java.util.LinkedHashMap;
import java.util.List;

/** A YAML/JSON value that remembers where it stood in the file. */
sealed interface Node {
    Position position();

    /** The name used in error messages for this node's type. */
    String typeName();

    /** {@code keyPositions}: where each key stands, for errors about the key itself (an unknown field). */
    record ObjectNode(LinkedHashMap<String, Node> fields, java.util.Map<String, Position> keyPositions, Position position)
            implements Node {
        public String typeName() { return "an object"; }
    }

    record ArrayNode(List<Node> items, Position position) implements Node {
        public String typeName() { return "a list"; }
    }

    /** A scalar: String, Boolean, Number, or null; {@code text} as written in the file. */
    record ScalarNode(Object value, String text, Position position) implements Node {
        public String typeName() {
            if (value == null) return "null";
            if (value instanceof String) return "a string";
            if (value instanceof Boolean) return "a boolean";
            return "a number";
        }
    }
}
