package dev.bascule.dialect.mysql;

import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** MariaDB's statements as MySQL 8.0 runs them: what is sent, and what the server then has. */
class MySqlStatementsTest {

    @Test
    void clausesSplitOutsideParenthesesLiteralsAndNames() {
        assertThat(MySqlStatements.splitClauses("ADD COLUMN `a,b` int DEFAULT (concat('x,', 'y')), DROP INDEX IF EXISTS `i`"))
                .containsExactly("ADD COLUMN `a,b` int DEFAULT (concat('x,', 'y'))", " DROP INDEX IF EXISTS `i`");
    }

    @Test
    void executeImmediateBecomesPrepareAndExecuteOutsideLiterals() {
        assertThat(MySqlStatements.executeImmediate("BEGIN SELECT 'EXECUTE IMMEDIATE x;'; EXECUTE IMMEDIATE CONCAT('ALTER ', d); END"))
                .isEqualTo("BEGIN SELECT 'EXECUTE IMMEDIATE x;'; SET @bascule_sql = CONCAT('ALTER ', d); PREPARE bascule_statement"
                        + " FROM @bascule_sql; EXECUTE bascule_statement; DEALLOCATE PREPARE bascule_statement; END");
    }

    @Test
    void onMySqlBlocksTriggersAndExistsClausesRunAsMySqlMustBeToldThem() throws SQLException {
        assumeTrue(Server.MYSQL_8_0.available(), "MySQL 8.0 is not in bascule.test.servers");
        try (TestDb db = Server.MYSQL_8_0.get(); Connection c = db.connect(db.name())) {
            db.exec("CREATE TABLE t (id int PRIMARY KEY, name varchar(20) CHARACTER SET latin1, n int)");
            List<String> sent = new ArrayList<>();
            MySqlStatements.Runner runner = (conn, sql) -> {
                sent.add(sql);
                db.exec(conn, sql);
            };
            String t = "`" + db.name() + "`.`t`";
            // a column that is there already: only the other clause is left
            MySqlFamily.MYSQL.execute(c, "ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS `n` int, ADD COLUMN IF NOT EXISTS `m` int,"
                    + " ALGORITHM=INSTANT, LOCK=NONE", runner);
            assertThat(sent).containsExactly("ALTER TABLE " + t + " ADD COLUMN `m` int, ALGORITHM=INSTANT");
            sent.clear();
            // nothing left to do: nothing is sent
            MySqlFamily.MYSQL.execute(c, "ALTER TABLE " + t + " DROP INDEX IF EXISTS `nope`, ALGORITHM=INPLACE, LOCK=NONE", runner);
            assertThat(sent).isEmpty();
            // a trigger replaced, its variable typed like its column as the server has it
            for (int i = 0; i < 2; i++) {
                MySqlFamily.MYSQL.execute(c, "CREATE OR REPLACE TRIGGER `" + db.name() + "`.`tr` BEFORE INSERT ON " + t
                        + " FOR EACH ROW BEGIN DECLARE `v` TYPE OF " + t.replace("`.`t`", "`.`t`.`name`") + " DEFAULT NEW.`name`;"
                        + " SET NEW.`n` = CHAR_LENGTH(`v`); END", runner);
            }
            assertThat(sent.get(sent.size() - 1)).contains("DECLARE `v` varchar(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci");
            db.exec("INSERT INTO t (id, name) VALUES (1, 'abc')");
            assertThat(db.value("SELECT n FROM t")).isEqualTo("3");
            // a block runs as a procedure, fails as the block fails, and leaves no procedure behind
            assertThatThrownBy(() -> MySqlFamily.MYSQL.execute(c, "BEGIN NOT ATOMIC IF EXISTS (SELECT 1 FROM " + t + ") THEN"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'has rows'; END IF; END", runner))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("45000");
                        assertThat(e.getMessage()).contains("has rows");
                    });
            assertThat(db.value("SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()")).isEqualTo("0");
            // SET STATEMENT: the setting for the one statement, the session's given back
            MySqlFamily.MYSQL.execute(c, "SET STATEMENT foreign_key_checks = 0 FOR ALTER TABLE " + t + " ADD COLUMN `k` int,"
                    + " ALGORITHM=INSTANT", runner);
            assertThat(db.value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'k'"))
                    .isEqualTo("1");
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT @@SESSION.foreign_key_checks")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
