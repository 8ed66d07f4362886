package dev.bascule.concurrency;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.concurrency.MariaDbSplitMergeUnderWritesTest.Writer;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A compact replay of gh-ost's own MariaDB/MySQL test cases ({@code localtests/}): each case's
 * table, its change written as a Bascule migration, and the statements of its event run as old code
 * would, on the base table, during start and complete. gh-ost's events insert without a column list
 * ({@code INSERT INTO t VALUES (NULL, ...)}), so every added or shadow column must stay out of their
 * way until complete ends. Each case must start and complete with not one failed client statement,
 * and leave the table with the columns a plain {@code ALTER TABLE} of a twin table leaves (name,
 * position, type, nullability, default, character set, collation). The cases whose data makes the
 * change impossible are refused before start changes anything.
 */
class MariaDbGhostLocalTestsTest {

    /**
     * @param create      the table, named {@code gh_ost_test}, and its first rows
     * @param laxSqlMode  whether the table is created under {@code sql_mode = ''} (a legacy table)
     * @param writes      one run of the case's event, on the base table, as old code
     * @param operations  the change as Bascule operations
     * @param plainAlter  the same change as the clauses of a plain ALTER TABLE
     */
    record Case(List<String> create, boolean laxSqlMode, List<String> writes, String operations, String plainAlter) {}

    static Stream<Named<Case>> completing() {
        return Stream.of(
                Named.of("alter-charset", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, t1 varchar(128) CHARSET latin1 COLLATE latin1_swedish_ci,
                          t2 varchar(128) CHARSET latin1 COLLATE latin1_swedish_ci, tutf8 varchar(128) CHARSET utf8,
                          tutf8mb4 varchar(128) CHARSET utf8mb4, PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, md5(rand()), md5(rand()), md5(rand()), md5(rand()))",
                                "INSERT INTO gh_ost_test VALUES (NULL, 'átesting', 'átesting', 'átesting', 'átesting')",
                                "INSERT INTO gh_ost_test VALUES (NULL, 'testátest', 'testátest', 'testátest', '🍻😀')"),
                        """
                        - alter_column: {table: gh_ost_test, column: t1, type: varchar(128) CHARACTER SET utf8mb4, nullable: false}
                        - alter_column: {table: gh_ost_test, column: t2, type: varchar(128) CHARACTER SET latin2, nullable: false}
                        - alter_column: {table: gh_ost_test, column: tutf8, type: varchar(128) CHARACTER SET latin1, nullable: false}
                        """,
                        "MODIFY t1 varchar(128) CHARACTER SET utf8mb4 NOT NULL, MODIFY t2 varchar(128) CHARACTER SET latin2 NOT NULL,"
                                + " MODIFY tutf8 varchar(128) CHARACTER SET latin1 NOT NULL")),
                Named.of("convert-utf8mb4", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, t varchar(128) CHARSET utf8 COLLATE utf8_general_ci,
                          ta varchar(128) CHARSET ascii NOT NULL, PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, md5(rand()), 'a')",
                                "INSERT INTO gh_ost_test VALUES (NULL, 'novo proprietário', 'b')",
                                "INSERT INTO gh_ost_test VALUES (NULL, 'usuário', 'x')",
                                "DELETE FROM gh_ost_test WHERE id = last_insert_id() AND ta = 'x'"),
                        """
                        - alter_column: {table: gh_ost_test, column: t, type: varchar(128) CHARACTER SET utf8mb4}
                        - alter_column: {table: gh_ost_test, column: ta, type: varchar(128) CHARACTER SET utf8mb4}
                        """,
                        "MODIFY t varchar(128) CHARACTER SET utf8mb4, MODIFY ta varchar(128) CHARACTER SET utf8mb4 NOT NULL")),
                // the migration names the column C2, the table has c2 (gh-ost: modify C2 ...); the column
                // keeps the table's own spelling, which the twin's plain ALTER is given
                Named.of("modify-change-case", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, c1 int NOT NULL DEFAULT 0, c2 int NOT NULL DEFAULT 0,
                          PRIMARY KEY (id))"""), false,
                        List.of("INSERT IGNORE INTO gh_ost_test VALUES (1, 11, 23)", "INSERT IGNORE INTO gh_ost_test VALUES (2, 13, 23)",
                                "INSERT INTO gh_ost_test VALUES (NULL, 17, 23)",
                                "UPDATE gh_ost_test SET c1 = c1 + last_insert_id(), c2 = c2 + last_insert_id()"
                                        + " WHERE id = last_insert_id() ORDER BY id DESC LIMIT 1",
                                "DELETE FROM gh_ost_test WHERE id = 1", "DELETE FROM gh_ost_test WHERE id = 2 AND c1 = 13"),
                        "- alter_column: {table: gh_ost_test, column: C2, type: bigint}\n",
                        "MODIFY c2 bigint NOT NULL DEFAULT 0")),
                Named.of("datetime-to-timestamp", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int unsigned AUTO_INCREMENT, i int NOT NULL, ts0 timestamp DEFAULT current_timestamp,
                          ts1 timestamp NULL, dt2 datetime, t datetime NULL, updated tinyint unsigned DEFAULT 0,
                          PRIMARY KEY (id), KEY i_idx (i))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, 7, NULL, now(), now(), '2010-10-20 10:20:30', 0)",
                                "INSERT INTO gh_ost_test VALUES (NULL, 13, NULL, now(), now(), '2010-10-20 10:20:30', 0)",
                                "UPDATE gh_ost_test SET t = t + INTERVAL 1 MINUTE, updated = 1 WHERE i = 13 ORDER BY id DESC LIMIT 1"),
                        "- alter_column: {table: gh_ost_test, column: t, type: timestamp}\n",
                        "MODIFY t timestamp NULL")),
                Named.of("bigint-change-nullable", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id bigint AUTO_INCREMENT, val bigint NOT NULL, PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, 9223372036854775807)",
                                "INSERT INTO gh_ost_test VALUES (NULL, -9223372036854775808)"),
                        "- alter_column: {table: gh_ost_test, column: val, nullable: true}\n",
                        "MODIFY val bigint NULL")),
                // a table created under a lax sql_mode, with a zero-date default (gh-ost: --allow-zero-in-date)
                Named.of("existing-datetime-with-zero", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int unsigned AUTO_INCREMENT, i int NOT NULL,
                          dt datetime NOT NULL DEFAULT '1970-00-00 00:00:00', PRIMARY KEY (id))"""), true,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, 7, '2010-10-20 10:20:30')",
                                "INSERT INTO gh_ost_test (i) VALUES (8)"),
                        "- alter_column: {table: gh_ost_test, column: i, type: bigint}\n",
                        "MODIFY i bigint NOT NULL")),
                // old code keeps inserting every column by position while start adds a column the
                // application's next release fills
                Named.of("add-column-positional-inserts", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, i int NOT NULL, color varchar(10), PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, 11, 'red')",
                                "UPDATE gh_ost_test SET color = 'blue' WHERE id = last_insert_id()"),
                        "- add_column: {table: gh_ost_test, column: {name: shade, type: varchar(10), nullable: false}, up: \"upper(color)\"}\n"
                                + "- alter_column: {table: gh_ost_test, column: i, type: bigint}\n",
                        "MODIFY i bigint NOT NULL, ADD COLUMN shade varchar(10) NOT NULL")),
                // gh-ost's default alter, which every case without extra_args runs: a rebuild in place.
                // Every case deletes by key (gh-ost's own deletes by a column without an index are
                // narrowed to the row's key): two writers deleting by a full scan at once (gh-ost runs
                // its event in one thread) deadlock each other, with or without Bascule (seen on CI)
                Named.of("engine-innodb (autoinc-copy-simple)", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, i int NOT NULL, PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, 11)", "INSERT INTO gh_ost_test VALUES (NULL, 13)",
                                "UPDATE gh_ost_test SET i = i + 1 WHERE id = last_insert_id()",
                                "DELETE FROM gh_ost_test WHERE id = last_insert_id() - 1"),
                        "- rebuild_table: {table: gh_ost_test, engine: InnoDB}\n",
                        "ENGINE=InnoDB")),
                Named.of("convert-to-utf8mb4 (table)", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, t varchar(128) CHARSET utf8 COLLATE utf8_general_ci,
                          ta varchar(128) CHARSET ascii NOT NULL, tx text CHARSET latin1, PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, md5(rand()), 'a', 'café')",
                                "INSERT INTO gh_ost_test VALUES (NULL, 'novo proprietário', 'b', NULL)",
                                "DELETE FROM gh_ost_test WHERE id = last_insert_id()"),
                        "- rebuild_table: {table: gh_ost_test, charset: utf8mb4, row_format: dynamic}\n",
                        "CONVERT TO CHARACTER SET utf8mb4, ROW_FORMAT=DYNAMIC")),
                // ts NOT NULL here: the server's explicit_defaults_for_timestamp would make gh-ost's ts nullable
                Named.of("swap-pk-uk", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id bigint, i int NOT NULL, ts timestamp(6) NOT NULL DEFAULT current_timestamp(6),
                          PRIMARY KEY (id), UNIQUE KEY its_uidx (i, ts))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (uuid_short(), floor(rand() * 1000000000), now(6))",
                                "UPDATE gh_ost_test SET i = i + 1 ORDER BY id DESC LIMIT 1"),
                        "- rebuild_table: {table: gh_ost_test, primary_key: [i, ts], previous_key_name: id_uidx}\n",
                        "DROP PRIMARY KEY, DROP KEY its_uidx, ADD PRIMARY KEY (i, ts), ADD UNIQUE KEY id_uidx (id)")),
                Named.of("enum (a value appended)", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, i int NOT NULL,
                          e enum('red', 'green', 'blue', 'orange') NULL DEFAULT NULL COLLATE 'utf8_bin', PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, 11, 'red')", "INSERT INTO gh_ost_test VALUES (NULL, 17, 'blue')",
                                "UPDATE gh_ost_test SET e = 'orange' WHERE id = last_insert_id()",
                                "INSERT INTO gh_ost_test VALUES (NULL, 23, NULL)"),
                        "- alter_column: {table: gh_ost_test, column: e, type: \"enum('red', 'green', 'blue', 'orange', 'yellow')\"}\n",
                        "CHANGE e e enum('red', 'green', 'blue', 'orange', 'yellow') NULL DEFAULT NULL COLLATE 'utf8_bin'")),
                // the new c1 takes the old one's place, where a plain drop and add puts it last
                Named.of("drop-null-add-not-null", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, c1 int NULL, c2 int NOT NULL, PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, 17, 23)", "INSERT INTO gh_ost_test VALUES (NULL, NULL, 29)",
                                "DELETE FROM gh_ost_test WHERE id = last_insert_id() - 1"),
                        "- drop_column: {table: gh_ost_test, column: c1}\n"
                                + "- add_column: {table: gh_ost_test, column: {name: c1, type: int, nullable: false, default: \"47\"}}\n",
                        "MODIFY c1 int NOT NULL DEFAULT 47")),
                Named.of("reorder-columns", new Case(List.of("""
                        CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, c1 int NOT NULL, c2 int NOT NULL, PRIMARY KEY (id))"""), false,
                        List.of("INSERT INTO gh_ost_test VALUES (NULL, 11, 23)", "INSERT INTO gh_ost_test VALUES (NULL, 13, 23)",
                                "UPDATE gh_ost_test SET c2 = c2 + 1 WHERE id = last_insert_id()"),
                        "- alter_column: {table: gh_ost_test, column: c2, after: id}\n",
                        "CHANGE COLUMN c2 c2 int NOT NULL AFTER id")));
    }

    @ParameterizedTest
    @MethodSource("completing")
    void oldCodesPositionalWritesSeeNoErrorAndTheTableEndsAsAPlainAlterLeavesIt(Case c) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            create(db, c, "gh_ost_test");
            create(db, c, "gh_ost_plain");
            try (Connection conn = db.connect(db.name())) {
                // the twin under the server's own sql_mode, as the application's DBA would run it
                db.exec(conn, "SET SESSION sql_mode = " + (c.laxSqlMode() ? "''" : "@@GLOBAL.sql_mode"),
                        "ALTER TABLE gh_ost_plain " + c.plainAlter());
            }
            for (int i = 0; i < 20; i++) {
                db.exec(c.writes().stream().filter(w -> !w.startsWith("DELETE")).toArray(String[]::new));
            }
            int shape = columns(db, "gh_ost_test").size(); // the columns old code was written for
            List<String> errors = new CopyOnWriteArrayList<>();
            List<Writer> old = List.of(1, 2).stream().map(seed -> new Writer(db, db.name(), errors, seed, w -> {
                if (c.laxSqlMode() && w.operations == 0) {
                    w.exec("SET SESSION sql_mode = ''");
                }
                w.exec(c.writes().toArray(String[]::new));
                try (var rs = w.statement.executeQuery("SELECT * FROM gh_ost_test ORDER BY id DESC LIMIT 1")) {
                    if (rs.getMetaData().getColumnCount() != shape) {
                        throw new java.sql.SQLException("SELECT * shows " + rs.getMetaData().getColumnCount() + " columns");
                    }
                }
            })).toList();
            Bascule b = db.bascule().listener(new dev.bascule.api.BasculeListener() {
                @Override
                public void stepStarted(String phase, int index, int total, String description, String lock) {
                    // an added column is shown, last, at the very end of complete: old code that
                    // inserts by position has been retired by then, as after a plain ALTER .. ADD COLUMN
                    if (description.startsWith("show column") && c.operations().contains("add_column")
                            || description.startsWith("move column")) {
                        stopAll(old);
                    }
                }
            }).load();
            old.forEach(Thread::start);
            Thread.sleep(100);
            b.start(migration("operations:\n" + c.operations().indent(2)));
            Thread.sleep(150);
            b.complete(Set.of());
            Thread.sleep(100);
            stopAll(old);
            assertThat(errors).as("old code's statements that failed").isEmpty();
            assertThat(old).allSatisfy(w -> assertThat(w.operations).isGreaterThan(3));
            assertThat(columns(db, "gh_ost_test")).as("the table's columns, against a plain ALTER's")
                    .containsExactlyElementsOf(columns(db, "gh_ost_plain"));
            assertThat(db.value("SELECT count(*) FROM gh_ost_test")).isNotEqualTo("0");
        }
    }

    static Stream<Named<Case>> refused() {
        return Stream.of(
                Named.of("panic-on-warnings-duplicate-values-for-unique-index", new Case(List.of(
                        "CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, name varchar(255) NOT NULL, PRIMARY KEY (id))",
                        "INSERT INTO gh_ost_test (name) VALUES ('John'), ('John'), ('Adam')"), false, List.of(),
                        "- create_index: {name: name_index, table: gh_ost_test, columns: [name], unique: true}\n",
                        "1 value(s) of (name) in table gh_ost_test occur more than once, in 2 rows|(name=John) in 2 rows")),
                Named.of("panic-on-warnings-duplicate-unique-values-on-column-type-change", new Case(List.of(
                        "CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, name varchar(255) NOT NULL, PRIMARY KEY (id),"
                                + " UNIQUE KEY name_index (name))",
                        "INSERT INTO gh_ost_test (name) VALUES ('John Smith'), ('John Travolta')"), false, List.of(),
                        "- alter_column: {table: gh_ost_test, column: name, type: varchar(4)}\n",
                        "2 row(s) of gh_ost_test|longer than 4")));
    }

    /** Exit 3 with a count and a sample before anything changes: never a batch failing in start. */
    @ParameterizedTest
    @MethodSource("refused")
    void dataThatMakesTheChangeImpossibleIsRefusedBeforeStartChangesAnything(Case c) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(c.create().toArray(String[]::new));
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n" + c.operations().indent(2))))
                    .isInstanceOf(dev.bascule.api.RefusedException.class)
                    .hasMessageContainingAll(c.plainAlter().split("\\|"))
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(3));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    /**
     * A default the server's DDL refuses under Bascule's strict sql_mode (gh-ost's datetime-with-zero:
     * a NOT NULL datetime whose new default has a zero month; a string longer than its column; a
     * number out of range) is bad input: plan refuses it, and start before changing anything (exit
     * 2, naming the field), where start used to stop midway at its first ALTER (exit 1,
     * {@code Invalid default value}).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "alter_column: {table: gh_ost_test, column: dt, nullable: false, default: \"'1970-00-00 00:00:00'\"}",
            "add_column: {table: gh_ost_test, column: {name: code, type: varchar(3), default: \"'toolong'\"}}",
            "add_column: {table: gh_ost_test, column: {name: n, type: tinyint, nullable: false, default: \"300\"}}",
            "create_table: {name: other, columns: [{name: id, type: int}, {name: at, type: date, default: \"'2020-01-00'\"}], primary_key: [id]}"})
    void aDefaultTheServerWouldRefuseIsRefusedAtPlanTime(String operation) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE gh_ost_test (id int unsigned AUTO_INCREMENT, i int NOT NULL, dt datetime, PRIMARY KEY (id))",
                    "INSERT INTO gh_ost_test VALUES (NULL, 7, '2010-10-20 10:20:30')");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            var change = migration("operations:\n  - " + operation + "\n");
            assertThatThrownBy(() -> b.plan(change))
                    .isInstanceOf(dev.bascule.api.InvalidMigrationException.class)
                    .hasMessageContaining("operations[0]")
                    .hasMessageContaining("not a valid default")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThatThrownBy(() -> b.start(change))
                    .isInstanceOf(dev.bascule.api.InvalidMigrationException.class)
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.versions()).isEmpty();
        }
    }

    /** A valid constant default is not refused: the same shapes with values the column holds start and complete. */
    @org.junit.jupiter.api.Test
    void validConstantDefaultsStartAndComplete() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE gh_ost_test (id int unsigned AUTO_INCREMENT, i int NOT NULL, dt datetime, PRIMARY KEY (id))",
                    "INSERT INTO gh_ost_test VALUES (NULL, 7, '2010-10-20 10:20:30')");
            Bascule b = db.bascule().load();
            b.start(migration("""
                    operations:
                      - alter_column: {table: gh_ost_test, column: dt, nullable: false, default: "'1970-01-01 00:00:00'"}
                      - add_column: {table: gh_ost_test, column: {name: code, type: varchar(3), default: "'a''b'"}}
                      - add_column: {table: gh_ost_test, column: {name: n, type: tinyint, nullable: false, default: "-12"}}
                    """));
            b.complete(Set.of());
            assertThat(db.value("SELECT concat_ws(',', dt, code, n) FROM gh_ost_test")).isEqualTo("2010-10-20 10:20:30,a'b,-12");
        }
    }

    /**
     * gh-ost's default alter, {@code engine=innodb}, which every case without its own {@code --alter}
     * runs, on each such case's table and rows: rebuild_table starts and completes, every row and
     * value is kept as it was (an id 0 kept under NO_AUTO_VALUE_ON_ZERO, submillisecond times, JSON,
     * geometry, GBK text, a generated column, a DECIMAL key), and the table is defined as a plain
     * {@code ALTER TABLE .. ENGINE=InnoDB} of a twin leaves it.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            // autoinc-zero-value
            "CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, i int NOT NULL, PRIMARY KEY (id))"
                    + "|SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')|INSERT INTO gh_ost_test VALUES (0, 23), (NULL, 24)",
            // decimal-pk-unsigned
            "CREATE TABLE gh_ost_test (id decimal(32,0) NOT NULL DEFAULT '0', name varchar(16) NOT NULL DEFAULT '', PRIMARY KEY (id))"
                    + "|INSERT INTO gh_ost_test VALUES (80700020220314193000, 'dms'), (80700020220314193001, 'x')",
            // datetime-submillis
            "CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, i int NOT NULL, dt0 datetime(6), ts2 timestamp(6) NULL,"
                    + " updated tinyint unsigned DEFAULT 0, PRIMARY KEY (id), KEY i_idx (i))"
                    + "|INSERT INTO gh_ost_test VALUES (NULL, 11, '2016-10-31 11:22:33.444', now(6), 0)",
            // json57
            "CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, j json, PRIMARY KEY (id))"
                    + "|INSERT INTO gh_ost_test VALUES (NULL, '\"sometext\"'), (NULL, '{\"is-it\": true, \"count\": 3, \"elements\": []}')",
            // spatial57
            "CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, g geometry, pt point, PRIMARY KEY (id))"
                    + "|INSERT INTO gh_ost_test VALUES (NULL, ST_GeomFromText('POINT(1 1)'), POINT(10, 10))",
            // gbk-charset
            "CREATE TABLE gh_ost_test (id int NOT NULL AUTO_INCREMENT, name varchar(512), v varchar(255) COMMENT '添加普通列测试',"
                    + " PRIMARY KEY (id)) DEFAULT CHARSET=gbk|INSERT INTO gh_ost_test VALUES (NULL, 'gbk-test', '添加普通列测试')",
            // generated-columns
            "CREATE TABLE gh_ost_test (id int AUTO_INCREMENT, a int NOT NULL, b int NOT NULL, sum_ab int AS (a + b) VIRTUAL,"
                    + " PRIMARY KEY (id))|INSERT INTO gh_ost_test (a, b) VALUES (2, 3), (2, 4)"})
    void ghostsDefaultAlterIsARebuildThatKeepsEveryValue(String setup) throws Exception {
        String[] statements = setup.split("\\|");
        try (TestDb db = TestDb.mariadb()) {
            for (String table : List.of("gh_ost_test", "gh_ost_plain")) {
                try (Connection conn = db.connect(db.name())) {
                    db.exec(conn, java.util.Arrays.stream(statements).map(x -> x.replace("gh_ost_test", table)).toArray(String[]::new));
                }
            }
            db.exec("ALTER TABLE gh_ost_plain ENGINE=InnoDB");
            List<String> before = dump(db, "gh_ost_test");
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - rebuild_table: {table: gh_ost_test, engine: InnoDB}\n"));
            b.complete(Set.of());
            assertThat(dump(db, "gh_ost_test")).isEqualTo(before).isNotEmpty();
            assertThat(definition(db, "gh_ost_test")).isEqualTo(definition(db, "gh_ost_plain").replace("gh_ost_plain", "gh_ost_test"));
        }
    }

    /** Every row of {@code table} as text, in key order: each column, binary ones as hex. */
    private static List<String> dump(TestDb db, String table) {
        List<String> columns = db.column("SELECT IF(DATA_TYPE IN ('geometry', 'point'), CONCAT('hex(ST_AsBinary(`', COLUMN_NAME, '`))'),"
                + " CONCAT('`', COLUMN_NAME, '`')) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                + table + "' ORDER BY ORDINAL_POSITION");
        return db.column("SELECT concat_ws('|', " + String.join(", ", columns.stream().map(c -> "coalesce(" + c + ", 'NULL')").toList())
                + ") FROM `" + table + "` ORDER BY 1");
    }

    /** SHOW CREATE TABLE without the AUTO_INCREMENT counter, which writes move. */
    private static String definition(TestDb db, String table) throws Exception {
        try (Connection conn = db.connect(db.name()); var st = conn.createStatement(); var rs = st.executeQuery("SHOW CREATE TABLE `" + table + "`")) {
            rs.next();
            return rs.getString(2).replaceAll(" AUTO_INCREMENT=\\d+", "");
        }
    }

    private static void create(TestDb db, Case c, String table) throws Exception {
        try (Connection conn = db.connect(db.name())) {
            if (c.laxSqlMode()) {
                db.exec(conn, "SET SESSION sql_mode = ''");
            }
            db.exec(conn, c.create().stream().map(s -> s.replace("gh_ost_test", table)).toArray(String[]::new));
        }
    }

    /** Each column of {@code table} in order, as a plain ALTER would be compared. */
    private static List<String> columns(TestDb db, String table) {
        return db.column("SELECT concat_ws(' ', COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, coalesce(COLUMN_DEFAULT, '-'),"
                + " coalesce(CHARACTER_SET_NAME, '-'), coalesce(COLLATION_NAME, '-'), EXTRA) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION");
    }

    private static void stopAll(List<Writer> writers) {
        try {
            for (Writer w : writers) w.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
