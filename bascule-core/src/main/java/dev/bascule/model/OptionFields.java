package dev.bascule.model;

import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.Identifiers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fields that refine a foreign key ({@code on_update}, {@code match_type}) and an index
 * ({@code opclass} on a column, {@code include}, {@code storage_parameters}). Each value is checked
 * to be a name, a number, a boolean or a word: none is SQL the author writes, so none is run as written.
 */
final class OptionFields {
    /** A storage parameter's word value: {@code auto}, {@code on}. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    /** An operator class, optionally qualified by its schema: {@code text_pattern_ops}, {@code pg_catalog.int4_ops}. */
    private static final Pattern QUALIFIED = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(\\.([A-Za-z_][A-Za-z0-9_]*))?");
    /** The most storage parameters one index takes: more than any access method has. */
    static final int MAX_STORAGE_PARAMETERS = 16;

    private OptionFields() {}

    /** {@code ref} with the {@code on_update} and {@code match_type} of {@code f}, the object that holds them. */
    static ForeignKeyRef keyOptions(FieldReader f, ForeignKeyRef ref) {
        Optional<String> onUpdate = MigrationReader.action(f, "on_update");
        Optional<String> match = f.optionalString("match_type").map(v -> {
            String norm = v.strip().toUpperCase(Locale.ROOT);
            if (norm.equals("PARTIAL")) {
                throw f.error(f.path("match_type"), f.optional("match_type").get().position(),
                        "MATCH PARTIAL is not implemented by PostgreSQL (nor by MariaDB); use SIMPLE or FULL");
            }
            if (!norm.equals("SIMPLE") && !norm.equals("FULL")) {
                throw f.error(f.path("match_type"), f.optional("match_type").get().position(),
                        "expected one of FULL, SIMPLE");
            }
            return norm;
        });
        return new ForeignKeyRef(ref.table(), ref.columns(), ref.onDelete(), onUpdate, match, ref.name());
    }

    /** An index's columns, each a name or {@code {name, opclass}}, and the operator classes given. */
    record IndexColumns(List<String> names, Map<String, String> opclasses) {}

    static IndexColumns indexColumns(FieldReader f, String field, int max) {
        Node n = f.required(field);
        if (!(n instanceof Node.ArrayNode array)) {
            throw f.error(f.path(field), n.position(), "expected a list of names, found " + n.typeName());
        }
        if (array.items().isEmpty()) {
            throw f.error(f.path(field), n.position(), "must not be empty");
        }
        if (array.items().size() > max) {
            throw f.error(f.path(field), n.position(), array.items().size() + " columns: an index or key has at most "
                    + max + " columns");
        }
        List<String> names = new ArrayList<>();
        Map<String, String> opclasses = new LinkedHashMap<>();
        for (int i = 0; i < array.items().size(); i++) {
            Node item = array.items().get(i);
            String at = f.path(field) + "/" + i;
            f.position(at, item.position());
            String name;
            if (item instanceof Node.ObjectNode) {
                FieldReader c = f.child(at, item);
                name = c.requiredIdentifier("name");
                opclass(c).ifPresent(o -> opclasses.put(name, o));
                c.done();
            } else {
                name = f.identifier(at, item);
            }
            if (names.contains(name)) {
                throw f.error(at, item.position(), "duplicate name '" + name + "'");
            }
            names.add(name);
        }
        return new IndexColumns(names, opclasses);
    }

    /** {@code opclass: name} or, as pgroll writes it, {@code opclass: {name: ..}}. */
    private static Optional<String> opclass(FieldReader c) {
        Optional<Node> node = c.optional("opclass");
        if (node.isEmpty()) {
            return Optional.empty();
        }
        String at = c.path("opclass");
        Node n = node.get();
        String name;
        if (n instanceof Node.ObjectNode) {
            FieldReader o = c.child(at, n);
            name = o.requiredString("name");
            if (o.has("params")) {
                throw o.error(o.path("params"), o.optional("params").map(Node::position).orElse(o.position()),
                        "operator class parameters are not supported; give the operator class's name only");
            }
            o.done();
            at = o.path("name");
        } else {
            name = c.requiredString("opclass");
        }
        String trimmed = name.strip();
        java.util.regex.Matcher m = QUALIFIED.matcher(trimmed);
        if (!m.matches() || m.group(1).length() > Identifiers.MAX_LENGTH
                || (m.group(3) != null && m.group(3).length() > Identifiers.MAX_LENGTH)) {
            throw c.error(at, n.position(), "invalid operator class '" + FieldReader.printable(name)
                    + "': expected a name such as text_pattern_ops or pg_catalog.int4_ops");
        }
        return Optional.of(trimmed.toLowerCase(Locale.ROOT));
    }

    /**
     * {@code storage_parameters: {fillfactor: 70, deduplicate_items: false, buffering: auto}}: names
     * are identifiers; values numbers, booleans or words, kept as text (a word is written as a string literal).
     */
    static Map<String, String> storageParameters(FieldReader f, String field) {
        Optional<FieldReader> object = f.optionalObject(field);
        if (object.isEmpty()) {
            return Map.of();
        }
        FieldReader p = object.get();
        if (p.fieldNames().size() > MAX_STORAGE_PARAMETERS) {
            throw p.error(p.path(), p.position(), p.fieldNames().size() + " storage parameters: at most "
                    + MAX_STORAGE_PARAMETERS + " are allowed");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : List.copyOf(p.fieldNames())) {
            if (!Identifiers.isValid(key)) {
                throw p.error(p.path() + "/?", p.keyPosition(key), "invalid storage parameter name '"
                        + FieldReader.printable(key) + "': use " + Identifiers.rule());
            }
            Node v = p.required(key);
            if (!(v instanceof Node.ScalarNode s)) {
                throw p.error(p.path(key), v.position(), "expected a number, true, false or a word, found " + v.typeName());
            }
            String value;
            if (s.value() instanceof Boolean b) {
                value = b.toString();
            } else if (s.value() instanceof Number) {
                value = number(p, key, s);
            } else if (s.value() instanceof String w && WORD.matcher(w.strip()).matches()) {
                value = w.strip();
            } else {
                throw p.error(p.path(key), v.position(), "expected a number, true, false or a word (letters, digits"
                        + " and _), found '" + FieldReader.printable(String.valueOf(s.value())) + "'");
            }
            String name = key.toLowerCase(Locale.ROOT);
            if (out.put(name, value) != null) {
                throw p.error(p.path(key), p.keyPosition(key), "storage parameter '" + name + "' is given twice");
            }
        }
        p.done();
        return out;
    }

    private static String number(FieldReader p, String key, Node.ScalarNode s) {
        try {
            BigDecimal d = new BigDecimal(s.text().strip());
            if (d.abs().compareTo(BigDecimal.valueOf(1_000_000_000_000L)) > 0) {
                throw new NumberFormatException();
            }
            return d.toPlainString();
        } catch (NumberFormatException e) {
            throw p.error(p.path(key), s.position(), "expected a plain number, found '" + FieldReader.printable(s.text()) + "'");
        }
    }

    /**
     * {@code generated: {expression, stored?}} (stored by default, the only kind PostgreSQL has). A
     * generated column takes no {@code default} (the server computes every value) nor {@code references}
     * (a key's actions would write it); pgroll's {@code identity} is written in the column's type here.
     */
    static Optional<dev.bascule.api.ColumnDef.Generated> generated(FieldReader c) {
        Optional<FieldReader> object = c.optionalObject("generated");
        if (object.isEmpty()) {
            return Optional.empty();
        }
        FieldReader g = object.get();
        if (g.has("identity")) {
            throw g.error(g.path("identity"), g.keyPosition("identity"), "an identity column is written in the column's"
                    + " type here: 'bigint generated by default as identity' (create_table)");
        }
        String expression = g.requiredExpression("expression");
        boolean stored = g.optionalBoolean("stored", true);
        g.done();
        for (String other : List.of("default", "references")) {
            if (c.optional(other).isPresent()) {
                throw c.error(c.path(other), c.optional(other).get().position(), "a generated column takes no '" + other
                        + "': the server computes each of its values from 'generated.expression'");
            }
        }
        return Optional.of(new dev.bascule.api.ColumnDef.Generated(expression, stored));
    }
}
