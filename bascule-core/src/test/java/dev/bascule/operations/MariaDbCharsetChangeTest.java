package dev.bascule.operations;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * alter_column of a column's character set or collation on MariaDB (gh-ost's localtests): the
 * old and the new column compare under different collations, which MariaDB refuses to mix
 * ({@code Illegal mix of collations}); complete must finish anyway, with every value kept.
 */
class MariaDbCharsetChangeTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "{table: people, column: name, type: varchar(50) CHARACTER SET latin1}",
            "{table: people, column: name, type: varchar(50) COLLATE utf8mb4_bin}",
            "{table: people, column: name, type: varchar(50) CHARACTER SET latin1, up: name}",
            "{table: people, column: name, type: varchar(50) COLLATE utf8mb4_bin, up: name}",
            "{table: people, column: name, type: varchar(50) COLLATE utf8mb4_unicode_ci}",
            "{table: people, column: name, type: varchar(50) COLLATE utf8mb4_unicode_ci, up: name}",
            "{table: people, column: name, type: varchar(80) CHARACTER SET latin1 COLLATE latin1_general_cs, up: name}"})
    void aCharacterSetOrCollationChangeCompletes(String alter) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE people (id int PRIMARY KEY, name varchar(50) CHARACTER SET utf8mb4"
                            + " COLLATE utf8mb4_general_ci, KEY people_name (name))",
                    "INSERT INTO people VALUES (1, 'ann'), (2, 'Zoë'), (3, NULL)");
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: " + alter + "\n"));
            db.exec("INSERT INTO people VALUES (4, 'dee')", "UPDATE people SET name = 'Ann' WHERE id = 1");
            b.complete(Set.of());
            assertThat(db.value("SELECT group_concat(concat(id, '=', coalesce(name, 'null')) ORDER BY id) FROM people"))
                    .isEqualTo("1=Ann,2=Zoë,3=null,4=dee");
            String expected = alter.replaceAll(".*(CHARACTER SET|COLLATE) ([a-z0-9_]+).*", "$2");
            assertThat(db.value("SELECT concat(CHARACTER_SET_NAME, ' ', COLLATION_NAME) FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = '" + db.name() + "' AND TABLE_NAME = 'people' AND COLUMN_NAME = 'name'"))
                    .contains(expected);
        }
    }
}
