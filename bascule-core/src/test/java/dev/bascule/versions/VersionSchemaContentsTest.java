package dev.bascule.versions;

import dev.bascule.testing.Servers;
import dev.bascule.Bascule;
import dev.bascule.api.RefusedException;
import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.mysql.MariaDbDialect;
import dev.bascule.dialect.postgresql.PostgresDialect;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.bascule.versions.OwnershipTest.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bascule drops only what it made in a version schema (database): its views, by name, and its
 * read marker, never with CASCADE, and then the schema only if it is empty. A table the
 * application made there, or a view elsewhere over a version view, makes complete and rollback
 * refuse (exit 3) before they change anything, naming each object; once it is moved or dropped,
 * they go through.
 */
class VersionSchemaContentsTest {
    static final String[] USERS = {
            "CREATE TABLE users (id int PRIMARY KEY, email varchar(100))",
            "INSERT INTO users (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com')"
    };
    static final String R1 = "operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n";
    static final String R2 = "operations:\n  - add_column: {table: users, column: {name: city, type: varchar(20)}}\n";


    /** The reproduction of issue 14 for complete's drop of the previous version schema. */
    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void completeLeavesATableNewCodeMadeInThePreviousVersionAndAViewOverItsViewsThenGoesOnOnceMoved(Supplier<TestDb> dialect)
            throws Exception {
        try (TestDb db = dialect.get()) {
            boolean maria = db.dialect().equals("mariadb");
            db.exec(USERS);
            Bascule b = db.bascule().load();
            b.start(migration("r1", R1));
            b.complete(Set.of());
            String r1 = db.name() + "_r1";
            try (Connection newCode = db.connect(r1)) {
                // new code's search path (database) is the version: its CREATE TABLE lands there
                db.exec(newCode, "CREATE TABLE app_sessions (id int PRIMARY KEY, token varchar(40))",
                        "INSERT INTO app_sessions (id, token) VALUES (7, 'secret')");
            }
            db.exec("CREATE VIEW " + db.name() + ".user_report AS SELECT id, email FROM " + r1 + ".users");
            b.start(migration("r2", R2));

            assertThatThrownBy(() -> b.complete(Set.of())).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("complete refused")
                    .hasMessageContaining("table " + r1 + ".app_sessions")
                    .hasMessageContaining("view " + db.name() + ".user_report")
                    .hasMessageContaining("Nothing was changed");

            assertThat(db.value("SELECT token FROM " + r1 + ".app_sessions WHERE id = 7")).isEqualTo("secret");
            assertThat(db.value("SELECT count(*) FROM " + db.name() + ".user_report")).isEqualTo("2");
            assertThat(db.versions()).contains(r1, db.name() + "_r2");
            assertThat(b.status().active().phase()).isEqualToIgnoringCase("started");

            // the way out the message gives: move the table, drop the view (or rebuild it over the base)
            db.exec(maria ? "RENAME TABLE " + r1 + ".app_sessions TO " + db.name() + ".app_sessions"
                            : "ALTER TABLE " + r1 + ".app_sessions SET SCHEMA " + db.name(),
                    "DROP VIEW " + db.name() + ".user_report");
            b.complete(Set.of());
            assertThat(db.versions()).doesNotContain(r1).contains(db.name() + "_r2");
            assertThat(db.value("SELECT token FROM " + db.name() + ".app_sessions WHERE id = 7")).isEqualTo("secret");
        }
    }

    /** The reproduction of issue 14 for rollback's drop of the version database. */
    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void rollbackLeavesATableMadeInTheVersionSchemaThenGoesOnOnceDropped(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(USERS);
            Bascule b = db.bascule().load();
            b.start(migration("m2", R2));
            String m2 = db.name() + "_m2";
            db.exec("CREATE TABLE " + m2 + ".app_cache (k varchar(20) PRIMARY KEY, v varchar(20))",
                    "INSERT INTO " + m2 + ".app_cache (k, v) VALUES ('x', 'kept')");

            assertThatThrownBy(b::rollback).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("rollback refused")
                    .hasMessageContaining("table " + m2 + ".app_cache");
            assertThat(db.value("SELECT v FROM " + m2 + ".app_cache WHERE k = 'x'")).isEqualTo("kept");
            assertThat(b.status().active().phase()).isEqualToIgnoringCase("started");
            assertThat(db.value("SELECT count(*) FROM " + m2 + ".users")).isEqualTo("2"); // still usable

            db.exec("DROP TABLE " + m2 + ".app_cache");
            b.rollback();
            assertThat(db.versions()).doesNotContain(m2);
        }
    }

    /**
     * The drop step refuses by itself too (something made between the check and the step): its
     * statements fail before they drop anything, and the foreign table is still there.
     */
    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void theDropStatementsThemselvesRefuseAndDropNothing(Supplier<TestDb> dialect) throws Exception {
        try (TestDb db = dialect.get()) {
            db.exec(USERS);
            Bascule b = db.bascule().load();
            b.start(migration("m3", R2));
            String m3 = db.name() + "_m3";
            db.exec("CREATE TABLE " + m3 + ".app_cache (k varchar(20) PRIMARY KEY)", "INSERT INTO " + m3 + ".app_cache VALUES ('x')");
            Dialect d = db.dialect().equals("mariadb") ? new MariaDbDialect() : new PostgresDialect();
            List<String> drop = d.views().dropVersionSchema(m3, null, List.of("users"));
            try (Connection c = db.connect(db.name())) {
                assertThatThrownBy(() -> db.exec(c, drop.toArray(String[]::new)))
                        .hasMessageContaining("table " + m3 + ".app_cache");
            }
            assertThat(db.value("SELECT k FROM " + m3 + ".app_cache")).isEqualTo("x");
            assertThat(db.value("SELECT count(*) FROM " + m3 + ".users")).isEqualTo("2"); // nothing dropped
            db.exec("DROP TABLE " + m3 + ".app_cache");
            b.rollback();
            assertThat(db.versions()).doesNotContain(m3);
        }
    }

    /** A rerun of start makes its version schema anew: it must not take a foreign table with the old one. */
    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aRerunOfStartDoesNotDropAForeignTableWithTheVersionSchemaItMakesAnew(Supplier<TestDb> dialect) {
        try (TestDb db = dialect.get()) {
            db.exec(USERS);
            Bascule b = db.bascule().load();
            var m = migration("m4", R2);
            b.start(m);
            String m4 = db.name() + "_m4";
            // as if start had been cut off after the step that made the version schema, before it was recorded done
            db.exec("CREATE TABLE " + m4 + ".app_cache (k varchar(20) PRIMARY KEY)", "INSERT INTO " + m4 + ".app_cache VALUES ('x')",
                    "DELETE FROM " + db.stateSchema() + ".steps WHERE description = 'create version schema " + m4 + "'",
                    "UPDATE " + db.stateSchema() + ".migrations SET phase = 'starting'");
            assertThatThrownBy(() -> b.start(m)).hasMessageContaining("table " + m4 + ".app_cache");
            assertThat(db.value("SELECT k FROM " + m4 + ".app_cache")).isEqualTo("x");
            db.exec("DROP TABLE " + m4 + ".app_cache");
            b.start(m);
            assertThat(db.value("SELECT count(*) FROM " + m4 + ".users")).isEqualTo("2");
            b.rollback();
            assertThat(db.versions()).doesNotContain(m4);
        }
    }
}
