package dev.bascule.convert;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** MySQL column attributes after DEFAULT, and MySQL's case-sensitive table names: never an operation of another meaning. */
class MySqlConvertMeaningTest {
    private static FlywayConverter.Result convert(String sql) {
        return FlywayConverter.convert("V1__x.sql", sql);
    }

    @Test
    void attributesAfterADefaultAreNotReadAsPartOfIt() {
        for (String sql : new String[] {
                "ALTER TABLE `t` ADD COLUMN `c` INT NOT NULL DEFAULT 0 AFTER `b`;",
                "ALTER TABLE `t` ADD COLUMN `c` INT DEFAULT 0 COMMENT 'hi';",
                "ALTER TABLE `t` MODIFY `c` INT NOT NULL DEFAULT 0 COMMENT 'x';",
                "ALTER TABLE `t` MODIFY `c` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP;",
                "ALTER TABLE `t` MODIFY `c` INT NOT NULL DEFAULT 0 FIRST;",
                "CREATE TABLE `t` (`id` INT PRIMARY KEY, `d` INT DEFAULT 1 INVISIBLE) ENGINE=InnoDB;"}) {
            FlywayConverter.Result r = convert(sql);
            assertThat(r.operations()).as(sql).isZero();
            assertThat(r.yaml()).as(sql).doesNotContain("default:");
        }
        // a default that is an expression in parentheses may hold such words
        FlywayConverter.Result r = convert("ALTER TABLE `t` ADD COLUMN `c` CHAR(10) DEFAULT (CAST(1 AS CHAR));");
        assertThat(r.operations()).isEqualTo(1);
        assertThat(r.yaml()).contains("default: \"(CAST(1 AS CHAR))\"");
    }

    @Test
    void mysqlTableNamesKeepTheirCase() {
        // MySQL does not fold unquoted names; on Linux table names are case-sensitive: Users is not users
        FlywayConverter.Result r = convert("ALTER TABLE Users ADD COLUMN `c` INT;");
        assertThat(r.yaml()).contains("table: \"Users\"").doesNotContain("table: \"users\"");
    }
}
