package dev.bascule.command;

import dev.bascule.api.RefusedException;
import dev.bascule.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Before a migration starts: Flyway or Liquibase must not be in the middle of changing the same schema.
 * Their history tables are the ones {@code baseline} reads: a Flyway row with {@code success = false} (a
 * migration that failed and was not repaired: on MariaDB half its DDL may be applied) or a held Liquibase
 * lock ({@code databasechangeloglock.locked}, held while an update runs or left by one that died) refuses
 * start with exit 3. Pending Flyway files cannot be known without Flyway's folder; what the database shows
 * is what counts.
 */
final class OtherToolsCheck {
    private OtherToolsCheck() {}

    static void refuseWhileBusy(Connection c, Dialect dialect, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                + " AND lower(table_name) IN ('flyway_schema_history', 'databasechangeloglock')")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) tables.add(rs.getString(1));
            }
        }
        for (String table : tables) {
            String from = dialect.quote(schema) + "." + dialect.quote(table);
            if (table.toLowerCase(Locale.ROOT).equals("flyway_schema_history")) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, description FROM " + from
                        + " WHERE NOT success ORDER BY installed_rank DESC LIMIT 1")) {
                    if (rs.next()) {
                        throw new RefusedException("Flyway's migration " + (rs.getString(1) == null ? "" : rs.getString(1) + " ")
                                + "(" + rs.getString(2) + ") failed on schema " + schema + " (flyway_schema_history.success = false):"
                                + " fix the schema and run 'flyway repair' before starting a Bascule migration");
                    }
                }
            } else {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT lockedby, lockgranted FROM " + from
                        + " WHERE locked")) {
                    if (rs.next()) {
                        throw new RefusedException("Liquibase holds its lock on schema " + schema + " (databasechangeloglock, locked by "
                                + rs.getString(1) + " since " + rs.getString(2) + "): an update is running or died; let it finish,"
                                + " or run 'liquibase releaseLocks' if none runs, before starting a Bascule migration");
                    }
                }
            }
        }
    }
}
