package dev.bascule.safety;

import dev.bascule.testing.Servers;
import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input that the server would only refuse in the middle of start is refused by plan, on both
 * servers: exit 2 naming the field, and start changes nothing (no version schema, no table, column or row).
 */
class PlanTimeRefusalTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50))";
    static final String USERS_WITH_EMAIL = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";


    /** start refuses {@code operations} with exit 2 naming {@code field}, and the database is as before. */
    private static void refused(Supplier<TestDb> dialect, String operations, String field, String... message) throws Exception {
        try (TestDb db = dialect.get()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann')");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            String yaml = "operations:\n" + operations;
            assertThatThrownBy(() -> b.plan(migration(yaml))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining(field);
            assertThatThrownBy(() -> b.start(migration(yaml)))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining(field)
                    .hasMessageContainingAll(message)
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.versions()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void anUnknownTypeInAddColumnIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, "  - add_column: {table: users, column: {name: mood, type: no_such_type}}\n",
                "operations[0].add_column.column.type", "no_such_type");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void anUnknownTypeInCreateTableIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, """
                  - create_table:
                      name: moods
                      columns: [{name: id, type: int}, {name: mood, type: no_such_type}]
                      primary_key: [id]
                """, "operations[0].create_table.columns[1].type", "no_such_type");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void columnAttributesGivenAsTheTypeAreRefused(Supplier<TestDb> db) throws Exception {
        refused(db, "  - add_column: {table: users, column: {name: n, type: int unique}}\n",
                "operations[0].add_column.column.type", "not a valid type");
    }

    @Test
    void aTypeAnEarlierSqlOperationCreatesIsLeftToItsDdl() throws Exception {
        // MariaDB refuses sql operations (no transactional DDL), and has no CREATE TYPE or DOMAIN
        try (TestDb d = TestDb.postgres()) {
            d.exec(USERS);
            String yaml = """
                    operations:
                      - sql: {up: "CREATE DOMAIN positive_int AS int CHECK (VALUE > 0)", down: "DROP DOMAIN positive_int"}
                      - add_column: {table: users, column: {name: score, type: positive_int}}
                    """;
            Bascule b = d.bascule().load();
            b.start(migration(yaml));
            b.complete(Set.of());
            d.exec("INSERT INTO users VALUES (1, 'ann', 3)");
            assertThatThrownBy(() -> d.exec("INSERT INTO users VALUES (2, 'bob', -3)")).hasMessageContaining("positive_int");
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void serialTypesStillPlan(Supplier<TestDb> db) throws Exception {
        try (TestDb d = db.get()) {
            d.exec(USERS);
            String yaml = """
                    operations:
                      - create_table:
                          name: events
                          columns: [{name: id, type: serial, nullable: false}, {name: note, type: varchar(20), default: "'x'"}]
                          primary_key: [id]
                    """;
            Bascule b = d.bascule().load();
            b.start(migration(yaml));
            b.complete(Set.of());
            assertThat(d.value("SELECT count(*) FROM events")).isEqualTo("0");
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void bigserialIsRefusedWhereTheServerHasNoSuchType(Supplier<TestDb> db) throws Exception {
        String ops = """
                  - create_table:
                      name: events
                      columns: [{name: id, type: bigserial, nullable: false}]
                      primary_key: [id]
                """;
        try (TestDb d = db.get()) {
            if (d.dialect().equals("postgresql")) {
                d.exec(USERS);
                assertThat(d.bascule().load().plan(migration("operations:\n" + ops)).start()).isNotEmpty();
                return;
            }
        }
        refused(db, ops, "operations[0].create_table.columns[0].type", "bigserial");
    }

    /**
     * PostgreSQL: an {@code up} whose type the new column cannot take ({@code now()} for an int)
     * passed plan and failed in the backfill, midway through start, with the migration left to roll
     * back. What PostgreSQL can convert still plans: a number into a text column, numeric into int.
     */
    @Test
    void anUpOfATypeTheNewColumnCannotTakeIsRefusedOnPostgres() throws Exception {
        refused(TestDb::postgres, "  - add_column: {table: users, column: {name: seen, type: int}, up: \"now()\"}\n",
                "operations[0].add_column.up", "integer");
        try (TestDb db = TestDb.postgres()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann')");
            Bascule b = db.bascule().load();
            assertThat(b.plan(migration("operations:\n  - add_column: {table: users, column: {name: label, type: varchar(20)}, up: \"id\"}\n"
                    + "  - add_column: {table: users, column: {name: half, type: int}, up: \"id * 0.5\"}\n")).start()).isNotEmpty();
        }
    }

    /** A serial makes a sequence and is no type: PostgreSQL refused the cast of {@code up}, naming the wrong field. */
    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aSerialAsTheNewTypeOfAlterColumnIsRefusedOnItsTypeField(Supplier<TestDb> db) throws Exception {
        refused(db, "  - alter_column: {table: users, column: id, type: bigserial, up: \"id\", down: \"id\"}\n",
                "operations[0].alter_column.type", "bigserial", "bigint");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aCreateTableDefaultCallingAnUnknownFunctionIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, """
                  - create_table:
                      name: events
                      columns: [{name: id, type: int}, {name: at, type: int, default: "no_such_function()"}]
                      primary_key: [id]
                """, "operations[0].create_table.columns[1].default", "no_such_function");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aCreateTableColumnCheckNamingAnUnknownColumnIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, """
                  - create_table:
                      name: events
                      columns: [{name: id, type: int}, {name: qty, type: int, check: "no_such_column > 0"}]
                      primary_key: [id]
                """, "operations[0].create_table.columns[1].check", "no_such_column");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aCreateTableConstraintCheckNamingAnUnknownColumnIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, """
                  - create_table:
                      name: events
                      columns: [{name: id, type: int}, {name: qty, type: int}]
                      primary_key: [id]
                      constraints: [{name: events_qty_check, check: "qty > missing"}]
                """, "operations[0].create_table.constraints[0].check", "missing");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void createTableChecksAndDefaultsThatCompileStillPlan(Supplier<TestDb> db) throws Exception {
        try (TestDb d = db.get()) {
            d.exec(USERS);
            String yaml = """
                    operations:
                      - create_table:
                          name: events
                          columns:
                            - {name: id, type: int}
                            - {name: qty, type: int, default: "1 + 1", check: "qty > 0"}
                            - {name: note, type: varchar(20), default: "'none'"}
                          primary_key: [id]
                          constraints: [{name: events_note_check, check: "note <> '' AND qty < 1000"}]
                    """;
            Bascule b = d.bascule().load();
            b.start(migration(yaml));
            b.complete(Set.of());
            d.exec("INSERT INTO events (id) VALUES (1)");
            assertThat(d.value("SELECT qty FROM events")).isEqualTo("2");
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void anIndexPredicateOverAnUnknownColumnIsRefused(Supplier<TestDb> db) throws Exception {
        try (TestDb d = db.get()) {
            if (d.dialect().equals("mariadb")) {
                return; // MariaDB has no partial indexes: refused for that, see MariaDbRefusalsTest
            }
        }
        refused(db, "  - create_index: {name: users_name_idx, table: users, columns: [name], where: \"no_such_column > 0\"}\n",
                "operations[0].create_index.where", "no_such_column");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void anAlterColumnDefaultCallingAnUnknownFunctionIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, "  - alter_column: {table: users, column: name, default: \"no_such_function()\"}\n",
                "operations[0].alter_column.default", "no_such_function");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aCreateTableUniqueConstraintOverAnUnknownColumnIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, """
                  - create_table:
                      name: events
                      columns: [{name: id, type: int}]
                      constraints: [{name: events_code_key, unique: [code]}]
                """, "operations[0].create_table.constraints[0].unique[0]", "code");
    }

    static Stream<String> reservedNames() {
        return Stream.of(
                "  - create_table: {name: _bascule_reads, columns: [{name: id, type: int}]}\n|operations[0].create_table.name",
                "  - create_table: {name: events, columns: [{name: _bascule_new_id, type: int}]}\n|operations[0].create_table.columns[0].name",
                "  - create_table: {name: events, columns: [{name: id, type: int}], constraints: [{name: _Bascule_k, unique: [id]}]}\n"
                        + "|operations[0].create_table.constraints[0].name",
                "  - rename_table: {from: users, to: _bascule_old_users}\n|operations[0].rename_table.to",
                "  - add_column: {table: users, column: {name: _bascule_new_name, type: int}}\n|operations[0].add_column.column.name",
                "  - rename_column: {table: users, from: name, to: _bascule_deprecated_1a2b3c4d_name}\n|operations[0].rename_column.to",
                "  - create_index: {name: _bascule_new_users_name_idx, table: users, columns: [name]}\n|operations[0].create_index.name",
                "  - add_check: {table: users, name: _BASCULE_check, expression: \"id > 0\"}\n|operations[0].add_check.name");
    }

    static Stream<Arguments> reservedNameCases() {
        return Servers.suite().flatMap(d -> reservedNames().map(c -> Arguments.of(d, c)));
    }

    @ParameterizedTest
    @MethodSource("reservedNameCases")
    void namesWithBasculesOwnPrefixAreRefused(Supplier<TestDb> db, String operationAndField) throws Exception {
        String[] parts = operationAndField.split("\\|");
        refused(db, parts[0], parts[1], "_bascule", "choose another name");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aTableOverTheServersColumnLimitIsRefused(Supplier<TestDb> db) throws Exception {
        try (TestDb d = db.get()) {
            int limit = d.dialect().equals("postgresql") ? 1600 : 1017;
            d.exec(USERS);
            StringBuilder yaml = new StringBuilder("operations:\n  - create_table:\n      name: wide\n      columns:\n");
            for (int c = 0; c <= limit; c++) {
                yaml.append("        - {name: c").append(c).append(", type: int}\n");
            }
            List<String> before = d.snapshot();
            assertThatThrownBy(() -> d.bascule().load().start(migration(yaml.toString())))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].create_table.columns")
                    .hasMessageContaining("at most " + limit);
            assertThat(d.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void aPostgresDefaultNamingAColumnIsRefused() throws Exception {
        // PostgreSQL: "cannot use column reference in DEFAULT expression"; MariaDB takes such a default
        refused(TestDb::postgres, "  - add_column: {table: users, column: {name: nick, type: varchar(50), default: \"name\"}}\n",
                "operations[0].add_column.column.default", "name");
    }

    @Test
    void aDefaultUsingAFunctionAnEarlierSqlOperationCreatesIsLeftToItsDdl() throws Exception {
        try (TestDb d = TestDb.postgres()) {
            d.exec(USERS);
            String yaml = """
                    operations:
                      - sql: {up: "CREATE FUNCTION next_code() RETURNS int LANGUAGE sql AS 'SELECT 7'", down: "DROP FUNCTION next_code()"}
                      - create_table:
                          name: events
                          columns: [{name: id, type: int}, {name: code, type: int, default: "next_code()", check: "code > 0"}]
                          primary_key: [id]
                    """;
            Bascule b = d.bascule().load();
            b.start(migration(yaml));
            b.complete(Set.of());
            d.exec("INSERT INTO events (id) VALUES (1)");
            assertThat(d.value("SELECT code FROM events")).isEqualTo("7");
        }
    }

    @Test
    void anAddColumnCheckNamingAnUnknownColumnIsRefused() throws Exception {
        // MariaDB refuses a check on add_column for its table copy
        refused(TestDb::postgres, "  - add_column: {table: users, column: {name: qty, type: int, check: \"qty > no_such_column\"}}\n",
                "operations[0].add_column.column.check", "no_such_column");
    }

    @Test
    void anAlterColumnCheckNamingAnUnknownColumnIsRefused() throws Exception {
        // MariaDB refuses a check on alter_column for its table copy
        refused(TestDb::postgres, "  - alter_column: {table: users, column: name, check: \"length(name) > no_such_column\"}\n",
                "operations[0].alter_column.check", "no_such_column");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void anAlterColumnDownNamingAnUnknownColumnIsRefused(Supplier<TestDb> db) throws Exception {
        refused(db, "  - alter_column: {table: users, column: name, type: varchar(80), down: \"no_such_column\"}\n",
                "operations[0].alter_column.down", "no_such_column");
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aTableAtTheServersColumnLimitPlansQuickly(Supplier<TestDb> db) throws Exception {
        try (TestDb d = db.get()) {
            int limit = d.dialect().equals("postgresql") ? 1600 : 1017;
            d.exec(USERS);
            StringBuilder yaml = new StringBuilder("operations:\n  - create_table:\n      name: wide\n      columns:\n");
            for (int c = 0; c < limit; c++) {
                yaml.append("        - {name: c").append(c).append(", type: int, default: \"").append(c).append("\"}\n");
            }
            long started = System.nanoTime();
            assertThat(d.bascule().load().plan(migration(yaml.toString())).start()).isNotEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void badInputIsExit2WithTheFieldAndChangesNothing(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(USERS_WITH_EMAIL);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: users, column: {name: n,"
                    + " type: varchar(20)}, up: \"no_such_function(email)\"}\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].add_column.up: the expression is not valid")
                    .hasMessageNotContaining("(conn=");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: users, column: {name: n,"
                    + " type: \"int; DROP TABLE users\"}}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("type");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - rename_column: {table: users, from: nope, to: x}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("unknown column 'nope'");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }
}
