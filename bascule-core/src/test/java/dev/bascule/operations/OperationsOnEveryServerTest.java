package dev.bascule.operations;

import dev.bascule.testing.Servers;
import dev.bascule.testing.Scenario;
import dev.bascule.api.VerifyResult;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operations MariaDB supports, each run the same way on PostgreSQL and on MariaDB: during
 * start old and new code read and write and see each other's writes, transformed; complete leaves
 * the new shape with every row's value; rollback gives back catalog and data.
 */
class OperationsOnEveryServerTest {
    static final String[] BASE = {
            "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL, legacy int)",
            "CREATE TABLE audit_log (id int PRIMARY KEY, note varchar(50))",
            "CREATE INDEX users_name_idx ON users (name)",
            "INSERT INTO users (id, name, email, legacy) VALUES (1, 'ann', 'Ann@Example.org', 7), (2, 'bob', 'Bob@Example.org', 8),"
                    + " (3, 'cy', 'Cy@Example.org', NULL)",
            "INSERT INTO audit_log (id, note) VALUES (1, 'kept until complete')"
    };


    static Scenario scenario(Supplier<TestDb> db, String operations) {
        return new Scenario(db, "operations:\n" + operations, BASE);
    }

    static final String ADD_COLUMN = """
              - add_column:
                  table: users
                  column: {name: email_lower, type: varchar(100), nullable: false}
                  up: "lower(email)"
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addColumnIsFilledBothWaysThenNotNull(Supplier<TestDb> db) throws Exception {
        scenario(db, ADD_COLUMN).completes(v -> {
            // the backfill filled existing rows
            assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 2")).isEqualTo("bob@example.org");
            // old code does not know the column: its writes get the up value, inserts and updates
            v.old("INSERT INTO users (id, name, email) VALUES (10, 'dee', 'Dee@X.org')");
            assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 10")).isEqualTo("dee@x.org");
            v.old("UPDATE users SET email = 'Ann@New.org' WHERE id = 1");
            assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 1")).isEqualTo("ann@new.org");
            // new code writes the column itself, and old code reads its rows
            v.neu("INSERT INTO users (id, name, email, legacy, email_lower) VALUES (11, 'eve', 'Eve@X.org', 1, 'chosen')");
            assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 11")).isEqualTo("chosen");
            assertThat(v.oldValue("SELECT name FROM users WHERE id = 11")).isEqualTo("eve");
            // an old-code update of another column keeps new code's value
            v.old("UPDATE users SET name = 'eva' WHERE id = 11");
            assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 11")).isEqualTo("chosen");
        }, v -> {
            assertThat(v.newValue("SELECT count(*) FROM users WHERE email_lower IS NULL")).isEqualTo("0");
            assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 3")).isEqualTo("cy@example.org");
            // NOT NULL holds now
            assertThatThrownBy(() -> v.neu("INSERT INTO users (id, name, email, email_lower) VALUES (12, 'x', 'y', NULL)"))
                    .isInstanceOf(java.sql.SQLException.class);
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addColumnRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, ADD_COLUMN).rollsBack(v ->
                assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 1")).isEqualTo("ann@example.org"));
    }

    static final String DROP_COLUMN = """
              - drop_column: {table: users, column: legacy, down: "42"}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void dropColumnIsHiddenThenDropped(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_COLUMN).completes(v -> {
            assertThatThrownBy(() -> v.newValue("SELECT legacy FROM users")).isInstanceOf(java.sql.SQLException.class);
            assertThat(v.oldValue("SELECT legacy FROM users WHERE id = 1")).isEqualTo("7");
            // new code's rows get the down value for old code
            v.neu("INSERT INTO users (id, name, email) VALUES (20, 'fay', 'f@x.org')");
            assertThat(v.oldValue("SELECT legacy FROM users WHERE id = 20")).isEqualTo("42");
            v.old("INSERT INTO users (id, name, email, legacy) VALUES (21, 'gus', 'g@x.org', 5)");
            assertThat(v.newValue("SELECT name FROM users WHERE id = 21")).isEqualTo("gus");
        }, v -> {
            assertThatThrownBy(() -> v.oldValue("SELECT legacy FROM users")).isInstanceOf(java.sql.SQLException.class);
            assertThat(v.newValue("SELECT count(*) FROM users")).isEqualTo("5");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void dropColumnRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_COLUMN).rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM users")).isEqualTo("3"));
    }

    static final String RENAME_COLUMN = """
              - rename_column: {table: users, from: name, to: full_name}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void renameColumnIsSeenUnderBothNames(Supplier<TestDb> db) throws Exception {
        scenario(db, RENAME_COLUMN).completes(v -> {
            assertThat(v.newValue("SELECT full_name FROM users WHERE id = 1")).isEqualTo("ann");
            v.neu("UPDATE users SET full_name = 'anne' WHERE id = 1");
            assertThat(v.oldValue("SELECT name FROM users WHERE id = 1")).isEqualTo("anne");
            v.old("INSERT INTO users (id, name, email) VALUES (30, 'hal', 'h@x.org')");
            assertThat(v.newValue("SELECT full_name FROM users WHERE id = 30")).isEqualTo("hal");
        }, v -> {
            // the physical column has the new name, and the new version's views still work
            assertThat(v.oldValue("SELECT full_name FROM users WHERE id = 30")).isEqualTo("hal");
            assertThat(v.newValue("SELECT full_name FROM users WHERE id = 1")).isEqualTo("anne");
            v.neu("INSERT INTO users (id, full_name, email) VALUES (31, 'x', 'y')");
            assertThat(v.newValue("SELECT count(*) FROM users")).isEqualTo("5");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void renameColumnRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, RENAME_COLUMN).rollsBack(v -> assertThat(v.newValue("SELECT full_name FROM users WHERE id = 2")).isEqualTo("bob"));
    }

    static final String CREATE_INDEX = """
              - create_index: {name: users_email_key, table: users, columns: [email], unique: true}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createIndexIsBuiltOnlineAndEnforced(Supplier<TestDb> db) throws Exception {
        scenario(db, CREATE_INDEX).completes(v -> {
            assertThatThrownBy(() -> v.neu("INSERT INTO users (id, name, email) VALUES (40, 'dup', 'Ann@Example.org')"))
                    .isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> v.old("INSERT INTO users (id, name, email) VALUES (41, 'dup', 'Bob@Example.org')"))
                    .isInstanceOf(java.sql.SQLException.class);
        }, v -> {
            assertThat(v.db().snapshot()).anyMatch(line -> line.startsWith("index:") && line.contains("users_email_key"));
            assertThat(v.newValue("SELECT count(*) FROM users")).isEqualTo("3");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createIndexRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, CREATE_INDEX).rollsBack(v -> assertThat(v.db().snapshot())
                .anyMatch(line -> line.startsWith("index:") && line.contains("users_email_key")));
    }

    static final String WIDEN_NAME = """
              - alter_column: {table: users, column: name, type: varchar(200)}
            """;

    static final String LENGTH_OF_NAME = "SELECT character_maximum_length FROM information_schema.columns"
            + " WHERE table_name = 'users' AND column_name = 'name' AND table_schema = ";

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void alterColumnWidensAShadowThenSwapsItIn(Supplier<TestDb> db) throws Exception {
        scenario(db, WIDEN_NAME).completes(v -> {
            assertThat(v.newValue("SELECT name FROM users WHERE id = 2")).isEqualTo("bob");
            // each version writes its own column; the other sees the write
            v.old("UPDATE users SET name = 'robert' WHERE id = 2");
            assertThat(v.newValue("SELECT name FROM users WHERE id = 2")).isEqualTo("robert");
            v.neu("INSERT INTO users (id, name, email) VALUES (20, 'zed', 'Zed@X.org')");
            assertThat(v.oldValue("SELECT name FROM users WHERE id = 20")).isEqualTo("zed");
            v.old("INSERT INTO users (id, name, email) VALUES (21, 'old', 'Old@X.org')");
            assertThat(v.newValue("SELECT name FROM users WHERE id = 21")).isEqualTo("old");
            v.neu("UPDATE users SET name = 'annie' WHERE id = 1");
            assertThat(v.oldValue("SELECT name FROM users WHERE id = 1")).isEqualTo("annie");
            // the index on the old column is built again on the shadow
            assertThat(v.db().snapshot()).anyMatch(line -> line.startsWith("index:") && line.contains("_bascule_new"));
        }, v -> {
            assertThat(v.newValue(LENGTH_OF_NAME + "'" + v.db().name() + "'")).isEqualTo("200");
            assertThat(v.newValue("SELECT name FROM users WHERE id = 1")).isEqualTo("annie");
            assertThat(v.newValue("SELECT name FROM users WHERE id = 21")).isEqualTo("old");
            v.neu("INSERT INTO users (id, name, email) VALUES (22, '" + "n".repeat(120) + "', 'Long@X.org')");
            assertThat(v.oldValue("SELECT length(name) FROM users WHERE id = 22")).isEqualTo("120");
            // the index has its old name on the new column; no shadow is left
            assertThat(v.db().snapshot()).anyMatch(line -> line.startsWith("index:") && line.contains("users_name_idx"))
                    .noneMatch(line -> line.contains("_bascule_new"));
            assertThatThrownBy(() -> v.neu("INSERT INTO users (id, email) VALUES (23, 'No@Name.org')"))
                    .isInstanceOf(java.sql.SQLException.class);
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void alterColumnRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, WIDEN_NAME).rollsBack(v -> {
            v.neu("UPDATE users SET name = 'annie' WHERE id = 1");
            v.old("UPDATE users SET name = 'ann' WHERE id = 1");
        });
    }

    static final String LEGACY_NOT_NULL = """
              - alter_column:
                  table: users
                  column: legacy
                  type: bigint
                  nullable: false
                  default: "0"
                  up: "coalesce(legacy, 0)"
                  down: "legacy"
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void alterColumnMakesANullableColumnNotNull(Supplier<TestDb> db) throws Exception {
        scenario(db, LEGACY_NOT_NULL).completes(v -> {
            assertThat(v.newValue("SELECT legacy FROM users WHERE id = 3")).isEqualTo("0");
            v.old("INSERT INTO users (id, name, email) VALUES (30, 'nil', 'Nil@X.org')");
            assertThat(v.newValue("SELECT legacy FROM users WHERE id = 30")).isEqualTo("0");
            // while old code runs, a value its int column cannot hold is refused, not truncated
            assertThatThrownBy(() -> v.neu("UPDATE users SET legacy = 5000000000 WHERE id = 1"))
                    .isInstanceOf(java.sql.SQLException.class);
            v.neu("UPDATE users SET legacy = 77 WHERE id = 1");
            assertThat(v.oldValue("SELECT legacy FROM users WHERE id = 1")).isEqualTo("77");
        }, v -> {
            assertThat(v.newValue("SELECT legacy FROM users WHERE id = 1")).isEqualTo("77");
            v.neu("UPDATE users SET legacy = 5000000000 WHERE id = 2");
            assertThat(v.newValue("SELECT legacy FROM users WHERE id = 2")).isEqualTo("5000000000");
            assertThat(v.newValue("SELECT count(*) FROM users WHERE legacy IS NULL")).isEqualTo("0");
            assertThatThrownBy(() -> v.neu("INSERT INTO users (id, name, email, legacy) VALUES (31, 'x', 'y', NULL)"))
                    .isInstanceOf(java.sql.SQLException.class);
        });
    }

    static final String DROP_INDEX = """
              - drop_index: {name: users_name_idx}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void dropIndexIsDroppedAtComplete(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_INDEX).completes(
                v -> assertThat(v.db().snapshot()).anyMatch(line -> line.startsWith("index:") && line.contains("users_name_idx")),
                v -> assertThat(v.db().snapshot()).noneMatch(line -> line.contains("users_name_idx")));
    }

    static final String CREATE_TABLE = """
              - create_table:
                  name: orders
                  columns:
                    - {name: id, type: int}
                    - {name: user_id, type: int, nullable: false, references: {table: users, columns: [id]}}
                    - {name: total, type: int, default: "0", check: "total >= 0"}
                  primary_key: [id]
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createTableIsUsedByNewCode(Supplier<TestDb> db) throws Exception {
        scenario(db, CREATE_TABLE).completes(v -> {
            v.neu("INSERT INTO orders (id, user_id) VALUES (1, 2)");
            assertThat(v.newValue("SELECT total FROM orders WHERE id = 1")).isEqualTo("0");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, user_id) VALUES (2, 999)")).isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, user_id, total) VALUES (3, 1, -5)")).isInstanceOf(java.sql.SQLException.class);
        }, v -> assertThat(v.newValue("SELECT count(*) FROM orders")).isEqualTo("1"));
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createTableRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, CREATE_TABLE).rollsBack(v -> v.neu("INSERT INTO orders (id, user_id) VALUES (1, 2)"));
    }

    static final String DROP_TABLE = """
              - drop_table: {name: audit_log}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void dropTableIsHiddenThenDropped(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_TABLE).completes(v -> {
            // the new version has no view of it (PostgreSQL's new code still reaches the base schema through its search_path)
            assertThatThrownBy(() -> v.newValue("SELECT count(*) FROM " + v.newVersion() + ".audit_log"))
                    .isInstanceOf(java.sql.SQLException.class);
            assertThat(v.oldValue("SELECT note FROM audit_log WHERE id = 1")).isEqualTo("kept until complete");
        }, v -> assertThatThrownBy(() -> v.oldValue("SELECT count(*) FROM audit_log")).isInstanceOf(java.sql.SQLException.class));
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void dropTableRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_TABLE).rollsBack(v -> assertThat(v.oldValue("SELECT count(*) FROM audit_log")).isEqualTo("1"));
    }

    static final String RENAME_TABLE = """
              - rename_table: {from: users, to: customers}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void renameTableIsSeenUnderBothNames(Supplier<TestDb> db) throws Exception {
        scenario(db, RENAME_TABLE).completes(v -> {
            v.neu("INSERT INTO customers (id, name, email) VALUES (50, 'ida', 'i@x.org')");
            assertThat(v.oldValue("SELECT name FROM users WHERE id = 50")).isEqualTo("ida");
            v.old("DELETE FROM users WHERE id = 3");
            assertThat(v.newValue("SELECT count(*) FROM customers")).isEqualTo("3");
        }, v -> {
            assertThat(v.oldValue("SELECT count(*) FROM customers")).isEqualTo("3");
            assertThatThrownBy(() -> v.oldValue("SELECT count(*) FROM users")).isInstanceOf(java.sql.SQLException.class);
            v.neu("UPDATE customers SET name = 'idalia' WHERE id = 50");
            assertThat(v.newValue("SELECT name FROM customers WHERE id = 50")).isEqualTo("idalia");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void renameTableRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, RENAME_TABLE).rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM customers")).isEqualTo("3"));
    }

    /** A table pointing at users (row 2 has no user: MATCH SIMPLE leaves it alone). */
    static final String[] ORDERS = {
            "CREATE TABLE orders (id int PRIMARY KEY, user_id int, note varchar(20))",
            "INSERT INTO orders (id, user_id, note) VALUES (1, 1, 'a'), (2, NULL, 'b'), (3, 3, 'c')"
    };

    static Scenario scenario(Supplier<TestDb> db, String operations, String... more) {
        return new Scenario(db, "operations:\n" + operations, Stream.concat(Stream.of(BASE), Stream.of(more))
                .toArray(String[]::new));
    }

    static final String ADD_FOREIGN_KEY = """
              - add_foreign_key: {table: orders, name: orders_user_fk, columns: [user_id], references: {table: users, columns: [id]}}
            """;

    /** New writes of both versions are checked from start on; existing rows are checked when complete begins. */
    static void foreignKeyHoldsForNewWrites(Scenario.Versions v) throws Exception {
        v.old("INSERT INTO orders (id, user_id, note) VALUES (10, 2, 'old')");
        v.neu("INSERT INTO orders (id, user_id, note) VALUES (11, 1, 'new')", "INSERT INTO orders (id, user_id, note) VALUES (12, NULL, 'none')");
        assertThatThrownBy(() -> v.old("INSERT INTO orders (id, user_id, note) VALUES (13, 999, 'orphan')"))
                .isInstanceOf(java.sql.SQLException.class);
        assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, user_id, note) VALUES (14, 999, 'orphan')"))
                .isInstanceOf(java.sql.SQLException.class);
        assertThatThrownBy(() -> v.neu("UPDATE orders SET user_id = 998 WHERE id = 1")).isInstanceOf(java.sql.SQLException.class);
        // the referenced side is held too: a user with orders cannot go
        assertThatThrownBy(() -> v.old("DELETE FROM users WHERE id = 2")).isInstanceOf(java.sql.SQLException.class);
        assertThat(v.newValue("SELECT count(*) FROM orders")).isEqualTo("6");
        assertThat(v.oldValue("SELECT note FROM orders WHERE id = 11")).isEqualTo("new");
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addForeignKeyChecksNewWritesAtOnceThenTheExistingRows(Supplier<TestDb> db) throws Exception {
        scenario(db, ADD_FOREIGN_KEY, ORDERS).completes(OperationsOnEveryServerTest::foreignKeyHoldsForNewWrites, v -> {
            assertThat(v.db().snapshot()).anyMatch(line -> line.startsWith("constraint: orders.orders_user_fk"));
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, user_id, note) VALUES (20, 999, 'orphan')"))
                    .isInstanceOf(java.sql.SQLException.class);
            assertThat(v.newValue("SELECT count(*) FROM orders WHERE user_id IS NULL")).isEqualTo("2");
            assertThat(v.newValue("SELECT count(*) FROM users")).isEqualTo("3");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addForeignKeyRollsBack(Supplier<TestDb> db) throws Exception {
        // the rows written during start are deleted first: rollback gives back the schema, and data as it was
        scenario(db, ADD_FOREIGN_KEY, ORDERS).rollsBack(v -> {
            foreignKeyHoldsForNewWrites(v);
            v.old("DELETE FROM orders WHERE id >= 10");
        });
    }

    static final String ADD_COLUMN_REFERENCES = """
              - add_column:
                  table: orders
                  column: {name: reviewer_id, type: int, references: {table: users, columns: [id]}}
                  up: "user_id"
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addColumnWithReferencesIsFilledAndChecked(Supplier<TestDb> db) throws Exception {
        scenario(db, ADD_COLUMN_REFERENCES, ORDERS).completes(v -> {
            assertThat(v.newValue("SELECT reviewer_id FROM orders WHERE id = 3")).isEqualTo("3");
            v.old("INSERT INTO orders (id, user_id, note) VALUES (10, 2, 'old')");
            assertThat(v.newValue("SELECT reviewer_id FROM orders WHERE id = 10")).isEqualTo("2");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, user_id, reviewer_id) VALUES (11, 1, 999)"))
                    .isInstanceOf(java.sql.SQLException.class);
        }, v -> {
            assertThat(v.newValue("SELECT count(*) FROM orders WHERE reviewer_id IS NOT NULL")).isEqualTo("3");
            assertThatThrownBy(() -> v.neu("UPDATE orders SET reviewer_id = 999 WHERE id = 1")).isInstanceOf(java.sql.SQLException.class);
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addColumnWithReferencesRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, ADD_COLUMN_REFERENCES, ORDERS).rollsBack(v ->
                assertThat(v.newValue("SELECT reviewer_id FROM orders WHERE id = 1")).isEqualTo("1"));
    }

    static final String[] CONSTRAINED = {
            "CREATE TABLE invoices (id int PRIMARY KEY, user_id int, total int, code varchar(10),"
                    + " CONSTRAINT invoices_user_fk FOREIGN KEY (user_id) REFERENCES users (id),"
                    + " CONSTRAINT invoices_total_check CHECK (total >= 0), CONSTRAINT invoices_code_key UNIQUE (code))",
            "INSERT INTO invoices (id, user_id, total, code) VALUES (1, 1, 10, 'A'), (2, 2, 0, 'B')"
    };

    static final String DROP_CONSTRAINTS = """
              - drop_constraint: {table: invoices, name: invoices_user_fk}
              - drop_constraint: {table: invoices, name: invoices_total_check}
              - drop_constraint: {table: invoices, name: invoices_code_key}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void dropConstraintKeepsItUntilComplete(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_CONSTRAINTS, CONSTRAINED).completes(v -> {
            // old code still relies on them: they hold for both versions until complete
            assertThatThrownBy(() -> v.old("INSERT INTO invoices (id, user_id, total, code) VALUES (10, 999, 1, 'C')"))
                    .isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> v.neu("INSERT INTO invoices (id, user_id, total, code) VALUES (11, 1, -1, 'D')"))
                    .isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> v.neu("INSERT INTO invoices (id, user_id, total, code) VALUES (12, 1, 1, 'A')"))
                    .isInstanceOf(java.sql.SQLException.class);
            v.neu("INSERT INTO invoices (id, user_id, total, code) VALUES (13, 2, 5, 'E')");
            assertThat(v.oldValue("SELECT code FROM invoices WHERE id = 13")).isEqualTo("E");
        }, v -> {
            assertThat(v.db().snapshot()).noneMatch(line -> line.startsWith("constraint: invoices.invoices_user_fk")
                    || line.startsWith("constraint: invoices.invoices_total_check") || line.startsWith("constraint: invoices.invoices_code_key"));
            v.neu("INSERT INTO invoices (id, user_id, total, code) VALUES (20, 999, -1, 'A')");
            assertThat(v.newValue("SELECT count(*) FROM invoices")).isEqualTo("4");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void dropConstraintRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_CONSTRAINTS, CONSTRAINED).rollsBack(v -> assertThatThrownBy(
                () -> v.neu("INSERT INTO invoices (id, user_id, total, code) VALUES (10, 999, 1, 'C')"))
                .isInstanceOf(java.sql.SQLException.class));
    }

    /** Several operations on one table compose in one trigger per event: each reads the row as its own version names it. */
    static final String COMPOSED = """
              - rename_column: {table: users, from: name, to: full_name}
              - add_column:
                  table: users
                  column: {name: domain, type: varchar(100), nullable: true}
                  up: "lower(substr(email, position('@' in email) + 1))"
              - drop_column: {table: users, column: legacy, down: "length(full_name)"}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void operationsOnOneTableCompose(Supplier<TestDb> db) throws Exception {
        scenario(db, COMPOSED).completes(v -> {
            assertThat(v.newValue("SELECT domain FROM users WHERE id = 1")).isEqualTo("example.org");
            v.old("INSERT INTO users (id, name, email, legacy) VALUES (60, 'jo', 'jo@Mail.org', 1)");
            assertThat(v.newValue("SELECT concat(full_name, '/', domain) FROM users WHERE id = 60")).isEqualTo("jo/mail.org");
            v.neu("INSERT INTO users (id, full_name, email, domain) VALUES (61, 'kate', 'k@x.org', 'mine')");
            assertThat(v.oldValue("SELECT concat(name, '/', legacy) FROM users WHERE id = 61")).isEqualTo("kate/4");
        }, v -> {
            assertThat(v.oldValue("SELECT concat(full_name, '/', domain) FROM users WHERE id = 61")).isEqualTo("kate/mine");
            assertThat(v.newValue("SELECT count(*) FROM users")).isEqualTo("5");
        });
    }

    static final String SPLIT = """
              - split_table:
                  from: users
                  into:
                    - {name: user_legacy, columns: [id, legacy]}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void splitTableKeepsThePartInStepBothWays(Supplier<TestDb> db) throws Exception {
        scenario(db, SPLIT).completes(v -> {
            // the backfill copied every row, the moved column is gone from the new version's users
            assertThat(v.newValue("SELECT count(*) FROM user_legacy")).isEqualTo("3");
            assertThat(v.newValue("SELECT legacy FROM user_legacy WHERE id = 1")).isEqualTo("7");
            assertThatThrownBy(() -> v.newValue("SELECT legacy FROM users")).isInstanceOf(SQLException.class);
            // old code's inserts, updates and deletes reach the part
            v.old("INSERT INTO users (id, name, email, legacy) VALUES (10, 'dee', 'd@x.org', 5)");
            assertThat(v.newValue("SELECT legacy FROM user_legacy WHERE id = 10")).isEqualTo("5");
            v.old("UPDATE users SET legacy = 9 WHERE id = 1");
            assertThat(v.newValue("SELECT legacy FROM user_legacy WHERE id = 1")).isEqualTo("9");
            v.old("DELETE FROM users WHERE id = 2");
            assertThat(v.newValue("SELECT count(*) FROM user_legacy WHERE id = 2")).isEqualTo("0");
            // new code's writes of the part reach the table old code reads
            v.neu("INSERT INTO users (id, name, email) VALUES (11, 'eve', 'e@x.org')", "INSERT INTO user_legacy VALUES (11, 12)");
            assertThat(v.oldValue("SELECT concat(name, '/', legacy) FROM users WHERE id = 11")).isEqualTo("eve/12");
            v.neu("UPDATE user_legacy SET legacy = 13 WHERE id = 3");
            assertThat(v.oldValue("SELECT legacy FROM users WHERE id = 3")).isEqualTo("13");
            v.neu("DELETE FROM user_legacy WHERE id = 10");
            assertThat(v.oldValue("SELECT coalesce(legacy, -1) FROM users WHERE id = 10")).isEqualTo("-1");
            if (v.db().dialect().equals("mariadb")) {
                // the part's trigger would update users under a statement that reads users: refused whole
                assertThatThrownBy(() -> v.neu("UPDATE user_legacy SET legacy = 0 WHERE id IN (SELECT id FROM users WHERE name = 'ann')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1442));
                assertThat(v.newValue("SELECT legacy FROM user_legacy WHERE id = 1")).isEqualTo("9");
                assertThat(v.oldValue("SELECT legacy FROM users WHERE id = 1")).isEqualTo("9");
            }
            assertThat(v.db().bascule().load().verify()).isNotEmpty().allMatch(VerifyResult::ok);
        }, v -> {
            assertThatThrownBy(() -> v.oldValue("SELECT legacy FROM users")).isInstanceOf(SQLException.class);
            assertThat(v.newValue("SELECT count(*) FROM user_legacy")).isEqualTo("3");
            assertThat(v.newValue("SELECT legacy FROM user_legacy WHERE id = 3")).isEqualTo("13");
            assertThat(v.db().snapshot()).noneMatch(line -> line.startsWith("trigger:"));
            // the triggers are gone: the part is new code's own
            v.neu("UPDATE user_legacy SET legacy = 0 WHERE id IN (SELECT id FROM users WHERE name = 'ann')");
            assertThat(v.newValue("SELECT legacy FROM user_legacy WHERE id = 1")).isEqualTo("0");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void splitTableRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, SPLIT).rollsBack(v -> assertThat(v.newValue("SELECT sum(legacy) FROM user_legacy")).isEqualTo("15"));
    }

    static Scenario merge(Supplier<TestDb> db) {
        return new Scenario(db, """
                operations:
                  - merge_tables:
                      from: [accounts, profiles]
                      into: {name: members, columns: [id, email, bio]}
                """,
                "CREATE TABLE accounts (id int PRIMARY KEY, email varchar(100) NOT NULL)",
                "CREATE TABLE profiles (id int PRIMARY KEY, bio varchar(100), FOREIGN KEY (id) REFERENCES accounts (id))",
                "INSERT INTO accounts VALUES (1, 'a1'), (2, 'a2'), (3, 'a3'), (4, 'a4'), (5, 'a5'), (6, 'a6')",
                "INSERT INTO profiles VALUES (1, 'bio 1'), (3, 'bio 3'), (5, 'bio 5')");
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void mergeTablesKeepsTheMergeInStepBothWays(Supplier<TestDb> db) throws Exception {
        merge(db).completes(v -> {
            assertThat(v.newValue("SELECT concat(count(*), '/', count(bio)) FROM members")).isEqualTo("6/3");
            assertThat(v.newValue("SELECT concat(email, ' ', bio) FROM members WHERE id = 3")).isEqualTo("a3 bio 3");
            // old code's writes of either table reach the merge
            v.old("INSERT INTO accounts VALUES (10, 'a10')", "INSERT INTO profiles VALUES (10, 'late bio')");
            assertThat(v.newValue("SELECT concat(email, ' ', bio) FROM members WHERE id = 10")).isEqualTo("a10 late bio");
            v.old("DELETE FROM profiles WHERE id = 1");
            assertThat(v.newValue("SELECT coalesce(bio, 'none') FROM members WHERE id = 1")).isEqualTo("none");
            v.old("UPDATE accounts SET email = 'changed' WHERE id = 5");
            assertThat(v.newValue("SELECT concat(email, ' ', bio) FROM members WHERE id = 5")).isEqualTo("changed bio 5");
            // new code's writes of the merge reach both tables
            v.neu("INSERT INTO members VALUES (20, 'a20', 'new bio')");
            assertThat(v.oldValue("SELECT concat(a.email, ' ', p.bio) FROM accounts a JOIN profiles p ON p.id = a.id WHERE a.id = 20"))
                    .isEqualTo("a20 new bio");
            v.neu("UPDATE members SET bio = NULL WHERE id = 3");
            assertThat(v.oldValue("SELECT coalesce(bio, 'null') FROM profiles WHERE id = 3")).isEqualTo("null");
            v.neu("UPDATE members SET email = 'no profile' WHERE id = 4");
            assertThat(v.oldValue("SELECT concat(email, ' ', (SELECT count(*) FROM profiles WHERE id = 4)) FROM accounts WHERE id = 4"))
                    .isEqualTo("no profile 0");
            v.neu("DELETE FROM members WHERE id = 6");
            assertThat(v.oldValue("SELECT count(*) FROM accounts WHERE id = 6")).isEqualTo("0");
            assertThat(v.db().bascule().load().verify()).isNotEmpty().allMatch(VerifyResult::ok);
        }, v -> {
            assertThatThrownBy(() -> v.oldValue("SELECT count(*) FROM accounts")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> v.oldValue("SELECT count(*) FROM profiles")).isInstanceOf(SQLException.class);
            assertThat(v.newValue("SELECT concat(count(*), '/', count(bio)) FROM members")).isEqualTo("7/3");
            assertThat(v.db().snapshot()).noneMatch(line -> line.startsWith("trigger:"));
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void mergeTablesRollsBack(Supplier<TestDb> db) throws Exception {
        merge(db).rollsBack(v -> assertThat(v.newValue("SELECT concat(count(*), '/', count(bio)) FROM members")).isEqualTo("6/3"));
    }
}
