package dev.bascule.model;

import dev.bascule.api.Identifiers;
import dev.bascule.api.ColumnDef;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.MigrationSource;
import dev.bascule.api.MigrationSource.Position;
import dev.bascule.api.Operation;

import dev.bascule.input.Excerpt;
import dev.bascule.input.InputFiles;
import dev.bascule.api.InputLimits;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses a migration file (YAML or JSON) into a {@link Migration}, checking everything that can be
 * checked without a database: structure, field names and types, identifiers, duplicate names.
 * Names of tables and columns are checked against the live catalog later, at plan time.
 */
public final class MigrationReader {
    /** Every operation the file format knows, with its parser. */
    private static final Map<String, Function<FieldReader, Operation>> OPERATIONS = new java.util.LinkedHashMap<>();

    static {
        OPERATIONS.put("create_table", MigrationReader::createTable);
        OPERATIONS.put("drop_table", f -> new Operation.DropTable(f.requiredIdentifier("name")));
        OPERATIONS.put("rename_table", f -> new Operation.RenameTable(f.requiredIdentifier("from"), f.requiredIdentifier("to")));
        OPERATIONS.put("add_column", MigrationReader::addColumn);
        OPERATIONS.put("drop_column", f -> new Operation.DropColumn(f.requiredIdentifier("table"),
                f.requiredIdentifier("column"), f.optionalExpression("down")));
        OPERATIONS.put("rename_column", f -> new Operation.RenameColumn(f.requiredIdentifier("table"),
                f.requiredIdentifier("from"), f.requiredIdentifier("to")));
        OPERATIONS.put("alter_column", MigrationReader::alterColumn);
        OPERATIONS.put("create_index", MigrationReader::createIndex);
        OPERATIONS.put("drop_index", f -> new Operation.DropIndex(f.requiredIdentifier("name")));
        OPERATIONS.put("add_foreign_key", f -> new Operation.AddForeignKey(f.requiredIdentifier("table"),
                f.optionalIdentifier("name"), keyColumns(f, "columns", f.requiredIdentifierList("columns")),
                OptionFields.keyOptions(f, references(f.object("references"), false)),
                onDelete(f)));
        OPERATIONS.put("add_check", f -> new Operation.AddCheck(f.requiredIdentifier("table"),
                f.requiredIdentifier("name"), f.requiredExpression("expression")));
        OPERATIONS.put("drop_constraint", f -> new Operation.DropConstraint(f.requiredIdentifier("table"),
                f.requiredIdentifier("name"), f.optionalExpression("up"), f.optionalExpression("down")));
        OPERATIONS.put("split_table", f -> new Operation.SplitTable(f.requiredIdentifier("from"),
                f.requiredObjectList("into", (p, i) -> part(p))));
        OPERATIONS.put("merge_tables", f -> new Operation.MergeTables(f.requiredIdentifierList("from"), mergeInto(f)));
        OPERATIONS.put("sql", MigrationReader::sql);
        OPERATIONS.put("set_replica_identity", MigrationReader::setReplicaIdentity);
        OPERATIONS.put("set_comment", MigrationReader::setComment);
        OPERATIONS.put("rename_constraint", f -> new Operation.RenameConstraint(f.requiredIdentifier("table"),
                f.requiredIdentifier("from"), f.requiredIdentifier("to")));
        OPERATIONS.put("create_constraint", MigrationReader::createConstraint);
        OPERATIONS.put("rebuild_table", TableRebuildFields::read);
    }

    /** {@code after} and {@code first} place the column; a file gives at most one of them. */
    private static Operation addColumn(FieldReader f) {
        String table = f.requiredIdentifier("table");
        ColumnDef column = column(f.object("column"));
        Optional<String> up = f.optionalExpression("up");
        Optional<String> after = f.optionalIdentifier("after");
        return new Operation.AddColumn(table, column, up, after, first(f));
    }

    /**
     * Counts no migration needs, refused before the items are read one by one: the most columns a
     * table may have on any server Bascule supports (PostgreSQL's 1600; MariaDB's InnoDB takes 1017,
     * which plan checks), the most columns of one index or key (32 on both), and operations.
     */
    static final int MAX_COLUMNS = FieldReader.MAX_NAMES;
    static final int MAX_KEY_COLUMNS = 32;
    static final int MAX_OPERATIONS = 1000;

    /** The longest comments MariaDB keeps, on a column and on a table; PostgreSQL's are not shorter. */
    static final int MAX_COLUMN_COMMENT = 1024;
    static final int MAX_TABLE_COMMENT = 2048;

    private static final Set<String> ON_DELETE = Set.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");
    private static final Set<String> INDEX_METHODS = Set.of("btree", "hash", "gist", "gin", "brin", "spgist");

    private MigrationReader() {}

    /** The operation names of the file format, in the order of the reference. */
    public static Set<String> operationNames() {
        return OPERATIONS.keySet();
    }

    /** Reads {@code file} within the default {@link InputLimits}. */
    public static Migration read(Path file) {
        return read(file, InputLimits.DEFAULT);
    }

    /** Reads {@code file}: a regular file (or a link to one) of at most {@code limits.maxFileSize()} bytes. */
    public static Migration read(Path file, InputLimits limits) {
        fileType(file.toString()); // a file of another kind is refused before it is opened
        return read(file.toString(), InputFiles.read(file, limits), limits);
    }

    /** @param fileName the name to report in errors; its extension chooses YAML or JSON */
    public static Migration read(String fileName, byte[] content) {
        return read(fileName, content, InputLimits.DEFAULT);
    }

    /** Whether {@code fileName} is YAML (true) or JSON (false), by its extension. */
    private static boolean fileType(String fileName) {
        String lower = Path.of(fileName).getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return true;
        }
        if (lower.endsWith(".json")) {
            return false;
        }
        throw new InvalidMigrationException(fileName, 1, 1, "",
                "unknown file type: a migration file ends in .yaml, .yml or .json");
    }

    /** @param fileName the name to report in errors; its extension chooses YAML or JSON */
    public static Migration read(String fileName, byte[] content, InputLimits limits) {
        boolean yaml = fileType(fileName);
        String base = Path.of(fileName).getFileName().toString();
        String stem = base.substring(0, base.lastIndexOf('.'));
        Node root = new PositionedTreeReader(fileName, limits).read(content, yaml);
        Map<String, Position> positions = new HashMap<>();
        FieldReader top = new FieldReader(fileName, "", root, positions);
        top.optional("name");
        top.optional("operations");
        top.done(); // an unknown top-level field ("operation") is named before "operations" is missed
        String name = top.optionalString("name").orElse(stem);
        if (!Identifiers.isValidMigrationName(name)) {
            Position p = top.optional("name").map(Node::position).orElse(top.position());
            throw top.error("/name", p, "invalid migration name '" + FieldReader.printable(name)
                    + "': use letters, digits and _, at most " + Identifiers.MAX_LENGTH + " characters"
                    + (top.optional("name").isEmpty() ? " (the name comes from the file name; set 'name' to override)" : ""));
        }
        Node opsNode = top.required("operations");
        if (!(opsNode instanceof Node.ArrayNode ops)) {
            throw top.error("/operations", opsNode.position(), "expected a list of operations, found " + opsNode.typeName());
        }
        if (ops.items().isEmpty()) {
            throw top.error("/operations", opsNode.position(), "a migration needs at least one operation");
        }
        if (ops.items().size() > MAX_OPERATIONS) {
            throw top.error("/operations", opsNode.position(), ops.items().size() + " operations: a migration has at most "
                    + MAX_OPERATIONS + "; split it into several migrations");
        }
        List<Operation> operations = new ArrayList<>();
        for (int i = 0; i < ops.items().size(); i++) {
            operations.add(operation(fileName, "/operations/" + i, ops.items().get(i), positions));
        }
        MigrationSource source = new MigrationSource(fileName, positions);
        DuplicateNames.check(operations, source);
        return new Migration(name, operations, sha256(content), source);
    }

    private static Operation operation(String file, String path, Node node, Map<String, Position> positions) {
        FieldReader wrapper = new FieldReader(file, path, node, positions);
        if (wrapper.fieldNames().size() != 1) {
            throw wrapper.error(path, wrapper.position(), "an operation is an object with exactly one key, the operation's name ("
                    + String.join(", ", OPERATIONS.keySet()) + "); found " + wrapper.fieldNames().size() + " keys");
        }
        String kind = wrapper.fieldNames().iterator().next();
        Function<FieldReader, Operation> parser = OPERATIONS.get(kind);
        if (parser == null) {
            throw wrapper.error(path + "/" + kind, wrapper.keyPosition(kind),
                    "unknown operation " + Excerpt.key(kind) + "; expected one of " + String.join(", ", OPERATIONS.keySet()));
        }
        FieldReader fields = wrapper.object(kind);
        Operation op = parser.apply(fields);
        fields.done();
        wrapper.done();
        return op;
    }

    private static Operation createTable(FieldReader f) {
        String name = f.requiredIdentifier("name");
        List<ColumnDef> columns = f.requiredObjectList("columns", MAX_COLUMNS, (c, i) -> column(c));
        List<String> primaryKey = keyColumns(f, "primary_key", f.optionalIdentifierList("primary_key"));
        List<Operation.TableConstraint> constraints = f.optional("constraints").isPresent()
                ? f.requiredObjectList("constraints", (c, i) -> constraint(c)) : List.of();
        Optional<String> primaryKeyName = f.optionalIdentifier("primary_key_name");
        if (primaryKeyName.isPresent() && primaryKey.isEmpty()) {
            throw f.error(f.path("primary_key_name"), f.optional("primary_key_name").get().position(),
                    "'primary_key_name' names the key of 'primary_key', which is missing");
        }
        return new Operation.CreateTable(name, columns, primaryKey, constraints, f.optionalComment("comment", MAX_TABLE_COMMENT),
                primaryKeyName);
    }

    /** {@code comment} is required, and null (or empty) removes the comment. */
    private static Operation setComment(FieldReader f) {
        String table = f.requiredIdentifier("table");
        Optional<String> column = f.optionalIdentifier("column");
        if (!f.has("comment")) {
            throw f.error(f.path(), f.position(), "missing required field 'comment' (null removes the comment)");
        }
        Optional<String> comment = f.optionalComment("comment", column.isPresent() ? MAX_COLUMN_COMMENT : MAX_TABLE_COMMENT)
                .filter(c -> !c.isEmpty());
        return new Operation.SetComment(table, column, comment);
    }

    /** An index's or key's columns: at most {@link #MAX_KEY_COLUMNS}, as the servers allow. */
    private static List<String> keyColumns(FieldReader f, String field, List<String> columns) {
        if (columns.size() > MAX_KEY_COLUMNS) {
            throw f.error(f.path(field), f.optional(field).get().position(), columns.size() + " columns: an index or key has"
                    + " at most " + MAX_KEY_COLUMNS + " columns");
        }
        return columns;
    }

    private static Operation.TableConstraint constraint(FieldReader c) {
        String name = c.requiredIdentifier("name");
        Optional<String> check = c.optionalExpression("check");
        List<String> unique = keyColumns(c, "unique", c.optionalIdentifierList("unique"));
        if (check.isPresent() == !unique.isEmpty()) {
            throw c.error(c.path(), c.position(), "a constraint has exactly one of 'check' or 'unique'");
        }
        return new Operation.TableConstraint(name, check, unique);
    }

    private static ColumnDef column(FieldReader c) {
        String name = c.requiredIdentifier("name");
        String type = checkedType(c, c.requiredString("type"));
        boolean nullable = c.optionalBoolean("nullable", true);
        Optional<String> defaultValue = c.optionalExpression("default");
        Named<Boolean> unique = unique(c);
        Optional<ForeignKeyRef> references = c.optionalObject("references").map(r -> references(r, true));
        Named<String> check = check(c);
        ColumnDef col = new ColumnDef(name, type, nullable, defaultValue, unique.value().orElse(false), references,
                check.value(), c.optionalComment("comment", MAX_COLUMN_COMMENT), unique.name(), check.name(),
                OptionFields.generated(c));
        c.done();
        return col;
    }

    /** A constraint's value and the name the file gives it, if it gives one. */
    private record Named<T>(Optional<T> value, Optional<String> name) {}

    private static final Map<String, Operation.ConstraintType> CONSTRAINT_TYPES = Map.of(
            "unique", Operation.ConstraintType.UNIQUE, "check", Operation.ConstraintType.CHECK,
            "primary_key", Operation.ConstraintType.PRIMARY_KEY);

    private static Operation createConstraint(FieldReader f) {
        String table = f.requiredIdentifier("table");
        String name = f.requiredIdentifier("name");
        String typeText = f.requiredString("type");
        Operation.ConstraintType type = CONSTRAINT_TYPES.get(typeText.trim().toLowerCase(Locale.ROOT));
        if (type == null) {
            throw f.error(f.path("type"), f.optional("type").get().position(), "expected one of check, primary_key, unique");
        }
        List<String> columns = keyColumns(f, "columns", f.requiredIdentifierList("columns"));
        Optional<String> check = f.optionalExpression("check");
        if (check.isPresent() != (type == Operation.ConstraintType.CHECK)) {
            throw f.error(f.path(), f.position(), type == Operation.ConstraintType.CHECK
                    ? "a check constraint needs 'check', its expression" : "'check' is for a constraint of type check");
        }
        return new Operation.CreateConstraint(table, name, type, columns, check, perColumn(f, "up", columns),
                perColumn(f, "down", columns));
    }

    /** {@code up} or {@code down} of create_constraint: an expression for each of some of its columns. */
    private static Map<String, String> perColumn(FieldReader f, String field, List<String> columns) {
        Optional<FieldReader> values = f.optionalObject(field);
        if (values.isEmpty()) {
            return Map.of();
        }
        FieldReader v = values.get();
        Map<String, String> out = new LinkedHashMap<>();
        for (String column : List.copyOf(v.fieldNames())) {
            if (!columns.contains(column)) {
                throw v.error(v.path(column), v.keyPosition(column), "'" + FieldReader.printable(column)
                        + "' is not one of the constraint's columns");
            }
            out.put(column, v.requiredExpression(column));
        }
        v.done();
        return out;
    }

    /** {@code unique: true|false}, or {@code unique: {name}}: unique, with that name. */
    private static Named<Boolean> unique(FieldReader f) {
        Optional<Node> n = f.optional("unique");
        if (n.isPresent() && n.get() instanceof Node.ObjectNode) {
            FieldReader u = f.object("unique");
            Optional<String> name = Optional.of(u.requiredIdentifier("name"));
            u.done();
            return new Named<>(Optional.of(true), name);
        }
        return new Named<>(f.optionalBoolean("unique"), Optional.empty());
    }

    /** {@code check: EXPRESSION}, or {@code check: {name, expression}}. */
    private static Named<String> check(FieldReader f) {
        Optional<Node> n = f.optional("check");
        if (n.isPresent() && n.get() instanceof Node.ObjectNode) {
            FieldReader k = f.object("check");
            Optional<String> name = Optional.of(k.requiredIdentifier("name"));
            String expression = k.requiredExpression("expression");
            k.done();
            return new Named<>(Optional.of(expression), name);
        }
        return new Named<>(f.optionalExpression("check"), Optional.empty());
    }

    private static String checkedType(FieldReader f, String type) {
        if (!Identifiers.isValidType(type)) {
            throw f.error(f.path("type"), f.optional("type").get().position(), "invalid type '" + FieldReader.printable(type)
                    + "': expected a type name such as text, bigint, varchar(320), numeric(10,2) or text[], or on MariaDB and"
                    + " MySQL enum('a','b') / set('a','b') (values quoted, quotes doubled, no backslash)");
        }
        return type.trim();
    }

    private static Operation alterColumn(FieldReader f) {
        String table = f.requiredIdentifier("table");
        String column = f.requiredIdentifier("column");
        Optional<String> type = f.optionalString("type").map(t -> checkedType(f, t));
        Optional<Boolean> nullable = f.optionalBoolean("nullable");
        Optional<String> defaultValue = f.optionalExpression("default");
        Named<String> check = check(f);
        Named<Boolean> unique = unique(f);
        return new Operation.AlterColumn(table, column, type, nullable, defaultValue, check.value(), unique.value(),
                f.optionalObject("references").map(r -> references(r, true)),
                f.optionalExpression("up"), f.optionalExpression("down"), f.explicitNull("default"),
                // null removes the comment (an empty one); absent, the new column keeps the old one's
                f.has("comment") ? Optional.of(f.optionalComment("comment", MAX_COLUMN_COMMENT).orElse("")) : Optional.empty(),
                unique.name(), check.name(), f.optionalIdentifier("after"), first(f));
    }

    /** {@code first: true}, which {@code after} must not be given with. */
    private static boolean first(FieldReader f) {
        boolean first = f.optionalBoolean("first", false);
        if (first && f.optional("after").isPresent()) {
            throw f.error(f.path("first"), f.optional("first").get().position(), "give either 'first: true' or 'after', not both");
        }
        return first;
    }

    /**
     * A column's {@code references} ({@code onDeleteHere}) may name its key; add_foreign_key's
     * {@code references} has its {@code name} and {@code on_delete} beside it.
     */
    private static ForeignKeyRef references(FieldReader r, boolean onDeleteHere) {
        ForeignKeyRef ref = new ForeignKeyRef(r.requiredIdentifier("table"),
                r.optional("columns").isPresent() ? r.requiredIdentifierList("columns") : List.of(),
                onDeleteHere ? onDelete(r) : Optional.empty(), Optional.empty(), Optional.empty(),
                onDeleteHere ? r.optionalIdentifier("name") : Optional.empty());
        if (onDeleteHere) {
            ref = OptionFields.keyOptions(r, ref);
        }
        r.done();
        return ref;
    }

    private static Optional<String> onDelete(FieldReader f) {
        return action(f, "on_delete");
    }

    /** A foreign key's action, {@code on_delete} or {@code on_update}: one of {@link #ON_DELETE}, as SQL. */
    static Optional<String> action(FieldReader f, String field) {
        return f.optionalString(field).map(v -> {
            String norm = v.trim().toUpperCase(Locale.ROOT).replaceAll("[_\\s]+", " ");
            if (!ON_DELETE.contains(norm)) {
                throw f.error(f.path(field), f.optional(field).get().position(),
                        "expected one of " + String.join(", ", ON_DELETE.stream().sorted().toList()));
            }
            return norm;
        });
    }

    /**
     * With {@code on_complete: true}, {@code up} runs at complete: nothing runs before it that a
     * rollback would undo, and complete is not rolled back, so a {@code down} is refused.
     */
    private static Operation.Sql sql(FieldReader f) {
        String up = f.requiredStatements("up");
        Optional<String> down = f.optionalStatements("down");
        boolean online = f.optionalBoolean("online", false);
        boolean onComplete = f.optionalBoolean("on_complete", false);
        if (onComplete && down.isPresent()) {
            throw f.error(f.path("down"), f.optional("down").get().position(), "'down' is not allowed with on_complete:"
                    + " true; 'up' runs at complete, so rollback (possible only before complete) has nothing to undo");
        }
        return new Operation.Sql(up, down, online, onComplete);
    }

    /** {@code identity: {type: full|default|nothing|index, index: name}}; {@code index} with type index only. */
    private static Operation.SetReplicaIdentity setReplicaIdentity(FieldReader f) {
        String table = f.requiredIdentifier("table");
        FieldReader identity = f.object("identity");
        String type = identity.requiredString("type");
        Operation.ReplicaIdentity kind = java.util.Arrays.stream(Operation.ReplicaIdentity.values())
                .filter(k -> k.label().equalsIgnoreCase(type.strip())).findFirst()
                .orElseThrow(() -> identity.error(identity.path("type"), identity.optional("type").get().position(),
                        "unknown replica identity '" + FieldReader.printable(type) + "'; expected one of default, full,"
                                + " index, nothing"));
        Optional<String> index = identity.optionalIdentifier("index");
        if (kind == Operation.ReplicaIdentity.INDEX && index.isEmpty()) {
            throw identity.error(identity.path(), identity.position(), "missing required field 'index': type index"
                    + " names the unique index that identifies a row");
        }
        if (kind != Operation.ReplicaIdentity.INDEX && index.isPresent()) {
            throw identity.error(identity.path("index"), identity.optional("index").get().position(),
                    "'index' is only for type index (this is type " + kind.label() + ")");
        }
        identity.done();
        return new Operation.SetReplicaIdentity(table, kind, index);
    }

    private static Operation.CreateIndex createIndex(FieldReader f) {
        String name = f.requiredIdentifier("name");
        String table = f.requiredIdentifier("table");
        OptionFields.IndexColumns columns = OptionFields.indexColumns(f, "columns", MAX_KEY_COLUMNS);
        List<String> include = keyColumns(f, "include", f.optionalIdentifierList("include"));
        for (int i = 0; i < include.size(); i++) {
            if (columns.names().contains(include.get(i))) {
                throw f.error(f.path("include/" + i), f.optional("include").get().position(), "column '" + include.get(i)
                        + "' is a key of the index already; 'include' names columns stored beside the keys");
            }
        }
        if (columns.names().size() + include.size() > MAX_KEY_COLUMNS) {
            throw f.error(f.path("include"), f.optional("include").get().position(), (columns.names().size() + include.size())
                    + " columns with 'include': an index has at most " + MAX_KEY_COLUMNS + ", its included columns counted");
        }
        return new Operation.CreateIndex(name, table, columns.names(), f.optionalBoolean("unique", false),
                f.optionalExpression("where"), method(f), include, columns.opclasses(),
                OptionFields.storageParameters(f, "storage_parameters"));
    }

    private static Optional<String> method(FieldReader f) {
        return f.optionalString("method").map(m -> {
            String lower = m.toLowerCase(Locale.ROOT);
            if (!INDEX_METHODS.contains(lower)) {
                throw f.error(f.path("method"), f.optional("method").get().position(),
                        "unknown index method '" + FieldReader.printable(m) + "'; expected one of " + String.join(", ", INDEX_METHODS.stream().sorted().toList()));
            }
            return lower;
        });
    }

    private static Operation.TablePart part(FieldReader p) {
        return new Operation.TablePart(p.requiredIdentifier("name"), p.requiredIdentifierList("columns"),
                p.optionalIdentifierList("primary_key"));
    }

    private static Operation.TablePart mergeInto(FieldReader f) {
        FieldReader into = f.object("into");
        Operation.TablePart part = part(into);
        into.done();
        return part;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
