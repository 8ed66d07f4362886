package dev.bascule.convert;

import dev.bascule.Bascule;
import dev.bascule.api.Migration;
import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

    @Test
    void aModifyThatLeavesOutTheDefaultDropsItAsMySqlDoes(@TempDir Path out) throws Exception {
        String script = "ALTER TABLE `t` MODIFY `c` BIGINT NOT NULL;\nALTER TABLE `t` MODIFY `d` BIGINT;\n";
        FlywayConverter.Result r = convert(script);
        assertThat(r.operations()).as(r.yaml()).isEqualTo(2);
        FlywayConvertTest.loadSchema();
        assertThat(FlywayConvertTest.schema.validate(FlywayConvertTest.tree(r.yaml()))).as(r.yaml()).isEmpty();
        Path file = out.resolve(r.name() + ".yaml");
        Files.writeString(file, r.yaml());
        Migration m = Bascule.read(file);
        try (TestDb db = Server.MARIADB.get()) {
            for (String table : new String[] {"t", "twin"}) {
                db.exec("CREATE TABLE " + table + " (id INT PRIMARY KEY, c INT NOT NULL DEFAULT 5, d INT DEFAULT 7)",
                        "INSERT INTO " + table + " VALUES (1, 1, 1)");
            }
            db.exec(script.replace("`t`", "twin").split(";\n"));
            Bascule b = db.bascule().quietTime(Duration.ZERO).load();
            b.init();
            b.start(m);
            b.complete();
            for (String column : new String[] {"c", "d"}) {
                String sql = "SELECT coalesce(column_default, 'none') FROM information_schema.columns WHERE table_schema = '"
                        + db.name() + "' AND column_name = '" + column + "' AND table_name = ";
                assertThat(db.value(sql + "'t'")).as(column + "\n" + r.yaml()).isEqualTo(db.value(sql + "'twin'"));
            }
        }
    }

    @Test
    void aDefaultSetAfterAModifyIsTheColumnsDefaultInOneAlteration() {
        FlywayConverter.Result r = convert("ALTER TABLE `t` MODIFY `c` INT NOT NULL, ALTER `c` SET DEFAULT 4;");
        assertThat(r.operations()).as(r.yaml()).isEqualTo(1);
        assertThat(r.yaml()).contains("default: \"4\"").doesNotContain("default: null");
        // the other way round, the MODIFY drops the default set before it
        r = convert("ALTER TABLE `t` ALTER COLUMN `c` SET DEFAULT 1;\nALTER TABLE `t` MODIFY `c` BIGINT;");
        assertThat(r.operations()).as(r.yaml()).isEqualTo(1);
        assertThat(r.yaml()).contains("default: null").contains("type: \"BIGINT\"").doesNotContain("default: \"1\"");
    }

    @Test
    void aScriptWhoseConversionNoReaderWouldTakeIsRefusedNamingTheLimit() {
        StringBuilder script = new StringBuilder();
        for (int n = 0; script.length() < 10_000_000; n++) {
            script.append("ALTER TABLE `t").append(n % 50).append("` ADD COLUMN `c").append(n).append("` INT NULL DEFAULT 0;\n");
        }
        // kept whole as sql, it would be a file over the limit every command refuses to read
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> convert(script.toString()))
                .isInstanceOf(dev.bascule.api.InvalidMigrationException.class)
                .hasMessageContaining("V1__x.sql").hasMessageContaining("limit").hasMessageContaining("split");
    }
}
