package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MySQL family's {@code enum} and {@code set} types in create_table, add_column and
 * alter_column (an appended enum value included), and add_column's {@code after} / {@code first}
 * (MariaDB places the column when complete shows it, MySQL 8 when start adds it); alter_column's
 * {@code after} / {@code first} moves a column on MariaDB and is refused on MySQL 8, which would
 * rebuild the table. PostgreSQL refuses both at plan time with what to do there.
 */
class EnumSetAndPositionTest {

    /** The matrix's MySQL family: MariaDB 10.11 and 11.4, MySQL 8.0. */
    static Stream<Named<Server>> mysqlFamily() {
        return Servers.matrix().filter(s -> !s.getPayload().dialect().equals("postgresql"));
    }

    static final String[] TABLE = {
            "CREATE TABLE shirts (id int AUTO_INCREMENT PRIMARY KEY, i int NOT NULL,"
                    + " e enum('red', 'green', 'blue', 'orange') NULL DEFAULT NULL COLLATE utf8mb4_bin)",
            "INSERT INTO shirts VALUES (NULL, 11, 'red'), (NULL, 13, 'green'), (NULL, 17, NULL)"};

    static final String ENUMS = """
              - create_table:
                  name: wardrobe
                  columns:
                    - {name: id, type: int, nullable: false}
                    - {name: size, type: "enum('s', 'm', 'l')", nullable: false, default: "'m'"}
                    - {name: tags, type: "set('cotton', 'wool', 'it''s')"}
                  primary_key: [id]
              - add_column: {table: shirts, column: {name: fit, type: "set('slim', 'loose')", nullable: false, default: "'slim'"}, after: id}
              - add_column: {table: shirts, column: {name: ord, type: int, default: "0"}, first: true}
              - alter_column: {table: shirts, column: e, type: "enum('red', 'green', 'blue', 'orange', 'yellow') COLLATE utf8mb4_bin"}
            """;

    @ParameterizedTest
    @MethodSource("mysqlFamily")
    void enumAndSetColumnsAndPlacedColumnsCompleteUnderBothVersions(Supplier<TestDb> server) throws Exception {
        new Scenario(server, "operations:\n" + ENUMS, TABLE).completes(v -> {
            // old code inserts by position: the added columns stay out of its way until complete
            v.old("INSERT INTO shirts VALUES (NULL, 19, 'blue')", "UPDATE shirts SET e = 'orange' WHERE i = 11");
            v.neu("INSERT INTO shirts (i, e, fit, ord) VALUES (23, 'yellow', 'slim,loose', 5)");
            v.neu("INSERT INTO wardrobe VALUES (1, 'l', 'cotton,it''s')");
            assertThat(v.newValue("SELECT e FROM shirts WHERE i = 19")).isEqualTo("blue");
            assertThat(v.oldValue("SELECT e FROM shirts WHERE i = 23")).isEqualTo("yellow");
        }, v -> {
            assertThat(v.newValue("SELECT group_concat(concat(i, ':', coalesce(e, '-'), ':', fit, ':', ord) ORDER BY i) FROM shirts"))
                    .isEqualTo("11:orange:slim:0,13:green:slim:0,17:-:slim:0,19:blue:slim:0,23:yellow:slim,loose:5");
            assertThat(columns(v.db(), "shirts", "COLUMN_TYPE"))
                    .containsExactly("ord int", "id int", "fit set('slim','loose')", "i int",
                            "e enum('red','green','blue','orange','yellow')");
            assertThat(columns(v.db(), "wardrobe", "COLUMN_TYPE"))
                    .containsExactly("id int", "size enum('s','m','l')", "tags set('cotton','wool','it''s')");
            assertThat(v.newValue("SELECT concat(size, '/', tags) FROM wardrobe")).isEqualTo("l/cotton,it's");
            assertThatThrownBy(() -> v.neu("INSERT INTO shirts (i, e) VALUES (29, 'purple')")).isInstanceOf(java.sql.SQLException.class);
        });
    }

    /**
     * Rollback drops what start added and gives every row back; the values appended to an enum stay
     * (old code reads every row as before; taking them away would copy the table under a lock).
     */
    @ParameterizedTest
    @MethodSource("mysqlFamily")
    void rollbackGivesEveryRowBackAndKeepsTheAppendedValues(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            db.exec(TABLE);
            java.util.List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n" + ENUMS));
            try (java.sql.Connection neu = db.connect(Scenario.version(db)); java.sql.Connection old = db.connect(db.name())) {
                db.exec(neu, "INSERT INTO shirts (i, e, fit) VALUES (23, 'yellow', 'loose')");
                db.exec(old, "DELETE FROM shirts WHERE i = 23");
            }
            b.rollback();
            assertThat(db.snapshot()).containsExactlyElementsOf(before.stream().map(line -> line.replace(
                    "enum('red','green','blue','orange')", "enum('red','green','blue','orange','yellow')")).toList());
            assertThat(db.versions()).isEmpty();
        }
    }

    /**
     * gh-ost's reorder-columns (change column c2 c2 int not null after id), and a move with a type
     * change: moved at the end of complete on MariaDB. MySQL 8 moves a column only by rebuilding the
     * table, so there each is a copy into a shadow table with the column placed, which must be the
     * only operation on its table: two at once are refused at plan time naming the field.
     */
    @ParameterizedTest
    @MethodSource("mysqlFamily")
    void alterColumnMovesAColumnAtTheEndOfComplete(Server server) throws Exception {
        String[] table = {"CREATE TABLE gh_ost_test (id int AUTO_INCREMENT PRIMARY KEY, c1 int NOT NULL DEFAULT 0,"
                + " c2 int NOT NULL DEFAULT 0 COMMENT 'second', c3 varchar(10))", "INSERT INTO gh_ost_test VALUES (NULL, 11, 23, 'a')"};
        String moves = """
                operations:
                  - alter_column: {table: gh_ost_test, column: c2, after: id}
                  - alter_column: {table: gh_ost_test, column: c3, type: varchar(20), first: true}
                """;
        if (server.mysql()) {
            try (TestDb db = server.get()) {
                db.exec(table);
                java.util.List<String> before = db.snapshot();
                Bascule b = db.bascule().load();
                assertThatThrownBy(() -> b.start(migration(moves)))
                        .isInstanceOf(InvalidMigrationException.class)
                        .hasMessageContaining("operations[0].alter_column.column")
                        .hasMessageContaining("rebuilding the whole table")
                        .hasMessageContaining("shadow table with the column placed")
                        .hasMessageContaining("only operation on table 'gh_ost_test'")
                        .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
                assertThat(db.snapshot()).containsExactlyElementsOf(before);
                assertThat(db.versions()).isEmpty();
            }
            new Scenario(server, "operations:\n  - alter_column: {table: gh_ost_test, column: c2, after: id}\n", table).completes(v -> {
                v.old("INSERT INTO gh_ost_test VALUES (NULL, 13, 29, 'b')", "UPDATE gh_ost_test SET c2 = 24 WHERE c1 = 11");
                v.neu("INSERT INTO gh_ost_test (c1, c2, c3) VALUES (17, 31, 'c')");
                assertThat(v.oldValue("SELECT c2 FROM gh_ost_test WHERE c1 = 17")).isEqualTo("31");
            }, v -> {
                assertThat(columns(v.db(), "gh_ost_test", "concat(COLUMN_TYPE, ' ', COLUMN_COMMENT)"))
                        .containsExactly("id int ", "c2 int second", "c1 int ", "c3 varchar(10) ");
                assertThat(v.newValue("SELECT group_concat(concat(c3, c2, c1) ORDER BY id) FROM gh_ost_test")).isEqualTo("a2411,b2913,c3117");
                v.neu("INSERT INTO gh_ost_test (c1) VALUES (1)");
                assertThat(v.newValue("SELECT max(id) FROM gh_ost_test")).isEqualTo("4");
            });
            new Scenario(server, "operations:\n  - alter_column: {table: gh_ost_test, column: c3, type: varchar(20), first: true}\n",
                    table).completes(v -> v.old("INSERT INTO gh_ost_test VALUES (NULL, 13, 29, 'b')"), v -> {
                assertThat(columns(v.db(), "gh_ost_test", "concat(COLUMN_TYPE, ' ', COLUMN_COMMENT)"))
                        .containsExactly("c3 varchar(20) ", "id int ", "c1 int ", "c2 int second");
                assertThat(v.newValue("SELECT group_concat(concat(c3, c2, c1) ORDER BY id) FROM gh_ost_test")).isEqualTo("a2311,b2913");
            });
            return;
        }
        new Scenario(server, moves, table).completes(v -> {
            // old code inserts by position until complete
            v.old("INSERT INTO gh_ost_test VALUES (NULL, 13, 29, 'b')");
            assertThat(v.oldValue("SELECT c2 FROM gh_ost_test WHERE c1 = 13")).isEqualTo("29");
        }, v -> {
            assertThat(columns(v.db(), "gh_ost_test", "concat(COLUMN_TYPE, ' ', COLUMN_COMMENT)"))
                    .containsExactly("c3 varchar(20) ", "id int ", "c2 int second", "c1 int ");
            assertThat(v.newValue("SELECT group_concat(concat(c3, c2, c1) ORDER BY id) FROM gh_ost_test")).isEqualTo("a2311,b2913");
            v.neu("INSERT INTO gh_ost_test (c1) VALUES (1)");
            assertThat(v.newValue("SELECT max(id) FROM gh_ost_test")).isEqualTo("3");
        });
    }

    /**
     * A column changed through a shadow column keeps its place: MariaDB moves the new column there
     * when complete shows it, MySQL 8 (which would rebuild the table to move it) adds it right
     * after the old one at start, so the swap leaves it where the old one stood.
     */
    @ParameterizedTest
    @MethodSource("mysqlFamily")
    void aColumnChangedThroughAShadowColumnKeepsItsPlace(Server server) throws Exception {
        String[] table = {"CREATE TABLE places (id int AUTO_INCREMENT PRIMARY KEY, a int, b varchar(10) NOT NULL, c int)",
                "INSERT INTO places VALUES (NULL, 1, 'x', 2)"};
        new Scenario(server, """
                operations:
                  - alter_column: {table: places, column: b, type: varchar(40), up: "concat(b, '!')", down: "replace(b, '!', '')"}
                """, table).completes(v -> {
            v.old("INSERT INTO places VALUES (NULL, 3, 'y', 4)");
            assertThat(v.newValue("SELECT b FROM places WHERE a = 3")).isEqualTo("y!");
        }, v -> {
            assertThat(columns(v.db(), "places", "COLUMN_TYPE")).containsExactly("id int", "a int", "b varchar(40)", "c int");
            assertThat(v.newValue("SELECT group_concat(concat(a, b, c) ORDER BY id) FROM places")).isEqualTo("1x!2,3y!4");
        });
    }

    /**
     * Each column of {@code table} in order, as "name what" ({@code what} over information_schema.COLUMNS),
     * integer display widths left out: MariaDB prints {@code int(11)}, MySQL 8 {@code int}.
     */
    static java.util.List<String> columns(TestDb db, String table, String what) throws Exception {
        return db.column("SELECT concat(COLUMN_NAME, ' ', " + what + ") FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION").stream()
                .map(c -> c.replaceAll("\\b(tinyint|smallint|mediumint|int|bigint)\\(\\d+\\)", "$1")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "alter_column: {table: shirts, column: i, after: i}|alter_column.after|itself",
            "alter_column: {table: shirts, column: i, after: e, first: true}|alter_column.first|not both",
            "add_column: {table: shirts, column: {name: c, type: int}, after: nope}|add_column.after|unknown column 'nope'",
            "add_column: {table: shirts, column: {name: c, type: int}, after: i, first: true}|add_column.first|not both",
            "add_column: {table: shirts, column: {name: c, type: \"enum('a\\\\b')\"}}|add_column.column.type|invalid type",
            "add_column: {table: shirts, column: {name: c, type: \"enum('a', 'b'\"}}|add_column.column.type|invalid type"})
    void badPlacesAndValuesAreRefusedNamingTheField(String operation) throws Exception {
        String[] parts = operation.split("\\|", -1);
        try (TestDb db = TestDb.mariadb()) {
            db.exec(TABLE);
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.plan(migration("operations:\n  - " + parts[0] + "\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0]." + parts[1]).hasMessageContaining(parts[2])
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "add_column: {table: shirts, column: {name: c, type: \"enum('a', 'b')\"}}|add_column.column.type|CREATE TYPE",
            "create_table: {name: t, columns: [{name: c, type: \"set('a')\"}]}|create_table.columns[0].type|CREATE TYPE",
            "alter_column: {table: shirts, column: e, type: \"enum('a', 'b')\"}|alter_column.type|CREATE TYPE",
            "add_column: {table: shirts, column: {name: c, type: int}, after: i}|add_column.after|no column order",
            "add_column: {table: shirts, column: {name: c, type: int}, first: true}|add_column.first|no column order",
            "alter_column: {table: shirts, column: e, after: id}|alter_column.after|no column order"})
    void postgresqlRefusesEnumSetAndPositionsWithWhatToDoThere(String operation) throws Exception {
        String[] parts = operation.split("\\|", -1);
        try (TestDb db = TestDb.postgres()) {
            db.exec("CREATE TABLE shirts (id int PRIMARY KEY, i int NOT NULL, e text)");
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.plan(migration("operations:\n  - " + parts[0] + "\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0]." + parts[1]).hasMessageContaining(parts[2])
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.versions()).isEmpty();
        }
    }
}
