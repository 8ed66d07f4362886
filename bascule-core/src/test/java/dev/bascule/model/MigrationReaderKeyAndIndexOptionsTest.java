package dev.bascule.model;

import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A foreign key's on_update and match_type; an index's operator classes, INCLUDE columns and storage parameters. */
class MigrationReaderKeyAndIndexOptionsTest {

    private static Migration read(String yaml) {
        return MigrationReader.read("0001_options.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onUpdateAndMatchTypeWhereverAReferenceIs() {
        Migration m = read("""
                operations:
                  - create_table:
                      name: orders
                      columns:
                        - {name: id, type: int}
                        - {name: user_id, type: int, references: {table: users, on_update: cascade, match_type: full}}
                  - add_column: {table: t, column: {name: u, type: int, references: {table: users, on_update: " Set_Null "}}}
                  - alter_column: {table: t, column: v, references: {table: users, columns: [id], match_type: Simple}}
                  - add_foreign_key: {table: t, columns: [a, b], references: {table: u}, on_delete: cascade,
                                      on_update: restrict, match_type: FULL}
                """);
        Operation.CreateTable ct = (Operation.CreateTable) m.operations().get(0);
        assertThat(ct.columns().get(1).references()).contains(new ForeignKeyRef("users", List.of(), Optional.empty(),
                Optional.of("CASCADE"), Optional.of("FULL")));
        assertThat(ct.columns().get(1).references().get().matchFull()).isTrue();
        assertThat(((Operation.AddColumn) m.operations().get(1)).column().references().get().onUpdate()).contains("SET NULL");
        ForeignKeyRef altered = ((Operation.AlterColumn) m.operations().get(2)).references().orElseThrow();
        assertThat(altered.matchType()).contains("SIMPLE");
        assertThat(altered.matchFull()).isFalse();
        Operation.AddForeignKey fk = (Operation.AddForeignKey) m.operations().get(3);
        assertThat(fk.onDelete()).contains("CASCADE");
        assertThat(fk.references()).isEqualTo(new ForeignKeyRef("u", List.of(), Optional.empty(), Optional.of("RESTRICT"),
                Optional.of("FULL")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "match_type: partial | MATCH PARTIAL is not implemented by PostgreSQL",
            "match_type: loose | expected one of FULL, SIMPLE",
            "on_update: explode | expected one of CASCADE, NO ACTION",
            "on_update: 'cascade; drop table x' | expected one of",
    })
    void badKeyOptionsAreRefusedWhereTheyStand(String field, String message) {
        assertThatThrownBy(() -> read("operations:\n  - add_column: {table: t, column: {name: u, type: int,"
                + " references: {table: users, " + field + "}}}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining(message)
                .hasMessageContaining("references." + field.substring(0, field.indexOf(':')));
        assertThatThrownBy(() -> read("operations:\n  - add_foreign_key: {table: t, columns: [a], references: {table: u}, "
                + field + "}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining(message);
    }

    @Test
    void includedColumnsCountTowardsTheIndexsColumns() {
        String keys = String.join(", ", java.util.stream.IntStream.range(0, 30).mapToObj(i -> "k" + i).toList());
        assertThatThrownBy(() -> read("operations:\n  - create_index: {name: i, table: t, columns: [" + keys + "],"
                + " include: [a, b, c]}\n")).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("33 columns with 'include': an index has at most 32");
    }

    @Test
    void onUpdateInsideAddForeignKeysReferencesIsUnknown() {
        // beside on_delete, at the operation's level, as on_delete is there
        assertThatThrownBy(() -> read("operations:\n  - add_foreign_key: {table: t, columns: [a], references: {table: u,"
                + " on_update: cascade}}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("unknown field 'on_update'");
    }

    @Test
    void indexColumnsWithOperatorClassesIncludeAndStorageParameters() {
        Migration m = read("""
                operations:
                  - create_index:
                      name: users_name_idx
                      table: users
                      columns: [{name: name, opclass: text_pattern_ops}, id, {name: team, opclass: {name: pg_catalog.Int4_Ops}}]
                      include: [email]
                      storage_parameters: {fillfactor: 70, deduplicate_items: false, Buffering: " auto ", ratio: 0.5}
                  - create_index: {name: plain, table: users, columns: [{name: id}]}
                """);
        Operation.CreateIndex ci = (Operation.CreateIndex) m.operations().get(0);
        assertThat(ci.columns()).containsExactly("name", "id", "team");
        assertThat(ci.opclasses()).containsExactly(Map.entry("name", "text_pattern_ops"), Map.entry("team", "pg_catalog.int4_ops"));
        assertThat(ci.include()).containsExactly("email");
        assertThat(ci.storageParameters()).containsExactly(Map.entry("fillfactor", "70"), Map.entry("deduplicate_items", "false"),
                Map.entry("buffering", "auto"), Map.entry("ratio", "0.5"));
        assertThat(ci.hasOptions()).isTrue();
        assertThat(m.operations().get(1)).isEqualTo(new Operation.CreateIndex("plain", "users", List.of("id"), false,
                Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "columns: [{name: a, opclass: 'text_ops) WITH (x'}] | invalid operator class",
            "columns: [{name: a, opclass: {name: int4_ops, params: [siglen=4]}}] | operator class parameters are not supported",
            "columns: [{name: a, collate: C}] | unknown field 'collate'",
            "columns: [a, {name: a}] | duplicate name 'a'",
            "columns: [a], include: [a] | is a key of the index already",
            "columns: [a], storage_parameters: {fillfactor: '70); drop table x'} | expected a number, true, false or a word",
            "columns: [a], storage_parameters: {'fill factor': 70} | invalid storage parameter name",
            "columns: [a], storage_parameters: {fillfactor: [70]} | expected a number, true, false or a word",
            "columns: [a], storage_parameters: {fillfactor: 1e400} | expected a plain number",
            "columns: [a], storage_parameters: {fillfactor: 70, FILLFACTOR: 80} | is given twice",
            "columns: [a], storage_parameters: fillfactor=70 | expected an object",
    })
    void badIndexOptionsAreRefused(String fields, String message) {
        assertThatThrownBy(() -> read("operations:\n  - create_index: {name: i, table: t, " + fields + "}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining(message);
    }
}
