package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * rebuild_table on the MySQL family (a shadow table, copy triggers, a backfill in key order, one
 * RENAME TABLE): table options (gh-ost's {@code ENGINE=InnoDB}, {@code CONVERT TO CHARACTER SET},
 * {@code ROW_FORMAT}) and a new primary key, under old and new code's writes, then complete or
 * rollback; and its refusals at plan time.
 */
class TableRebuildTest {

    /** The matrix's MySQL family: MariaDB 10.11 and 11.4, MySQL 8.0. */
    static Stream<Named<Server>> mysqlFamily() {
        return Servers.matrix().filter(s -> !s.getPayload().dialect().equals("postgresql"));
    }

    static final String[] TABLE = {
            "CREATE TABLE items (id int AUTO_INCREMENT PRIMARY KEY, code varchar(20) CHARACTER SET latin1 NOT NULL,"
                    + " note text CHARACTER SET latin1, UNIQUE KEY items_code (code), KEY items_note (note(10)))"
                    + " ENGINE=InnoDB ROW_FORMAT=COMPACT",
            "INSERT INTO items (code, note) VALUES ('a1', 'first'), ('b2', 'café'), ('c3', NULL)"};

    static final String OPTIONS = """
              - rebuild_table: {table: items, engine: InnoDB, charset: utf8mb4, collation: utf8mb4_bin, row_format: dynamic}
            """;

    @ParameterizedTest
    @MethodSource("mysqlFamily")
    void tableOptionsChangeUnderBothVersionsWritesAndEveryRowIsKept(Supplier<TestDb> server) throws Exception {
        new Scenario(server, "operations:\n" + OPTIONS, TABLE).completes(v -> {
            v.old("INSERT INTO items (code, note) VALUES ('d4', 'old code')", "UPDATE items SET note = 'changed' WHERE code = 'a1'",
                    "DELETE FROM items WHERE code = 'c3'");
            v.neu("INSERT INTO items (code, note) VALUES ('e5', 'new code')", "UPDATE items SET code = 'b9' WHERE code = 'b2'");
            assertThat(v.oldValue("SELECT count(*) FROM items")).isEqualTo("4");
        }, v -> {
            assertThat(v.newValue("SELECT group_concat(concat(id, ':', code, ':', coalesce(note, '-')) ORDER BY id) FROM items"))
                    .isEqualTo("1:a1:changed,2:b9:café,4:d4:old code,5:e5:new code");
            assertThat(v.db().value("SELECT concat(TABLE_COLLATION, ' ', ROW_FORMAT, ' ', ENGINE) FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items'")).isEqualTo("utf8mb4_bin Dynamic InnoDB");
            assertThat(v.db().column("SELECT concat(COLUMN_NAME, ' ', COLLATION_NAME) FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLLATION_NAME IS NOT NULL ORDER BY 1"))
                    .containsExactly("code utf8mb4_bin", "note utf8mb4_bin");
            // the keys and the counter came along: the next key is past every key handed out
            assertThat(v.db().column("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'items' ORDER BY 1")).containsExactly("items_code", "items_note", "PRIMARY");
            v.neu("INSERT INTO items (code) VALUES ('f6')");
            assertThat(v.newValue("SELECT max(id) FROM items")).isEqualTo("6");
            assertThat(v.db().column("SHOW TABLES")).containsExactly("items");
        });
    }

    @ParameterizedTest
    @MethodSource("mysqlFamily")
    void tableOptionsRollBackWithEveryWriteKept(Supplier<TestDb> server) throws Exception {
        new Scenario(server, "operations:\n" + OPTIONS, TABLE).rollsBack(v -> {
            v.old("INSERT INTO items (code, note) VALUES ('d4', 'x')");
            v.neu("DELETE FROM items WHERE code = 'd4'");
        });
    }

    /** gh-ost's swap-pk-uk: the unique key becomes the primary key, the old primary key a unique key. */
    static final String[] SWAP = {
            "CREATE TABLE gh_ost_test (id bigint, i int NOT NULL, ts timestamp(6) NOT NULL DEFAULT current_timestamp(6),"
                    + " PRIMARY KEY (id), UNIQUE KEY its_uidx (i, ts))",
            "INSERT INTO gh_ost_test VALUES (1, 11, '2020-01-01 00:00:00.000001'), (2, 13, '2020-01-01 00:00:00.000002')"};

    @ParameterizedTest
    @MethodSource("mysqlFamily")
    void aUniqueKeyIsSwappedInAsThePrimaryKey(Supplier<TestDb> server) throws Exception {
        new Scenario(server, """
                operations:
                  - rebuild_table: {table: gh_ost_test, primary_key: [i, ts], previous_key_name: id_uidx}
                """, SWAP).completes(v -> {
            v.old("INSERT INTO gh_ost_test VALUES (3, 17, now(6))", "UPDATE gh_ost_test SET i = 12 WHERE id = 1");
            v.neu("INSERT INTO gh_ost_test VALUES (4, 19, now(6))", "UPDATE gh_ost_test SET id = 20 WHERE id = 2");
        }, v -> {
            assertThat(v.newValue("SELECT group_concat(concat(id, ':', i) ORDER BY id) FROM gh_ost_test")).isEqualTo("1:12,3:17,4:19,20:13");
            assertThat(keys(v.db(), "gh_ost_test")).containsExactly("PRIMARY unique i,ts", "id_uidx unique id");
            assertThatThrownBy(() -> v.neu("INSERT INTO gh_ost_test VALUES (1, 99, now(6))")).isInstanceOf(java.sql.SQLException.class);
        });
    }

    @ParameterizedTest
    @MethodSource("mysqlFamily")
    void aPrimaryKeyIsAddedToATableThatHasAUniqueKeyAndRollsBack(Supplier<TestDb> server) throws Exception {
        String[] table = {"CREATE TABLE accounts (uid int NOT NULL, name varchar(20), UNIQUE KEY accounts_uid (uid))",
                "INSERT INTO accounts VALUES (1, 'ann'), (2, 'bob')"};
        String yaml = "operations:\n  - rebuild_table: {table: accounts, primary_key: [uid]}\n";
        new Scenario(server, yaml, table).completes(v -> v.old("INSERT INTO accounts VALUES (3, 'cy')"), v -> {
            assertThat(keys(v.db(), "accounts")).containsExactly("PRIMARY unique uid");
            assertThat(v.newValue("SELECT count(*) FROM accounts")).isEqualTo("3");
        });
        new Scenario(server, yaml, table).rollsBack(v -> {
            v.neu("UPDATE accounts SET name = 'eve' WHERE uid = 1");
            v.old("UPDATE accounts SET name = 'ann' WHERE uid = 1");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{table: items, primary_key: [note]}|primary_key[0]|nullable",
            "{table: items, primary_key: [id, code]}|primary_key|not a unique key",
            "{table: items, primary_key: [id]}|primary_key|already",
            "{table: items, primary_key: [code], previous_key_name: items_note}|previous_key_name|items_note",
            "{table: items, charset: latin2}|charset|column 'code' is latin1",
            "{table: items, charset: utf8mb4, collation: latin1_bin}|collation|",
            "{table: nothing}|table|unknown table",
            "{table: items, engine: MyISAM}|engine|InnoDB",
            "{table: items, collation: utf8mb4_bin}|collation|charset",
            "{table: items, row_format: fast}|row_format|DYNAMIC"})
    void badRebuildsAreRefusedAtPlanTimeNamingTheField(String rebuild) throws Exception {
        String[] parts = rebuild.split("\\|", -1);
        try (TestDb db = TestDb.mariadb()) {
            db.exec(TABLE);
            db.exec("CREATE TABLE t2 (id int PRIMARY KEY)");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.plan(migration("operations:\n  - rebuild_table: " + parts[0] + "\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].rebuild_table." + parts[1])
                    .hasMessageContaining(parts[2])
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void aTableWithATriggerOfItsOwnIsRefused() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(TABLE);
            db.exec("CREATE TRIGGER items_audit AFTER INSERT ON items FOR EACH ROW SET @x = 1");
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.plan(migration("operations:\n  - rebuild_table: {table: items}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("items_audit")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{table: items, engine: InnoDB}|engine|pg_repack", "{table: items}|table|VACUUM FULL",
            "{table: items, primary_key: [code]}|primary_key|create_constraint"})
    void postgresqlRefusesItWithWhatToDoThere(String rebuild) throws Exception {
        String[] parts = rebuild.split("\\|", -1);
        try (TestDb db = TestDb.postgres()) {
            db.exec("CREATE TABLE items (id int PRIMARY KEY, code text NOT NULL UNIQUE)");
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.plan(migration("operations:\n  - rebuild_table: " + parts[0] + "\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].rebuild_table." + parts[1]).hasMessageContaining(parts[2])
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.versions()).isEmpty();
        }
    }

    /** Each index of {@code table}: name, uniqueness and columns in key order. */
    static List<String> keys(TestDb db, String table) {
        return db.column("SELECT concat(INDEX_NAME, IF(NON_UNIQUE = 0, ' unique ', ' '), group_concat(COLUMN_NAME ORDER BY"
                + " SEQ_IN_INDEX)) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table
                + "' GROUP BY INDEX_NAME, NON_UNIQUE ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME");
    }
}
