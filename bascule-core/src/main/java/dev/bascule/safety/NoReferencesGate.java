package dev.bascule.safety;

import dev.bascule.plan.Plan;
import dev.bascule.step.Step;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table or column about to be dropped must not be the target of a foreign key or used by a view
 * other than Bascule's version views (which complete drops first): the drop would fail halfway
 * through complete, or take the view with it.
 */
public final class NoReferencesGate implements Gate {
    @Override
    public String name() {
        return "no_references";
    }

    @Override
    public Optional<String> check(Input in) throws SQLException {
        Connection c = in.connection();
        Plan plan = in.plan();
        List<String> found = new ArrayList<>();
        for (String table : plan.droppedTables()) {
            String qualified = qualified(plan.schema(), table);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 'foreign key ' || conname || ' of ' || conrelid::regclass FROM pg_constraint"
                            + " WHERE contype = 'f' AND confrelid = to_regclass(?) AND conrelid <> confrelid"
                            // a table the same migration drops goes first, with its foreign keys
                            + " AND conrelid <> ALL (SELECT to_regclass(quote_ident(?) || '.' || quote_ident(t)) FROM unnest(?::text[]) t)"
                            + " UNION ALL"
                            + " SELECT DISTINCT 'view ' || v.oid::regclass FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid"
                            + " JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace"
                            + " WHERE d.refobjid = to_regclass(?) AND v.oid <> d.refobjid AND n.nspname NOT IN (?, ?)"
                            + " UNION ALL"
                            // a SQL-standard body (BEGIN ATOMIC) records what it uses; a PL/pgSQL body does not
                            + " SELECT DISTINCT 'function ' || d.objid::regprocedure FROM pg_depend d"
                            + " WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_class'::regclass"
                            + " AND d.refobjid = to_regclass(?)")) {
                ps.setString(1, qualified);
                ps.setString(2, plan.schema());
                ps.setArray(3, c.createArrayOf("text", plan.droppedTables().toArray()));
                ps.setString(4, qualified);
                ps.setString(5, plan.versionSchema());
                // the previous version's views are Bascule's, unless old code used the base schema itself
                ps.setString(6, plan.previousVersionSchema().equals(plan.schema()) ? plan.versionSchema()
                        : plan.previousVersionSchema());
                ps.setString(7, qualified);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(table + " is used by " + rs.getString(1));
                    }
                }
            }
        }
        for (String dropped : plan.droppedColumns()) {
            String table = dropped.substring(0, dropped.indexOf('.'));
            String column = dropped.substring(dropped.indexOf('.') + 1);
            String qualified = qualified(plan.schema(), table);
            // an altered column's incoming foreign keys are moved by the swap itself; the others are in the way
            try (PreparedStatement ps = c.prepareStatement(
                    "WITH col AS (SELECT attrelid, attnum FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)"
                            + " SELECT DISTINCT 'view ' || quote_ident(n.nspname) || '.' || quote_ident(v.relname) FROM col JOIN pg_depend d ON d.refobjid = col.attrelid"
                            + " AND d.refobjsubid = col.attnum JOIN pg_rewrite r ON r.oid = d.objid"
                            + " JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace"
                            + " WHERE v.oid <> col.attrelid AND n.nspname NOT IN (?, ?)"
                            + " UNION ALL"
                            // what DROP COLUMN would refuse: a column trigger, a policy, another column's generation expression
                            + " SELECT pg_describe_object(d.classid, d.objid, d.objsubid) FROM col JOIN pg_depend d"
                            + " ON d.refclassid = 'pg_class'::regclass AND d.refobjid = col.attrelid AND d.refobjsubid = col.attnum"
                            + " WHERE d.classid IN ('pg_trigger'::regclass, 'pg_policy'::regclass, 'pg_proc'::regclass)"
                            + " OR (d.classid = 'pg_attrdef'::regclass AND NOT EXISTS (SELECT 1 FROM pg_attrdef ad"
                            + "  WHERE ad.oid = d.objid AND ad.adnum = col.attnum))"
                            + " UNION ALL"
                            + " SELECT 'foreign key ' || co.conname || ' of ' || co.conrelid::regclass FROM col JOIN pg_constraint co"
                            + " ON co.contype = 'f' AND co.confrelid = col.attrelid AND col.attnum = ANY (co.confkey)"
                            + " WHERE NOT ? AND co.conrelid <> co.confrelid")) {
                ps.setString(1, qualified);
                ps.setString(2, column);
                ps.setString(3, plan.versionSchema());
                ps.setString(4, plan.previousVersionSchema().equals(plan.schema()) ? plan.versionSchema()
                        : plan.previousVersionSchema());
                ps.setBoolean(5, plan.complete().stream().anyMatch(step -> swaps(step, table)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add("column " + dropped + " is used by " + rs.getString(1));
                    }
                }
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", found));
    }

    /**
     * Whether {@code step} is the swap of {@code table}'s altered columns: its own, or the one of
     * the tables whose foreign keys link altered columns ("swap altered columns of a, b together ...").
     */
    private static boolean swaps(Step step, String table) {
        String prefix = "swap altered columns of ";
        String d = step.description();
        if (d.equals(prefix + table)) {
            return true;
        }
        int together = d.indexOf(" together (");
        return d.startsWith(prefix) && together > 0
                && List.of(d.substring(prefix.length(), together).split(", ")).contains(table);
    }

    /** A name to_regclass reads back exactly, whatever case or characters it has. */
    private static String qualified(String schema, String table) {
        return '"' + schema.replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"") + '"';
    }
}
