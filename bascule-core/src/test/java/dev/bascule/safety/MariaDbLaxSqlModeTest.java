package dev.bascule.safety;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A table created under a lax sql_mode ({@code SET sql_mode = ''}) with a zero date for a
 * default: MariaDB checks every column's default again on each ALTER, and Bascule's strict mode
 * (NO_ZERO_DATE) would refuse the table's own definition ({@code Invalid default value}). The
 * ALTERs on such a table run without the zero-date rules; data writes stay strict.
 */
class MariaDbLaxSqlModeTest {
    private static void laxTable(TestDb db) throws Exception {
        try (Connection c = db.connect(db.name())) {
            db.exec(c, "SET SESSION sql_mode = ''",
                    "CREATE TABLE legacy (id int PRIMARY KEY, seen timestamp NULL DEFAULT '0000-00-00 00:00:00',"
                            + " born date DEFAULT '2020-00-00', name varchar(20))",
                    "INSERT INTO legacy (id, name) VALUES (1, 'ann'), (2, 'bob')");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "  - add_column: {table: legacy, column: {name: note, type: varchar(20)}}\n",
            "  - add_column: {table: legacy, column: {name: label, type: varchar(20), nullable: false}, up: \"upper(name)\"}\n",
            "  - alter_column: {table: legacy, column: name, type: varchar(40), up: \"concat(name, '!')\", down: name}\n",
            "  - create_index: {name: legacy_name, table: legacy, columns: [name]}\n",
            "  - alter_column: {table: legacy, column: id, type: bigint}\n"})
    void aTableWithZeroDateDefaultsTakesChanges(String operation) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            laxTable(db);
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n" + operation));
            b.complete(Set.of());
            assertThat(db.value("SELECT count(*) FROM legacy")).isEqualTo("2");
            // the zero-date defaults are still the table's
            assertThat(db.value("SELECT COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                    + db.name() + "' AND TABLE_NAME = 'legacy' AND COLUMN_NAME = 'seen'")).contains("0000-00-00");
        }
    }

    /** The shadow table's copies (triggers, backfill) carry the rows' zero dates over as they are. */
    @Test
    void aKeyWideningCopiesZeroDatesWhileOldCodeWrites() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            laxTable(db);
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - alter_column: {table: legacy, column: id, type: bigint}\n"));
            try (Connection c = db.connect(db.name())) {
                db.exec(c, "SET SESSION sql_mode = ''", "INSERT INTO legacy (id, name) VALUES (3, 'cy')",
                        "UPDATE legacy SET name = 'bo' WHERE id = 2");
            }
            b.complete(Set.of());
            assertThat(db.value("SELECT group_concat(concat(id, name, seen) ORDER BY id) FROM legacy"))
                    .isEqualTo("1ann0000-00-00 00:00:00,2bo0000-00-00 00:00:00,3cy0000-00-00 00:00:00");
            assertThat(db.value("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db.name()
                    + "' AND TABLE_NAME = 'legacy' AND COLUMN_NAME = 'id'")).isEqualTo("bigint");
        }
    }

    @Test
    void anAddedColumnOnSuchATableRollsBack() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            laxTable(db);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - add_column: {table: legacy, column: {name: note, type: varchar(20)}}\n"));
            b.rollback();
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void basculesOwnWritesStayStrict() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            laxTable(db);
            Bascule b = db.bascule().load();
            // a value the new column cannot hold fails the backfill, never truncated under the lax DDL mode
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: legacy, column:"
                    + " {name: code, type: varchar(2)}, up: \"concat(name, 'xyz')\"}\n"))).isNotNull();
            assertThat(db.value("SELECT count(*) FROM legacy WHERE code IS NOT NULL AND length(code) = 2")).isEqualTo("0");
        }
    }
}
