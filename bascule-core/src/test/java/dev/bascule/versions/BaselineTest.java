package dev.bascule.versions;

import dev.bascule.api.BaselineOutcome;
import dev.bascule.testing.Servers;
import dev.bascule.Bascule;
import dev.bascule.api.HistoryEntry;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.api.RefusedException;
import dev.bascule.command.Baseline;
import dev.bascule.model.MigrationReader;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code baseline}: old code on a version before the first migration, which takes that version as its previous one. */
class BaselineTest {
    private static final String[] TABLES = {
            "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL)",
            "INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob')"
    };


    private static Migration migration(String name, String operations) {
        return MigrationReader.read(name + ".yaml", ("operations:\n" + operations).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void oldCodeRunsOnTheBaselineUntilTheNextMigrationCompletes(Supplier<TestDb> dbs) throws Exception {
        try (TestDb db = dbs.get()) {
            db.exec(TABLES);
            Bascule b = db.bascule().load();
            assertThat(b.baseline()).isEqualTo(BaselineOutcome.BASELINED);
            String baseline = db.name() + "_baseline";
            assertThat(b.latest()).isEqualTo(baseline);
            assertThat(db.versions()).containsExactly(baseline);
            try (Connection old = db.connect(baseline)) {
                db.exec(old, "INSERT INTO users (id, name) VALUES (3, 'cy')");
                assertThat(count(old, "SELECT count(*) FROM users")).isEqualTo(3);
            }
            assertThat(b.history()).singleElement().satisfies(h -> {
                assertThat(h.name()).isEqualTo("baseline");
                assertThat(h.phase()).isEqualTo("completed");
                assertThat(h.isBaseline()).isTrue();
                assertThat(h.baseline()).isEmpty();
            });
            // a second baseline changes nothing
            assertThat(b.baseline()).isEqualTo(BaselineOutcome.ALREADY_BASELINED);
            assertThat(b.history()).hasSize(1);

            Migration add = migration("0001_add", "  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n");
            assertThat(b.plan(add).previousVersionSchema()).isEqualTo(baseline);
            b.start(add);
            assertThat(b.status().active().previousVersionSchema()).isEqualTo(baseline);
            try (Connection old = db.connect(baseline)) {
                // the baseline's views keep their columns: old code does not see the one start added
                try (Statement s = old.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM users WHERE id = 3")) {
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
                }
                db.exec(old, "INSERT INTO users (id, name) VALUES (4, 'dee')");
            }
            // complete drops the baseline's version as it drops a completed migration's
            b.complete(Set.of());
            assertThat(db.versions()).containsExactly(db.name() + "_0001_add");
            assertThat(b.history()).extracting(HistoryEntry::name).containsExactly("baseline", "0001_add");
            // once migrations ran, the baseline is still a no-op, not a refusal
            assertThat(b.baseline()).isEqualTo(BaselineOutcome.ALREADY_BASELINED);
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aRollbackOfTheNextMigrationLeavesOldCodeOnTheBaseline(Supplier<TestDb> dbs) throws Exception {
        try (TestDb db = dbs.get()) {
            db.exec(TABLES);
            Bascule b = db.bascule().load();
            b.baseline("v0");
            String baseline = db.name() + "_v0";
            b.start(migration("0001_add", "  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n"));
            b.rollback();
            assertThat(b.latest()).isEqualTo(baseline);
            assertThat(db.versions()).containsExactly(baseline);
            try (Connection old = db.connect(baseline)) {
                assertThat(count(old, "SELECT count(*) FROM users")).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void refusedOnceAMigrationIsActiveOrCompleted(Supplier<TestDb> dbs) throws Exception {
        try (TestDb db = dbs.get()) {
            db.exec(TABLES);
            Bascule b = db.bascule().load();
            b.start(migration("0001_add", "  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n"));
            assertThatThrownBy(b::baseline).isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                    .hasMessageContaining("migration 0001_add is started");
            b.complete(Set.of());
            assertThatThrownBy(b::baseline).isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                    .hasMessageContaining("0001_add already completed");
            assertThat(db.versions()).containsExactly(db.name() + "_0001_add");
            assertThatThrownBy(() -> b.baseline("no-dashes")).isInstanceOfSatisfying(InvalidMigrationException.class,
                    e -> assertThat(e.exitCode()).isEqualTo(2)).hasMessageContaining("invalid baseline name");
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aFlywayHistoryIsAdoptedAtItsLastAppliedMigration(Supplier<TestDb> dbs) throws Exception {
        try (TestDb db = dbs.get()) {
            db.exec(TABLES);
            // the table as Flyway makes it (the columns the baseline reads)
            db.exec("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50),"
                            + " description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL,"
                            + " checksum INT, installed_by VARCHAR(100) NOT NULL, execution_time INT NOT NULL, success BOOLEAN NOT NULL)",
                    "INSERT INTO flyway_schema_history VALUES (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 111, 'app', 5, true),"
                            + " (2, '2', 'add index', 'SQL', 'V2__add_index.sql', -222, 'app', 5, true),"
                            + " (3, NULL, 'refresh view', 'SQL', 'R__refresh_view.sql', 333, 'app', 5, true),"
                            + " (4, '3', 'failed one', 'SQL', 'V3__failed_one.sql', 444, 'app', 5, false)");
            Bascule b = db.bascule().load();
            b.baseline();
            assertThat(b.history()).singleElement().satisfies(h ->
                    assertThat(h.baseline()).isEqualTo("flyway 2 (add index), checksum -222"));
        }
    }

    @ParameterizedTest
    @MethodSource(Servers.SUITE)
    void aLiquibaseChangelogIsAdoptedAtItsLastChangeset(Supplier<TestDb> dbs) throws Exception {
        try (TestDb db = dbs.get()) {
            db.exec(TABLES);
            // MariaDB's Liquibase names the table in capitals
            String table = db.dialect().equals("mariadb") ? "DATABASECHANGELOG" : "databasechangelog";
            db.exec("CREATE TABLE " + table + " (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL,"
                            + " FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP NOT NULL, ORDEREXECUTED INT NOT NULL,"
                            + " EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35))",
                    "INSERT INTO " + table + " VALUES ('1', 'ann', 'db/changelog.xml', CURRENT_TIMESTAMP, 1, 'EXECUTED', '9:aaa'),"
                            + " ('users-2', 'bob', 'db/changelog.xml', CURRENT_TIMESTAMP, 2, 'EXECUTED', '9:bbb')");
            Bascule b = db.bascule().load();
            b.baseline();
            assertThat(b.history()).singleElement().satisfies(h ->
                    assertThat(h.baseline()).isEqualTo("liquibase users-2 (bob, db/changelog.xml), checksum 9:bbb"));
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
