package dev.bascule.model;

import dev.bascule.api.ColumnDef;
import dev.bascule.api.ForeignKeyRef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names for constraints (a column's unique, check and references; create_table's primary key) and rename_constraint. */
class MigrationReaderConstraintNamesTest {

    private static Migration read(String yaml) {
        return MigrationReader.read("0001_names.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static void fails(String yaml, String path, String message) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining(path).hasMessageContaining(message);
    }

    @Test
    void namesStandBesideKeyOptionsAndGeneratedColumns() {
        Migration m = read("""
                operations:
                  - create_table:
                      name: t
                      columns:
                        - {name: id, type: bigint, nullable: false}
                        - {name: p, type: int}
                        - {name: g, type: int, generated: {expression: "p * 2"}, check: {name: t_g_small, expression: "g < 10"},
                           unique: {name: t_g_uq}}
                        - {name: u, type: bigint, references: {table: u, columns: [id], on_update: cascade, match_type: full,
                           name: t_u_fk, on_delete: set null}}
                      primary_key: [id]
                  - alter_column: {table: t, column: p, references: {table: u, name: t_p_fk, match_type: full, on_update: restrict}}
                """);
        Operation.CreateTable ct = (Operation.CreateTable) m.operations().get(0);
        assertThat(ct.columns().get(2)).isEqualTo(new ColumnDef("g", "int", true, Optional.empty(), true, Optional.empty(),
                Optional.of("g < 10"), Optional.empty(), Optional.of("t_g_uq"), Optional.of("t_g_small"),
                Optional.of(new ColumnDef.Generated("p * 2", true))));
        assertThat(ct.columns().get(3).references()).contains(new ForeignKeyRef("u", List.of("id"), Optional.of("SET NULL"),
                Optional.of("CASCADE"), Optional.of("FULL"), Optional.of("t_u_fk")));
        // what physical names resolve keeps the key's name and options
        assertThat(ct.columns().get(3).references().get().to("u2", List.of("id2")))
                .isEqualTo(new ForeignKeyRef("u2", List.of("id2"), Optional.of("SET NULL"), Optional.of("CASCADE"),
                        Optional.of("FULL"), Optional.of("t_u_fk")));
        assertThat(ct.columns().get(2).with("bigint", false, Optional.empty()).generated()).isEqualTo(ct.columns().get(2).generated());
        assertThat(((Operation.AlterColumn) m.operations().get(1)).references()).contains(new ForeignKeyRef("u", List.of(),
                Optional.empty(), Optional.of("RESTRICT"), Optional.of("FULL"), Optional.of("t_p_fk")));
    }

    @Test
    void columnsNameTheirConstraintsOrKeepTheUsualNames() {
        Migration m = read("""
                operations:
                  - create_table:
                      name: t
                      columns:
                        - {name: id, type: bigint, nullable: false}
                        - {name: a, type: int, unique: {name: t_a_uq}, check: {name: t_a_positive, expression: "a > 0"}}
                        - {name: u, type: bigint, references: {name: t_u_fk, table: u, columns: [id], on_delete: cascade}}
                        - {name: b, type: int, unique: true, check: "b > 0"}
                      primary_key: [id]
                      primary_key_name: t_pk
                  - add_column: {table: t, column: {name: c, type: int, unique: {name: t_c_uq}}}
                  - alter_column: {table: t, column: b, unique: {name: t_b_uq}, check: {name: t_b_ck, expression: "b < 9"}}
                  - alter_column: {table: t, column: a, unique: false, check: "a < 9"}
                """);
        Operation.CreateTable ct = (Operation.CreateTable) m.operations().get(0);
        assertThat(ct.primaryKeyName()).contains("t_pk");
        assertThat(ct.columns().get(1)).isEqualTo(new ColumnDef("a", "int", true, Optional.empty(), true, Optional.empty(),
                Optional.of("a > 0"), Optional.empty(), Optional.of("t_a_uq"), Optional.of("t_a_positive")));
        assertThat(ct.columns().get(2).references()).contains(new ForeignKeyRef("u", List.of("id"), Optional.of("CASCADE"),
                Optional.empty(), Optional.empty(), Optional.of("t_u_fk")));
        assertThat(ct.columns().get(3).uniqueName()).isEmpty();
        assertThat(ct.columns().get(3).checkName()).isEmpty();
        assertThat(ct.columns().get(3).unique()).isTrue();
        ColumnDef c = ((Operation.AddColumn) m.operations().get(1)).column();
        assertThat(c.unique()).isTrue();
        assertThat(c.uniqueName()).contains("t_c_uq");
        Operation.AlterColumn named = (Operation.AlterColumn) m.operations().get(2);
        assertThat(named.unique()).contains(true);
        assertThat(named.uniqueName()).contains("t_b_uq");
        assertThat(named.check()).contains("b < 9");
        assertThat(named.checkName()).contains("t_b_ck");
        Operation.AlterColumn plain = (Operation.AlterColumn) m.operations().get(3);
        assertThat(plain.unique()).contains(false);
        assertThat(plain.uniqueName()).isEmpty();
        assertThat(plain.checkName()).isEmpty();
    }

    @Test
    void renameConstraintReadsTableFromAndTo() {
        assertThat(read("operations:\n  - rename_constraint: {table: t, from: t_a_check, to: t_a_positive}\n").operations())
                .containsExactly(new Operation.RenameConstraint("t", "t_a_check", "t_a_positive"));
    }

    @Test
    void namesAreIdentifiersAndComplete() {
        fails("operations:\n  - add_column: {table: t, column: {name: a, type: int, unique: {name: \"a b\"}}}\n",
                "unique.name", "");
        fails("operations:\n  - add_column: {table: t, column: {name: a, type: int, unique: {}}}\n", "unique", "name");
        fails("operations:\n  - add_column: {table: t, column: {name: a, type: int, check: {name: a_ck}}}\n",
                "check", "expression");
        fails("operations:\n  - add_column: {table: t, column: {name: a, type: int, check: {name: a_ck, expression: a, constraint: \"a > 0\"}}}\n",
                "constraint", "");
        fails("operations:\n  - rename_constraint: {table: t, from: a, to: \"1b\"}\n", "rename_constraint.to", "");
        fails("operations:\n  - create_table: {name: t, columns: [{name: a, type: int}], primary_key_name: t_pk}\n",
                "primary_key_name", "'primary_key_name' names the key of 'primary_key', which is missing");
    }

    @Test
    void aConstraintNameIsGivenOncePerTable() {
        fails("""
                operations:
                  - create_table:
                      name: t
                      columns:
                        - {name: a, type: int, unique: {name: t_k}}
                        - {name: b, type: int, check: {name: t_k, expression: "b > 0"}}
                """, "columns[1].check.name", "duplicate constraint name 't_k'");
        fails("""
                operations:
                  - create_table:
                      name: t
                      columns: [{name: a, type: int, unique: {name: t_k}}]
                      primary_key: [a]
                      primary_key_name: t_k
                """, "primary_key_name", "duplicate constraint name 't_k'");
        fails("""
                operations:
                  - add_check: {table: t, name: t_k, expression: "a > 0"}
                  - add_column: {table: t, column: {name: b, type: int, references: {table: u, name: t_k}}}
                """, "add_column.column.references.name", "duplicate constraint name 't_k'");
    }

    @Test
    void dropConstraintTakesUpAndDown() {
        assertThat(read("operations:\n  - drop_constraint: {table: t, name: t_a_check, up: a, down: \"greatest(a, 0)\"}\n")
                .operations()).containsExactly(new Operation.DropConstraint("t", "t_a_check", Optional.of("a"), Optional.of("greatest(a, 0)")));
        assertThat(read("operations:\n  - drop_constraint: {table: t, name: t_a_check}\n").operations())
                .containsExactly(new Operation.DropConstraint("t", "t_a_check"));
    }

    @Test
    void createConstraintReadsItsTypeColumnsAndPerColumnUpAndDown() {
        Operation.CreateConstraint cc = (Operation.CreateConstraint) read("""
                operations:
                  - create_constraint:
                      table: t
                      name: t_ab_positive
                      type: CHECK
                      columns: [a, b]
                      check: "a + b > 0"
                      up: {a: "greatest(a, 1)"}
                      down: {a: a, b: b}
                """).operations().get(0);
        assertThat(cc).isEqualTo(new Operation.CreateConstraint("t", "t_ab_positive", Operation.ConstraintType.CHECK,
                List.of("a", "b"), Optional.of("a + b > 0"), java.util.Map.of("a", "greatest(a, 1)"),
                java.util.Map.of("a", "a", "b", "b")));
        fails("operations:\n  - create_constraint: {table: t, name: k, type: unique, columns: [a], up: {b: b}}\n",
                "create_constraint.up.b", "'b' is not one of the constraint's columns");
        fails("operations:\n  - create_constraint: {table: t, name: k, type: check, columns: [a]}\n",
                "create_constraint", "a check constraint needs 'check'");
        fails("operations:\n  - create_constraint: {table: t, name: k, type: unique, columns: [a], check: \"a > 0\"}\n",
                "create_constraint", "'check' is for a constraint of type check");
        fails("operations:\n  - create_constraint: {table: t, name: k, type: exclude, columns: [a]}\n",
                "create_constraint.type", "expected one of check, primary_key, unique");
    }
}
