package dev.bascule.model;

import dev.bascule.api.InvalidMigrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every class of bad input gives an {@link InvalidMigrationException} (exit code 2) whose message
 * reads {@code file:line:column: field: message}.
 *
 * <p>Errors about a key (unknown operation, unknown field, missing field, duplicate key or name) are
 * located at the key; errors about a value (wrong type, invalid identifier or type, empty list) at
 * the value. In block style the two are on different lines.
 */
class MigrationReaderErrorsTest {

    private static InvalidMigrationException fails(String file, String content) {
        Throwable t = catchThrowable(() -> MigrationReader.read(file, content.getBytes(StandardCharsets.UTF_8)));
        assertThat(t).as("%s should be refused", file).isInstanceOf(InvalidMigrationException.class);
        InvalidMigrationException e = (InvalidMigrationException) t;
        assertThat(e.exitCode()).isEqualTo(2);
        return e;
    }

    /** Checks the position, the field and that the message starts with {@code file:line:col: field: }. */
    private static void assertError(InvalidMigrationException e, String file, int line, int column, String field,
                                    String messagePart) {
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.line()).as("line of: %s", e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as("column of: %s", e.getMessage()).isEqualTo(column);
        assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
        String prefix = file + ":" + line + ":" + column + ": " + (field.isEmpty() ? "" : field + ": ");
        assertThat(e.getMessage()).startsWith(prefix).contains(messagePart);
    }

    private static void assertFails(String file, String content, int line, int column, String field, String messagePart) {
        assertError(fails(file, content), file, line, column, field, messagePart);
    }

    @Test
    void bytesThatAreNotUtf8AreNamedByLineAndColumn() {
        byte[] content = "operations:\n  - drop_column: {table: us\u00ffers, column: name}\n".getBytes(StandardCharsets.ISO_8859_1);
        Throwable t = catchThrowable(() -> MigrationReader.read("0001_x.yaml", content));
        assertThat(t).isInstanceOf(InvalidMigrationException.class);
        assertError((InvalidMigrationException) t, "0001_x.yaml", 2, 28, "", "not valid UTF-8: byte 0xFF at byte offset 39");
        assertThat(t.getMessage()).doesNotContain("Exception");
    }

    // ---------------------------------------------------------------- unknown operation

    @Test
    void unknownOperationYaml() {
        InvalidMigrationException e = fails("0001_x.yaml", """
                operations:
                  - create_table: {name: t, columns: [{name: id, type: bigint}]}
                  - rename_tabel: {from: a, to: b}
                """);
        assertError(e, "0001_x.yaml", 3, 5, "operations[1].rename_tabel", "unknown operation 'rename_tabel'");
        assertThat(e.getMessage()).contains("expected one of create_table, drop_table, rename_table,").contains("sql");
    }

    @Test
    void unknownOperationJson() {
        assertFails("0001_x.json", """
                {"operations": [
                  {"drop_table": {"name": "t"}},
                  {"truncate": {"name": "t"}}
                ]}
                """, 3, 4, "operations[1].truncate", "unknown operation 'truncate'");
    }

    @Test
    void anOperationHasExactlyOneKey() {
        assertFails("0001_x.yaml", """
                operations:
                  - drop_table: {name: a}
                    drop_index: {name: b}
                """, 2, 5, "operations[0]", "an operation is an object with exactly one key, the operation's name");
        assertFails("0001_x.yaml", """
                operations:
                  - {}
                """, 2, 5, "operations[0]", "found 0 keys");
    }

    @Test
    void unknownOperationIsReportedAtItsKey() {
        assertFails("0001_x.yaml", """
                operations:
                  - create_tabel:
                      name: x
                """, 2, 5, "operations[0].create_tabel", "unknown operation 'create_tabel'");
    }

    // ---------------------------------------------------------------- missing required field

    @Test
    void missingRequiredField() {
        InvalidMigrationException e = fails("0001_x.yaml", """
                operations:
                  - drop_table: {name: a}
                  - add_column: {table: users}
                """);
        assertThat(e.getMessage()).isEqualTo("0001_x.yaml:3:5: operations[1].add_column: missing required field 'column'");
    }

    @Test
    void missingRequiredNestedField() {
        assertFails("0001_x.yaml", """
                operations:
                  - add_column:
                      table: users
                      column:
                        name: email
                        nullable: false
                """, 4, 7, "operations[0].add_column.column", "missing required field 'type'");
        assertFails("0001_x.yaml", """
                operations:
                  - merge_tables: {from: [a, b], into: {columns: [x]}}
                """, 2, 34, "operations[0].merge_tables.into", "missing required field 'name'");
    }

    @Test
    void nullCountsAsMissing() {
        assertFails("0001_x.yaml", """
                operations:
                  - rename_table: {from: a, to: null}
                """, 2, 5, "operations[0].rename_table", "missing required field 'to'");
        assertFails("0001_x.yaml", """
                operations:
                  - drop_table:
                """, 2, 5, "operations[0]", "missing required field 'drop_table'");
    }

    @Test
    void missingOperations() {
        InvalidMigrationException e = fails("0001_x.yaml", "name: x\n");
        assertThat(e.getMessage()).isEqualTo("0001_x.yaml:1:1: missing required field 'operations'");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(1);
    }

    @Test
    void sqlNeedsUp() {
        assertFails("0001_x.yaml", """
                operations:
                  - sql: {down: "select 1", online: true}
                """, 2, 5, "operations[0].sql", "missing required field 'up'");
    }

    // ---------------------------------------------------------------- unknown field

    @Test
    void unknownFieldTypo() {
        InvalidMigrationException e = fails("0002_x.yaml", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: bigint}
                  - add_column:
                      table: users
                      column: {name: email, type: text, nulable: false}
                """);
        assertError(e, "0002_x.yaml", 8, 41, "operations[1].add_column.column.nulable", "unknown field 'nulable'");
        assertThat(e.getMessage()).endsWith("expected one of check, comment, default, generated, name, nullable, references, type, unique");
    }

    @Test
    void unknownFieldJson() {
        assertFails("0002_x.json", """
                {"operations": [{"create_index": {"name": "i", "table": "t", "columns": ["a"], "uniq": true}}]}
                """, 1, 80, "operations[0].create_index.uniq", "unknown field 'uniq'");
    }

    @Test
    void onDeleteBelongsToTheOperationNotToReferencesInAddForeignKey() {
        assertFails("0002_x.yaml", """
                operations:
                  - add_foreign_key: {table: t, columns: [a], references: {table: u, on_delete: cascade}}
                """, 2, 70, "operations[0].add_foreign_key.references.on_delete", "unknown field 'on_delete'; expected one of columns, table");
    }

    @Test
    void unknownFieldIsReportedAtItsKey() {
        assertFails("0002_x.yaml", """
                operations:
                  - add_column:
                      table: users
                      column:
                        name: email
                        type: text
                        nulable:
                          - false
                """, 7, 9, "operations[0].add_column.column.nulable", "unknown field 'nulable'");
    }

    @Test
    void misspeltOperationsIsNamed() {
        InvalidMigrationException e = fails("0002_x.yaml", """
                operation:
                  - drop_table: {name: a}
                """);
        assertError(e, "0002_x.yaml", 1, 1, "operation", "unknown field 'operation'; expected one of name, operations");
        assertThat(e.getMessage()).contains("operation'");
    }

    @Test
    void unknownTopLevelField() {
        assertFails("0002_x.yaml", """
                operations:
                  - drop_table: {name: a}
                author: me
                """, 3, 1, "author", "unknown field 'author'; expected one of name, operations");
    }

    // ---------------------------------------------------------------- wrong type

    @Test
    void wrongTypeBoolean() {
        assertFails("0003_x.yaml", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text, nullable: "yes"}
                """, 4, 51, "operations[0].add_column.column.nullable", "expected true or false, found a string");
    }

    @Test
    void wrongTypeList() {
        assertFails("0003_x.yaml", """
                operations:
                  - create_index: {name: i, table: t, columns: "x"}
                """, 2, 48, "operations[0].create_index.columns", "expected a list of names, found a string");
        assertFails("0003_x.yaml", """
                operations:
                  - create_table: {name: t, columns: "x"}
                """, 2, 38, "operations[0].create_table.columns", "expected a list, found a string");
        assertFails("0003_x.yaml", """
                operations:
                  - split_table: {from: a, into: [{name: b, columns: [x], primary_key: "x"}]}
                """, 2, 72, "operations[0].split_table.into[0].primary_key", "expected a list of names, found a string");
    }

    @Test
    void wrongTypeScalar() {
        assertFails("0003_x.yaml", """
                operations:
                  - drop_table: {name: 42}
                """, 2, 24, "operations[0].drop_table.name", "expected a name, found a number");
        assertFails("0003_x.yaml", """
                operations:
                  - add_column: {table: t, column: {name: a, type: 5}}
                """, 2, 52, "operations[0].add_column.column.type", "expected a string, found a number");
        assertFails("0003_x.yaml", """
                operations:
                  - add_column: {table: t, column: {name: a, type: int}, up: [1]}
                """, 2, 62, "operations[0].add_column.up", "expected a string, found a list");
    }

    @Test
    void wrongTypeObject() {
        assertFails("0003_x.yaml", """
                operations:
                  - drop_table: a
                """, 2, 17, "operations[0].drop_table", "expected an object, found a string");
        assertFails("0003_x.yaml", "operations: {drop_table: {name: a}}\n",
                1, 13, "operations", "expected a list of operations, found an object");
        assertFails("0003_x.yaml", "- drop_table: {name: a}\n", 1, 1, "", "expected an object, found a list");
        assertFails("0003_x.yaml", """
                operations:
                  - drop_table: {name: a}
                  -
                """, 3, 4, "operations[1]", "expected an object, found null");
    }

    @Test
    void blankStringsAreRefused() {
        assertFails("0003_x.yaml", """
                operations:
                  - add_check: {table: t, name: c, expression: "   "}
                """, 2, 48, "operations[0].add_check.expression", "must not be empty");
    }

    @Test
    void unknownEnumValues() {
        assertFails("0003_x.yaml", """
                operations:
                  - add_foreign_key: {table: t, columns: [a], references: {table: u}, on_delete: explode}
                """, 2, 82, "operations[0].add_foreign_key.on_delete",
                "expected one of CASCADE, NO ACTION, RESTRICT, SET DEFAULT, SET NULL");
        assertFails("0003_x.yaml", """
                operations:
                  - create_index: {name: i, table: t, columns: [a], method: "btree; drop"}
                """, 2, 61, "operations[0].create_index.method", "unknown index method 'btree; drop'");
    }

    @Test
    void aTableConstraintHasExactlyOneOfCheckOrUnique() {
        assertFails("0003_x.yaml", """
                operations:
                  - create_table:
                      name: t
                      columns: [{name: a, type: int}]
                      constraints:
                        - {name: c, check: "a > 0", unique: [a]}
                """, 6, 11, "operations[0].create_table.constraints[0]", "a constraint has exactly one of 'check' or 'unique'");
        assertFails("0003_x.yaml", """
                operations:
                  - create_table:
                      name: t
                      columns: [{name: a, type: int}]
                      constraints:
                        - {name: c}
                """, 6, 11, "operations[0].create_table.constraints[0]", "a constraint has exactly one of 'check' or 'unique'");
    }

    // ---------------------------------------------------------------- invalid identifier

    @Test
    void injectedIdentifier() {
        InvalidMigrationException e = fails("0004_x.yaml", """
                operations:
                  - drop_table:
                      name: "users; DROP TABLE x"
                """);
        assertThat(e.getMessage()).isEqualTo("0004_x.yaml:3:13: operations[0].drop_table.name: invalid identifier "
                + "'users; DROP TABLE x': use letters, digits and _, starting with a letter or _, at most 63 characters");
    }

    @Test
    void identifierWithADoubleQuote() {
        assertFails("0004_x.yaml", """
                operations:
                  - rename_column: {table: users, from: name, to: 'full"name'}
                """, 2, 51, "operations[0].rename_column.to", "invalid identifier 'full\"name'");
        assertFails("0004_x.json", """
                {"operations": [{"add_check": {"table": "t", "name": "c\\"; drop", "expression": "a > 0"}}]}
                """, 1, 54, "operations[0].add_check.name", "invalid identifier 'c\"; drop'");
    }

    @Test
    void identifierOf64Characters() {
        String name64 = "c".repeat(64);
        assertFails("0004_x.yaml", "operations:\n  - create_index: {name: i, table: t, columns: [a, " + name64 + "]}\n",
                2, 52, "operations[0].create_index.columns[1]", "invalid identifier '" + name64.substring(0, 40) + "...'");
    }

    @Test
    void identifierStartingWithADigit() {
        assertFails("0004_x.yaml", """
                operations:
                  - drop_table: {name: 1users}
                """, 2, 24, "operations[0].drop_table.name", "invalid identifier '1users'");
    }

    @Test
    void invalidMigrationName() {
        assertFails("0004_x.yaml", """
                name: "0001 bad name"
                operations:
                  - drop_table: {name: a}
                """, 1, 7, "name", "invalid migration name '0001 bad name'");
        InvalidMigrationException e = fails("0001-bad-file.yaml", "operations:\n  - drop_table: {name: a}\n");
        assertError(e, "0001-bad-file.yaml", 1, 1, "name", "invalid migration name '0001-bad-file'");
        assertThat(e.getMessage()).contains("set 'name' to override");
    }

    // ---------------------------------------------------------------- invalid type

    @Test
    void alterColumnTypeIsValidated() {
        assertFails("0005_x.yaml", """
                operations:
                  - alter_column: {table: users, column: email, type: "text; drop table x"}
                """, 2, 55, "operations[0].alter_column.type", "invalid type 'text; drop table x'");
        assertFails("0005_x.yaml", """
                operations:
                  - alter_column:
                      table: users
                      column: email
                      type: 5
                """, 5, 13, "operations[0].alter_column.type", "expected a string, found a number");
    }

    @Test
    void injectedType() {
        InvalidMigrationException e = fails("0005_x.yaml", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: "text; drop table x"}
                """);
        assertError(e, "0005_x.yaml", 4, 35, "operations[0].add_column.column.type", "invalid type 'text; drop table x'");
    }

    @Test
    void injectedTypeInCreateTable() {
        assertFails("0005_x.yaml", """
                operations:
                  - create_table:
                      name: t
                      columns:
                        - {name: a, type: "int) ; drop table x; --"}
                """, 5, 27, "operations[0].create_table.columns[0].type", "invalid type");
    }

    // ---------------------------------------------------------------- duplicate names

    @Test
    void duplicateColumnInCreateTable() {
        assertFails("0006_x.yaml", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: bigint}
                        - {name: email, type: text}
                        - {name: id, type: text}
                """, 7, 12, "operations[0].create_table.columns[2].name", "duplicate column 'id'");
    }

    @Test
    void duplicateIndexName() {
        assertFails("0006_x.yaml", """
                operations:
                  - create_index: {name: users_email_idx, table: users, columns: [email]}
                  - drop_table: {name: x}
                  - create_index: {name: users_email_idx, table: orders, columns: [email]}
                """, 4, 20, "operations[2].create_index.name", "duplicate index name 'users_email_idx'");
    }

    @Test
    void duplicateYamlKey() {
        InvalidMigrationException e = fails("0006_x.yaml", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text}
                      table: orders
                """);
        assertError(e, "0006_x.yaml", 5, 7, "operations[0].add_column.table", "duplicate field 'table'");
        assertThat(e.getMessage()).endsWith("duplicate field 'table'");
    }

    @Test
    void duplicateKeyNamesTheFullFieldPath() {
        assertFails("0006_x.yaml", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text}
                      table: orders
                """, 5, 7, "operations[0].add_column.table", "duplicate field 'table'");
        assertFails("0006_x.yaml", """
                operations:
                  - add_column: {table: t, column: {name: a, type: int, name: b}}
                """, 2, 57, "operations[0].add_column.column.name", "duplicate field 'name'");
        assertFails("0006_x.yaml", """
                operations:
                  - drop_table: {name: a}
                name: b
                operations: []
                """, 4, 1, "operations", "duplicate field 'operations'");
    }

    @Test
    void duplicateJsonKey() {
        InvalidMigrationException e = fails("0006_x.json", """
                {"operations": [{"drop_table": {"name": "a", "name": "b"}}]}
                """);
        assertError(e, "0006_x.json", 1, 46, "operations[0].drop_table.name", "duplicate field 'name'");
        assertThat(e.getMessage()).endsWith("duplicate field 'name'");
    }

    @Test
    void duplicateNameInAList() {
        assertFails("0006_x.yaml", """
                operations:
                  - create_index: {name: i, table: t, columns: [a, b, a]}
                """, 2, 55, "operations[0].create_index.columns[2]", "duplicate name 'a'");
    }

    @Test
    void sameColumnAddedTwice() {
        assertFails("0006_x.yaml", """
                operations:
                  - add_column: {table: t, column: {name: a, type: int}}
                  - add_column: {table: t, column: {name: a, type: text}}
                """, 3, 37, "operations[1].add_column.column.name", "duplicate column 'a' added twice to table 't'");
    }

    @Test
    void duplicateTableConstraintName() {
        assertFails("0006_x.yaml", """
                operations:
                  - create_table:
                      name: t
                      columns: [{name: id, type: int}]
                      constraints: [{name: c, check: "id > 0"}, {name: c, unique: [id]}]
                """, 5, 50, "operations[0].create_table.constraints[1].name", "duplicate constraint name 'c'");
    }

    @Test
    void duplicateConstraintName() {
        assertFails("0006_x.yaml", """
                operations:
                  - add_check: {table: t, name: c, expression: "a > 0"}
                  - add_foreign_key: {table: t, name: c, columns: [a], references: {table: u}}
                """, 3, 33, "operations[1].add_foreign_key.name", "duplicate constraint name 'c'");
    }

    @Test
    void primaryKeyColumnMustBeAColumn() {
        assertFails("0006_x.yaml", """
                operations:
                  - create_table: {name: t, columns: [{name: id, type: int}], primary_key: [uid]}
                """, 2, 63, "operations[0].create_table.primary_key", "primary key column 'uid' is not a column of the table");
    }

    // ---------------------------------------------------------------- empty

    @Test
    void emptyOperations() {
        assertFails("0007_x.yaml", """
                name: x
                operations: []
                """, 2, 13, "operations", "a migration needs at least one operation");
        assertFails("0007_x.json", "{\"operations\": []}", 1, 16, "operations", "a migration needs at least one operation");
    }

    @Test
    void emptyLists() {
        assertFails("0007_x.yaml", """
                operations:
                  - create_table: {name: t, columns: []}
                """, 2, 38, "operations[0].create_table.columns", "must not be empty");
        assertFails("0007_x.yaml", """
                operations:
                  - create_index: {name: i, table: t, columns: []}
                """, 2, 48, "operations[0].create_index.columns", "must not be empty");
    }

    @Test
    void splitTableNeedsATarget() {
        assertFails("0007_x.yaml", """
                operations:
                  - split_table: {from: users, into: []}
                """, 2, 38, "operations[0].split_table.into", "must not be empty");
    }

    @Test
    void emptyFile() {
        assertFails("0007_x.yaml", "", 1, 1, "", "the file is empty");
        assertFails("0007_x.json", "", 1, 1, "", "the file is empty");
    }

    // ---------------------------------------------------------------- malformed

    @Test
    void malformedYaml() {
        assertFails("0008_x.yaml", """
                operations:
                  - drop_table: {name: a
                  - drop_table: {name: b}
                """, 3, 15, "", "not valid YAML: while parsing a flow mapping");
        assertFails("0008_x.yaml", """
                operations:
                  - drop_table:
                      name: a
                     bad: indent
                """, 4, 6, "", "not valid YAML");
    }

    @Test
    void malformedJson() {
        assertFails("0008_x.json", """
                {"operations": [{"drop_table": {"name": "a"}},]}
                """, 1, 47, "", "not valid JSON");
        assertFails("0008_x.json", """
                {"operations": [{"drop_table": {"name": "a"}}]}
                {"x": 1}
                """, 2, 1, "", "unexpected content after the migration");
    }

    @Test
    void yamlInAJsonFileIsMalformedJson() {
        InvalidMigrationException e = fails("0008_x.json", "operations:\n  - drop_table: {name: a}\n");
        assertThat(e.getMessage()).startsWith("0008_x.json:1:").contains("not valid JSON");
    }

    // ---------------------------------------------------------------- file

    @Test
    void unknownFileExtension() {
        assertThat(fails("0009_x.txt", "operations:\n  - drop_table: {name: a}\n").getMessage())
                .isEqualTo("0009_x.txt:1:1: unknown file type: a migration file ends in .yaml, .yml or .json");
        assertFails("0009_x", "operations: []", 1, 1, "", "unknown file type");
        assertFails("0009_x.sql", "drop table x;", 1, 1, "", "unknown file type");
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Throwable t = catchThrowable(() -> MigrationReader.read(dir.resolve("0009_missing.yaml")));
        assertThat(t).isInstanceOf(InvalidMigrationException.class);
        assertThat(((InvalidMigrationException) t).exitCode()).isEqualTo(2);
        assertThat(t.getMessage()).isEqualTo(dir.resolve("0009_missing.yaml") + ":1:1: file not found");
    }

    @Test
    void unreadableFile(@TempDir Path dir) {
        Throwable t = catchThrowable(() -> MigrationReader.read(dir)); // a directory cannot be read as a file
        assertThat(t).isInstanceOf(InvalidMigrationException.class);
        assertThat(t.getMessage()).startsWith(dir + ":1:1: ");
    }

    @Test
    void errorsFromAPathNameThePathAsGiven(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("0009_x.yaml"), "operations:\n  - drop_tabel: {name: a}\n");
        Throwable t = catchThrowable(() -> MigrationReader.read(f));
        assertThat(t).isInstanceOf(InvalidMigrationException.class);
        assertThat(t.getMessage()).startsWith(f + ":2:5: operations[0].drop_tabel: unknown operation 'drop_tabel'");
    }

    // ---------------------------------------------------------------- absurd counts

    @Test
    void twentyThousandColumnsAreRefusedQuicklyWithoutReadingThem() {
        StringBuilder yaml = new StringBuilder("operations:\n  - create_table:\n      name: wide\n      columns:\n");
        StringBuilder json = new StringBuilder("{\"operations\": [{\"create_table\": {\"name\": \"wide\", \"columns\": [");
        for (int c = 0; c < 20_000; c++) {
            yaml.append("        - {name: c").append(c).append(", type: int}\n");
            json.append(c == 0 ? "" : ", ").append("{\"name\": \"c").append(c).append("\", \"type\": \"int\"}");
        }
        json.append("]}}]}");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            assertFails("0001_wide.yaml", yaml.toString(), 5, 9, "operations[0].create_table.columns",
                    "20000 items: at most 1600 are allowed");
            assertFails("0001_wide.json", json.toString(), 1, 62, "operations[0].create_table.columns",
                    "20000 items: at most 1600 are allowed");
        });
    }

    @Test
    void anIndexOfMoreColumnsThanAnyServerTakesIsRefused() {
        StringBuilder columns = new StringBuilder();
        for (int c = 0; c < 33; c++) {
            columns.append(c == 0 ? "" : ", ").append("c").append(c);
        }
        assertFails("0001_x.yaml", "operations:\n  - create_index: {name: wide_idx, table: t, columns: [" + columns + "]}\n",
                2, 55, "operations[0].create_index.columns", "33 columns: an index or key has at most 32 columns");
        assertFails("0001_x.yaml", "operations:\n  - create_table: {name: t, columns: [{name: c0, type: int}], primary_key: ["
                + columns + "]}\n", 2, 76, "operations[0].create_table.primary_key", "at most 32 columns");
    }

    @Test
    void aListOfMoreNamesThanAnyTableHasIsRefusedBeforeItsNamesAreRead() {
        StringBuilder names = new StringBuilder();
        for (int c = 0; c < 1601; c++) {
            names.append(c == 0 ? "" : ", ").append("c").append(c);
        }
        assertFails("0001_x.yaml", "operations:\n  - split_table: {from: t, into: [{name: a, columns: [" + names + "]}]}\n",
                2, 54, "operations[0].split_table.into[0].columns", "1601 names: at most 1600 are allowed");
    }

    @Test
    void moreThanAThousandOperationsAreRefused() {
        String yaml = "operations:\n" + "  - drop_table: {name: t}\n".repeat(1001);
        assertFails("0001_x.yaml", yaml, 2, 3, "operations", "1001 operations: a migration has at most 1000");
    }
}
