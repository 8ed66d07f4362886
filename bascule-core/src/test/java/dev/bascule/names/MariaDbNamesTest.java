package dev.bascule.names;

import dev.bascule.testing.Scenario;
import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.MariaDbServer;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which database is the application's when none is named, and names matched as MariaDB matches them. */
class MariaDbNamesTest {

    /** The test server's URL with {@code database} as its path (empty: none). */
    static String urlWithDatabase(String database) {
        return MariaDbServer.jdbcUrl().replaceFirst("^(jdbc:(?:mariadb|mysql)://[^/?]+)/?[^?]*", "$1/" + database);
    }

    private static MariaDbDataSource dataSource(String database) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource();
        ds.setUrl(urlWithDatabase(database));
        return ds;
    }

    @Test
    void withoutASchemaTheUrlsDatabaseIsTheApplicationsOne() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL)", "INSERT INTO users VALUES (1, 'ann')");
            Bascule b = Bascule.configure().dataSource(dataSource(db.name())).stateSchema(db.stateSchema())
                    .quietTime(java.time.Duration.ofSeconds(1)).load();
            b.start(migration("operations:\n  - add_column: {table: users, column: {name: nick, type: varchar(20)}}\n"));
            assertThat(b.latest()).startsWith(db.name() + "_");
            b.complete(Set.of());
            assertThat(db.column("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'users' ORDER BY ORDINAL_POSITION")).containsExactly("id", "name", "nick");
        }
    }

    @Test
    void withoutASchemaNorADatabaseInTheUrlTheLoadSaysToNameOne() throws Exception {
        MariaDbDataSource none = dataSource("");
        assertThatThrownBy(() -> Bascule.configure().dataSource(none).load())
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("no current database")
                .hasMessageContaining("--schema")
                .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
    }

    static final String UPPER_CASE_NAMES = """
            operations:
              - rename_column: {table: users, from: NAME, to: full_name}
              - create_index: {name: users_legacy_idx, table: users, columns: [Legacy]}
            """;

    @Test
    void columnNamesMatchAsMariaDbMatchesThemWithoutRegardToCase() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, legacy int)",
                    "INSERT INTO users VALUES (1, 'ann', 7)");
            Bascule b = db.bascule().load();
            b.start(migration(UPPER_CASE_NAMES));
            b.complete(Set.of());
            assertThat(db.column("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'users' ORDER BY ORDINAL_POSITION")).containsExactly("id", "full_name", "legacy");
            assertThat(db.column("SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND INDEX_NAME = 'users_legacy_idx'")).containsExactly("legacy");
            assertThat(db.value("SELECT full_name FROM users WHERE id = 1")).isEqualTo("ann");
        }
    }

    @Test
    void onPostgresqlColumnNamesStayExact() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, legacy int)");
            List<String> before = db.snapshot();
            assertThatThrownBy(() -> db.bascule().load().start(migration(UPPER_CASE_NAMES)))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("unknown column 'NAME'");
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void aTimestampMadeNotNullWithANonConstantDefaultIsRefusedAtPlanTime() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL)", "INSERT INTO users VALUES (1, 'ann')");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration("""
                    operations:
                      - add_column: {table: users, column: {name: seen_at, type: timestamp, nullable: false, default: current_timestamp}}
                    """)))
                    .isInstanceOf(InvalidMigrationException.class)
                    .hasMessageContaining("operations[0]")
                    .hasMessageContaining("use datetime")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(2));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            // a datetime is converted in place: start and complete finish
            b.start(migration("""
                    operations:
                      - add_column: {table: users, column: {name: seen_at, type: datetime, nullable: false, default: current_timestamp}}
                    """));
            b.complete(Set.of());
            assertThat(db.value("SELECT count(*) FROM users WHERE seen_at IS NOT NULL")).isEqualTo("1");
        }
    }

    static final String UNIQUE_EMAIL = """
            operations:
              - add_column: {table: users, column: {name: nick, type: varchar(20)}}
              - create_index: {name: users_email_key, table: users, columns: [email], unique: true}
            """;

    /** On both servers: the duplicates a unique index would refuse are found before start changes anything. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mariadb", "postgres"})
    void aUniqueIndexOverDuplicateRowsIsRefusedBeforeStartWithACountAndASample(String server) throws Exception {
        try (TestDb db = server.equals("mariadb") ? TestDb.mariadb() : TestDb.postgres()) {
            db.exec("CREATE TABLE users (id int PRIMARY KEY, email varchar(100))",
                    "INSERT INTO users VALUES (1, 'a@x.org'), (2, 'a@x.org'), (3, 'a@x.org'), (4, 'b@x.org'), (5, 'b@x.org'),"
                            + " (6, 'c@x.org'), (7, NULL), (8, NULL)");
            List<String> before = db.snapshot();
            Bascule b = db.bascule().load();
            assertThatThrownBy(() -> b.start(migration(UNIQUE_EMAIL)))
                    .isInstanceOf(dev.bascule.api.RefusedException.class)
                    .hasMessageContaining("operations[1].create_index users_email_key")
                    .hasMessageContaining("2 value(s) of (email) in table users occur more than once, in 5 rows")
                    .hasMessageContaining("(email=a@x.org) in 3 rows")
                    .satisfies(e -> assertThat(((BasculeException) e).exitCode()).isEqualTo(3));
            assertThat(db.snapshot()).containsExactlyElementsOf(before);
            db.exec("DELETE FROM users WHERE id IN (2, 3, 5)");
            b.start(migration(UNIQUE_EMAIL));
            b.complete(Set.of());
        }
    }
}
