package dev.bascule.dialects;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.ContractMode;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.MigrationStatus;
import dev.bascule.api.RefusedException;
import dev.bascule.api.VerifyResult;
import dev.bascule.backfill.BackfillOptions;
import dev.bascule.backfill.throttle.HealthMonitor;
import dev.bascule.backfill.health.ThrottleOptions;
import dev.bascule.backfill.health.Verdict;
import dev.bascule.command.Session;
import dev.bascule.command.Settings;
import dev.bascule.command.StartCommand;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.detect.Dialects;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.TestMariaDb;
import dev.bascule.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.bascule.dialects.DialectScenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is MariaDB's own: refusals, the algorithm in the plan, the backfill, metadata lock waits, the lock between commands. */
class MariaDbTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";

    @Test
    void theDialectIsChosenByUrlAndByTheConnection() {
        assertThat(Dialects.forUrl("jdbc:mariadb://h/db")).get().isInstanceOf(MariaDbDialect.class);
        assertThat(Dialects.forUrl("jdbc:mysql://h/db")).get().isInstanceOf(MariaDbDialect.class);
        assertThat(Dialects.forUrl("jdbc:postgresql://h/db")).get().isInstanceOf(PostgresDialect.class);
        assertThat(Dialects.forUrl("jdbc:sqlserver://h")).isEmpty();
        assertThat(Bascule.configure().dataSource(TestMariaDb.dataSource()).load().dialect()).isInstanceOf(MariaDbDialect.class);
        assertThat(Bascule.configure().dataSource(TestDatabase.dataSource()).load().dialect()).isInstanceOf(PostgresDialect.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "- add_check: {table: users, name: users_name_len, expression: \"length(name) > 0\"}",
            "- add_foreign_key: {table: users, columns: [id], references: {table: users}}",
            "- drop_constraint: {table: users, name: PRIMARY}",
            "- alter_column: {table: users, column: name, type: varchar(200), check: \"length(name) > 0\"}",
            "- sql: {up: \"DELETE FROM users\"}",
            "- add_column: {table: users, column: {name: team, type: int, check: \"team > 0\"}}",
            "- create_index: {name: users_p, table: users, columns: [name], where: \"id > 2\"}"})
    void whatMariaDbCannotDoSafelyIsRefusedAtPlanTimeAndNothingChanges(String operation) throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            // a valid operation first: nothing of it may be applied either
            String yaml = "operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n  " + operation + "\n";
            assertThatThrownBy(() -> b.start(migration(yaml)))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[1]")
                    .hasMessageContaining("MariaDB")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThat(db.value("SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'bascule\\_%'"
                    + " AND SCHEMA_NAME = '" + db.name().replace("t_", "bascule_") + "'")).isEqualTo("0");
        }
    }

    @Test
    void aCheckIsRefusedForItsTableCopyAndSaysSo() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS);
            Bascule b = db.bascule().load();
            for (String op : List.of("- add_check: {table: users, name: users_name_len, expression: \"length(name) > 0\"}",
                    "- add_column: {table: users, column: {name: team, type: int, check: \"team > 0\"}}")) {
                assertThatThrownBy(() -> b.plan(migration("operations:\n  " + op + "\n")))
                        .isInstanceOf(InvalidMigrationException.class)
                        .hasMessageContaining("needs ALGORITHM=COPY on 10.11")
                        .hasMessageContaining("error 1845, also with check_constraint_checks=0");
            }
        }
    }

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
            String version = db.name() + "_" + DialectScenario.MIGRATION;
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
    void foreignKeyChecksAreNeverLeftOffOnAConnectionEvenWhenTheAlterFails() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')", ORDERS, "INSERT INTO orders VALUES (1, 1, 'a')");
            List<String> before = db.snapshot();
            List<String> atClose = java.util.Collections.synchronizedList(new ArrayList<>());
            javax.sql.DataSource watched = checkingOnClose(TestMariaDb.dataSource(), atClose);
            Bascule b = Bascule.configure().dataSource(watched).schema(db.name()).stateSchema(db.stateSchema())
                    .lockTimeout(Duration.ofMillis(500)).lockAttempts(2).load();
            try (Connection holder = db.connect(db.name())) {
                holder.setAutoCommit(false);
                db.exec(holder, "SELECT * FROM orders"); // a shared metadata lock: the ALTER gives up
                assertThatThrownBy(() -> b.start(migration(ADD_FK))).isInstanceOf(BasculeException.class)
                        .hasMessageContaining("add constraint orders_user_fk").hasMessageContaining("2 attempts");
                holder.rollback();
            }
            assertThat(atClose).hasSizeGreaterThanOrEqualTo(2).containsOnly("1");
            assertThat(db.snapshot()).noneMatch(line -> line.contains("orders_user_fk"));
            // the same connection, after an ALTER that failed under SET STATEMENT
            try (Connection c = db.connect(db.name())) {
                assertThatThrownBy(() -> db.exec(c, new MariaDbDialect().constraints().addForeignKeyNotValid(db.name(), "orders", "x_fk",
                        List.of("note"), "users", List.of("name"), java.util.Optional.empty())))
                        .hasMessageContaining("x_fk"); // users.name has no index: refused by the server
                try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT @@session.foreign_key_checks")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            atClose.clear();
            assertThat(b.start(migration(ADD_FK))).isEqualTo(StartCommand.Outcome.STARTED);
            b.rollback();
            assertThat(atClose).isNotEmpty().containsOnly("1");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    /** The real data source; each connection reports its session's foreign_key_checks as it is closed. */
    private static javax.sql.DataSource checkingOnClose(javax.sql.DataSource real, List<String> atClose) {
        return reportingOnClose(real, List.of(), "SELECT @@session.foreign_key_checks", atClose);
    }

    /**
     * The real data source, whose connections first run {@code init} (as a pool's own set-up would)
     * and report {@code query}'s value as they are closed.
     */
    private static javax.sql.DataSource reportingOnClose(javax.sql.DataSource real, List<String> init, String query,
                                                         List<String> atClose) {
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(MariaDbTest.class.getClassLoader(),
                new Class<?>[]{javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(real, args);
                    if (!(result instanceof Connection c)) {
                        return result;
                    }
                    try (Statement s = c.createStatement()) {
                        for (String statement : init) {
                            s.execute(statement);
                        }
                    }
                    return java.lang.reflect.Proxy.newProxyInstance(MariaDbTest.class.getClassLoader(),
                            new Class<?>[]{Connection.class}, (p, m, a) -> {
                                if (m.getName().equals("close") && !c.isClosed()) {
                                    try (Statement s = c.createStatement();
                                         var rs = s.executeQuery(query)) {
                                        rs.next();
                                        atClose.add(rs.getString(1));
                                    }
                                }
                                try {
                                    return m.invoke(c, a);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }

    @Test
    void aPooledConnectionGetsItsOwnSessionSettingsBackNotTheServerDefaults() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org'), (2, 'bob', 'b@x.org')");
            List<String> atClose = java.util.Collections.synchronizedList(new ArrayList<>());
            String own = "ANSI_QUOTES,STRICT_TRANS_TABLES|+03:00|600|READ-COMMITTED|7";
            javax.sql.DataSource pool = reportingOnClose(TestMariaDb.dataSource(), List.of(
                    "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ANSI_QUOTES'", "SET SESSION time_zone = '+03:00'",
                    "SET SESSION wait_timeout = 600", "SET SESSION tx_isolation = 'READ-COMMITTED'",
                    "SET SESSION innodb_lock_wait_timeout = 7"),
                    "SELECT CONCAT_WS('|', @@session.sql_mode, @@session.time_zone, @@session.wait_timeout,"
                            + " @@session.tx_isolation, @@session.innodb_lock_wait_timeout)", atClose);
            Bascule b = Bascule.configure().dataSource(pool).schema(db.name()).stateSchema(db.stateSchema()).load();
            b.start(migration("operations:\n  - add_column: {table: users, column: {name: email_lower, type: varchar(100)},"
                    + " up: \"lower(email)\"}\n"));
            b.complete(Set.of());
            // the control, work, backfill and monitor connections all went back as the pool set them up
            assertThat(atClose).hasSizeGreaterThanOrEqualTo(3).containsOnly(own);
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
            Plan plan = b.plan(migration("""
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

    @Test
    void planShowsTheForeignKeyStrategyItsLocksAndItsCheck() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, ORDERS, "CREATE TABLE profiles (user_id int PRIMARY KEY, bio varchar(20))");
            Bascule b = db.bascule().load();
            Plan plan = b.plan(migration(ADD_FK
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
            var effects = dev.bascule.plan.TableEffects.of(plan, b.dialect());
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
    void aForeignKeyNamedLikeAnExistingIndexIsRefused() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, ORDERS, "CREATE INDEX orders_user_fk ON orders (note)");
            assertThatThrownBy(() -> db.bascule().load().plan(migration(ADD_FK))).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].add_foreign_key.name")
                    .hasMessageContaining("already has an index named 'orders_user_fk'");
        }
    }

    @Test
    void aBackfillOverAKeyTheRangesCannotWalkIsRefusedAtPlanTime() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, v varchar(20), PRIMARY KEY (a, b))",
                    "CREATE TABLE blobs (id binary(16) NOT NULL PRIMARY KEY, v varchar(20))");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: pairs, column: {name: w,"
                    + " type: varchar(20)}, up: upper(v)}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("has several columns");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: blobs, column: {name: w,"
                    + " type: varchar(20)}, up: upper(v)}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("binary(16)");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void badInputIsExit2WithTheFieldAndChangesNothing() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS);
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: users, column: {name: n,"
                    + " type: varchar(20)}, up: \"no_such_function(email)\"}\n")))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0].add_column.up: the expression is not valid")
                    .hasMessageNotContaining("(conn=");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - add_column: {table: users, column: {name: n,"
                    + " type: \"int; DROP TABLE users\"}}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("type");
            assertThatThrownBy(() -> b.start(migration("operations:\n  - rename_column: {table: users, from: nope, to: x}\n")))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("unknown column 'nope'");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void planStatesTheAlgorithmOfEveryAlterAndTheLock() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Plan plan = db.bascule().load().plan(migration("""
                    operations:
                      - add_column: {table: users, column: {name: domain, type: varchar(100), nullable: false}, up: "lower(email)"}
                      - add_column: {table: users, column: {name: seen, type: datetime, nullable: false}, up: "now()"}
                      - rename_column: {table: users, from: name, to: full_name}
                      - create_index: {name: users_email_idx, table: users, columns: [email]}
                      - drop_column: {table: users, column: email, down: "'?'"}
                    """));
            List<String> alters = new ArrayList<>();
            List<Step> steps = new ArrayList<>(plan.start().stream().map(PlannedStep::action).toList());
            steps.addAll(plan.validations());
            steps.addAll(plan.complete());
            for (Step s : steps) {
                // a rename is one statement of parts, one a line, under the version's view's lock
                if (s instanceof Step.SqlStep sql) sql.statements().stream()
                        .flatMap(t -> java.util.Arrays.stream(t.replaceFirst("^/\\*[^\n]*\\*/\n", "").split(";\n")))
                        .filter(t -> t.startsWith("ALTER TABLE")).forEach(alters::add);
                if (s instanceof Step.IndexBuildStep ix) alters.add(ix.create());
            }
            assertThat(alters).isNotEmpty().allMatch(a -> a.contains("ALGORITHM=INSTANT") || a.contains("ALGORITHM=INPLACE, LOCK=NONE"));
            // NOT NULL at once (existing rows hold '' until the backfill): no NOT NULL rebuild at complete
            // hidden from old code's SELECT * and positional inserts until complete shows it, without the placeholder
            assertThat(alters).anyMatch(a -> a.contains("ADD COLUMN IF NOT EXISTS `domain` varchar(100) NOT NULL DEFAULT ('')"
                    + " INVISIBLE, ALGORITHM=INSTANT"));
            List<String> complete = plan.complete().stream().flatMap(st -> st instanceof Step.SqlStep q ? q.statements().stream()
                    : java.util.stream.Stream.<String>empty()).toList();
            assertThat(complete).anyMatch(st -> st.startsWith("BEGIN NOT ATOMIC") && st.contains("MODIFY COLUMN `domain`")
                    && !st.contains("COLUMN_DEFAULT"));
            assertThat(complete.get(complete.size() - 1)).startsWith("BEGIN NOT ATOMIC").contains("MODIFY COLUMN `seen`");
            assertThat(alters).noneMatch(a -> a.contains("MODIFY COLUMN `domain`"));
            assertThat(alters).anyMatch(a -> a.contains("ADD INDEX IF NOT EXISTS `users_email_idx` (`email`), ALGORITHM=INPLACE, LOCK=NONE"));
            assertThat(alters).anyMatch(a -> a.contains("MODIFY COLUMN `seen` datetime NOT NULL, ALGORITHM=INPLACE, LOCK=NONE"));
            assertThat(alters).anyMatch(a -> a.contains("RENAME COLUMN `name` TO `full_name`, ALGORITHM=INSTANT"));
            assertThat(steps).filteredOn(s -> s instanceof Step.IndexBuildStep)
                    .allMatch(s -> s.lock().startsWith("ALGORITHM=INPLACE, LOCK=NONE"));
            // the views are made again over the renamed column right after complete has renamed it,
            // before the steps that may take long (the NOT NULL rebuild of a datetime with no default)
            List<String> contract = plan.complete().stream().map(Step::description).toList();
            int rename = contract.indexOf(contract.stream().filter(d -> d.startsWith("rename column")).findFirst().orElseThrow());
            assertThat(contract.get(rename + 1)).startsWith("re-create the views");
            assertThat(contract.stream().filter(d -> d.startsWith("re-create the views"))).hasSize(1);
        }
    }

    @Test
    void planOfASplitNamesTheStatementsMariaDbRefusesAndDropsOnlyInstantly() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, city varchar(50))");
            Plan plan = db.bascule().load().plan(migration("""
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
                db.exec(neu, "SET " + MariaDbDialect.VERSION_VARIABLE + " = '" + db.name() + "_" + DialectScenario.MIGRATION + "'");
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

    @Test
    void anIdentifierIsAlwaysQuoted() {
        Dialect d = new MariaDbDialect();
        assertThat(d.quote("we`ird")).isEqualTo("`we``ird`");
        assertThat(d.literal("it's \\ ok")).isEqualTo("'it''s \\\\ ok'");
    }

    @Test
    void backfillWalksTheKeyInBatchesWithCheckpointsAndPausesFromAnotherProcess() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users (id, name, email) SELECT seq, CONCAT('u', seq), CONCAT('U', seq, '@X.org')"
                    + " FROM seq_1_to_3000");
            Bascule b = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(100).withMaxRowsPerSecond(3000)
                    .withThrottle(ThrottleOptions.none())).load();
            CompletableFuture<StartCommand.Outcome> start = CompletableFuture.supplyAsync(() -> b.start(migration("""
                    operations:
                      - add_column: {table: users, column: {name: email_lower, type: varchar(100)}, up: "lower(email)"}
                    """)));
            Bascule other = db.bascule().load();
            waitFor(() -> rowsDone(other) > 0);
            other.pause(true);
            waitFor(() -> "paused".equals(other.status().active().backfills().get(0).throttleReason()));
            long paused = rowsDone(other);
            Thread.sleep(400);
            assertThat(rowsDone(other)).isEqualTo(paused).isLessThan(3000);
            assertThat(start).isNotDone();
            other.pause(false);
            assertThat(start.get(30, TimeUnit.SECONDS)).isEqualTo(StartCommand.Outcome.STARTED);
            MigrationStatus.Backfill done = other.status().active().backfills().get(0);
            assertThat(done.finished()).isTrue();
            assertThat(done.rowsDone()).isEqualTo(3000);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower = LOWER(email)")).isEqualTo("3000");
            String state = db.name().replace("t_", "bascule_");
            assertThat(db.value("SELECT CONCAT(last_key, ' ', batches >= 30) FROM " + state + ".backfills")).isEqualTo("[\"3000\"] 1");
        }
    }

    @Test
    void aBackfillWhoseConnectionsAreKilledResumesFromItsCheckpointAndDoesNoRowTwice() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users (id, name, email) SELECT seq, CONCAT('u', seq), CONCAT('U', seq, '@X.org')"
                    + " FROM seq_1_to_2000",
                    // counts every write of a row by the backfill: a batch done twice would show
                    "CREATE TABLE writes (id int PRIMARY KEY, n int NOT NULL)",
                    "CREATE TRIGGER count_writes AFTER UPDATE ON users FOR EACH ROW"
                            + " INSERT INTO writes VALUES (NEW.id, 1) ON DUPLICATE KEY UPDATE n = n + 1");
            var m = migration("operations:\n  - add_column: {table: users, column: {name: email_lower, type: varchar(100)},"
                    + " up: \"lower(email)\"}\n");
            Bascule slow = db.bascule().backfill(BackfillOptions.defaults().withBatchSize(50).withMaxRowsPerSecond(2000)
                    .withThrottle(ThrottleOptions.none())).load();
            CompletableFuture<StartCommand.Outcome> start = CompletableFuture.supplyAsync(() -> slow.start(m));
            Bascule other = db.bascule().load();
            waitFor(() -> rowsDone(other) >= 300);
            // the backfill's connection dies mid-batch, as in a crash (the work connection is the one in the base database)
            try (Connection admin = TestMariaDb.dataSource().getConnection(); Statement s = admin.createStatement()) {
                for (String id : db.column("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + db.name()
                        + "' AND ID <> CONNECTION_ID()")) {
                    s.execute("KILL CONNECTION " + id);
                }
            }
            assertThatThrownBy(() -> start.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(BasculeException.class);
            long checkpoint = rowsDone(other);
            assertThat(checkpoint).isBetween(300L, 1999L);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower IS NOT NULL")).isEqualTo(String.valueOf(checkpoint));
            // the rerun goes on from the checkpoint
            assertThat(db.bascule().load().start(m)).isEqualTo(StartCommand.Outcome.STARTED);
            assertThat(rowsDone(other)).isEqualTo(2000);
            assertThat(db.value("SELECT count(*) FROM users WHERE email_lower = LOWER(email)")).isEqualTo("2000");
            assertThat(db.value("SELECT CONCAT(count(*), ' ', max(n)) FROM writes")).isEqualTo("2000 1");
        }
    }

    @Test
    void completeRefusesANullInANotNullColumnAndChangesNothing() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Bascule b = db.bascule().load();
            b.start(migration("""
                    operations:
                      - add_column: {table: users, column: {name: nick, type: varchar(20), nullable: false}, up: "name"}
                      - add_column: {table: users, column: {name: seen, type: datetime, nullable: false}, up: "now()"}
                    """));
            String version = db.name() + "_" + DialectScenario.MIGRATION;
            try (Connection c = db.connect(version)) {
                // a column with an implicit value is NOT NULL from start on: new code's NULL is refused at once
                assertThatThrownBy(() -> db.exec(c, "INSERT INTO users (id, name, email, nick, seen) VALUES (2, 'bob',"
                        + " 'b@x.org', NULL, now())")).isInstanceOf(java.sql.SQLException.class);
                // a datetime has none: NOT NULL waits for complete, which finds the NULL first
                db.exec(c, "INSERT INTO users (id, name, email, nick, seen) VALUES (2, 'bob', 'b@x.org', 'b', NULL)");
            }
            List<String> before = db.snapshot();
            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class).hasMessageContaining("NULL");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            assertThatThrownBy(() -> b.complete(Set.of(), Set.of(), ContractMode.DEPRECATE))
                    .isInstanceOf(InvalidMigrationException.class).hasMessageContaining("--deprecate");
            try (Connection c = db.connect(version)) {
                db.exec(c, "UPDATE users SET seen = now() WHERE id = 2");
            }
            b.complete(Set.of());
            assertThat(db.column("SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'users' AND COLUMN_NAME IN ('nick', 'seen')")).containsExactly("NO", "NO");
        }
    }

    @Test
    void aMetadataLockHeldByTheApplicationMakesDdlGiveUpAndRetryThenTheRerunFinishes() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Bascule b = db.bascule().lockTimeout(Duration.ofMillis(500)).lockAttempts(2).load();
            var m = migration("operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n");
            try (Connection holder = db.connect(db.name())) {
                holder.setAutoCommit(false);
                db.exec(holder, "SELECT * FROM users"); // a shared metadata lock until the transaction ends
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> b.start(m)).isInstanceOf(BasculeException.class)
                        .hasMessageContaining("could not take its lock").hasMessageContaining("2 attempts");
                // two waits of 500 ms (not lock_wait_timeout's whole second) and one backoff of 50 to 100 ms
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1900));
                holder.rollback();
            }
            assertThat(b.start(m)).isEqualTo(StartCommand.Outcome.STARTED);
            assertThat(b.start(m)).isEqualTo(StartCommand.Outcome.ALREADY_STARTED);
            b.rollback();
        }
    }

    @Test
    void oneCommandAtATimeAndALostLockStopsTheCommand() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            Dialect dialect = new MariaDbDialect();
            Settings settings = new Settings(db.name(), db.name().replace("t_", "bascule_"), Duration.ofMillis(250), 3,
                    BackfillOptions.defaults(), dev.bascule.api.BasculeListener.NONE);
            long controlId;
            try (Session first = Session.open(TestMariaDb.dataSource(), dialect, settings, true)) {
                assertThatThrownBy(() -> Session.open(TestMariaDb.dataSource(), dialect, settings, true))
                        .isInstanceOf(BasculeException.class).hasMessageContaining("another Bascule command is running")
                        .hasMessageContaining("server connection");
                first.requireLock(first.work());
                controlId = dialect.session().sessionId(first.control());
                try (Connection admin = TestMariaDb.dataSource().getConnection(); Statement s = admin.createStatement()) {
                    s.execute("KILL CONNECTION " + controlId);
                }
                waitFor(() -> {
                    try {
                        first.requireLock(first.work());
                        return false;
                    } catch (BasculeException e) {
                        return e.getMessage().contains("lost the lock");
                    }
                });
            }
            // the lock went with the killed session: the next command gets it
            try (Session next = Session.open(TestMariaDb.dataSource(), dialect, settings, true)) {
                next.requireLock(next.work());
            }
        }
    }

    @Test
    void threadsRunningThrottlesTheBackfill() throws Exception {
        Dialect dialect = new MariaDbDialect();
        ThrottleOptions options = ThrottleOptions.none().withThreadsRunning(new ThrottleOptions.Limit(1, 0));
        CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> {
            try (Connection c = TestMariaDb.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT SLEEP(3)");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Thread.sleep(300);
            try (HealthMonitor m = new HealthMonitor(TestMariaDb.dataSource().getConnection(), options, "`t`", dialect.health().healthSignals(),
                    c -> java.util.Optional.empty(), note -> { }).start()) {
                Verdict v = m.verdict();
                assertThat(v.level()).isEqualTo(Verdict.Level.THROTTLE);
                assertThat(v.reason()).startsWith("Threads_running");
            }
        } finally {
            busy.get(10, TimeUnit.SECONDS);
        }
    }

    private static long rowsDone(Bascule b) {
        MigrationStatus s = b.status();
        return s.active() == null || s.active().backfills().isEmpty() ? 0 : s.active().backfills().get(0).rowsDone();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(20);
        }
    }
}
