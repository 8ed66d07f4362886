package dev.bascule.model;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Comments: on create_table and its columns, add_column's column, alter_column, and set_comment. */
class MigrationReaderCommentTest {

    private static Migration read(String yaml) {
        return MigrationReader.read("0001_comments.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void createTableAndItsColumnsCarryComments() {
        Migration m = read("""
                operations:
                  - create_table:
                      name: employees
                      comment: "Who works here"
                      columns:
                        - {name: id, type: bigint, nullable: false, comment: "The key"}
                        - {name: role, type: text, comment: null}
                  - add_column: {table: employees, column: {name: note, type: text, comment: "it's 'quoted'; -- not SQL"}}
                """);
        Operation.CreateTable ct = (Operation.CreateTable) m.operations().get(0);
        assertThat(ct.comment()).contains("Who works here");
        assertThat(ct.columns().get(0).comment()).contains("The key");
        assertThat(ct.columns().get(1).comment()).isEmpty();
        assertThat(((Operation.AddColumn) m.operations().get(1)).column())
                .isEqualTo(new ColumnDef("note", "text", true, Optional.empty(), false, Optional.empty(), Optional.empty(),
                        Optional.of("it's 'quoted'; -- not SQL")));
    }

    @Test
    void setCommentOnATableOrAColumnAndNullRemovesIt() {
        Migration m = read("""
                operations:
                  - set_comment: {table: employees, comment: "Staff"}
                  - set_comment: {table: employees, column: role, comment: null}
                  - set_comment: {table: employees, column: id, comment: ""}
                """);
        assertThat(m.operations()).containsExactly(
                new Operation.SetComment("employees", Optional.empty(), Optional.of("Staff")),
                new Operation.SetComment("employees", Optional.of("role"), Optional.empty()),
                new Operation.SetComment("employees", Optional.of("id"), Optional.empty()));
    }

    @Test
    void alterColumnKeepsTheCommentUnlessItNamesOne() {
        Migration m = read("""
                operations:
                  - alter_column: {table: t, column: a, type: bigint}
                  - alter_column: {table: t, column: b, type: bigint, comment: "New words"}
                  - alter_column: {table: t, column: c, type: bigint, comment: null}
                """);
        assertThat(((Operation.AlterColumn) m.operations().get(0)).comment()).isEmpty();
        assertThat(((Operation.AlterColumn) m.operations().get(1)).comment()).contains("New words");
        assertThat(((Operation.AlterColumn) m.operations().get(2)).comment()).contains("");
    }

    @Test
    void setCommentNeedsTheCommentField() {
        assertThatThrownBy(() -> read("operations:\n  - set_comment: {table: t, column: c}\n"))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessage("0001_comments.yaml:2:18: operations[0].set_comment: missing required field 'comment' (null removes the comment)");
    }

    @Test
    void aCommentIsTextOfBoundedLength() {
        assertThatThrownBy(() -> read("operations:\n  - set_comment: {table: t, comment: 42}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("expected a string or null, found");
        assertThatThrownBy(() -> read("operations:\n  - set_comment: {table: t, column: c, comment: \"" + "x".repeat(1025) + "\"}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("a comment here has at most 1024 characters");
        read("operations:\n  - set_comment: {table: t, comment: \"" + "x".repeat(2048) + "\"}\n");
        assertThatThrownBy(() -> read("operations:\n  - set_comment: {table: t, comment: \"" + "x".repeat(2049) + "\"}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("a comment here has at most 2048 characters");
        assertThatThrownBy(() -> read("operations:\n  - add_column: {table: t, column: {name: a, type: int, comment: \"a\\0b\"}}\n"))
                .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("must not contain a NUL character");
    }
}
