package dev.bascule.operations;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.RefusedException;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * add_foreign_key and drop_constraint on MariaDB: a key added without checking existing rows and
 * checked at complete, MATCH SIMPLE, the index MariaDB makes for it, and each kind of constraint
 * dropped its own way.
 */
class MariaDbConstraintsTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";
    static final String ORDERS = "CREATE TABLE orders (id int PRIMARY KEY, user_id int, note varchar(20))";
    static final String ADD_FK = "operations:\n  - add_foreign_key: {table: orders, name: orders_user_fk, columns: [user_id],"
            + " references: {table: users, columns: [id]}}\n";

    @Test
    void anOrphanRefusesCompleteWithItsKeyAndChangesNothingAndRollbackStillWorks() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org'), (2, 'bob', 'b@x.org')", ORDERS,
                    "INSERT INTO orders VALUES (1, 1, 'ok'), (2, 7, 'orphan'), (3, NULL, 'no user')");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            b.start(migration(ADD_FK));
            // the existing orphan is not checked at start, but every new write is
            String version = db.name() + "_" + Scenario.MIGRATION;
            try (Connection c = db.connect(version)) {
                assertThatThrownBy(() -> db.exec(c, "INSERT INTO orders VALUES (4, 8, 'new orphan')"))
                        .isInstanceOf(java.sql.SQLException.class)
                        .satisfies(e -> assertThat(((java.sql.SQLException) e).getErrorCode()).isEqualTo(1452));
                db.exec(c, "INSERT INTO orders VALUES (5, 2, 'fine')");
            }
            List<String> started = db.snapshot();
            assertThat(started).anyMatch(line -> line.equals("constraint: orders.orders_user_fk FOREIGN KEY"))
                    .anyMatch(line -> line.startsWith("index: orders.orders_user_fk 1 user_id"));
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("foreign key orders_user_fk of table orders: an existing row with (user_id) = (7)"
                            + " has no match in users (id)")
                    .hasMessageNotContaining("(conn=")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(3));
            assertThat(db.snapshot()).containsExactlyElementsOf(started);
            assertThat(b.status().active()).isNotNull();
            db.exec("DELETE FROM orders WHERE id = 5");
            b.rollback();
            // the key and the index MariaDB made for it are gone
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void aCompositeKeyIsCheckedMatchSimpleAndCompleteKeepsTheIndexItMade() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE shops (region int NOT NULL, code int NOT NULL, PRIMARY KEY (region, code))",
                    "INSERT INTO shops VALUES (1, 1), (1, 2)",
                    "CREATE TABLE sales (id int PRIMARY KEY, region int, code int, KEY sales_region (region))",
                    // a NULL in the key exempts the row (MATCH SIMPLE), whatever the other column holds
                    "INSERT INTO sales VALUES (1, 1, 2), (2, 9, NULL), (3, NULL, 9)");
            Bascule b = db.bascule().load();
            b.start(migration("operations:\n  - add_foreign_key: {table: sales, name: sales_shop_fk, columns: [region, code],"
                    + " references: {table: shops, columns: [region, code]}}\n"));
            b.complete(Set.of());
            assertThat(db.snapshot()).anyMatch(line -> line.equals("constraint: sales.sales_shop_fk FOREIGN KEY"))
                    .anyMatch(line -> line.equals("index: sales.sales_shop_fk 1 region,code"))
                    .anyMatch(line -> line.equals("index: sales.sales_region 1 region"));
            assertThatThrownBy(() -> db.exec("INSERT INTO sales VALUES (4, 1, 3)")).hasMessageContaining("sales_shop_fk");
        }
    }

    @Test
    void planShowsTheForeignKeyStrategyItsLocksAndItsCheck() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, ORDERS, "CREATE TABLE profiles (user_id int PRIMARY KEY, bio varchar(20))");
            Bascule b = db.bascule().load();
            Plan plan = dev.bascule.BasculeInternals.plan(b, migration(ADD_FK
                    + "  - add_column: {table: orders, column: {name: payer_id, type: int, references: {table: users, columns: [id]}}}\n"
                    + "  - add_foreign_key: {table: profiles, name: profiles_user_fk, columns: [user_id], references: {table: users,"
                    + " columns: [id]}}\n"));
            List<Step> added = plan.start().stream().map(PlannedStep::action)
                    .filter(s -> s.description().startsWith("add constraint")).toList();
            assertThat(added).hasSize(3).allSatisfy(s -> {
                assertThat(s.description()).endsWith("(existing rows checked at complete)");
                assertThat(s.lock()).startsWith("ALGORITHM=INPLACE, LOCK=NONE with foreign_key_checks=0 for this statement only");
                assertThat(((Step.SqlStep) s).statements().get(0)).startsWith("SET STATEMENT foreign_key_checks = 0 FOR ALTER TABLE")
                        .endsWith(", ALGORITHM=INPLACE, LOCK=NONE");
            });
            var effects = dev.bascule.plan.TableEffects.of(plan, dev.bascule.BasculeInternals.dialect(b));
            assertThat(effects.of(added.get(0)).reason()).contains("existing rows are not checked");
            // the primary key of profiles starts with user_id: InnoDB uses it, and rollback has no index to drop
            List<String> rollback = plan.rollback().stream().filter(s -> s.description().startsWith("drop constraint"))
                    .flatMap(s -> ((Step.SqlStep) s).statements().stream()).toList();
            assertThat(rollback).anyMatch(r -> r.endsWith("`profiles` DROP FOREIGN KEY IF EXISTS `profiles_user_fk`, ALGORITHM=INSTANT"))
                    .anyMatch(r -> r.contains("DROP FOREIGN KEY IF EXISTS `orders_payer_id_fkey`, DROP INDEX IF EXISTS"
                            + " `orders_payer_id_fkey`, ALGORITHM=INPLACE, LOCK=NONE"));
            assertThat(plan.validations()).hasSize(3).allSatisfy(v -> {
                assertThat(v.lock()).startsWith("none (a read of the rows");
                assertThat(((Step.SqlStep) v).statements().get(0)).startsWith("BEGIN NOT ATOMIC").contains("LEFT JOIN")
                        .contains("SIGNAL SQLSTATE '23000'");
            });
        }
    }

    @Test
    void dropConstraintDropsEachKindItsOwnWayAndRefusesWhatWouldCopy() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "CREATE TABLE invoices (id int PRIMARY KEY, user_id int, total int CHECK (total >= 0), code varchar(10),"
                    + " n int, CONSTRAINT invoices_user_fk FOREIGN KEY (user_id) REFERENCES users (id),"
                    + " CONSTRAINT invoices_n_check CHECK (n > 0), CONSTRAINT invoices_code_key UNIQUE (code))");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            // a CHECK written on its column belongs to the column's definition
            assertThatThrownBy(() -> b.start(migration("operations:\n  - drop_constraint: {table: invoices, name: total}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("operations[0].drop_constraint.name")
                    .hasMessageContaining("ALGORITHM=COPY");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            Plan plan = dev.bascule.BasculeInternals.plan(b, migration("""
                    operations:
                      - drop_constraint: {table: invoices, name: invoices_user_fk}
                      - drop_constraint: {table: invoices, name: invoices_n_check}
                      - drop_constraint: {table: invoices, name: invoices_code_key}
                    """));
            List<String> statements = plan.complete().stream().filter(s -> s.description().startsWith("drop constraint"))
                    .flatMap(s -> ((Step.SqlStep) s).statements().stream()).toList();
            String t = "`" + db.name() + "`.`invoices`";
            assertThat(statements).containsExactly(
                    "ALTER TABLE " + t + " DROP FOREIGN KEY IF EXISTS `invoices_user_fk`, ALGORITHM=INSTANT",
                    "ALTER TABLE " + t + " DROP CONSTRAINT IF EXISTS `invoices_n_check`, ALGORITHM=INSTANT",
                    "ALTER TABLE " + t + " DROP INDEX IF EXISTS `invoices_code_key`, ALGORITHM=INPLACE, LOCK=NONE");
        }
    }
}
