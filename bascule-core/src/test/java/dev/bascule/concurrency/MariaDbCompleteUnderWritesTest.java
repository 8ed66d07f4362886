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

    /**
     * The sync triggers through every kind of step of complete that changes the columns they read:
     * an alter_column's swap, a rename and a drop_column, with an added NOT NULL column whose
     * {@code up} reads the renamed column. Old code inserts into the base table (positionally) until
     * the drop of a column it writes, new code through its version's views until complete's last
     * step: every row old code inserted has {@code up}'s value, and every row new code inserted has
     * {@code down}'s in the column to be dropped, up to its drop.
     */
    @Test
    void theSyncTriggersFillEveryRowUntilCompletesLastStepThroughASwapARenameAndADrop() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL, legacy int, score int NOT NULL DEFAULT 0)",
                    "INSERT INTO users (name, legacy, score) SELECT concat('u', seq), seq, seq FROM seq_1_to_" + ROWS);
            Bascule b = db.bascule().load();
            b.start(Scenario.migration("""
                    operations:
                      - alter_column: {table: users, column: score, type: bigint}
                      - rename_column: {table: users, from: name, to: full_name}
                      - add_column:
                          table: users
                          column: {name: nick, type: varchar(60), nullable: false}
                          up: "upper(name)"
                      - drop_column: {table: users, column: legacy, down: "length(full_name)"}
                    """));
            String version = b.latest();
            List<String> errors = new CopyOnWriteArrayList<>();
            List<Writer> writers = new java.util.ArrayList<>();
            for (int seed = 1; seed <= 2; seed++) {
                // positional, as old code that never named the renamed column: it works until legacy is dropped
                writers.add(new Writer(db, db.name(), errors, seed, w -> w.exec("INSERT INTO users VALUES (NULL, 'old"
                        + w.seed + "_" + w.operations + "', NULL, " + w.random.nextInt(100) + ")")));
                writers.add(new Writer(db, version, errors, 10 + seed, w -> w.exec("INSERT INTO users (full_name, nick, score) VALUES ('new"
                        + w.seed + "_" + w.operations + "', 'N', " + w.random.nextInt(100) + ")")));
            }
            List<String> downMisses = new CopyOnWriteArrayList<>();
            List<String> stepsWhileRunning = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
            b = db.bascule().listener(new dev.bascule.api.BasculeListener() {
                @Override
                public void stepStarted(String phase, int index, int total, String description, String lock) {
                    if (description.startsWith("drop column users.legacy")) {
                        try {
                            for (Writer w : writers) if (w.version.equals(db.name())) w.finish();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        downMisses.add(db.value("SELECT count(*) FROM users WHERE full_name LIKE 'new%'"
                                + " AND (legacy IS NULL OR legacy <> length(full_name))"));
                    }
                    if (!stopped.get() && index == total) {
                        stopped.set(true); // complete's last step: the triggers go, and the table has its final shape
                        try {
                            for (Writer w : writers) w.finish();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (!stopped.get()) stepsWhileRunning.add(description);
                }
            }).load();
            writers.forEach(Thread::start);
            Thread.sleep(300);
            b.complete(Set.of());
            for (Writer w : writers) w.finish();
            assertThat(errors).isEmpty();
            assertThat(writers).allSatisfy(w -> assertThat(w.operations).isGreaterThan(10));
            assertThat(stepsWhileRunning).anyMatch(d -> d.startsWith("swap altered columns of users"))
                    .anyMatch(d -> d.startsWith("rename column users.name")).anyMatch(d -> d.startsWith("drop column users.legacy"))
                    .anyMatch(d -> d.startsWith("show column users.nick"));
            assertThat(downMisses).containsExactly("0");
            assertThat(db.value("SELECT count(*) FROM users WHERE full_name LIKE 'old%'")).isNotEqualTo("0");
            assertThat(db.value("SELECT count(*) FROM users WHERE full_name NOT LIKE 'new%' AND nick <> upper(full_name)")).isEqualTo("0");
            assertThat(db.value("SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")).isEqualTo("0");
            assertThat(db.value("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'users' AND COLUMN_NAME = 'score'")).isEqualTo("bigint");
        }
    }
}
