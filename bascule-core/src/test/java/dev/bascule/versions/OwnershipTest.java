package dev.bascule.versions;

import dev.bascule.api.StartOutcome;
import dev.bascule.testing.Servers;
import dev.bascule.Bascule;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.RefusedException;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bascule drops only what it made, and one migration at a time owns a table, whatever state schema
 * records it: a schema (database) with the version's name that Bascule did not make is left alone
 * (exit 2 at plan and start), and a table another migration under way changes is refused (exit 3).
 */
class OwnershipTest {
    static final String[] ORDERS = {
            "CREATE TABLE orders (id int PRIMARY KEY, amount int, note varchar(20))",
            "INSERT INTO orders (id, amount, note) VALUES (1, 10, 'a'), (2, 20, 'b')"
    };
    static final String ALTER_AMOUNT = """
            operations:
              - alter_column: {table: orders, column: amount, type: bigint}
            """;
    static final String DROP_AMOUNT = """
            operations:
              - drop_column: {table: orders, column: amount}
            """;


    static Migration migration(String name, String yaml) {
        return MigrationReader.read(name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void startLeavesASchemaWithTheVersionsNameThatBasculeDidNotMake(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(ORDERS);
            String foreign = db.name() + "_coll";
            db.exec(db.dialect().equals("mariadb") ? "CREATE DATABASE " + foreign : "CREATE SCHEMA " + foreign,
                    "CREATE TABLE " + foreign + ".important (id int PRIMARY KEY)",
                    "INSERT INTO " + foreign + ".important (id) VALUES (42)");
            Bascule b = db.bascule().load();
            Migration coll = migration("coll", "operations:\n  - add_column: {table: orders, column: {name: extra, type: int}}\n");

            assertThatThrownBy(() -> b.plan(coll)).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining(foreign + " exists and was not made by Bascule")
                    .hasMessageContaining("another name");
            assertThatThrownBy(() -> b.start(coll)).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining(foreign);

            assertThat(db.value("SELECT id FROM " + foreign + ".important")).isEqualTo("42");
            assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db.name()
                    + "' AND table_name = 'orders' AND column_name = 'extra'")).isEmpty();
            assertThat(b.history()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aStartCutOffAfterItMadeTheVersionSchemaRunsItsStepAgainThenRollbackDropsIt(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(ORDERS);
            Bascule b = db.bascule().load();
            Migration m = migration("coll", ALTER_AMOUNT);
            b.start(m);
            String version = db.name() + "_coll";
            // as if start had been cut off after the step that made the version schema, before it was recorded done
            db.exec("DELETE FROM " + db.stateSchema() + ".steps WHERE description = 'create version schema " + version + "'",
                    "UPDATE " + db.stateSchema() + ".migrations SET phase = 'starting'");
            assertThat(b.start(m)).isEqualTo(StartOutcome.STARTED);
            assertThat(db.versions()).contains(version);
            b.rollback();
            assertThat(db.versions()).doesNotContain(version);
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void theStepThatMakesTheVersionSchemaLeavesOneMadeSincePlanAlone(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(ORDERS);
            Bascule b = db.bascule().load();
            Migration m = migration("coll", ALTER_AMOUNT);
            b.start(m);
            String version = db.name() + "_coll";
            boolean maria = db.dialect().equals("mariadb");
            // between plan and the step, someone makes a schema of that name: the step must not drop it
            db.exec(maria ? "DROP DATABASE " + version : "DROP SCHEMA " + version + " CASCADE",
                    maria ? "CREATE DATABASE " + version : "CREATE SCHEMA " + version,
                    "CREATE TABLE " + version + ".important (id int PRIMARY KEY)",
                    "INSERT INTO " + version + ".important (id) VALUES (42)",
                    "DELETE FROM " + db.stateSchema() + ".steps WHERE description = 'create version schema " + version + "'",
                    "UPDATE " + db.stateSchema() + ".migrations SET phase = 'starting'");
            assertThatThrownBy(() -> b.start(m)).hasMessageContaining(version + " exists and was not made by Bascule");
            assertThat(db.value("SELECT id FROM " + version + ".important")).isEqualTo("42");
            assertThatThrownBy(b::rollback).hasMessageContaining(version + " exists and was not made by Bascule");
            assertThat(db.value("SELECT id FROM " + version + ".important")).isEqualTo("42");
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aTableAMigrationOfAnotherStateSchemaChangesIsRefused(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(ORDERS);
            Bascule a = db.bascule().load();
            Bascule b = db.bascule().stateSchema(db.name() + "_other").load();
            a.start(migration("a_alter", ALTER_AMOUNT));
            Migration drop = migration("b_drop", DROP_AMOUNT);

            assertThatThrownBy(() -> b.plan(drop)).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("migration a_alter").hasMessageContaining("state schema " + db.stateSchema())
                    .hasMessageContaining("its trigger");
            assertThatThrownBy(() -> b.start(drop)).isInstanceOf(RefusedException.class);

            db.exec("INSERT INTO orders (id, amount, note) VALUES (3, 30, 'c')");
            a.complete(Set.of());
            assertThat(db.value("SELECT amount FROM orders WHERE id = 3")).isEqualTo("30");
            b.start(drop); // the table is free again
            db.exec("INSERT INTO orders (id, amount, note) VALUES (4, 40, 'd')");
            assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo("4");
            b.rollback();
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aMigrationOfAnotherStateSchemaThatOnlyHidesAColumnStillOwnsTheTable(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(ORDERS);
            Bascule a = db.bascule().load();
            Bascule b = db.bascule().stateSchema(db.name() + "_other").load();
            b.start(migration("b_drop", DROP_AMOUNT)); // views only: no trigger on orders
            Migration alter = migration("a_alter", ALTER_AMOUNT);

            assertThatThrownBy(() -> a.plan(alter)).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("migration b_drop").hasMessageContaining("state schema " + db.name() + "_other")
                    .hasMessageContaining("its plan");
            assertThatThrownBy(() -> a.start(alter)).isInstanceOf(RefusedException.class);
            assertThat(a.history()).isEmpty();
            b.rollback();
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aTriggerNamedLikeBasculesThatItDidNotMakeIsAClash(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(ORDERS);
            if (db.dialect().equals("mariadb")) {
                db.exec("CREATE TRIGGER _bascule_mine BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = NEW.note");
            } else {
                db.exec("CREATE FUNCTION " + db.name() + ".keep_note() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
                        "CREATE TRIGGER _bascule_mine BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION "
                                + db.name() + ".keep_note()");
            }
            List<String> before = snapshot(db);
            Bascule b = db.bascule().load();
            Migration alter = migration("a_alter", ALTER_AMOUNT);
            assertThatThrownBy(() -> b.start(alter)).isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("trigger _bascule_mine on table " + db.name() + ".orders")
                    .hasMessageContaining("not made by");
            assertThat(snapshot(db)).containsExactlyElementsOf(before);
        }
    }

    /** Trigger names are per table on PostgreSQL, per database on MariaDB (CREATE OR REPLACE TRIGGER would take it from its table). */
    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void anUnmarkedBasculeNamedTriggerOnAnotherTableClashesOnlyWhereTriggerNamesArePerDatabase(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(ORDERS);
            db.exec("CREATE TABLE audit (id int PRIMARY KEY, note varchar(20))");
            boolean maria = db.dialect().equals("mariadb");
            if (maria) {
                db.exec("CREATE TRIGGER _bascule_audit BEFORE INSERT ON audit FOR EACH ROW SET NEW.note = NEW.note");
            } else {
                db.exec("CREATE FUNCTION " + db.name() + ".keep_note() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
                        "CREATE TRIGGER _bascule_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION "
                                + db.name() + ".keep_note()");
            }
            Bascule b = db.bascule().load();
            Migration alter = migration("a_alter", ALTER_AMOUNT);
            if (maria) {
                assertThatThrownBy(() -> b.plan(alter)).isInstanceOf(InvalidMigrationException.class)
                        .hasMessageContaining("trigger _bascule_audit on table " + db.name() + ".audit");
            } else {
                assertThat(b.plan(alter).versionSchema()).isEqualTo(db.name() + "_a_alter");
            }
        }
    }

    private static List<String> snapshot(TestDb db) {
        try {
            return db.snapshot();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
