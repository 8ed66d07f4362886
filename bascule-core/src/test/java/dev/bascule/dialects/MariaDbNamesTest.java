package dev.bascule.dialects;

import dev.bascule.Bascule;
import dev.bascule.api.BasculeException;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.testing.TestDb;
import dev.bascule.testing.TestMariaDb;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import static dev.bascule.dialects.DialectScenario.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which database is the application's when none is named, and names matched as MariaDB matches them. */
class MariaDbNamesTest {

    /** The test server's URL with {@code database} as its path (empty: none). */
    static String urlWithDatabase(String database) {
        return TestMariaDb.jdbcUrl().replaceFirst("^(jdbc:(?:mariadb|mysql)://[^/?]+)/?[^?]*", "$1/" + database);
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
}
