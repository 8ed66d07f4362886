package dev.bascule.concurrency;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeListener;
import dev.bascule.concurrency.MariaDbSplitMergeUnderWritesTest.Writer;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Old code that inserts without a column list and reads {@code SELECT *} keeps working while start
 * adds a new column and a shadow column and complete swaps the shadow in: both stay invisible to it
 * until complete shows them, last; the altered column ends where a plain ALTER .. MODIFY leaves it.
 */
class MariaDbInvisibleColumnsTest {

    @Test
    void oldCodesPositionalInsertsAndSelectStarSeeTheOldShapeUntilCompleteEnds() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE items (id int AUTO_INCREMENT PRIMARY KEY, price int NOT NULL, name varchar(50), qty int)",
                    "INSERT INTO items (price, name, qty) SELECT seq, concat('i', seq), seq % 7 FROM seq_1_to_500");
            List<String> errors = new CopyOnWriteArrayList<>();
            List<Writer> old = List.of(1, 2, 3).stream().map(seed -> new Writer(db, db.name(), errors, seed, w -> {
                if (w.random.nextBoolean()) {
                    w.exec("INSERT INTO items VALUES (NULL, " + w.random.nextInt(1000) + ", 'old', 1)");
                } else {
                    try (ResultSet rs = w.statement.executeQuery("SELECT * FROM items WHERE id = " + (1 + w.random.nextInt(500)))) {
                        if (rs.getMetaData().getColumnCount() != 4) {
                            throw new java.sql.SQLException("SELECT * has " + rs.getMetaData().getColumnCount() + " columns");
                        }
                    }
                }
            })).toList();
            // old code runs until the columns are shown, the last thing complete does
            Bascule b = db.bascule().listener(new BasculeListener() {
                @Override
                public void stepStarted(String phase, int index, int total, String description, String lock) {
                    if (description.startsWith("show column")) {
                        try {
                            for (Writer w : old) w.finish();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }).load();
            old.forEach(Thread::start);
            Thread.sleep(200);
            b.start(Scenario.migration("""
                    operations:
                      - add_column: {table: items, column: {name: note, type: varchar(20), nullable: false, default: "'-'"}}
                      - alter_column: {table: items, column: price, type: bigint}
                    """));
            Thread.sleep(200);
            b.complete(Set.of());
            for (Writer w : old) w.finish();
            assertThat(errors).isEmpty();
            assertThat(old).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            // as after ALTER TABLE items MODIFY price bigint NOT NULL, ADD COLUMN note ..
            assertThat(db.column("SELECT concat(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', EXTRA)"
                    + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items'"
                    + " ORDER BY ORDINAL_POSITION")).containsExactly("id int(11) NO auto_increment", "price bigint(20) NO ",
                    "name varchar(50) YES ", "qty int(11) YES ", "note varchar(20) NO ");
            assertThat(db.value("SELECT count(*) FROM items WHERE note <> '-'")).isEqualTo("0");
        }
    }
}
