package dev.bascule.operations;

import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The constraint names of a column (unique: {name}, check: {name, expression}, references.name)
 * together with the column options of the same column: a generated column whose check and unique
 * key are named, and a named foreign key with on_update and match_type. Each side was tested alone;
 * these check that the server gets both.
 */
class NamedConstraintsWithColumnOptionsTest {

    private static final String[] SETUP = {
            "CREATE TABLE users (id int PRIMARY KEY)",
            "INSERT INTO users (id) VALUES (1), (2)"};

    private static boolean mariaDb(Supplier<TestDb> server) {
        return server instanceof Server s && s.dialect().equals("mariadb");
    }

    /** UPDATE_RULE, DELETE_RULE and MATCH_OPTION of constraint {@code name}, as information_schema has them. */
    private static String rules(TestDb db, String name) {
        return db.value("SELECT concat(update_rule, ' ', delete_rule, ' ', match_option) FROM information_schema.referential_constraints"
                + " WHERE constraint_schema = '" + db.name() + "' AND constraint_name = '" + name + "'");
    }

    /** The type of constraint {@code name} of {@code table}, as information_schema has it (null: none of that name). */
    private static String constraintType(TestDb db, String table, String name) {
        return db.value("SELECT constraint_type FROM information_schema.table_constraints WHERE constraint_schema = '"
                + db.name() + "' AND table_name = '" + table + "' AND constraint_name = '" + name + "'");
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createTableNamesTheConstraintsOfAGeneratedColumnAndOfAKeyWithOnUpdate(Supplier<TestDb> server) throws Exception {
        String yaml = """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: int, nullable: false}
                        - {name: price, type: int}
                        - {name: total, type: int, generated: {expression: "price * 2"},
                           check: {name: items_total_small, expression: "total < 1000"}, unique: {name: items_total_uq}}
                        - {name: user_id, type: int, references: {table: users, columns: [id], name: items_user_fk,
                           on_update: cascade, on_delete: set null}}
                      primary_key: [id]
                """;
        new Scenario(server, yaml, SETUP).completes(v -> {
            assertThat(constraintType(v.db(), "items", "items_total_small")).isEqualTo("CHECK");
            assertThat(constraintType(v.db(), "items", "items_total_uq")).isEqualTo("UNIQUE");
            assertThat(rules(v.db(), "items_user_fk")).startsWith("CASCADE SET NULL");
            v.neu("INSERT INTO items (id, price, user_id) VALUES (1, 21, 2)");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 1")).isEqualTo("42");
            assertThatThrownBy(() -> v.neu("INSERT INTO items (id, price) VALUES (2, 600)"))
                    .hasMessageContaining("items_total_small");
            assertThatThrownBy(() -> v.neu("INSERT INTO items (id, price) VALUES (3, 21)"))
                    .hasMessageContaining("items_total_uq");
            // old code renumbers a user: the item's key follows (ON UPDATE CASCADE under the file's name)
            v.old("UPDATE users SET id = 20 WHERE id = 2");
            assertThat(v.newValue("SELECT user_id FROM items WHERE id = 1")).isEqualTo("20");
        }, v -> {
            assertThat(constraintType(v.db(), "items", "items_total_small")).isEqualTo("CHECK");
            assertThat(rules(v.db(), "items_user_fk")).startsWith("CASCADE SET NULL");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addColumnNamesAGeneratedColumnsConstraintsAndAKeyWithMatchFull(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeFalse(mariaDb(server), "MariaDB refuses MATCH FULL, and check and unique on add_column");
        String yaml = """
                operations:
                  - add_column: {table: notes, column: {name: doubled, type: int, generated: {expression: "n * 2"},
                                 check: {name: notes_doubled_small, expression: "doubled < 100"}, unique: {name: notes_doubled_uq}}}
                  - add_column: {table: notes, column: {name: owner, type: int, references: {table: users, columns: [id],
                                 name: notes_owner_fk, on_update: cascade, match_type: full}}}
                """;
        String[] setup = {SETUP[0], SETUP[1], "CREATE TABLE notes (id int PRIMARY KEY, n int)"};
        new Scenario(server, yaml, setup).completes(v -> {
            assertThat(constraintType(v.db(), "notes", "notes_doubled_small")).isEqualTo("CHECK");
            assertThat(constraintType(v.db(), "notes", "notes_doubled_uq")).isEqualTo("UNIQUE");
            assertThat(rules(v.db(), "notes_owner_fk")).isEqualTo("CASCADE NO ACTION FULL");
            v.neu("INSERT INTO notes (id, n, owner) VALUES (1, 3, 1)");
            assertThat(v.newValue("SELECT doubled FROM notes WHERE id = 1")).isEqualTo("6");
            assertThatThrownBy(() -> v.neu("INSERT INTO notes (id, n) VALUES (2, 60)")).hasMessageContaining("notes_doubled_small");
            assertThatThrownBy(() -> v.neu("INSERT INTO notes (id, n) VALUES (3, 3)")).hasMessageContaining("notes_doubled_uq");
            v.old("UPDATE users SET id = 10 WHERE id = 1");
            assertThat(v.newValue("SELECT owner FROM notes WHERE id = 1")).isEqualTo("10");
        }, v -> {
            assertThat(constraintType(v.db(), "notes", "notes_doubled_uq")).isEqualTo("UNIQUE");
            assertThat(rules(v.db(), "notes_owner_fk")).isEqualTo("CASCADE NO ACTION FULL");
        });
    }
}
