package dev.bascule.lint;

import dev.bascule.sql.SqlLexer;

import dev.bascule.sql.SqlSyntax;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each MySQL rule fires on the unsafe form and stays quiet on the safe one, on MySQL migration text as teams write it. */
class MySqlLinterTest {
    static final String SAFE_SESSION = "SET SESSION lock_wait_timeout = 5;\n";

    private static List<String> rules(String sql) {
        return ids(Linter.script("V1__m.sql", SAFE_SESSION + sql, 1, false, SqlSyntax.MYSQL));
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(f -> f.rule().id()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '^', value = {
            "alter-algorithm-missing # ALTER TABLE `orders` ADD COLUMN `note` varchar(255) NULL # ALTER TABLE `orders` ADD COLUMN `note` varchar(255) NULL, ALGORITHM=INSTANT",
            "alter-algorithm-missing # ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new' # ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new', ALGORITHM=INPLACE, LOCK=NONE",
            "alter-copy-or-lock # ALTER TABLE `orders` ADD COLUMN `x` int, ALGORITHM=COPY # ALTER TABLE `orders` ADD COLUMN `x` int, ALGORITHM=INSTANT",
            "alter-copy-or-lock # ALTER TABLE orders ADD INDEX idx_x (x), ALGORITHM=INPLACE, LOCK=SHARED # ALTER TABLE orders ADD INDEX idx_x (x), ALGORITHM=INPLACE, LOCK=NONE",
            "column-type-change # ALTER TABLE `users` MODIFY COLUMN `id` bigint unsigned NOT NULL AUTO_INCREMENT # ALTER TABLE `users` MODIFY `email` varchar(320) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE",
            "column-type-change # ALTER TABLE users CHANGE `age` `age` smallint NULL # ALTER TABLE users CHANGE `age` `age` smallint NULL, ALGORITHM=INSTANT",
            "add-column-position # ALTER TABLE users ADD COLUMN middle_name varchar(64) NULL AFTER first_name # ALTER TABLE users ADD COLUMN middle_name varchar(64) NULL AFTER first_name, ALGORITHM=INSTANT",
            "foreign-key-copy # ALTER TABLE `orders` ADD CONSTRAINT `fk_orders_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) # SET foreign_key_checks = 0; ALTER TABLE `orders` ADD CONSTRAINT `fk_orders_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`), ALGORITHM=INPLACE, LOCK=NONE; SET foreign_key_checks = 1",
            "primary-key-change # ALTER TABLE `events` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `created_at`) # ALTER TABLE `events` ADD UNIQUE KEY `uk_id_created` (`id`, `created_at`), ALGORITHM=INPLACE, LOCK=NONE",
            "table-rebuild # OPTIMIZE TABLE `sessions` # ANALYZE TABLE `sessions`",
            "table-rebuild # ALTER TABLE sessions ENGINE=InnoDB # ALTER TABLE sessions COMMENT = 'login sessions', ALGORITHM=INSTANT",
            "rename-table # RENAME TABLE `users` TO `accounts` # RENAME TABLE `users` TO `users_old`, `users_new` TO `users`",
            "rename-table # ALTER TABLE `users` RENAME TO `accounts` # ALTER TABLE `users` RENAME INDEX `a` TO `b`, ALGORITHM=INPLACE, LOCK=NONE",
            "rename-column # ALTER TABLE `users` RENAME COLUMN `name` TO `full_name` # ALTER TABLE `users` ALTER COLUMN `name` SET DEFAULT '', ALGORITHM=INSTANT",
            "rename-column # ALTER TABLE `users` CHANGE `name` `full_name` varchar(100), ALGORITHM=INSTANT # ALTER TABLE `users` CHANGE `name` `name` varchar(100), ALGORITHM=INSTANT",
            "drop-column # ALTER TABLE `users` DROP COLUMN `legacy_flag` # ALTER TABLE `users` DROP INDEX `idx_legacy`, ALGORITHM=INPLACE, LOCK=NONE",
            "drop-table # DROP TABLE IF EXISTS `audit_log` # CREATE TABLE `tmp_ids` (`id` bigint PRIMARY KEY); DROP TABLE `tmp_ids`",
            "drop-database # DROP SCHEMA `reporting` # DROP VIEW `reporting_v`",
            "truncate-table # TRUNCATE TABLE `sessions` # DELETE FROM `sessions` WHERE `expires_at` < NOW() LIMIT 10000",
            "index-not-concurrent # CREATE INDEX `idx_orders_created` ON `orders` (`created_at`) # CREATE INDEX `idx_orders_created` ON `orders` (`created_at`) ALGORITHM=INPLACE LOCK=NONE",
            "index-not-concurrent # ALTER TABLE `orders` ADD INDEX `idx_status` (`status`) # ALTER TABLE `orders` ADD INDEX `idx_status` (`status`), ALGORITHM=INPLACE, LOCK=NONE",
            "fulltext-spatial-index # ALTER TABLE `articles` ADD FULLTEXT INDEX `ft_body` (`body`) # ALTER TABLE `articles` ADD INDEX `idx_title` (`title`), LOCK=NONE",
            "fulltext-spatial-index # CREATE SPATIAL INDEX `sp_location` ON `shops` (`location`) # CREATE INDEX `idx_city` ON `shops` (`city`) LOCK=NONE",
            "convert-charset # ALTER TABLE `comments` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci # ALTER TABLE `comments` DEFAULT CHARSET=utf8mb4, ALGORITHM=INSTANT",
            "unbatched-update # UPDATE `users` SET `active` = 1 # UPDATE `users` SET `active` = 1 WHERE `id` BETWEEN 1 AND 10000",
            "unbatched-update # DELETE FROM `sessions` # DELETE FROM `sessions` ORDER BY `id` LIMIT 5000",
            "utf8mb3 # CREATE TABLE `t` (`id` bigint PRIMARY KEY, `name` varchar(50)) ENGINE=InnoDB DEFAULT CHARSET=utf8 # CREATE TABLE `t` (`id` bigint PRIMARY KEY, `name` varchar(50)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            "utf8mb3 # ALTER TABLE `t` ADD COLUMN `s` varchar(20) COLLATE utf8_general_ci, ALGORITHM=INSTANT # ALTER TABLE `t` ADD COLUMN `s` varchar(20) COLLATE utf8mb4_general_ci, ALGORITHM=INSTANT",
            "int-primary-key # CREATE TABLE `orders` (`id` int(11) NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB # CREATE TABLE `orders` (`id` bigint unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB",
            "int-primary-key # CREATE TABLE `tags` (`id` int unsigned PRIMARY KEY, `name` varchar(20)) # CREATE TABLE `tags` (`id` bigint PRIMARY KEY, `count` int NOT NULL)",
            "enum-change # ALTER TABLE `orders` MODIFY `status` ENUM('new','paid','shipped') NOT NULL # ALTER TABLE `orders` MODIFY `status` ENUM('new','paid','shipped','refunded') NOT NULL, ALGORITHM=INSTANT",
            "not-null-without-default # ALTER TABLE `users` ADD COLUMN `tier` tinyint NOT NULL, ALGORITHM=INSTANT # ALTER TABLE `users` ADD COLUMN `tier` tinyint NOT NULL DEFAULT 0, ALGORITHM=INSTANT",
            "uncommitted-transaction # START TRANSACTION; UPDATE `users` SET `tier` = 1 WHERE `id` < 100 # START TRANSACTION; UPDATE `users` SET `tier` = 1 WHERE `id` < 100; COMMIT",
            "duplicate-column # INSERT INTO `users` (`id`, `name`, `NAME`) VALUES (1, 'a', 'b') # INSERT INTO `users` (`id`, `name`) VALUES (1, 'a')",
            "duplicate-column # CREATE TABLE `t` (`id` bigint PRIMARY KEY, `a` int, `A` text) # CREATE TABLE `t` (`id` bigint, `a` int, PRIMARY KEY (`id`), KEY `a` (`a`))",
            "duplicate-column # INSERT IGNORE INTO `users` (`id`, `id`) SELECT 1, 2 # INSERT INTO `users` VALUES (1, 1)",
            "nested-transaction # START TRANSACTION; UPDATE `a` SET `n` = 1 WHERE `id` = 1; BEGIN; UPDATE `b` SET `n` = 1 WHERE `id` = 1; COMMIT # START TRANSACTION; UPDATE `a` SET `n` = 1 WHERE `id` = 1; COMMIT; BEGIN; UPDATE `b` SET `n` = 1 WHERE `id` = 1; COMMIT",
    })
    void firesOnTheUnsafeFormOnly(String rule, String unsafe, String safe) {
        assertThat(rules(unsafe)).as(unsafe).contains(rule);
        assertThat(rules(safe)).as(safe).doesNotContain(rule);
    }

    /** MySQL reads {@code --} as a comment when a space or a control character follows it, and as two minus signs otherwise. */
    @Test
    void dashDashStartsACommentBeforeASpaceOrControlCharacter() {
        for (String sql : List.of("1 -- x", "1 --\tx", "1 --\u0001x", "1 --")) {
            assertThat(SqlLexer.tokens(sql, 1, SqlSyntax.MYSQL)).as(sql).extracting(SqlLexer.Token::kind)
                    .containsExactly(SqlLexer.Kind.NUMBER, SqlLexer.Kind.COMMENT);
        }
        assertThat(SqlLexer.tokens("1--1", 1, SqlSyntax.MYSQL)).extracting(SqlLexer.Token::kind).doesNotContain(SqlLexer.Kind.COMMENT);
    }

    @Test
    void foreignKeyChecksLeftOffAtTheEndOfTheScript() {
        assertThat(rules("SET FOREIGN_KEY_CHECKS=0;\nALTER TABLE `orders` ADD CONSTRAINT `fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`),"
                + " ALGORITHM=INPLACE, LOCK=NONE;")).containsExactly("foreign-key-checks-off");
        assertThat(rules("SET FOREIGN_KEY_CHECKS=0;\nALTER TABLE `orders` ADD CONSTRAINT `fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`),"
                + " ALGORITHM=INPLACE, LOCK=NONE;\nSET FOREIGN_KEY_CHECKS=1;")).isEmpty();
        // mysqldump saves and restores the value
        assertThat(rules("SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0;\n"
                + "SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS;")).isEmpty();
    }

    @Test
    void theLockTimeoutIsAskedForOnceAndNotAfterSetLockWaitTimeout() {
        List<String> found = ids(Linter.script("V2__x.sql", "ALTER TABLE a ADD COLUMN x int, ALGORITHM=INSTANT;"
                + " ALTER TABLE b ADD COLUMN y int, ALGORITHM=INSTANT;", 1, false, SqlSyntax.MYSQL));
        assertThat(found).containsExactly("lock-timeout-missing");
        assertThat(rules("ALTER TABLE a ADD COLUMN x int, ALGORITHM=INSTANT")).isEmpty();
        // MariaDB: the statement bounds its own wait
        assertThat(Linter.script("V2__x.sql", "ALTER TABLE a WAIT 5 ADD COLUMN x int, ALGORITHM=INSTANT;", 1, false, SqlSyntax.MYSQL))
                .isEmpty();
    }

    @Test
    void tablesCreatedInTheSameScriptAreNew() {
        assertThat(rules("CREATE TABLE `t` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `email` varchar(255)) ENGINE=InnoDB;"
                + " CREATE INDEX `t_email` ON `t` (`email`); ALTER TABLE `t` MODIFY `email` varchar(320) NOT NULL;"
                + " ALTER TABLE `t` DROP COLUMN `email`; TRUNCATE TABLE `t`")).isEmpty();
        assertThat(rules("CREATE TABLE `Staging` (`id` bigint PRIMARY KEY); TRUNCATE TABLE staging; DROP TABLE `STAGING`")).isEmpty();
    }

    @Test
    void postgresqlOnlyRulesStayQuiet() {
        assertThat(rules("CREATE TABLE `t` (`id` bigint PRIMARY KEY, `doc` json, `code` char(3), `at` timestamp)")).isEmpty();
    }

    @Test
    void stringsCommentsAndBackticksAreNotCode() {
        assertThat(rules("INSERT INTO `notes` (`body`) VALUES ('it\\'s fine; DROP TABLE users'), (\"TRUNCATE `users`\");\n"
                + "# DROP TABLE users;\n-- TRUNCATE users;\n/* DROP TABLE users; */ SELECT `drop` FROM `truncate`")).isEmpty();
    }

    @Test
    void versionCommentsAreCode() {
        assertThat(rules("/*!40101 SET NAMES utf8mb4 */;\n/*!50001 DROP TABLE `legacy` */;")).containsExactly("drop-table");
    }

    @Test
    void delimiterBlocksAreOneStatementEach() {
        List<Finding> found = Linter.script("V3__trigger.sql", SAFE_SESSION + String.join("\n",
                "DELIMITER $$",
                "CREATE TRIGGER `users_bi` BEFORE INSERT ON `users` FOR EACH ROW",
                "BEGIN",
                "  SET NEW.email = LOWER(NEW.email);",
                "  UPDATE counters SET n = n + 1;",
                "END$$",
                "DELIMITER ;",
                "DROP TABLE `old_users`;"), 1, false, SqlSyntax.MYSQL);
        assertThat(found).extracting(f -> f.rule().id()).containsExactly("drop-table");
        assertThat(found.get(0).line()).isEqualTo(9);
    }

    @Test
    void suppressionWithHashAndDashComments() {
        assertThat(rules("# bascule-lint: ignore rename-column\nALTER TABLE users RENAME COLUMN a TO b, ALGORITHM=INSTANT;\n"
                + "ALTER TABLE users RENAME COLUMN c TO d, ALGORITHM=INSTANT")).containsExactly("rename-column");
        assertThat(rules("-- bascule-lint: ignore drop-column\nALTER TABLE users DROP COLUMN a, ALGORITHM=INSTANT")).isEmpty();
        assertThat(rules("# bascule-lint: ignore-file drop-table, truncate-table\nDROP TABLE a; TRUNCATE b")).isEmpty();
    }

    @Test
    void findingsCarryTheMySqlText() {
        Finding f = Linter.script("V4__x.sql", "ALTER TABLE `users` DROP COLUMN `legacy`;", 1, false, SqlSyntax.MYSQL).stream()
                .filter(x -> x.rule() == Rule.LOCK_TIMEOUT_MISSING).findFirst().orElseThrow();
        assertThat(f.problem()).contains("lock_wait_timeout").doesNotContain("ACCESS EXCLUSIVE");
        assertThat(f.instead()).contains("SET SESSION lock_wait_timeout");
        Finding pg = Linter.script("V4__x.sql", "ALTER TABLE users DROP COLUMN legacy;", 1, false).stream()
                .filter(x -> x.rule() == Rule.LOCK_TIMEOUT_MISSING).findFirst().orElseThrow();
        assertThat(pg.problem()).contains("ACCESS EXCLUSIVE");
        assertThat(Rule.FOREIGN_KEY_COPY.text(SqlSyntax.POSTGRESQL)).isEmpty();
        assertThat(Rule.VACUUM_FULL.text(SqlSyntax.MYSQL)).isEmpty();
    }

    @Test
    void theDialectIsInferredFromTheTextWhereOnlyOneShows() {
        assertThat(SqlSyntax.infer("ALTER TABLE `users` ADD COLUMN `x` int;")).contains(SqlSyntax.MYSQL);
        assertThat(SqlSyntax.infer("CREATE TABLE t (id int) ENGINE=InnoDB;")).contains(SqlSyntax.MYSQL);
        assertThat(SqlSyntax.infer("ALTER TABLE t ADD COLUMN x int, ALGORITHM=INSTANT;")).contains(SqlSyntax.MYSQL);
        assertThat(SqlSyntax.infer("# a comment\nDROP TABLE t;")).contains(SqlSyntax.MYSQL);
        assertThat(SqlSyntax.infer("DELIMITER $$\nCREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW BEGIN END$$")).contains(SqlSyntax.MYSQL);
        assertThat(SqlSyntax.infer("CREATE INDEX CONCURRENTLY i ON t (x);")).contains(SqlSyntax.POSTGRESQL);
        assertThat(SqlSyntax.infer("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;")).contains(SqlSyntax.POSTGRESQL);
        assertThat(SqlSyntax.infer("SELECT '1'::int;")).contains(SqlSyntax.POSTGRESQL);
        assertThat(SqlSyntax.infer("ALTER TABLE t ADD COLUMN x int;")).isEmpty();
        // a column named like a table option is no mark
        assertThat(SqlSyntax.infer("UPDATE cars SET engine = 'v8' WHERE id = 1; ALTER TABLE cars ADD CHECK (engine = 'v8');")).isEmpty();
        assertThat(SqlSyntax.infer("ALTER TABLE `t` ADD COLUMN x jsonb;")).isEmpty();
        assertThat(SqlSyntax.ofJdbcUrl("jdbc:mariadb://127.0.0.1:3306/test")).contains(SqlSyntax.MYSQL);
        assertThat(SqlSyntax.ofJdbcUrl("jdbc:mysql://db/app")).contains(SqlSyntax.MYSQL);
        assertThat(SqlSyntax.ofJdbcUrl("jdbc:postgresql://db/app")).contains(SqlSyntax.POSTGRESQL);
        assertThat(SqlSyntax.ofJdbcUrl("jdbc:h2:mem:x")).isEmpty();
    }

    @Test
    void aFileIsReadInTheDialectItsTextShows(@TempDir Path dir) throws Exception {
        Path mysql = Files.writeString(dir.resolve("V5__orders.sql"), "ALTER TABLE `orders` DROP COLUMN `legacy`;\n");
        assertThat(Linter.lint(mysql)).extracting(Finding::dialect).containsOnly(SqlSyntax.MYSQL);
        assertThat(Linter.lint(mysql)).extracting(f -> f.rule().id()).contains("drop-column", "alter-algorithm-missing");
        Path plain = Files.writeString(dir.resolve("V6__orders.sql"), "SET lock_timeout = '1s';\nALTER TABLE orders DROP COLUMN legacy;\n");
        assertThat(Linter.lint(plain)).extracting(Finding::dialect).containsOnly(SqlSyntax.POSTGRESQL);
        assertThat(Linter.lint(plain, SqlSyntax.MYSQL)).extracting(f -> f.rule().id()).contains("alter-algorithm-missing");
    }

    @Test
    void liquibaseChangesetsInMySql(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("changelog.sql"), String.join("\n",
                "--liquibase formatted sql",
                "--changeset ann:1",
                "--comment: drop the legacy column",
                "ALTER TABLE `users` DROP COLUMN `legacy`, ALGORITHM=INSTANT;",
                "--rollback ALTER TABLE `users` ADD COLUMN `legacy` int;",
                ""));
        List<Finding> found = Linter.lint(f);
        assertThat(found).filteredOn(x -> x.rule() == Rule.DROP_COLUMN).extracting(Finding::line).containsExactly(4);
        assertThat(found).extracting(Finding::dialect).containsOnly(SqlSyntax.MYSQL);
    }

    @Test
    void bascule_sqlOperationsInMySql(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("0001_x.yaml"), """
                operations:
                  - sql:
                      up: "ALTER TABLE `users` MODIFY `email` varchar(320) NOT NULL"
                      down: SELECT 1
                """);
        List<Finding> found = Linter.lint(f);
        // Bascule sets lock_wait_timeout itself: no timeout finding
        assertThat(found).extracting(x -> x.rule().id()).containsExactly("column-type-change");
        assertThat(found.get(0).line()).isEqualTo(3);
    }
}
