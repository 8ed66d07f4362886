package dev.bascule.concurrency;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.concurrency.MariaDbSplitMergeUnderWritesTest.Writer;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * New code writes through the new version's views while complete renames a column, sets an added
 * column NOT NULL, drops a column and keeps a new index: a MariaDB view names its columns, so
 * complete must never leave a moment in which the view names one that is gone. Not one client
 * statement may fail, in any run ({@code -Dbascule.completeRuns=10} for the full form).
 */
class MariaDbCompleteUnderWritesTest {
    static final int ROWS = 2_000;
    static final int RUNS = Integer.getInteger("bascule.completeRuns", 3);

    static final String CORE = """
            operations:
              - rename_column: {table: users, from: name, to: full_name}
              - add_column:
                  table: users
                  column: {name: nick, type: varchar(60), nullable: false}
                  up: "upper(name)"
              - drop_column: {table: users, column: legacy, down: "length(full_name)"}
              - create_index: {name: users_nick_idx, table: users, columns: [nick]}
            """;

    @Test
    void newCodeWritingThroughTheViewsDuringCompleteSeesNoError() throws Exception {
        for (int run = 1; run <= RUNS; run++) {
            try (TestDb db = TestDb.mariadb()) {
                db.exec("CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL, legacy int)",
                        "INSERT INTO users (name, legacy) SELECT concat('u', seq), seq FROM seq_1_to_" + ROWS);
                Bascule b = db.bascule().load();
                b.start(Scenario.migration(CORE));
                String version = b.latest();
                List<String> errors = new CopyOnWriteArrayList<>();
                List<Writer> clients = List.of(1, 2, 3, 4, 5).stream().map(seed -> new Writer(db, version, errors, seed, w -> {
                    int id = 1 + w.random.nextInt(ROWS);
                    switch (w.random.nextInt(4)) {
                        case 0 -> w.exec("INSERT INTO users (full_name, nick) VALUES ('n" + w.seed + "', 'N" + w.seed + "')");
                        case 1 -> w.exec("UPDATE users SET full_name = 'm" + w.operations + "', nick = 'M' WHERE id = " + id);
                        case 2 -> {
                            try (ResultSet rs = w.statement.executeQuery("SELECT id, full_name, nick FROM users WHERE id = " + id)) {
                                while (rs.next()) rs.getString(2);
                            }
                        }
                        default -> {
                            try (ResultSet rs = w.statement.executeQuery("SELECT * FROM users WHERE nick = 'M' LIMIT 3")) {
                                while (rs.next()) rs.getString(1);
                            }
                        }
                    }
                })).toList();
                clients.forEach(Thread::start);
                Thread.sleep(300);
                b.complete(Set.of());
                Thread.sleep(300);
                for (Writer w : clients) w.finish();
                assertThat(errors).as("run " + run).isEmpty();
                assertThat(clients).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
                assertThat(db.column("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                        + " AND TABLE_NAME = 'users' ORDER BY ORDINAL_POSITION")).containsExactly("id", "full_name", "nick");
                assertThat(db.value("SELECT count(*) FROM users WHERE nick IS NULL OR full_name IS NULL")).isEqualTo("0");
            }
        }
    }

    /**
     * Old code on the base table, as gh-ost's test events write it: {@code INSERT ... VALUES} without
     * a column list and {@code SELECT *}, from before start through complete, until the column it
     * still inserts is dropped (a plain ALTER .. DROP COLUMN would break it there too). The added
     * NOT NULL column stays out of its way, before and after the triggers that fill it are gone.
     */
    @Test
    void oldCodesPositionalInsertsAndSelectStarOnTheBaseTableSeeNoErrorDuringStartAndComplete() throws Exception {
        for (int run = 1; run <= RUNS; run++) try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL, legacy int)",
                    "INSERT INTO users (name, legacy) SELECT concat('u', seq), seq FROM seq_1_to_" + ROWS);
            List<String> errors = new CopyOnWriteArrayList<>();
            List<String> stepsWhileOldCodeRan = new CopyOnWriteArrayList<>();
            List<Writer> old = List.of(1, 2, 3, 4).stream().map(seed -> new Writer(db, db.name(), errors, seed, w -> {
                if (w.random.nextBoolean()) {
                    w.exec("INSERT INTO users VALUES (NULL, 'old" + w.seed + "', " + w.random.nextInt(100) + ")");
                } else {
                    try (ResultSet rs = w.statement.executeQuery("SELECT * FROM users WHERE id = " + (1 + w.random.nextInt(ROWS)))) {
                        if (rs.getMetaData().getColumnCount() != 3) {
                            throw new java.sql.SQLException("SELECT * shows " + rs.getMetaData().getColumnCount() + " columns");
                        }
                    }
                }
            })).toList();
            java.util.concurrent.atomic.AtomicBoolean retired = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong lastBeforeComplete = new java.util.concurrent.atomic.AtomicLong(-1);
            Bascule b = db.bascule().listener(new dev.bascule.api.BasculeListener() {
                @Override
                public void stepStarted(String phase, int index, int total, String description, String lock) {
                    if (phase.equals("complete") && lastBeforeComplete.get() < 0) {
                        lastBeforeComplete.set(Long.parseLong(db.value("SELECT max(id) FROM users")));
                    }
                    if (!retired.get() && description.startsWith("drop column users.legacy")) {
                        retired.set(true);
                        try {
                            for (Writer w : old) w.finish();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (!retired.get()) {
                        stepsWhileOldCodeRan.add(phase + ": " + description);
                    }
                }
            }).load();
            old.forEach(Thread::start);
            Thread.sleep(200);
            b.start(Scenario.migration(CORE));
            Thread.sleep(200);
            b.complete(Set.of());
            for (Writer w : old) w.finish();
            assertThat(errors).as("run " + run).isEmpty();
            assertThat(old).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            // old code ran through complete's trigger drop, rename and views, not just start
            assertThat(stepsWhileOldCodeRan).anyMatch(s -> s.startsWith("complete: rename column users.name"))
                    .anyMatch(s -> s.startsWith("complete: re-create the views"));
            // every row old code wrote up to complete has the value up gives new code
            assertThat(db.value("SELECT count(*) FROM users WHERE id <= " + lastBeforeComplete.get()
                    + " AND (nick IS NULL OR nick <> upper(full_name))")).isEqualTo("0");
            // and so does every row it inserts during complete: the sync triggers live through complete,
            // made again over the renamed columns, so no row takes the added column's placeholder
            String during = db.value("SELECT count(*) FROM users WHERE id > " + lastBeforeComplete.get());
            System.out.println("[old code on the base table] rows inserted during complete: " + during);
            assertThat(Long.parseLong(during)).isGreaterThan(0);
            assertThat(db.value("SELECT count(*) FROM users WHERE id > " + lastBeforeComplete.get()
                    + " AND (nick IS NULL OR nick <> upper(full_name))")).as("run " + run).isEqualTo("0");
        }
    }
}
