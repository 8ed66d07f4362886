package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.Server;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Constraint names (create_table, add_column, alter_column), rename_constraint, create_constraint
 * and drop_constraint with up/down on real servers: the names are in the catalog, the constraints
 * hold for the version that has them while both run, rollback gives back catalog and data, complete
 * keeps the new shape; what MariaDB cannot do is refused at plan with exit 2.
 */
class ConstraintOperationsTest {
    /** accounts with a named unique key and check; orders with a named foreign key to accounts. Both servers' SQL. */
    static final String[] BASE = {
            "CREATE TABLE accounts (id int PRIMARY KEY, code varchar(20), age int,"
                    + " CONSTRAINT accounts_code_key UNIQUE (code), CONSTRAINT accounts_age_check CHECK (age >= 0))",
            "CREATE TABLE orders (id int PRIMARY KEY, account_id int, total int,"
                    + " CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id))",
            "INSERT INTO accounts (id, code, age) VALUES (1, 'a', 30), (2, 'b', 40)",
            "INSERT INTO orders (id, account_id, total) VALUES (1, 1, 10), (2, 2, 20)"
    };

    static Stream<Named<Server>> postgres() {
        return Servers.matrix().filter(s -> s.getPayload().dialect().equals("postgresql"));
    }

    static Stream<Named<Server>> mariaDb() {
        return Servers.matrix().filter(s -> s.getPayload().dialect().equals("mariadb"));
    }

    private static boolean mariaDb(TestDb db) {
        return db.dialect().equals("mariadb");
    }

    /** The table's constraint names as the catalog has them, sorted (PostgreSQL: pg_constraint; MariaDB: TABLE_CONSTRAINTS). */
    static List<String> constraints(TestDb db, String table) {
        if (mariaDb(db)) {
            return db.column("SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = '"
                    + db.name() + "' AND TABLE_NAME = '" + table + "' ORDER BY CONSTRAINT_NAME");
        }
        // PostgreSQL 18 keeps NOT NULL as constraints too (contype 'n'): not the ones these tests name
        return db.column("SELECT conname::text FROM pg_constraint WHERE conrelid = to_regclass('" + db.name() + "." + table
                + "') AND contype <> 'n' ORDER BY conname");
    }

    private static Scenario scenario(Supplier<TestDb> server, String operations) {
        return new Scenario(server, "operations:\n" + operations, BASE);
    }

    static final String CREATE_TABLE = """
              - create_table:
                  name: staff
                  columns:
                    - {name: id, type: int, nullable: false}
                    - {name: code, type: varchar(10), unique: {name: staff_code_uq}, check: {name: staff_code_len, expression: "length(code) > 1"}}
                    - {name: account_id, type: int, references: {name: staff_account_fk, table: accounts, columns: [id]}}
                  primary_key: [id]
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createTableGivesItsConstraintsTheirNames(Supplier<TestDb> server) throws Exception {
        scenario(server, CREATE_TABLE).completes(v -> {
            assertThat(constraints(v.db(), "staff")).contains("staff_code_uq", "staff_code_len", "staff_account_fk");
            v.neu("INSERT INTO staff (id, code, account_id) VALUES (1, 'xy', 1)");
            assertThatThrownBy(() -> v.neu("INSERT INTO staff (id, code, account_id) VALUES (2, 'xy', 2)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("staff_code_uq");
            assertThatThrownBy(() -> v.neu("INSERT INTO staff (id, code, account_id) VALUES (3, 'z', 2)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("staff_code_len");
            assertThatThrownBy(() -> v.neu("INSERT INTO staff (id, code, account_id) VALUES (4, 'zz', 99)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("staff_account_fk");
        }, v -> assertThat(constraints(v.db(), "staff")).contains("staff_code_uq", "staff_code_len", "staff_account_fk"));
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void createTableNamesItsPrimaryKeyOnPostgres(Supplier<TestDb> server) throws Exception {
        scenario(server, """
                  - create_table: {name: staff, columns: [{name: id, type: int, nullable: false}], primary_key: [id], primary_key_name: staff_pk}
                """).rollsBack(v -> {
            assertThat(constraints(v.db(), "staff")).containsExactly("staff_pk");
            v.neu("INSERT INTO staff (id) VALUES (1)");
            assertThatThrownBy(() -> v.neu("INSERT INTO staff (id) VALUES (1)")).hasMessageContaining("staff_pk");
        });
    }

    @ParameterizedTest
    @MethodSource("mariaDb")
    void aPrimaryKeyNameIsRefusedAtPlanOnMariaDb(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(BASE);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration("""
                    operations:
                      - create_table: {name: staff, columns: [{name: id, type: int, nullable: false}], primary_key: [id], primary_key_name: staff_pk}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .satisfies(e -> assertThat(((InvalidMigrationException) e).exitCode()).isEqualTo(2))
                    .hasMessageContaining(dev.bascule.testing.Server.named(server) + " names every primary key PRIMARY");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addColumnNamesItsForeignKey(Supplier<TestDb> server) throws Exception {
        String op = """
                  - add_column: {table: orders, column: {name: buyer_id, type: int, references: {name: orders_buyer_fk, table: accounts, columns: [id]}}}
                """;
        scenario(server, op).completes(v -> {
            assertThat(constraints(v.db(), "orders")).contains("orders_buyer_fk");
            v.old("INSERT INTO orders (id, account_id, total) VALUES (3, 1, 30)");
            v.neu("INSERT INTO orders (id, account_id, total, buyer_id) VALUES (4, 1, 40, 2)");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total, buyer_id) VALUES (5, 1, 50, 99)"))
                    .hasMessageContaining("orders_buyer_fk");
        }, v -> {
            assertThat(constraints(v.db(), "orders")).contains("orders_buyer_fk");
            assertThat(v.newValue("SELECT buyer_id FROM orders WHERE id = 4")).isEqualTo("2");
        });
        scenario(server, op).rollsBack(v -> assertThat(constraints(v.db(), "orders")).contains("orders_buyer_fk"));
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void addColumnNamesItsUniqueAndCheckOnPostgres(Supplier<TestDb> server) throws Exception {
        String op = """
                  - add_column:
                      table: orders
                      column: {name: ref, type: int, unique: {name: orders_ref_uq}, check: {name: orders_ref_positive, expression: "ref > 0"}}
                """;
        scenario(server, op).completes(v -> {
            assertThat(constraints(v.db(), "orders")).contains("orders_ref_positive");
            v.old("INSERT INTO orders (id, account_id, total) VALUES (3, 1, 30)");
            v.neu("INSERT INTO orders (id, account_id, total, ref) VALUES (4, 1, 40, 7)");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total, ref) VALUES (5, 1, 50, -1)"))
                    .hasMessageContaining("orders_ref_positive");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total, ref) VALUES (6, 1, 50, 7)"))
                    .hasMessageContaining("orders_ref_uq");
        }, v -> {
            assertThat(constraints(v.db(), "orders")).contains("orders_ref_uq", "orders_ref_positive")
                    .doesNotContain("orders_ref_key", "orders_ref_check");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total, ref) VALUES (7, 1, 50, 7)"))
                    .hasMessageContaining("orders_ref_uq");
        });
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void alterColumnNamesTheConstraintsItAddsOnPostgres(Supplier<TestDb> server) throws Exception {
        String op = """
                  - alter_column:
                      table: orders
                      column: total
                      unique: {name: orders_total_uq}
                      check: {name: orders_total_positive, expression: "total > 0"}
                """;
        scenario(server, op).completes(v -> {
            v.old("INSERT INTO orders (id, account_id, total) VALUES (3, 1, 30)");
            assertThat(v.newValue("SELECT total FROM orders WHERE id = 3")).isEqualTo("30");
            v.neu("INSERT INTO orders (id, account_id, total) VALUES (4, 1, 40)");
            assertThat(v.oldValue("SELECT total FROM orders WHERE id = 4")).isEqualTo("40");
        }, v -> {
            assertThat(constraints(v.db(), "orders")).contains("orders_total_uq", "orders_total_positive")
                    .doesNotContain("orders_total_key", "orders_total_check");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total) VALUES (5, 1, 40)"))
                    .hasMessageContaining("orders_total_uq");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total) VALUES (6, 1, -1)"))
                    .hasMessageContaining("orders_total_positive");
        });
    }

    static final String RENAME_UNIQUE = """
              - rename_constraint: {table: accounts, from: accounts_code_key, to: accounts_code_uq}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void renameConstraintOfAUniqueKeyAtStartKeptByComplete(Supplier<TestDb> server) throws Exception {
        scenario(server, RENAME_UNIQUE).completes(v -> {
            assertThat(constraints(v.db(), "accounts")).contains("accounts_code_uq").doesNotContain("accounts_code_key");
            // both versions write, the key holds for both under its new name
            v.old("INSERT INTO accounts (id, code, age) VALUES (3, 'c', 1)");
            v.neu("INSERT INTO accounts (id, code, age) VALUES (4, 'd', 1)");
            assertThat(v.oldValue("SELECT code FROM accounts WHERE id = 4")).isEqualTo("d");
            assertThat(v.newValue("SELECT code FROM accounts WHERE id = 3")).isEqualTo("c");
            assertThatThrownBy(() -> v.old("INSERT INTO accounts (id, code, age) VALUES (5, 'd', 1)"))
                    .hasMessageContaining("accounts_code_uq");
        }, v -> {
            assertThat(constraints(v.db(), "accounts")).contains("accounts_code_uq").doesNotContain("accounts_code_key");
            assertThatThrownBy(() -> v.neu("INSERT INTO accounts (id, code, age) VALUES (6, 'a', 1)"))
                    .hasMessageContaining("accounts_code_uq");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void renameConstraintRollsBackToTheOldName(Supplier<TestDb> server) throws Exception {
        // rollsBack compares the catalog with its constraint and index names, and the data, with before start
        scenario(server, RENAME_UNIQUE).rollsBack(v -> {
            assertThat(constraints(v.db(), "accounts")).contains("accounts_code_uq").doesNotContain("accounts_code_key");
            assertThatThrownBy(() -> v.old("INSERT INTO accounts (id, code, age) VALUES (3, 'a', 1)"))
                    .hasMessageContaining("accounts_code_uq");
        });
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void renameConstraintOfEveryKindOnPostgres(Supplier<TestDb> server) throws Exception {
        String ops = """
                  - rename_constraint: {table: accounts, from: accounts_age_check, to: accounts_age_positive}
                  - rename_constraint: {table: orders, from: orders_account_fk, to: orders_account_id_fkey}
                  - rename_constraint: {table: accounts, from: accounts_pkey, to: accounts_pk}
                  - drop_constraint: {table: accounts, name: accounts_age_positive}
                """;
        scenario(server, ops).completes(v -> {
            assertThat(constraints(v.db(), "accounts")).containsExactly("accounts_age_positive", "accounts_code_key", "accounts_pk");
            assertThat(constraints(v.db(), "orders")).contains("orders_account_id_fkey");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total) VALUES (9, 99, 1)"))
                    .hasMessageContaining("orders_account_id_fkey");
        }, v -> {
            // the renamed check is dropped by its new name at complete
            assertThat(constraints(v.db(), "accounts")).containsExactly("accounts_code_key", "accounts_pk");
            v.neu("INSERT INTO accounts (id, code, age) VALUES (9, 'z', -5)");
        });
        scenario(server, ops).rollsBack(v -> assertThat(constraints(v.db(), "orders")).contains("orders_account_id_fkey"));
    }

    @ParameterizedTest
    @MethodSource("mariaDb")
    void mariaDbRefusesRenamingACheckOrAForeignKeyAtPlan(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(BASE);
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration("operations:\n"
                    + "  - rename_constraint: {table: accounts, from: accounts_age_check, to: accounts_age_positive}\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .satisfies(e -> assertThat(((InvalidMigrationException) e).exitCode()).isEqualTo(2))
                    .hasMessageContaining("MariaDB has no statement that renames a CHECK constraint");
            assertThatThrownBy(() -> b.start(Scenario.migration("operations:\n"
                    + "  - rename_constraint: {table: orders, from: orders_account_fk, to: orders_account_fkey}\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("MariaDB has no statement that renames a foreign key");
            assertThat(constraints(db, "accounts")).contains("accounts_age_check");
            assertThat(constraints(db, "orders")).contains("orders_account_fk");
            assertThat(db.versions()).isEmpty();
        }
    }

    static final String DROP_CHECK_WITH_DOWN = """
              - drop_constraint: {table: accounts, name: accounts_age_check, up: age, down: "greatest(age, 0)"}
            """;

    @ParameterizedTest
    @MethodSource("postgres")
    void dropConstraintWithDownLetsNewCodeWriteWhatTheCheckForbade(Supplier<TestDb> server) throws Exception {
        scenario(server, DROP_CHECK_WITH_DOWN).completes(v -> {
            // new code sees a copy of age without the check; old code keeps it, and gets down's value
            v.neu("INSERT INTO accounts (id, code, age) VALUES (3, 'c', -5)");
            assertThat(v.newValue("SELECT age FROM accounts WHERE id = 3")).isEqualTo("-5");
            assertThat(v.oldValue("SELECT age FROM accounts WHERE id = 3")).isEqualTo("0");
            v.neu("UPDATE accounts SET age = -1 WHERE id = 1");
            assertThat(v.oldValue("SELECT age FROM accounts WHERE id = 1")).isEqualTo("0");
            // old code's writes reach the copy through up; the check still holds for them
            v.old("INSERT INTO accounts (id, code, age) VALUES (4, 'd', 12)");
            assertThat(v.newValue("SELECT age FROM accounts WHERE id = 4")).isEqualTo("12");
            assertThatThrownBy(() -> v.old("INSERT INTO accounts (id, code, age) VALUES (5, 'e', -3)"))
                    .hasMessageContaining("accounts_age_check");
        }, v -> {
            assertThat(constraints(v.db(), "accounts")).doesNotContain("accounts_age_check").contains("accounts_code_key");
            assertThat(v.newValue("SELECT age FROM accounts WHERE id = 3")).isEqualTo("-5");
            assertThat(v.newValue("SELECT age FROM accounts WHERE id = 1")).isEqualTo("-1");
            assertThat(v.newValue("SELECT age FROM accounts WHERE id = 2")).isEqualTo("40");
            v.neu("INSERT INTO accounts (id, code, age) VALUES (6, 'f', -9)");
            // the column's unique key on another column is untouched, and the copy kept its place in the key of nothing else
            assertThatThrownBy(() -> v.neu("INSERT INTO accounts (id, code, age) VALUES (7, 'f', 1)"))
                    .hasMessageContaining("accounts_code_key");
        });
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void dropConstraintWithDownRollsBack(Supplier<TestDb> server) throws Exception {
        scenario(server, DROP_CHECK_WITH_DOWN).rollsBack(v -> {
            assertThat(v.newValue("SELECT age FROM accounts WHERE id = 2")).isEqualTo("40");
            assertThat(constraints(v.db(), "accounts")).contains("accounts_age_check");
        });
    }

    @ParameterizedTest
    @MethodSource("mariaDb")
    void dropConstraintWithUpOrDownIsRefusedOnMariaDb(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(BASE);
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration("operations:\n"
                    + "  - drop_constraint: {table: accounts, name: accounts_code_key, down: code}\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .satisfies(e -> assertThat(((InvalidMigrationException) e).exitCode()).isEqualTo(2))
                    .hasMessageContaining("'up'/'down' on drop_constraint");
            assertThat(db.versions()).isEmpty();
        }
    }

    static final String CREATE_UNIQUE = """
              - create_constraint: {table: orders, name: orders_account_total_uq, type: unique, columns: [account_id, total]}
            """;

    @ParameterizedTest
    @MethodSource("postgres")
    void createConstraintGivesNewCodeAUniqueKeyOverCopiedColumns(Supplier<TestDb> server) throws Exception {
        scenario(server, CREATE_UNIQUE).completes(v -> {
            v.old("INSERT INTO orders (id, account_id, total) VALUES (3, 2, 30)");
            assertThat(v.newValue("SELECT total FROM orders WHERE id = 3")).isEqualTo("30");
            v.neu("INSERT INTO orders (id, account_id, total) VALUES (4, 1, 40)");
            assertThat(v.oldValue("SELECT total FROM orders WHERE id = 4")).isEqualTo("40");
            // the key holds for new code's writes from start on
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total) VALUES (5, 1, 40)"))
                    .isInstanceOf(SQLException.class);
        }, v -> {
            assertThat(constraints(v.db(), "orders")).contains("orders_account_total_uq", "orders_account_fk");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total) VALUES (6, 1, 10)"))
                    .hasMessageContaining("orders_account_total_uq");
            // the copied column kept its foreign key
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, account_id, total) VALUES (7, 99, 1)"))
                    .hasMessageContaining("orders_account_fk");
        });
        scenario(server, CREATE_UNIQUE).rollsBack(v -> v.neu("SELECT 1"));
    }

    static final String CREATE_CHECK = """
              - create_constraint:
                  table: accounts
                  name: accounts_age_under_100
                  type: check
                  columns: [age]
                  check: "age < 100"
                  up: {age: "least(age, 99)"}
            """;

    @ParameterizedTest
    @MethodSource("postgres")
    void createConstraintGivesNewCodeACheckOldCodeDoesNotHave(Supplier<TestDb> server) throws Exception {
        scenario(server, CREATE_CHECK).completes(v -> {
            // old code is free of the new check; new code sees up's value
            v.old("INSERT INTO accounts (id, code, age) VALUES (3, 'c', 150)");
            assertThat(v.oldValue("SELECT age FROM accounts WHERE id = 3")).isEqualTo("150");
            assertThat(v.newValue("SELECT age FROM accounts WHERE id = 3")).isEqualTo("99");
            assertThatThrownBy(() -> v.neu("INSERT INTO accounts (id, code, age) VALUES (4, 'd', 150)"))
                    .hasMessageContaining("accounts_age_under_100");
            v.neu("INSERT INTO accounts (id, code, age) VALUES (5, 'e', 7)");
            assertThat(v.oldValue("SELECT age FROM accounts WHERE id = 5")).isEqualTo("7");
        }, v -> {
            assertThat(constraints(v.db(), "accounts")).contains("accounts_age_under_100", "accounts_age_check");
            assertThat(v.newValue("SELECT age FROM accounts WHERE id = 3")).isEqualTo("99");
            assertThatThrownBy(() -> v.neu("INSERT INTO accounts (id, code, age) VALUES (6, 'f', 100)"))
                    .hasMessageContaining("accounts_age_under_100");
            // the column's own check came along
            assertThatThrownBy(() -> v.neu("INSERT INTO accounts (id, code, age) VALUES (7, 'g', -1)"))
                    .hasMessageContaining("accounts_age_check");
        });
        scenario(server, CREATE_CHECK).rollsBack(v -> assertThat(v.newValue("SELECT age FROM accounts WHERE id = 2")).isEqualTo("40"));
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createConstraintRefusals(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(BASE);
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration("operations:\n"
                    + "  - create_constraint: {table: orders, name: orders_pk2, type: primary_key, columns: [total]}\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .satisfies(e -> assertThat(((InvalidMigrationException) e).exitCode()).isEqualTo(2))
                    .hasMessageContaining(mariaDb(db) ? "create_constraint copies its columns" : "does not make a primary key");
            assertThat(db.versions()).isEmpty();
        }
    }
}
