package dev.bascule.model;

import dev.bascule.api.Identifiers;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.MigrationSource.Position;
import dev.bascule.input.Excerpt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads the fields of one object of a migration file, checking presence and types, and refuses
 * fields it was never asked for, so a typo ({@code nulable}) is an error rather than a silent default.
 */
final class FieldReader {
    private final String file;
    private final String path;
    private final Node.ObjectNode node;
    private final Map<String, Position> positions;
    private final Set<String> read = new HashSet<>();

    /**
     * The most names one list may hold: as many columns as a table may have on any server Bascule
     * supports (PostgreSQL's 1600), so that an absurd list is refused before it is read name by name.
     */
    static final int MAX_NAMES = 1600;

    FieldReader(String file, String path, Node node, Map<String, Position> positions) {
        this.file = file;
        this.path = path;
        this.positions = positions;
        if (!(node instanceof Node.ObjectNode object)) {
            throw error(path, node.position(), "expected an object, found " + node.typeName());
        }
        this.node = object;
        positions.putIfAbsent(path, node.position()); // the parent recorded this object's key, which is better
        object.keyPositions().forEach((k, pos) -> positions.put(path + "/" + k, pos));
    }

    String path() { return path; }

    String path(String field) { return path + "/" + field; }

    Position position() { return node.position(); }

    Set<String> fieldNames() { return node.fields().keySet(); }

    Optional<Node> optional(String field) {
        read.add(field);
        Node value = node.fields().get(field);
        if (value instanceof Node.ScalarNode s && s.value() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(value);
    }

    /** Whether {@code field} is written with the value null ({@code default: null}), which is not the same as absent. */
    boolean explicitNull(String field) {
        read.add(field);
        return node.fields().get(field) instanceof Node.ScalarNode s && s.value() == null;
    }

    Node required(String field) {
        return optional(field).orElseThrow(() -> error(path, positions.get(path), "missing required field '" + field + "'"));
    }

    String requiredString(String field) {
        return asString(field, required(field), false);
    }

    Optional<String> optionalString(String field) {
        return optional(field).map(n -> asString(field, n, false));
    }

    /** A SQL expression: a string, or a number or boolean written without quotes; one expression only. */
    Optional<String> optionalExpression(String field) {
        return optional(field).map(n -> expression(field, n));
    }

    String requiredExpression(String field) {
        return expression(field, required(field));
    }

    /** SQL statements, run as written (the sql operation). */
    String requiredStatements(String field) {
        return asString(field, required(field), true);
    }

    Optional<String> optionalStatements(String field) {
        return optional(field).map(n -> asString(field, n, true));
    }

    private String expression(String field, Node n) {
        String sql = asString(field, n, true);
        Expressions.problem(sql).ifPresent(p -> {
            throw error(path(field), n.position(), p);
        });
        return sql;
    }

    /** Whether the object names {@code field} at all, even as null. */
    boolean has(String field) {
        read.add(field);
        return node.fields().containsKey(field);
    }

    /**
     * A comment: plain text (stored as a string literal, never run), at most {@code maxLength}
     * characters, as MariaDB keeps them; empty when the field is absent or null.
     */
    Optional<String> optionalComment(String field, int maxLength) {
        return optional(field).map(n -> {
            if (!(n instanceof Node.ScalarNode s && s.value() instanceof String text)) {
                throw error(path(field), n.position(), "expected a string or null, found " + n.typeName());
            }
            if (text.codePointCount(0, text.length()) > maxLength) {
                throw error(path(field), n.position(), "a comment here has at most " + maxLength + " characters");
            }
            if (text.indexOf('\0') >= 0) {
                throw error(path(field), n.position(), "a comment must not contain a NUL character");
            }
            return text;
        });
    }

    String requiredIdentifier(String field) {
        return identifier(path(field), required(field));
    }

    Optional<String> optionalIdentifier(String field) {
        return optional(field).map(n -> identifier(path(field), n));
    }

    boolean optionalBoolean(String field, boolean fallback) {
        return optional(field).map(n -> {
            if (n instanceof Node.ScalarNode s && s.value() instanceof Boolean b) {
                return b;
            }
            throw error(path(field), n.position(), "expected true or false, found " + n.typeName());
        }).orElse(fallback);
    }

    Optional<Boolean> optionalBoolean(String field) {
        return optional(field).map(n -> optionalBoolean(field, false));
    }

    List<String> requiredIdentifierList(String field) {
        List<String> list = identifierList(field, required(field));
        if (list.isEmpty()) {
            throw error(path(field), node.fields().get(field).position(), "must not be empty");
        }
        return list;
    }

    List<String> optionalIdentifierList(String field) {
        return optional(field).map(n -> identifierList(field, n)).orElse(List.of());
    }

    <T> List<T> requiredObjectList(String field, BiFunction<FieldReader, Integer, T> each) {
        return requiredObjectList(field, Integer.MAX_VALUE, each);
    }

    /** As {@link #requiredObjectList(String, BiFunction)}, refusing more than {@code max} items before reading any. */
    <T> List<T> requiredObjectList(String field, int max, BiFunction<FieldReader, Integer, T> each) {
        Node n = required(field);
        if (!(n instanceof Node.ArrayNode array)) {
            throw error(path(field), n.position(), "expected a list, found " + n.typeName());
        }
        if (array.items().isEmpty()) {
            throw error(path(field), n.position(), "must not be empty");
        }
        if (array.items().size() > max) {
            throw error(path(field), n.position(), array.items().size() + " items: at most " + max + " are allowed");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < array.items().size(); i++) {
            FieldReader item = new FieldReader(file, path(field) + "/" + i, array.items().get(i), positions);
            out.add(each.apply(item, i));
            item.done();
        }
        return out;
    }

    FieldReader object(String field) {
        return new FieldReader(file, path(field), required(field), positions);
    }

    Optional<FieldReader> optionalObject(String field) {
        return optional(field).map(n -> new FieldReader(file, path(field), n, positions));
    }

    /** Refuses any field that was not read. */
    void done() {
        for (Map.Entry<String, Node> e : node.fields().entrySet()) {
            if (!read.contains(e.getKey())) {
                List<String> known = new ArrayList<>(read);
                known.sort(null);
                // a key that is not a name may hold '/', or a line of a file that is not a migration
                throw error(Excerpt.isName(e.getKey()) ? path(e.getKey()) : path + "/?", node.keyPositions().get(e.getKey()),
                        "unknown field " + Excerpt.key(e.getKey()) + "; expected one of " + String.join(", ", known));
            }
        }
    }

    InvalidMigrationException error(String at, Position pos, String message) {
        return new InvalidMigrationException(file, pos.line(), pos.column(), displayPath(at), message);
    }

    /**
     * "/operations/2/add_column/table" as "operations[2].add_column.table"; a key that is not a name
     * (the file may not be a migration at all) as "?".
     */
    static String displayPath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.replaceFirst("^/", "").split("/", -1)) {
            if (part.isEmpty() && sb.isEmpty()) {
                continue;
            }
            if (part.matches("\\d+")) {
                sb.append('[').append(part).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(Excerpt.isName(part) ? part : "?");
            }
        }
        return sb.toString();
    }

    Position keyPosition(String field) {
        return node.keyPositions().getOrDefault(field, node.position());
    }

    private List<String> identifierList(String field, Node n) {
        if (!(n instanceof Node.ArrayNode array)) {
            throw error(path(field), n.position(), "expected a list of names, found " + n.typeName());
        }
        if (array.items().size() > MAX_NAMES) {
            throw error(path(field), n.position(), array.items().size() + " names: at most " + MAX_NAMES + " are allowed");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.items().size(); i++) {
            Node item = array.items().get(i);
            String itemPath = path(field) + "/" + i;
            positions.put(itemPath, item.position());
            String name = identifier(itemPath, item);
            if (out.contains(name)) {
                throw error(itemPath, item.position(), "duplicate name '" + name + "'");
            }
            out.add(name);
        }
        return out;
    }

    /** A reader of {@code n}, an object standing at {@code at} (an item of a list this reader holds). */
    FieldReader child(String at, Node n) {
        return new FieldReader(file, at, n, positions);
    }

    /** Records where {@code at} stands, for errors planning reports there. */
    void position(String at, Position p) {
        positions.put(at, p);
    }

    String identifier(String at, Node n) {
        if (!(n instanceof Node.ScalarNode s) || !(s.value() instanceof String name)) {
            throw error(at, n.position(), "expected a name, found " + n.typeName());
        }
        if (!Identifiers.isValid(name)) {
            throw error(at, n.position(), "invalid identifier '" + printable(name) + "': use " + Identifiers.rule());
        }
        return name;
    }

    private String asString(String field, Node n, boolean scalarsAllowed) {
        if (n instanceof Node.ScalarNode s && s.value() != null) {
            if (s.value() instanceof String str) {
                if (str.isBlank()) {
                    throw error(path(field), n.position(), "must not be empty");
                }
                return str;
            }
            if (scalarsAllowed) {
                return s.text();
            }
        }
        throw error(path(field), n.position(), "expected a string, found " + n.typeName());
    }

    /** At most a short excerpt of a value, for messages. */
    static String printable(String s) {
        return Excerpt.of(s);
    }
}
