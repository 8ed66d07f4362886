package dev.bascule.command;

import dev.bascule.Bascule;
import dev.bascule.api.RefusedException;
import dev.bascule.api.StartOutcome;
import dev.bascule.testing.Scenario;
import dev.bascule.testing.Server;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** start (and migrate, which starts) refuses while Flyway's history shows a failed migration or Liquibase holds its lock. */
class OtherToolsCheckTest {
    static final String YAML = """
            operations:
              - add_column: {table: users, column: {name: nickname, type: text}}
            """;

    private static String bool(TestDb db, boolean value) {
        return db.dialect().equals("postgresql") ? String.valueOf(value) : (value ? "1" : "0");
    }

    @ParameterizedTest
    @EnumSource(value = Server.class, names = {"POSTGRESQL", "MARIADB"})
    void aFailedFlywayMigrationRefusesStartUntilRepaired(Server server) {
        try (TestDb db = server.get()) {
            String ts = db.dialect().equals("postgresql") ? "timestamp" : "datetime";
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name text)",
                    // as Flyway 10 creates it
                    "CREATE TABLE flyway_schema_history (installed_rank int NOT NULL PRIMARY KEY, version varchar(50),"
                            + " description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int,"
                            + " installed_by varchar(100) NOT NULL, installed_on " + ts + " NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                            + " execution_time int NOT NULL, success " + (db.dialect().equals("postgresql") ? "boolean" : "bool") + " NOT NULL)",
                    "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by,"
                            + " execution_time, success) VALUES (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 1, 'app', 5, "
                            + bool(db, true) + "), (2, '2', 'add email', 'SQL', 'V2__add_email.sql', 2, 'app', 5, " + bool(db, false) + ")");
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration(YAML)))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageContaining("Flyway's migration 2 (add email) failed")
                    .hasMessageContaining("flyway repair");
            assertThatThrownBy(() -> b.migrate(List.of(Scenario.migration(YAML)))).isInstanceOf(RefusedException.class);
            assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db.name()
                    + "' AND table_name = 'users' ORDER BY ordinal_position")).as("nothing changed").containsExactly("id", "name");

            db.exec("DELETE FROM flyway_schema_history WHERE " + (db.dialect().equals("postgresql") ? "NOT success" : "success = 0"));
            assertThat(b.start(Scenario.migration(YAML))).isEqualTo(StartOutcome.STARTED);
            b.rollback();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Server.class, names = {"POSTGRESQL", "MARIADB"})
    void aHeldLiquibaseLockRefusesStartUntilReleased(Server server) {
        try (TestDb db = server.get()) {
            boolean pg = db.dialect().equals("postgresql");
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name text)",
                    // as Liquibase 4 creates it: BOOLEAN on PostgreSQL, BIT(1) in capitals on MariaDB
                    pg ? "CREATE TABLE databasechangeloglock (id int NOT NULL PRIMARY KEY, locked boolean NOT NULL, lockgranted timestamp,"
                            + " lockedby varchar(255))"
                            : "CREATE TABLE DATABASECHANGELOGLOCK (ID int NOT NULL PRIMARY KEY, LOCKED BIT(1) NOT NULL, LOCKGRANTED datetime,"
                            + " LOCKEDBY varchar(255))",
                    "INSERT INTO " + (pg ? "databasechangeloglock" : "DATABASECHANGELOGLOCK") + " VALUES (1, "
                            + (pg ? "true" : "b'1'") + ", CURRENT_TIMESTAMP, 'build-42 (10.0.0.7)')");
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(Scenario.migration(YAML)))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageContaining("Liquibase holds its lock")
                    .hasMessageContaining("build-42 (10.0.0.7)")
                    .hasMessageContaining("releaseLocks");

            db.exec("UPDATE " + (pg ? "databasechangeloglock SET locked = false" : "DATABASECHANGELOGLOCK SET LOCKED = b'0'")
                    + ", lockedby = NULL");
            assertThat(b.start(Scenario.migration(YAML))).isEqualTo(StartOutcome.STARTED);
            b.rollback();
        }
    }
}
