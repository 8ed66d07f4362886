package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.VerifyResult;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** split_table and merge_tables on MariaDB: the triggers the plan makes and what it notes, and keys new code writes during a merge. */
class MariaDbSplitMergeTest {
    @Test
    void planOfASplitNamesTheStatementsMariaDbRefusesAndDropsOnlyInstantly() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, city varchar(50))");
            Plan plan = dev.bascule.BasculeInternals.plan(db.bascule().load(), migration("""
                    operations:
                      - split_table: {from: users, into: [{name: addresses, columns: [id, city]}]}
                    """));
            assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("operation 1 (split_table)").contains("error 1442")
                    .contains("writes addresses and also reads or writes users"));
            List<String> triggers = plan.start().stream().map(PlannedStep::action).filter(s -> s.description().startsWith("split triggers"))
                    .flatMap(s -> ((Step.SqlStep) s).statements().stream()).toList();
            // users: insert, update, delete; addresses: the same, back to users
            assertThat(triggers).hasSize(6).allMatch(t -> t.startsWith("CREATE OR REPLACE TRIGGER") && t.contains(" AFTER "));
            assertThat(plan.start().stream().map(PlannedStep::action).filter(s -> s.description().startsWith("split triggers")))
                    .allMatch(s -> s.lock().equals(new MariaDbDialect().locks().trigger()));
            assertThat(plan.complete().stream().filter(s -> s instanceof Step.SqlStep).flatMap(s -> ((Step.SqlStep) s).statements().stream())
                    .filter(t -> t.startsWith("ALTER TABLE"))).isNotEmpty()
                    .allMatch(t -> t.contains("DROP COLUMN IF EXISTS `city`, ALGORITHM=INSTANT"));
            assertThat(db.bascule().load().plan(migration("""
                    operations:
                      - merge_tables: {from: [users], into: {name: people, columns: [id, name, city]}}
                    """)).notes()).noneMatch(n -> n.contains("1442"));
        }
    }

    @Test
    void newCodeInsertingAKeyTheMergeHasNotReachedYetFailsInsteadOfOverwritingTheOldRow() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE accounts (id int PRIMARY KEY, email varchar(50) NOT NULL)",
                    "CREATE TABLE profiles (id int PRIMARY KEY, bio varchar(50))",
                    "INSERT INTO accounts VALUES (1, 'a1'), (2, 'a2')", "INSERT INTO profiles VALUES (2, 'b2')");
            Bascule b = db.bascule().load();
            b.start(migration("""
                    operations:
                      - merge_tables: {from: [accounts, profiles], into: {name: members, columns: [id, email, bio]}}
                    """), true);
            // the version database comes after the backfill: new code's write as its view would make it, on the table
            try (Connection neu = db.connect(db.name())) {
                db.exec(neu, "SET " + MariaDbDialect.VERSION_VARIABLE + " = '" + db.name() + "_" + Scenario.MIGRATION + "'");
                // key 1 is old code's row, not copied yet: an upsert would silently take it over
                assertThatThrownBy(() -> db.exec(neu, "INSERT INTO members VALUES (1, 'taken over', 'x')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
                db.exec(neu, "INSERT INTO members VALUES (3, 'a3', 'b3')");
            }
            assertThat(db.value("SELECT concat(email, '/', (SELECT count(*) FROM members WHERE id = 1)) FROM accounts WHERE id = 1"))
                    .isEqualTo("a1/0");
            db.exec("UPDATE profiles SET bio = 'b2 by old code' WHERE id = 2"); // copied before the backfill reaches it
            b.start(migration("""
                    operations:
                      - merge_tables: {from: [accounts, profiles], into: {name: members, columns: [id, email, bio]}}
                    """));
            assertThat(db.column("SELECT concat(id, ' ', email, ' ', coalesce(bio, '-')) FROM members ORDER BY id"))
                    .containsExactly("1 a1 -", "2 a2 b2 by old code", "3 a3 b3");
            assertThat(b.verify()).isNotEmpty().allMatch(VerifyResult::ok);
        }
    }
}
