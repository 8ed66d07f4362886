package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * drop_column then add_column of the same name in one migration (gh-ost's drop-null-add-not-null):
 * old code keeps the old column, new code sees the new one under the same name from start on, and
 * complete swaps it in; rollback gives back the old column with every row.
 */
class ColumnReplacementTest {
    static final String[] TABLE = {
            "CREATE TABLE gh_ost_test (id int PRIMARY KEY, c1 int NULL, c2 int NOT NULL)",
            "INSERT INTO gh_ost_test VALUES (1, NULL, 17), (2, 5, 19)"};

    static final String REPLACE = """
            operations:
              - drop_column: {table: gh_ost_test, column: c1}
              - add_column: {table: gh_ost_test, column: {name: c1, type: bigint, nullable: false, default: "47"}}
            """;

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void theNewColumnTakesTheNameWhileOldCodeKeepsTheOldOne(Supplier<TestDb> server) throws Exception {
        new Scenario(server, REPLACE, TABLE).completes(v -> {
            assertThat(v.newValue("SELECT c1 FROM gh_ost_test WHERE id = 2")).isEqualTo("47");
            assertThat(v.oldValue("SELECT c1 FROM gh_ost_test WHERE id = 2")).isEqualTo("5");
            v.old("INSERT INTO gh_ost_test (id, c1, c2) VALUES (3, 11, 23)");
            assertThat(v.newValue("SELECT c1 FROM gh_ost_test WHERE id = 3")).isEqualTo("47");
            v.neu("INSERT INTO gh_ost_test (id, c1, c2) VALUES (4, 99, 29)");
            assertThat(v.oldValue("SELECT coalesce(c1, -1) FROM gh_ost_test WHERE id = 4")).isEqualTo("-1");
            v.neu("UPDATE gh_ost_test SET c1 = 7 WHERE id = 1");
            assertThat(v.newValue("SELECT c1 FROM gh_ost_test WHERE id = 1")).isEqualTo("7");
        }, v -> {
            assertThat(v.newValue("SELECT group_concat(concat(id, ':', c1) ORDER BY id) FROM gh_ost_test".replace("group_concat(",
                    v.db().dialect().equals("postgresql") ? "string_agg(" : "group_concat(").replace(" ORDER BY id)",
                    v.db().dialect().equals("postgresql") ? ", ',' ORDER BY id)" : " ORDER BY id)"))).isEqualTo("1:7,2:47,3:47,4:99");
            assertThatThrownBy(() -> v.neu("INSERT INTO gh_ost_test (id, c1, c2) VALUES (5, NULL, 1)"))
                    .isInstanceOf(java.sql.SQLException.class);
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void rollbackGivesTheOldColumnBack(Supplier<TestDb> server) throws Exception {
        new Scenario(server, REPLACE, TABLE).rollsBack(v -> {
            v.neu("INSERT INTO gh_ost_test (id, c1, c2) VALUES (4, 99, 29)");
            v.old("DELETE FROM gh_ost_test WHERE id = 4");
        });
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void aPositionOrANotNullWithoutAValueIsRefused(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(TABLE);
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.plan(migration("""
                    operations:
                      - drop_column: {table: gh_ost_test, column: c1}
                      - add_column: {table: gh_ost_test, column: {name: c1, type: int, nullable: false}}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[1].add_column.column.nullable")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThatThrownBy(() -> b.plan(migration("""
                    operations:
                      - drop_column: {table: gh_ost_test, column: c2, down: "0"}
                      - add_column: {table: gh_ost_test, column: {name: c2, type: int}, first: true}
                    """))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[1].add_column.first")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
        }
    }
}
