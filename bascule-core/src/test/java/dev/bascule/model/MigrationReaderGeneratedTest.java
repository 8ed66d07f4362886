package dev.bascule.model;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generated columns: {@code generated: {expression, stored?}} on create_table's and add_column's columns. */
class MigrationReaderGeneratedTest {

    private static Migration read(String yaml) {
        return MigrationReader.read("0001_generated.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void storedByDefaultAndVirtualWhenAsked() {
        Migration m = read("""
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: price, type: int}
                        - {name: total, type: int, generated: {expression: "price * 2"}}
                        - {name: half, type: int, generated: {expression: "price / 2", stored: false}, unique: true}
                  - add_column: {table: items, column: {name: tax, type: numeric, generated: {expression: 0, stored: null}}}
                  - add_column: {table: items, column: {name: plain, type: int, generated: null}}
                """);
        Operation.CreateTable ct = (Operation.CreateTable) m.operations().get(0);
        assertThat(ct.columns().get(0).generated()).isEmpty();
        assertThat(ct.columns().get(1).generated()).contains(new ColumnDef.Generated("price * 2", true));
        assertThat(ct.columns().get(2).generated()).contains(new ColumnDef.Generated("price / 2", false));
        assertThat(ct.columns().get(2).unique()).isTrue();
        assertThat(((Operation.AddColumn) m.operations().get(1)).column().generated()).contains(new ColumnDef.Generated("0", true));
        assertThat(((Operation.AddColumn) m.operations().get(2)).column().generated()).isEqualTo(Optional.empty());
        // the comment survives withComment, and generated survives it too
        ColumnDef total = ct.columns().get(1).withComment(Optional.of("x"));
        assertThat(total.generated()).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "generated: {expression: 'a + 1'}, default: 0 | a generated column takes no 'default'",
            "generated: {expression: 'a + 1'}, references: {table: u} | a generated column takes no 'references'",
            "generated: {stored: true} | missing required field 'expression'",
            "generated: {expression: 'a + 1', identity: {}} | an identity column is written in the column's type",
            "generated: {expression: 'a + 1; drop table x'} | ;",
            "generated: {expression: 'a + 1', stored: 'yes'} | expected true or false",
            "generated: 'a + 1' | expected an object",
    })
    void refusedWhereTheyStand(String fields, String message) {
        assertThatThrownBy(() -> read("operations:\n  - add_column: {table: t, column: {name: c, type: int, " + fields + "}}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining(message)
                .hasMessageContaining("add_column.column.");
    }
}
