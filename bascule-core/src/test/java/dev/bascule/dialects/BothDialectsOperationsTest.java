package dev.bascule.dialects;

import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operations MariaDB supports, each run the same way on PostgreSQL and on MariaDB: during
 * start old and new code read and write and see each other's writes, transformed; complete leaves
 * the new shape with every row's value; rollback gives back catalog and data.
 */
class BothDialectsOperationsTest {
    static final String[] BASE = {
            "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL, legacy int)",
            "CREATE TABLE audit_log (id int PRIMARY KEY, note varchar(50))",
            "CREATE INDEX users_name_idx ON users (name)",
            "INSERT INTO users (id, name, email, legacy) VALUES (1, 'ann', 'Ann@Example.org', 7), (2, 'bob', 'Bob@Example.org', 8),"
                    + " (3, 'cy', 'Cy@Example.org', NULL)",
            "INSERT INTO audit_log (id, note) VALUES (1, 'kept until complete')"
    };

    static Stream<Named<Supplier<TestDb>>> dialects() {
        return Stream.of(Named.of("postgresql", TestDb::postgres), Named.of("mariadb", TestDb::mariadb));
    }

    static DialectScenario scenario(Supplier<TestDb> db, String operations) {
        return new DialectScenario(db, "operations:\n" + operations, BASE);
    }

    static final String ADD_COLUMN = """
              - add_column:
                  table: users
                  column: {name: email_lower, type: varchar(100), nullable: false}
                  up: "lower(email)"
            """;

    @ParameterizedTest
    @MethodSource("dialects")
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
    @MethodSource("dialects")
    void addColumnRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, ADD_COLUMN).rollsBack(v ->
                assertThat(v.newValue("SELECT email_lower FROM users WHERE id = 1")).isEqualTo("ann@example.org"));
    }

    static final String DROP_COLUMN = """
              - drop_column: {table: users, column: legacy, down: "42"}
            """;

    @ParameterizedTest
    @MethodSource("dialects")
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
    @MethodSource("dialects")
    void dropColumnRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_COLUMN).rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM users")).isEqualTo("3"));
    }

    static final String RENAME_COLUMN = """
              - rename_column: {table: users, from: name, to: full_name}
            """;

    @ParameterizedTest
    @MethodSource("dialects")
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
    @MethodSource("dialects")
    void renameColumnRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, RENAME_COLUMN).rollsBack(v -> assertThat(v.newValue("SELECT full_name FROM users WHERE id = 2")).isEqualTo("bob"));
    }

    static final String CREATE_INDEX = """
              - create_index: {name: users_email_key, table: users, columns: [email], unique: true}
            """;

    @ParameterizedTest
    @MethodSource("dialects")
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
    @MethodSource("dialects")
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
    @MethodSource("dialects")
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
    @MethodSource("dialects")
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
    @MethodSource("dialects")
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
    @MethodSource("dialects")
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
    @MethodSource("dialects")
    void createTableIsUsedByNewCode(Supplier<TestDb> db) throws Exception {
        scenario(db, CREATE_TABLE).completes(v -> {
            v.neu("INSERT INTO orders (id, user_id) VALUES (1, 2)");
            assertThat(v.newValue("SELECT total FROM orders WHERE id = 1")).isEqualTo("0");
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, user_id) VALUES (2, 999)")).isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> v.neu("INSERT INTO orders (id, user_id, total) VALUES (3, 1, -5)")).isInstanceOf(java.sql.SQLException.class);
        }, v -> assertThat(v.newValue("SELECT count(*) FROM orders")).isEqualTo("1"));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void createTableRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, CREATE_TABLE).rollsBack(v -> v.neu("INSERT INTO orders (id, user_id) VALUES (1, 2)"));
    }

    static final String DROP_TABLE = """
              - drop_table: {name: audit_log}
            """;

    @ParameterizedTest
    @MethodSource("dialects")
    void dropTableIsHiddenThenDropped(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_TABLE).completes(v -> {
            // the new version has no view of it (PostgreSQL's new code still reaches the base schema through its search_path)
            assertThatThrownBy(() -> v.newValue("SELECT count(*) FROM " + v.newVersion() + ".audit_log"))
                    .isInstanceOf(java.sql.SQLException.class);
            assertThat(v.oldValue("SELECT note FROM audit_log WHERE id = 1")).isEqualTo("kept until complete");
        }, v -> assertThatThrownBy(() -> v.oldValue("SELECT count(*) FROM audit_log")).isInstanceOf(java.sql.SQLException.class));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void dropTableRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, DROP_TABLE).rollsBack(v -> assertThat(v.oldValue("SELECT count(*) FROM audit_log")).isEqualTo("1"));
    }

    static final String RENAME_TABLE = """
              - rename_table: {from: users, to: customers}
            """;

    @ParameterizedTest
    @MethodSource("dialects")
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
    @MethodSource("dialects")
    void renameTableRollsBack(Supplier<TestDb> db) throws Exception {
        scenario(db, RENAME_TABLE).rollsBack(v -> assertThat(v.newValue("SELECT count(*) FROM customers")).isEqualTo("3"));
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
    @MethodSource("dialects")
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
}
