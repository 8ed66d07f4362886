package dev.bascule.safety;

import dev.bascule.api.Migration;
import dev.bascule.api.Operation;
import dev.bascule.api.RefusedException;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Before start, the rows a new unique index would refuse: a {@code create_index} with
 * {@code unique: true} over columns the table already has would otherwise fail midway through
 * start (1062 on MariaDB, an invalid index on PostgreSQL). Refused first, with exit 3, how many
 * values repeat and a sample of them, nothing changed. Rows with a NULL in the key are left out:
 * they never collide. Values the migration itself computes (an alter_column of the table) are not
 * known before the backfill, and left to the index build.
 */
public final class DuplicateKeys {
    static final int SAMPLE = 3;

    private DuplicateKeys() {}

    public static void refuse(Connection c, Dialect dialect, String schema, Migration migration) throws SQLException {
        List<Operation> ops = migration.operations();
        Catalog catalog = null;
        for (int i = 0; i < ops.size(); i++) {
            if (!(ops.get(i) instanceof Operation.CreateIndex ci) || !ci.unique() || ci.where().isPresent()) {
                continue;
            }
            if (ops.stream().anyMatch(o -> o instanceof Operation.AlterColumn ac && ac.table().equals(ci.table()))) {
                continue;
            }
            if (catalog == null) {
                catalog = dialect.catalog().readCatalog(c, schema);
            }
            Catalog.Table table = catalog.tables().get(ci.table());
            if (table == null) {
                continue; // created by the migration: no rows yet
            }
            List<String> columns = new ArrayList<>();
            for (String name : ci.columns()) {
                table.columns().stream().filter(col -> dialect.catalog().sameColumnName(col.name(), name)).findFirst()
                        .ifPresent(col -> columns.add(col.name()));
            }
            if (columns.size() != ci.columns().size()) {
                continue; // an expression, or a column the migration adds
            }
            int at = i;
            duplicates(c, dialect, schema, table.name(), columns).ifPresent(found -> {
                throw new RefusedException("operations[" + at + "].create_index "
                        + ci.name() + ": " + found + "; remove or change the duplicates, then start again (nothing was changed)");
            });
        }
    }

    private static Optional<String> duplicates(Connection c, Dialect dialect, String schema, String table, List<String> columns)
            throws SQLException {
        String list = columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
        String groups = "SELECT " + list + ", count(*) AS n FROM " + dialect.qualify(schema, table) + " WHERE "
                + columns.stream().map(col -> dialect.quote(col) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                + " GROUP BY " + list + " HAVING count(*) > 1";
        long values;
        long rows;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(n), 0) FROM (" + groups + ") d")) {
            rs.next();
            values = rs.getLong(1);
            rows = rs.getLong(2);
        }
        if (values == 0) {
            return Optional.empty();
        }
        List<String> sample = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(groups + " ORDER BY n DESC LIMIT " + SAMPLE)) {
            while (rs.next()) {
                List<String> key = new ArrayList<>();
                for (int k = 0; k < columns.size(); k++) {
                    key.add(columns.get(k) + "=" + rs.getString(k + 1));
                }
                sample.add("(" + String.join(", ", key) + ") in " + rs.getLong(columns.size() + 1) + " rows");
            }
        }
        return Optional.of(values + " value(s) of (" + String.join(", ", columns) + ") in table " + table
                + " occur more than once, in " + rows + " rows, e.g. " + String.join("; ", sample));
    }
}
