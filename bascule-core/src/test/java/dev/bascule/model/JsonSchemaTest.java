package dev.bascule.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.bascule.api.InvalidMigrationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The published JSON Schema describes what {@link MigrationReader} accepts. */
class JsonSchemaTest {
    static final String RESOURCE = "/dev/bascule/bascule-migration.schema.json";
    /** The published copy, relative to the module directory (surefire's working directory). */
    static final Path PUBLISHED = Path.of("..", "schema", "bascule-migration.schema.json");

    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode schemaNode;
    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = JsonSchemaTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as("classpath resource " + RESOURCE).isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        try (InputStream in = JsonSchemaTest.class.getResourceAsStream(RESOURCE)) {
            schemaNode = JSON.readTree(in);
        }
    }

    private static Set<ValidationMessage> validateYaml(String yaml) {
        try {
            return schema.validate(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readerAccepts(String fileName, String content) {
        MigrationReader.read(fileName, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void readerRefuses(String fileName, String content) {
        assertThatThrownBy(() -> MigrationReader.read(fileName, content.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidMigrationException.class);
    }

    // ---------------------------------------------------------------- the schema file

    @Test
    void theSchemaNamesItselfForEditorsAndValidators() {
        assertThat(schemaNode.get("$id").asText()).isEqualTo("https://bascule.dev/schema/bascule-migration.schema.json");
        assertThat(schemaNode.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void theShippedResourceIsThePublishedSchema() throws IOException {
        assertThat(PUBLISHED).as("published schema, relative to " + Path.of("").toAbsolutePath()).exists();
        String published = Files.readString(PUBLISHED, StandardCharsets.UTF_8);
        String shipped;
        try (InputStream in = JsonSchemaTest.class.getResourceAsStream(RESOURCE)) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(shipped).isEqualTo(published);
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(SchemaId.V202012));
        assertThat(meta.validate(schemaNode)).isEmpty();
        assertThat(schemaNode.path("$schema").asText()).isEqualTo(SchemaId.V202012);
    }

    @Test
    void operationNamesAreTheReadersOperationNames() {
        Set<String> inSchema = new LinkedHashSet<>();
        schemaNode.at("/$defs/operation/properties").fieldNames().forEachRemaining(inSchema::add);
        assertThat(inSchema).containsExactlyElementsOf(MigrationReader.operationNames());
        for (String op : inSchema) {
            assertThat(schemaNode.at("/$defs/" + op + "/type").asText()).as(op).isEqualTo("object");
            assertThat(schemaNode.at("/$defs/" + op + "/additionalProperties").asBoolean(true)).as(op).isFalse();
            assertThat(schemaNode.at("/$defs/" + op + "/description").asText()).as(op).isNotBlank();
        }
        assertThat(schemaNode.at("/$defs/operation/minProperties").asInt()).isEqualTo(1);
        assertThat(schemaNode.at("/$defs/operation/maxProperties").asInt()).isEqualTo(1);
        assertThat(schemaNode.at("/$defs/operation/additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void everyPropertyHasAOneLineDescription() {
        checkDescriptions(schemaNode, "");
    }

    private static void checkDescriptions(JsonNode node, String at) {
        if (node.isObject()) {
            JsonNode props = node.get("properties");
            if (props != null && props.isObject()) {
                props.fields().forEachRemaining(e -> {
                    boolean inBranch = at.contains("/oneOf/");
                    if (!inBranch) {
                        JsonNode d = e.getValue().get("description");
                        boolean viaRef = e.getValue().has("$ref") && at.endsWith("$defs/operation");
                        assertThat(viaRef || (d != null && !d.asText().isBlank())).as(at + "/properties/" + e.getKey()).isTrue();
                        if (d != null) {
                            assertThat(d.asText()).as(at + "/properties/" + e.getKey()).doesNotContain("\n");
                        }
                    }
                });
            }
            node.fields().forEachRemaining(e -> checkDescriptions(e.getValue(), at + "/" + e.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkDescriptions(node.get(i), at + "/" + i);
            }
        }
    }

    // ---------------------------------------------------------------- valid files

    static Stream<Arguments> validFiles() {
        return Stream.of(
                arguments("every operation", MigrationReaderTest.ALL_OPERATIONS_YAML),
                arguments("SPEC example", MigrationReaderTest.SPEC_EXAMPLE_YAML),
                arguments("minimal", """
                        operations:
                          - create_table: {name: t, columns: [{name: id, type: bigint}]}
                          - create_index: {name: t_idx, table: t, columns: [id]}
                          - add_foreign_key: {table: t, columns: [id], references: {table: u}}
                          - sql: {up: "select 1"}
                          - alter_column: {table: t, column: id}
                        """),
                arguments("nulls for optional fields", """
                        name: ~
                        operations:
                          - add_column:
                              table: t
                              column: {name: c, type: text, nullable: null, default: ~, references: null}
                              up:
                          - create_table: {name: u, columns: [{name: id, type: int}], primary_key: null, constraints: null}
                          - create_table:
                              name: v
                              columns: [{name: id, type: int}]
                              constraints: [{name: v_c, check: null, unique: [id]}, {name: v_d, check: "id > 0", unique: []}]
                        """),
                arguments("unquoted expressions", """
                        operations:
                          - add_column: {table: t, column: {name: a, type: int, default: 42, check: true}, up: 7}
                          - add_column: {table: t, column: {name: b, type: numeric, default: 2.5}, up: false}
                          - add_check: {table: t, name: c, expression: true}
                          - sql: {up: "select 1", down: 0}
                        """),
                arguments("types", """
                        operations:
                          - create_table:
                              name: t
                              columns:
                                - {name: a, type: "  timestamp with time zone  "}
                                - {name: b, type: "text[]"}
                                - {name: c, type: "numeric(10,2)"}
                                - {name: d, type: "pg_catalog.int4"}
                                - {name: e, type: "character varying(20)[]"}
                                - {name: f, type: "numeric( 10 , 2 )"}
                          - alter_column: {table: t, column: a, type: "double precision"}
                        """),
                arguments("spellings of on_delete and method", """
                        operations:
                          - add_foreign_key: {table: a, columns: [b_id], references: {table: b}, on_delete: " Set_Default "}
                          - add_foreign_key: {table: a, columns: [c_id], references: {table: c}, on_delete: restrict}
                          - add_foreign_key: {table: a, columns: [d_id], references: {table: d, columns: [id]}, on_delete: NO ACTION}
                          - add_column: {table: a, column: {name: e_id, type: int, references: {table: e, on_delete: set null}}}
                          - create_index: {name: i1, table: a, columns: [b_id], method: BRIN}
                          - create_index: {name: i2, table: a, columns: [b_id], method: spgist}
                        """),
                arguments("foreign key actions, match types and index options", """
                        operations:
                          - add_foreign_key: {table: a, columns: [b_id], references: {table: b}, on_update: " Set_Null ", match_type: full}
                          - add_column: {table: a, column: {name: e_id, type: int, references: {table: e, on_update: cascade, match_type: " Simple "}}}
                          - alter_column: {table: a, column: f, references: {table: e, columns: [id], on_update: null, match_type: null}}
                          - create_index:
                              name: i3
                              table: a
                              columns: [{name: b_id, opclass: int4_ops}, c, {name: d, opclass: {name: pg_catalog.text_pattern_ops}}, {name: e}]
                              include: [f, g]
                              storage_parameters: {fillfactor: 70, deduplicate_items: false, buffering: auto, ratio: 0.5}
                          - create_index: {name: i4, table: a, columns: [b_id], include: null, storage_parameters: null}
                        """),
                arguments("generated columns", """
                        operations:
                          - create_table:
                              name: t
                              columns:
                                - {name: a, type: int}
                                - {name: b, type: int, generated: {expression: "a * 2"}}
                                - {name: c, type: int, generated: {expression: "a + 1", stored: false}, unique: true}
                                - {name: d, type: int, generated: null}
                          - add_column: {table: t, column: {name: e, type: int, generated: {expression: 7, stored: null}}}
                        """),
                arguments("comments", """
                        operations:
                          - create_table:
                              name: t
                              comment: "A table"
                              columns: [{name: id, type: int, comment: "The key"}, {name: a, type: text, comment: null}]
                          - add_column: {table: t, column: {name: b, type: text, comment: ""}}
                          - alter_column: {table: t, column: a, comment: null}
                          - set_comment: {table: t, comment: "Another"}
                          - set_comment: {table: t, column: a, comment: null}
                        """),
                arguments("63-character identifier", "operations:\n  - drop_table: {name: t" + "x".repeat(62) + "}\n"),
                arguments("sql on complete", """
                        operations:
                          - sql: {up: "alter table t add column c int", on_complete: true}
                          - sql: {up: "select 1", on_complete: true, down: null, online: true}
                          - sql: {up: "select 1", down: "select 2", on_complete: false}
                          - sql: {up: "select 1", on_complete: null}
                        """),
                arguments("every replica identity", """
                        operations:
                          - set_replica_identity: {table: t, identity: {type: full}}
                          - set_replica_identity: {table: t, identity: {type: default, index: null}}
                          - set_replica_identity: {table: t, identity: {type: NOTHING}}
                          - set_replica_identity: {table: t, identity: {type: " Index ", index: t_key}}
                        """),
                arguments("named constraints and rename_constraint", """
                        operations:
                          - create_table:
                              name: t
                              columns:
                                - {name: id, type: bigint, nullable: false}
                                - {name: a, type: int, unique: {name: t_a_uq}, check: {name: t_a_positive, expression: "a > 0"}}
                                - {name: u, type: bigint, references: {name: t_u_fk, table: u, columns: [id], on_delete: cascade}}
                                - {name: b, type: int, unique: false, check: "b > 0"}
                              primary_key: [id]
                              primary_key_name: t_pk
                          - add_column: {table: t, column: {name: c, type: int, unique: {name: t_c_uq}, check: {name: t_c_ck, expression: 1}}}
                          - alter_column: {table: t, column: b, unique: {name: t_b_uq}, check: {name: t_b_ck, expression: "b < 9"}}
                          - rename_constraint: {table: t, from: t_a_uq, to: t_a_key}
                        """),
                arguments("rebuild_table, positions, enum and set", """
                        operations:
                          - rebuild_table: {table: t}
                          - rebuild_table: {table: t, engine: " InnoDB ", charset: utf8mb4, collation: null, row_format: compressed}
                          - rebuild_table: {table: t, primary_key: [a, b], previous_key_name: t_id_key}
                          - rebuild_table: {table: t, primary_key: null, engine: null}
                          - add_column: {table: t, column: {name: e, type: "enum('a', 'it''s') CHARACTER SET utf8mb4"}, after: id}
                          - add_column: {table: t, column: {name: s, type: "SET('x','y')"}, first: true, after: null}
                          - alter_column: {table: t, column: e, type: "enum('a','it''s','b')"}
                          - alter_column: {table: t, column: e, after: id}
                          - alter_column: {table: t, column: s, type: int, first: true}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void validFilesHaveNoMessages(String label, String yaml) {
        readerAccepts("0001_sample.yaml", yaml);
        assertThat(validateYaml(yaml)).isEmpty();
    }

    @Test
    void validJsonFileHasNoMessages() throws IOException {
        readerAccepts("0007_everything.json", MigrationReaderTest.ALL_OPERATIONS_JSON);
        assertThat(schema.validate(JSON.readTree(MigrationReaderTest.ALL_OPERATIONS_JSON))).isEmpty();
    }

    // ---------------------------------------------------------------- invalid files: schema and reader agree

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                arguments("unknown operation", """
                        operations:
                          - rename_tabel: {from: a, to: b}
                        """),
                arguments("two operations in one item", """
                        operations:
                          - drop_table: {name: a}
                            drop_index: {name: b}
                        """),
                arguments("empty operation", "operations:\n  - {}\n"),
                arguments("unknown field", """
                        operations:
                          - add_column:
                              table: users
                              column: {name: email, type: text, nulable: false}
                        """),
                arguments("unknown top-level field", "operations:\n  - drop_table: {name: a}\nauthor: me\n"),
                arguments("on_delete inside add_foreign_key.references", """
                        operations:
                          - add_foreign_key: {table: t, columns: [a], references: {table: u, on_delete: cascade}}
                        """),
                arguments("injected identifier", """
                        operations:
                          - drop_table: {name: "users; DROP TABLE x"}
                        """),
                arguments("identifier with a double quote", """
                        operations:
                          - rename_column: {table: users, from: name, to: 'full"name'}
                        """),
                arguments("64-character identifier", "operations:\n  - drop_table: {name: t" + "x".repeat(63) + "}\n"),
                arguments("identifier starting with a digit", "operations:\n  - drop_table: {name: 1users}\n"),
                arguments("number as identifier", "operations:\n  - drop_table: {name: 42}\n"),
                arguments("missing field", "operations:\n  - add_column: {table: users}\n"),
                arguments("missing nested field", """
                        operations:
                          - add_column: {table: users, column: {name: email}}
                        """),
                arguments("null required field", "operations:\n  - rename_table: {from: a, to: null}\n"),
                arguments("null operation", "operations:\n  - drop_table:\n"),
                arguments("sql without up", "operations:\n  - sql: {down: x}\n"),
                arguments("missing operations", "name: x\n"),
                arguments("empty operations", "operations: []\n"),
                arguments("operations is an object", "operations: {drop_table: {name: a}}\n"),
                arguments("nullable is a string", """
                        operations:
                          - add_column: {table: t, column: {name: a, type: text, nullable: "yes"}}
                        """),
                arguments("columns is a string", "operations:\n  - create_index: {name: i, table: t, columns: \"x\"}\n"),
                arguments("table columns is a string", "operations:\n  - create_table: {name: t, columns: \"x\"}\n"),
                arguments("expression is a list", """
                        operations:
                          - add_column: {table: t, column: {name: a, type: int}, up: [1]}
                        """),
                arguments("blank expression", "operations:\n  - add_check: {table: t, name: c, expression: \"  \"}\n"),
                arguments("injected type", """
                        operations:
                          - add_column: {table: t, column: {name: a, type: "text; drop table x"}}
                        """),
                arguments("empty columns", "operations:\n  - create_table: {name: t, columns: []}\n"),
                arguments("empty index columns", "operations:\n  - create_index: {name: i, table: t, columns: []}\n"),
                arguments("empty referenced columns", """
                        operations:
                          - add_foreign_key: {table: t, columns: [a], references: {table: u, columns: []}}
                        """),
                arguments("duplicate name in a list", "operations:\n  - create_index: {name: i, table: t, columns: [a, b, a]}\n"),
                arguments("bad on_delete", """
                        operations:
                          - add_foreign_key: {table: t, columns: [a], references: {table: u}, on_delete: explode}
                        """),
                arguments("match type partial", """
                        operations:
                          - add_foreign_key: {table: t, columns: [a], references: {table: u}, match_type: partial}
                        """),
                arguments("bad on_update", """
                        operations:
                          - add_column: {table: t, column: {name: a, type: int, references: {table: u, on_update: explode}}}
                        """),
                arguments("SQL as a storage parameter", """
                        operations:
                          - create_index: {name: i, table: t, columns: [a], storage_parameters: {fillfactor: "70) WITH (x"}}
                        """),
                arguments("SQL as an operator class", """
                        operations:
                          - create_index: {name: i, table: t, columns: [{name: a, opclass: "int4_ops, b"}]}
                        """),
                arguments("operator class parameters", """
                        operations:
                          - create_index: {name: i, table: t, columns: [{name: a, opclass: {name: x, params: [y]}}]}
                        """),
                arguments("unknown index column field", """
                        operations:
                          - create_index: {name: i, table: t, columns: [{name: a, sort: DESC}]}
                        """),
                arguments("generated without expression", """
                        operations:
                          - add_column: {table: t, column: {name: a, type: int, generated: {stored: true}}}
                        """),
                arguments("generated with an unknown field", """
                        operations:
                          - add_column: {table: t, column: {name: a, type: int, generated: {expression: "1", identity: {}}}}
                        """),
                arguments("bad index method", "operations:\n  - create_index: {name: i, table: t, columns: [a], method: btree2}\n"),
                arguments("constraint with check and unique", """
                        operations:
                          - create_table:
                              name: t
                              columns: [{name: a, type: int}]
                              constraints: [{name: c, check: "a > 0", unique: [a]}]
                        """),
                arguments("constraint with neither", """
                        operations:
                          - create_table:
                              name: t
                              columns: [{name: a, type: int}]
                              constraints: [{name: c, check: null, unique: []}]
                        """),
                arguments("invalid migration name", "name: \"0001 bad\"\noperations:\n  - drop_table: {name: a}\n"),
                arguments("injected type in alter_column",
                        "operations:\n  - alter_column: {table: t, column: a, type: \"text; drop table x\"}\n"),
                arguments("empty split_table into", "operations:\n  - split_table: {from: t, into: []}\n"),
                arguments("misspelt operations", "operation:\n  - drop_table: {name: a}\n"),
                arguments("set_comment without comment", "operations:\n  - set_comment: {table: t, column: a}\n"),
                arguments("comment is a number", "operations:\n  - set_comment: {table: t, comment: 42}\n"),
                arguments("column comment too long", "operations:\n  - add_column: {table: t, column: {name: a, type: int, comment: \""
                        + "x".repeat(1025) + "\"}}\n"),
                arguments("root is a list", "- drop_table: {name: a}\n"),
                arguments("sql on complete with down", "operations:\n  - sql: {up: x, down: y, on_complete: true}\n"),
                arguments("on_complete is a string", "operations:\n  - sql: {up: x, on_complete: \"yes\"}\n"),
                arguments("replica identity index without index",
                        "operations:\n  - set_replica_identity: {table: t, identity: {type: index}}\n"),
                arguments("replica identity full with index",
                        "operations:\n  - set_replica_identity: {table: t, identity: {type: full, index: i}}\n"),
                arguments("unknown replica identity",
                        "operations:\n  - set_replica_identity: {table: t, identity: {type: everything}}\n"),
                arguments("replica identity without type", "operations:\n  - set_replica_identity: {table: t, identity: {}}\n"),
                arguments("replica identity unknown field",
                        "operations:\n  - set_replica_identity: {table: t, identity: {type: full, colums: [a]}}\n"),
                arguments("replica identity without identity", "operations:\n  - set_replica_identity: {table: t}\n"),
                arguments("replica identity bad index name",
                        "operations:\n  - set_replica_identity: {table: t, identity: {type: index, index: \"a b\"}}\n"),
                arguments("named unique without name",
                        "operations:\n  - add_column: {table: t, column: {name: a, type: int, unique: {}}}\n"),
                arguments("named check without expression",
                        "operations:\n  - add_column: {table: t, column: {name: a, type: int, check: {name: a_ck}}}\n"),
                arguments("named check with an unknown field",
                        "operations:\n  - alter_column: {table: t, column: a, check: {name: a_ck, expression: x, constraint: y}}\n"),
                arguments("constraint name not an identifier",
                        "operations:\n  - add_column: {table: t, column: {name: a, type: int, unique: {name: \"a b\"}}}\n"),
                arguments("references name not an identifier", "operations:\n  - add_column: {table: t, column: {name: a, type: int,"
                        + " references: {table: u, name: \"1x\"}}}\n"),
                arguments("rename_constraint without to", "operations:\n  - rename_constraint: {table: t, from: a}\n"),
                arguments("rename_constraint bad name", "operations:\n  - rename_constraint: {table: t, from: a, to: \"b-c\"}\n"),
                arguments("rebuild_table without table", "operations:\n  - rebuild_table: {engine: InnoDB}\n"),
                arguments("rebuild_table other engine", "operations:\n  - rebuild_table: {table: t, engine: MyISAM}\n"),
                arguments("rebuild_table charset not a name", "operations:\n  - rebuild_table: {table: t, charset: \"utf8; x\"}\n"),
                arguments("rebuild_table unknown row format", "operations:\n  - rebuild_table: {table: t, row_format: fast}\n"),
                arguments("rebuild_table empty primary key", "operations:\n  - rebuild_table: {table: t, primary_key: []}\n"),
                arguments("rebuild_table unknown field", "operations:\n  - rebuild_table: {table: t, options: {}}\n"),
                arguments("enum value with a backslash", "operations:\n  - add_column: {table: t, column: {name: e, type: \"enum('a\\\\b')\"}}\n"),
                arguments("enum value not closed", "operations:\n  - add_column: {table: t, column: {name: e, type: \"enum('a', 'b)\"}}\n"),
                arguments("after not a name", "operations:\n  - add_column: {table: t, column: {name: e, type: int}, after: \"a b\"}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void invalidFilesHaveMessages(String label, String yaml) {
        readerRefuses("0001_sample.yaml", yaml);
        assertThat(validateYaml(yaml)).isNotEmpty();
    }

    @Test
    void messagesPointAtTheOffendingField() {
        assertThat(validateYaml("operations:\n  - drop_table: {name: a}\n  - rename_tabel: {from: a, to: b}\n"))
                .extracting(m -> m.getInstanceLocation().toString()).contains("$.operations[1]");
        assertThat(validateYaml("operations:\n  - add_column: {table: t, column: {name: a, type: text, nulable: false}}\n"))
                .extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("nulable"));
        assertThat(validateYaml("operations:\n  - drop_table: {name: \"users; DROP TABLE x\"}\n"))
                .extracting(m -> m.getInstanceLocation().toString()).contains("$.operations[0].drop_table.name");
        assertThat(validateYaml("operations:\n  - add_column: {column: {name: a, type: int}}\n"))
                .extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("table"));
    }

    // ---------------------------------------------------------------- where schema and reader differ

    @Test
    void checksOnlyTheReaderMakes() {
        // relations between fields and between operations are beyond a JSON Schema
        String[] files = {
                """
                operations:
                  - create_table: {name: t, columns: [{name: id, type: int}, {name: id, type: text}]}
                """,
                """
                operations:
                  - create_table: {name: t, columns: [{name: id, type: int}], primary_key: [uid]}
                """,
                """
                operations:
                  - create_index: {name: i, table: t, columns: [a]}
                  - create_index: {name: i, table: u, columns: [a]}
                """,
                """
                operations:
                  - create_table:
                      name: t
                      columns: [{name: id, type: int}]
                      constraints: [{name: c, check: "id > 0"}, {name: c, unique: [id]}]
                """,
        };
        for (String f : files) {
            assertThat(validateYaml(f)).as(f).isEmpty();
            readerRefuses("0001_sample.yaml", f);
        }
        // the name defaults to the file name, which the schema never sees
        readerRefuses("0001-dashes.yaml", "operations:\n  - drop_table: {name: a}\n");
    }
}
