package dev.bascule.safety;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What MariaDB cannot do safely, or would refuse midway, is refused by plan: exit 2 naming the
 * operation and its field, nothing changed.
 */
class MariaDbRefusalsTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";
    static final String ORDERS = "CREATE TABLE orders (id int PRIMARY KEY, user_id int, note varchar(20))";
    static final String ADD_FK = "operations:\n  - add_foreign_key: {table: orders, name: orders_user_fk, columns: [user_id],"
            + " references: {table: users, columns: [id]}}\n";

    @ParameterizedTest
    @ValueSource(strings = {
            "- add_check: {table: users, name: users_name_len, expression: \"length(name) > 0\"}",
            "- add_foreign_key: {table: users, columns: [id], references: {table: users}}",
            "- drop_constraint: {table: users, name: PRIMARY}",
            "- alter_column: {table: users, column: name, type: varchar(200), check: \"length(name) > 0\"}",
            "- sql: {up: \"DELETE FROM users\"}",
            "- add_column: {table: users, column: {name: team, type: int, check: \"team > 0\"}}",
            "- create_index: {name: users_p, table: users, columns: [name], where: \"id > 2\"}"})
    void whatMariaDbCannotDoSafelyIsRefusedAtPlanTimeAndNothingChanges(String operation) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            // a valid operation first: nothing of it may be applied either
            String yaml = "operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n  " + operation + "\n";
            assertThatThrownBy(() -> b.start(migration(yaml)))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[1]")
                    .hasMessageContaining("MariaDB")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.value("SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'bascule\\_%'"
                    + " AND SCHEMA_NAME = '" + db.name().replace("t_", "bascule_") + "'")).isEqualTo("0");
        }
    }

    @Test
    void aCheckIsRefusedForItsTableCopyAndSaysSo() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS);
            Bascule b = db.bascule().load();
            for (String op : List.of("- add_check: {table: users, name: users_name_len, expression: \"length(name) > 0\"}",
                    "- add_column: {table: users, column: {name: team, type: int, check: \"team > 0\"}}")) {
                assertThatThrownBy(() -> b.plan(migration("operations:\n  " + op + "\n")))
                        .isInstanceOf(InvalidMigrationException.class)
                        .hasMessageContaining("needs ALGORITHM=COPY on 10.11")
                        .hasMessageContaining("error 1845, also with check_constraint_checks=0");
            }
        }
    }

    @Test
    void aForeignKeyNamedLikeAnExistingIndexIsRefused() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, ORDERS, "CREATE INDEX orders_user_fk ON orders (note)");
            assertThatThrownBy(() -> db.bascule().load().plan(migration(ADD_FK))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].add_foreign_key.name")
                    .hasMessageContaining("already has an index named 'orders_user_fk'");
        }
    }

    @Test
    void aBackfillOverAKeyTheRangesCannotWalkIsRefusedAtPlanTime() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, v varchar(20), PRIMARY KEY (a, b))",
                    "CREATE TABLE blobs (id binary(16) NOT NULL PRIMARY KEY, v varchar(20))");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: pairs, column: {name: w,"
                    + " type: varchar(20)}, up: upper(v)}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("has several columns");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: blobs, column: {name: w,"
                    + " type: varchar(20)}, up: upper(v)}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("binary(16)");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }
}
