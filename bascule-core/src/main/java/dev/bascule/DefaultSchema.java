package dev.bascule;

import dev.bascule.api.BasculeException;
import dev.bascule.api.Identifiers;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.dialect.Dialect;

import javax.sql.DataSource;
import java.sql.SQLException;

/** The application's schema when none is given: the one the dialect reads from the connection. */
final class DefaultSchema {
    private DefaultSchema() {}

    static String of(Dialect dialect, DataSource dataSource) {
        try {
            String found = dialect.session().defaultSchema(dataSource::getConnection).orElseThrow(() -> new InvalidMigrationException(
                    "no schema given and the connection has no current database: name the application's database"
                    + " in the URL (jdbc:mariadb://host:3306/app), with --schema (BASCULE_SCHEMA) or with schema(...)"));
            if (!Identifiers.isValid(found)) {
                throw new InvalidMigrationException("invalid schema name '" + found + "' (the connection's current"
                        + " database); give the schema explicitly");
            }
            return found;
        } catch (SQLException e) {
            throw new BasculeException("cannot connect to the database to read its current database: "
                    + e.getMessage(), e);
        }
    }
}
