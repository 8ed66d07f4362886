package dev.bascule.fleet;

import dev.bascule.api.BasculeException;
import dev.bascule.api.Identifiers;
import dev.bascule.api.InvalidMigrationException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A fleet file's {@code query}: the members a catalog table lists. */
public final class FleetQuery {
    private FleetQuery() {}

    /**
     * Members listed by {@code sql} on {@code ds}: a JDBC URL per row, a schema when the row has a
     * second column (null: the database's), and the member's name when it has a third (null: named
     * by its database and schema; shard databases named alike on several servers need it). Each row
     * is held to the rules of the file's members (no credentials, a valid schema name), refused
     * naming {@code file}, the query and the row. The query runs in a read-only
     * transaction that is rolled back: listing the fleet changes nothing.
     */
    public static List<FleetMember> members(DataSource ds, String sql, String file) {
        List<FleetMember> found = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.setMaxRows(FleetFile.MAX_MEMBERS + 1);
                try (ResultSet rs = s.executeQuery(sql)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        FleetMember m = row(file, found.size() + 1, rs.getString(1), columns > 1 ? rs.getString(2) : null);
                        found.add(columns > 2 ? named(file, found.size() + 1, m, rs.getString(3)) : m);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new BasculeException("the fleet's query failed: " + e.getMessage(), e);
        }
        if (found.size() > FleetFile.MAX_MEMBERS) {
            throw new InvalidMigrationException(file + ": query: more than " + FleetFile.MAX_MEMBERS + " members");
        }
        return found;
    }

    /** The third column, when there is one, names the member (null: named by its database and schema). */
    private static FleetMember named(String file, int row, FleetMember m, String name) {
        if (name == null) {
            return m;
        }
        if (!name.matches("[A-Za-z0-9_./:-]{1,200}")) {
            throw new InvalidMigrationException(file + ": query: row " + row + ": the third column is not a member name"
                    + " (1 to 200 letters, digits, and _ . / : -)");
        }
        return new FleetMember(name, m.url(), m.schema(), m.stateSchema());
    }

    private static FleetMember row(String file, int row, String url, String schema) {
        String at = file + ": query: row " + row + ": ";
        String problem = url == null ? "the first column is empty; it must be a member's JDBC URL" : FleetFile.urlProblem(url);
        if (problem != null) {
            throw new InvalidMigrationException(at + problem);
        }
        if (schema != null && !Identifiers.isValid(schema)) {
            throw new InvalidMigrationException(at + "the second column is not a valid schema name ("
                    + Identifiers.rule() + ")");
        }
        return FleetMember.of(url.strip(), schema, null);
    }
}
