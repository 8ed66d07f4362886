package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.ContractMode;
import dev.bascule.api.RestoreTarget;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Servers;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comments on real servers, read back from the catalog (pg_description; information_schema's
 * COLUMN_COMMENT and TABLE_COMMENT): set by create_table, add_column and set_comment at start,
 * kept by alter_column's swap and by MariaDB's statements that restate a column, put back by rollback.
 */
class CommentsTest {

    private static boolean mariaDb(TestDb db) {
        return db.dialect().equals("mariadb");
    }

    /** users(id, email commented, note) commented "People", in either server's SQL. */
    private static void base(TestDb db) {
        if (mariaDb(db)) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL DEFAULT 'none' COMMENT 'Where we write',"
                    + " note varchar(20)) COMMENT = 'People'");
        } else {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL DEFAULT 'none', note varchar(20))",
                    "COMMENT ON TABLE users IS 'People'", "COMMENT ON COLUMN users.email IS 'Where we write'");
        }
        db.exec("INSERT INTO users (id, email) VALUES (1, 'a@x.org'), (2, 'b@x.org')");
    }

    /** The column's comment as the catalog has it; null when it has none. */
    static String columnComment(TestDb db, String table, String column) {
        if (mariaDb(db)) {
            String c = db.value("SELECT COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db.name()
                    + "' AND TABLE_NAME = '" + table + "' AND COLUMN_NAME = '" + column + "'");
            return c == null || c.isEmpty() ? null : c;
        }
        return db.value("SELECT d.description FROM pg_description d JOIN pg_attribute a ON a.attrelid = d.objoid"
                + " AND a.attnum = d.objsubid WHERE d.classoid = 'pg_class'::regclass AND d.objoid = to_regclass('"
                + db.name() + "." + table + "') AND a.attname = '" + column + "'");
    }

    static String tableComment(TestDb db, String table) {
        if (mariaDb(db)) {
            String c = db.value("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db.name()
                    + "' AND TABLE_NAME = '" + table + "'");
            return c == null || c.isEmpty() ? null : c;
        }
        return db.value("SELECT description FROM pg_description WHERE classoid = 'pg_class'::regclass AND objsubid = 0"
                + " AND objoid = to_regclass('" + db.name() + "." + table + "')");
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void createTableAndAddColumnCommentsStayThroughComplete(Supplier<TestDb> server) {
        try (TestDb db = server.get()) {
            base(db);
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("""
                    operations:
                      - create_table:
                          name: staff
                          comment: "Who works here"
                          columns: [{name: id, type: int, nullable: false, comment: "It's the key"}, {name: role, type: text}]
                          primary_key: [id]
                      - add_column: {table: users, column: {name: nick, type: varchar(20), comment: "Shown to others"}}
                      - add_column:
                          table: users
                          column: {name: city, type: varchar(20), nullable: false, default: "'none'", comment: "Where from"}
                    """));
            assertThat(tableComment(db, "staff")).isEqualTo("Who works here");
            assertThat(columnComment(db, "staff", "id")).isEqualTo("It's the key");
            assertThat(columnComment(db, "staff", "role")).isNull();
            assertThat(columnComment(db, "users", "nick")).isEqualTo("Shown to others");
            assertThat(columnComment(db, "users", "city")).isEqualTo("Where from");
            b.complete(Set.of());
            // MariaDB shows the added columns by restating them: their comments go with them
            assertThat(columnComment(db, "users", "nick")).isEqualTo("Shown to others");
            assertThat(columnComment(db, "users", "city")).isEqualTo("Where from");
            assertThat(columnComment(db, "users", "email")).isEqualTo("Where we write");
            assertThat(tableComment(db, "staff")).isEqualTo("Who works here");
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void setCommentAppliesAtStartAndRollbackPutsTheOldOnesBack(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            base(db);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("""
                    operations:
                      - set_comment: {table: users, comment: "Everyone"}
                      - set_comment: {table: users, column: email, comment: null}
                      - set_comment: {table: users, column: note, comment: "50% off; it's \\\\ 'quoted'"}
                    """));
            assertThat(tableComment(db, "users")).isEqualTo("Everyone");
            assertThat(columnComment(db, "users", "email")).isNull();
            assertThat(columnComment(db, "users", "note")).isEqualTo("50% off; it's \\ 'quoted'");
            // the column is as it was: default, NOT NULL, data
            assertThat(db.value("SELECT count(*) FROM users WHERE email IS NOT NULL")).isEqualTo("2");
            b.rollback();
            assertThat(tableComment(db, "users")).isEqualTo("People");
            assertThat(columnComment(db, "users", "email")).isEqualTo("Where we write");
            assertThat(columnComment(db, "users", "note")).isNull();
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void setCommentCompletesWithNothingLeftToDo(Supplier<TestDb> server) {
        try (TestDb db = server.get()) {
            base(db);
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("operations:\n  - set_comment: {table: users, column: email, comment: \"Login\"}\n"));
            b.complete(Set.of());
            assertThat(columnComment(db, "users", "email")).isEqualTo("Login");
            assertThat(tableComment(db, "users")).isEqualTo("People");
        }
    }

    /** MariaDB restates the whole column to set its comment: nothing else of it may change. */
    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void setCommentOnMariaDbKeepsTheColumnIdentical(Supplier<TestDb> server) throws Exception {
        try (TestDb db = server.get()) {
            Assumptions.assumeTrue(mariaDb(db), "PostgreSQL's COMMENT ON touches nothing else");
            db.exec("CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " a varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT 'x' CHECK (a <> 'z'),"
                    + " b timestamp(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),"
                    + " c decimal(10,2) NULL INVISIBLE, d text NULL DEFAULT (concat('a', 'b')))");
            String before = showCreate(db);
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("""
                    operations:
                      - set_comment: {table: t, column: id, comment: "key"}
                      - set_comment: {table: t, column: a, comment: "checked"}
                      - set_comment: {table: t, column: b, comment: "stamp"}
                      - set_comment: {table: t, column: c, comment: "hidden"}
                      - set_comment: {table: t, column: d, comment: "expr"}
                    """));
            String after = showCreate(db);
            assertThat(after).contains("COMMENT 'key'", "COMMENT 'checked'", "COMMENT 'stamp'", "COMMENT 'hidden'", "COMMENT 'expr'");
            assertThat(columnComment(db, "t", "a")).isEqualTo("checked");
            assertThat(after.replaceAll(" COMMENT '[a-z]+'", "")).isEqualTo(before);
            if (!dev.bascule.testing.Server.named(server).equals("MySQL")) {
                // MariaDB keeps a column's CHECK with the column (MODIFY must restate it); MySQL keeps it as the table's
                assertThat(db.value("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '"
                        + db.name() + "' AND TABLE_NAME = 't' AND CONSTRAINT_NAME = 'a'")).isEqualTo("`a` <> 'z'");
            }
            b.rollback();
            assertThat(showCreate(db)).isEqualTo(before);
        }
    }

    private static String showCreate(TestDb db) throws Exception {
        try (var c = db.connect(db.name()); var s = c.createStatement(); var rs = s.executeQuery("SHOW CREATE TABLE t")) {
            rs.next();
            return rs.getString(2);
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void alterColumnKeepsTheCommentThroughTheSwap(Supplier<TestDb> server) {
        try (TestDb db = server.get()) {
            base(db);
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("""
                    operations:
                      - alter_column: {table: users, column: email, type: varchar(200)}
                      - alter_column: {table: users, column: note, type: varchar(40), comment: "Free text"}
                    """));
            b.complete(Set.of());
            assertThat(db.value(mariaDb(db)
                    ? "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db.name()
                            + "' AND TABLE_NAME = 'users' AND COLUMN_NAME = 'email'"
                    : "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'"))
                    .contains("200");
            assertThat(columnComment(db, "users", "email")).isEqualTo("Where we write");
            assertThat(columnComment(db, "users", "note")).isEqualTo("Free text");
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void splitTablesPartsKeepTheColumnsComments(Supplier<TestDb> server) {
        try (TestDb db = server.get()) {
            base(db);
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("operations:\n  - split_table: {from: users, into: [{name: contacts, columns: [id, email]}]}\n"));
            assertThat(columnComment(db, "contacts", "email")).isEqualTo("Where we write");
            assertThat(columnComment(db, "contacts", "id")).isNull();
            b.complete(Set.of());
            assertThat(columnComment(db, "contacts", "email")).isEqualTo("Where we write");
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void alterColumnRollbackLeavesTheOldColumnsComment(Supplier<TestDb> server) {
        try (TestDb db = server.get()) {
            base(db);
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("operations:\n  - alter_column: {table: users, column: email, type: varchar(200), comment: null}\n"));
            b.rollback();
            assertThat(columnComment(db, "users", "email")).isEqualTo("Where we write");
        }
    }

    /** A column complete --deprecate keeps: the marker takes its comment's place and restore gives the comment back. */
    @ParameterizedTest
    @MethodSource(Servers.MATRIX)
    void deprecationKeepsTheUsersCommentForRestore(Supplier<TestDb> server) {
        try (TestDb db = server.get()) {
            Assumptions.assumeFalse(mariaDb(db), "complete --deprecate is PostgreSQL's only");
            base(db);
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("operations:\n  - drop_column: {table: users, column: email}\n"));
            b.complete(Set.of(), Set.of(), ContractMode.DEPRECATE);
            assertThat(b.deprecated()).singleElement().satisfies(d -> assertThat(d.comment()).isEqualTo("Where we write"));
            b.restore(RestoreTarget.column("users", "email"));
            assertThat(columnComment(db, "users", "email")).isEqualTo("Where we write");
        }
    }
}
