package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.ColumnDef;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Generated columns on real servers: made by create_table on both (MariaDB's VIRTUAL too), added by
 * add_column on PostgreSQL to a table without rows only, computed for old and new code's writes
 * alike, taken away by rollback; and refused at plan time, nothing changed, where they would rewrite a table.
 */
class GeneratedColumnsTest {

    private static boolean mariaDb(Supplier<TestDb> server) {
        return server instanceof Server s && s.dialect().equals("mariadb");
    }

    private static String table(Supplier<TestDb> server) {
        return """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: int, nullable: false}
                        - {name: price, type: int}
                        - {name: total, type: int, generated: {expression: "price * 2"}, check: "total < 1000"}
                """ + (mariaDb(server) ? "        - {name: half, type: int, generated: {expression: \"price DIV 2\", stored: false}}\n" : "")
                + "      primary_key: [id]\n";
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createTableComputesTheColumnForEveryWriter(Supplier<TestDb> server) throws Exception {
        new Scenario(server, table(server), "CREATE TABLE users (id int PRIMARY KEY)").completes(v -> {
            v.neu("INSERT INTO items (id, price) VALUES (1, 21)");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 1")).isEqualTo("42");
            assertThatThrownBy(() -> v.neu("INSERT INTO items (id, price, total) VALUES (2, 1, 5)")).isNotNull();
            assertThatThrownBy(() -> v.neu("INSERT INTO items (id, price) VALUES (3, 600)")).isNotNull(); // its check
            if (mariaDb(server)) {
                assertThat(v.newValue("SELECT half FROM items WHERE id = 1")).isEqualTo("10");
            }
        }, v -> {
            v.neu("UPDATE items SET price = 5 WHERE id = 1");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 1")).isEqualTo("10");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createTableRollsBack(Supplier<TestDb> server) throws Exception {
        new Scenario(server, table(server), "CREATE TABLE users (id int PRIMARY KEY)").rollsBack(v -> {
            v.neu("INSERT INTO items (id, price) VALUES (1, 21)");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 1")).isEqualTo("42");
        });
    }

    private static final String ADD = """
            operations:
              - add_column: {table: items, column: {name: total, type: int, generated: {expression: "price * 2"}, unique: true}}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addColumnToATableWithoutRowsOnPostgres(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeFalse(mariaDb(server), "MariaDB refuses it: see addColumnIsRefusedWhereItWouldRewrite");
        new Scenario(server, ADD, "CREATE TABLE items (id int PRIMARY KEY, price int)").completes(v -> {
            v.old("INSERT INTO items (id, price) VALUES (1, 21)");
            v.neu("INSERT INTO items (id, price) VALUES (2, 50)");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 1")).isEqualTo("42");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 2")).isEqualTo("100");
            assertThatThrownBy(() -> v.neu("INSERT INTO items (id, price) VALUES (3, 21)")).hasMessageContaining("items_total_key");
        }, v -> {
            v.neu("UPDATE items SET price = 1 WHERE id = 1");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 1")).isEqualTo("2");
            assertThat(v.db().value("SELECT attgenerated FROM pg_attribute WHERE attrelid = to_regclass('" + v.db().name()
                    + ".items') AND attname = 'total'")).isEqualTo("s");
        });
        new Scenario(server, ADD, "CREATE TABLE items (id int PRIMARY KEY, price int)").rollsBack(v ->
                assertThat(v.newValue("SELECT count(total) FROM items")).isEqualTo("0"));
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addColumnIsRefusedWhereItWouldRewrite(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec("CREATE TABLE items (id int PRIMARY KEY, price int)", "INSERT INTO items VALUES (1, 21)");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration(ADD))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining(mariaDb(server) ? dev.bascule.testing.Server.named(server) + ": add_column adds a stored (PERSISTENT) generated column only"
                            : "table 'items' has rows: a stored generated column added to it would be computed for every row")
                    .satisfies(e -> assertThat(((InvalidMigrationException) e).exitCode()).isEqualTo(2));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    /** A row written between plan and start: start looks again under the table's lock, and adds nothing. */
    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void startLooksForRowsAgainUnderTheLock(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeFalse(mariaDb(server), "MariaDB refuses it at plan time");
        try (TestDb db = server.get()) {
            db.exec("CREATE TABLE items (id int PRIMARY KEY, price int)", "INSERT INTO items VALUES (1, 21)");
            List<String> statements = new PostgresDialect().tables().addGeneratedColumnToEmptyTable(db.name(), "items",
                    new ColumnDef("total", "int", true, Optional.empty(), false, Optional.empty(), Optional.empty())
                            .withGenerated(Optional.of(new ColumnDef.Generated("price * 2", true))));
            try (var c = db.connect(db.name())) {
                c.setAutoCommit(false);
                assertThatThrownBy(() -> db.exec(c, statements.toArray(String[]::new)))
                        .hasMessageContaining("table items has rows");
                c.rollback();
            }
            assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db.name()
                    + "' AND table_name = 'items'")).doesNotContain("total");
        }
    }

    private static final String ADD_VIRTUAL = """
            operations:
              - add_column: {table: items, column: {name: total, type: int, generated: {expression: "price * 2", stored: false}}}
            """;

    /** MariaDB adds a VIRTUAL column instantly to a table with rows, hidden from old code until complete. */
    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void addVirtualColumnOnMariaDb(Supplier<TestDb> server) throws Exception {
        Assumptions.assumeTrue(mariaDb(server), "PostgreSQL 15 has no virtual columns");
        String[] setup = {"CREATE TABLE items (id int PRIMARY KEY, price int)", "INSERT INTO items VALUES (1, 21)"};
        new Scenario(server, ADD_VIRTUAL, setup).completes(v -> {
            assertThat(v.newValue("SELECT total FROM items WHERE id = 1")).isEqualTo("42");
            v.old("INSERT INTO items VALUES (2, 5)"); // old code's insert without a column list: the column is hidden
            assertThat(v.newValue("SELECT total FROM items WHERE id = 2")).isEqualTo("10");
            v.neu("INSERT INTO items (id, price) VALUES (3, 1)");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 3")).isEqualTo("2");
        }, v -> {
            assertThat(v.db().value("SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + v.db().name()
                    + "' AND TABLE_NAME = 'items' AND COLUMN_NAME = 'total'")).isEqualTo("VIRTUAL GENERATED");
            v.neu("UPDATE items SET price = 100 WHERE id = 1");
            assertThat(v.newValue("SELECT total FROM items WHERE id = 1")).isEqualTo("200");
        });
        new Scenario(server, ADD_VIRTUAL, setup).rollsBack(v ->
                assertThat(v.newValue("SELECT sum(total) FROM items")).isEqualTo("42"));
    }
}
