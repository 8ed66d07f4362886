package dev.bascule.dialect.mysql;

import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.OwnerMarker;
import dev.bascule.dialect.SyncTriggers;
import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.step.Step.Assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The MySQL family's sync triggers: BEFORE INSERT and UPDATE triggers per table, and AFTER triggers copying split and merged rows. */
final class MySqlTriggers extends MySqlRole implements SyncTriggers {

    MySqlTriggers(Dialect dialect) {
        super(dialect);
    }

    /**
     * One BEFORE INSERT and one BEFORE UPDATE trigger per table, each carrying every operation of
     * the table (like PostgreSQL's one trigger function per table). A trigger cannot see which
     * database the writer's statement named (DATABASE() is the trigger's own inside it), so new
     * code tells its version through {@value #VERSION_VARIABLE}; every other writer is old code.
     * The backfill's sessions set {@value #BACKFILL_VARIABLE} and assign the values themselves.
     */
    @Override
    public List<String> createSyncTrigger(SyncTrigger t) {
        return List.of(trigger(t, "INSERT"), trigger(t, "UPDATE"));
    }

    private String trigger(SyncTrigger t, String event) {
        StringBuilder body = new StringBuilder();
        body.append("CREATE OR REPLACE TRIGGER ").append(qualify(t.schema(), triggerName(t.functionName(), event)))
                .append(" BEFORE ").append(event).append(" ON ").append(qualify(t.schema(), t.table()))
                .append(" FOR EACH ROW\nBEGIN\n  ").append(markerComment(new OwnerMarker(t.newVersionSchema(), t.functionSchema())))
                .append("\n  IF ").append(BACKFILL_VARIABLE).append(" IS NULL THEN\n    IF ")
                .append(VERSION_VARIABLE).append(" <=> ").append(literal(t.newVersionSchema())).append(" THEN\n");
        appendBlock(body, t, event, t.newVariables(), t.downAssign());
        body.append("    ELSE\n");
        appendBlock(body, t, event, t.oldVariables(), t.upAssign());
        body.append("    END IF;\n  END IF;\nEND");
        return body.toString();
    }

    /**
     * One direction's assignments in a block of its own: local variables named as the writer's
     * version names the columns (a local variable wins over a column name in a stored program),
     * bound to the row before any assignment, typed like their column (TYPE OF, MariaDB's
     * anchored types).
     */
    private void appendBlock(StringBuilder body, SyncTrigger t, String event, List<ColumnMapping> variables,
                             List<Assignment> assignments) {
        if (assignments.isEmpty()) {
            body.append("      BEGIN END;\n");
            return;
        }
        body.append("      BEGIN\n");
        // only the variables the expressions read: MariaDB sets up every variable of a trigger for
        // every row it fires on, the backfill's included, and an anchored TYPE OF costs most
        for (ColumnMapping v : variables.stream().filter(v -> assignments.stream().anyMatch(a -> dialect.catalog().mayRead(a.expression(),
                v.logical()))).toList()) {
            body.append("        DECLARE ").append(quote(v.logical())).append(" TYPE OF ").append(qualify(t.schema(), t.table()))
                    .append('.').append(quote(v.physical())).append(" DEFAULT NEW.").append(quote(v.physical())).append(";\n");
        }
        for (Assignment a : assignments) {
            body.append("        ");
            boolean guarded = a.reads() != null && event.equals("UPDATE");
            if (guarded) {
                // an unfilled row (the backfill has not reached it) is filled by any write; a change is
                // one of bytes: under a case-insensitive collation 'ann' = 'Ann', and a write of that
                // kind must still reach a column that may tell them apart
                body.append("IF NEW.").append(quote(a.column())).append(" IS NULL")
                        .append(a.reads().stream().map(r -> " OR NOT (BINARY NEW." + quote(r) + " <=> BINARY OLD." + quote(r) + ")")
                                .collect(Collectors.joining()))
                        .append(" THEN ");
            }
            if (a.onlyIfNull()) {
                body.append("IF NEW.").append(quote(a.column())).append(" IS NULL THEN ");
            }
            body.append("SET NEW.").append(quote(a.column())).append(" = (").append(a.expression()).append(");");
            if (a.onlyIfNull()) {
                body.append(" END IF;");
            }
            if (guarded) {
                body.append(" END IF;");
            }
            body.append('\n');
        }
        body.append("      END;\n");
    }

    /** LOCK TABLES .. WRITE: DROP and CREATE TRIGGER and ALTER TABLE of the locked table are allowed under it. */
    @Override
    public List<String> heldAround(String schema, String table, List<String> statements) {
        List<String> sql = new ArrayList<>();
        sql.add("LOCK TABLES " + qualify(schema, table) + " WRITE");
        sql.addAll(statements);
        sql.add("UNLOCK TABLES");
        return sql;
    }

    @Override
    public List<String> dropSyncTrigger(String schema, String table, String triggerName, String functionSchema,
                                        String functionName) {
        if (triggerName.startsWith(COPY_TRIGGERS)) {
            return List.of("DROP TRIGGER IF EXISTS " + qualify(schema, copyTriggerName(functionName, "INSERT")),
                    "DROP TRIGGER IF EXISTS " + qualify(schema, copyTriggerName(functionName, "UPDATE")),
                    "DROP TRIGGER IF EXISTS " + qualify(schema, copyTriggerName(functionName, "DELETE")));
        }
        return List.of("DROP TRIGGER IF EXISTS " + qualify(schema, triggerName(functionName, "INSERT")),
                "DROP TRIGGER IF EXISTS " + qualify(schema, triggerName(functionName, "UPDATE")));
    }

    /** An AFTER trigger running {@code body} for the writes of one side: new code's ({@code newCode}) or the others'. */
    private String copyTrigger(String schema, String table, String function, String event, OwnerMarker owner,
                               boolean newCode, String body) {
        String writer = VERSION_VARIABLE + " <=> " + literal(owner.versionSchema());
        return "CREATE OR REPLACE TRIGGER " + qualify(schema, copyTriggerName(function, event)) + " AFTER " + event + " ON "
                + qualify(schema, table) + " FOR EACH ROW\nBEGIN\n  " + markerComment(owner) + "\n  IF " + BACKFILL_VARIABLE + " IS NULL AND "
                + (newCode ? writer : "NOT (" + writer + ")") + " THEN\n" + body + "  END IF;\nEND";
    }

    /** {@code c1 = record.c1 AND ..}, over the columns of the table the statement names. */
    private String matches(List<String> columns, String record) {
        return columns.stream().map(c -> quote(c) + " = " + record + "." + quote(c)).collect(Collectors.joining(" AND "));
    }

    /** True when a key column changed: the row moved to another key. */
    private String keyChanged(List<String> key) {
        return "NOT (" + key.stream().map(k -> "OLD." + quote(k) + " <=> NEW." + quote(k)).collect(Collectors.joining(" AND ")) + ")";
    }

    @Override
    public List<String> createSplitSync(SplitSync s) {
        List<String> statements = new ArrayList<>();
        StringBuilder insert = new StringBuilder();
        StringBuilder update = new StringBuilder();
        StringBuilder delete = new StringBuilder();
        for (SplitPart p : s.parts()) {
            String part = qualify(s.schema(), p.table());
            List<String> nonKey = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
            String upsert = "    IF " + p.key().stream().map(k -> "NEW." + quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "))
                    + " THEN\n      INSERT INTO " + part + " (" + quoteAll(p.columns()) + ") VALUES " + row("NEW", p.columns())
                    + onDuplicate(part, p.key(), nonKey) + ";\n    END IF;\n";
            String deleteOld = "DELETE FROM " + part + " WHERE " + matches(p.key(), "OLD") + ";\n";
            insert.append(upsert);
            if (p.oneToOne()) {
                update.append("    IF ").append(keyChanged(p.key())).append(" THEN\n      ").append(deleteOld).append("    END IF;\n");
                delete.append("    ").append(deleteOld);
            }
            update.append(upsert);
        }
        statements.add(copyTrigger(s.schema(), s.from(), s.function(), "INSERT", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), false, insert.toString()));
        statements.add(copyTrigger(s.schema(), s.from(), s.function(), "UPDATE", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), false, update.toString()));
        if (!delete.isEmpty()) {
            statements.add(copyTrigger(s.schema(), s.from(), s.function(), "DELETE", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), false, delete.toString()));
        }
        String from = qualify(s.schema(), s.from());
        for (SplitPart p : s.parts()) {
            if (p.moved().isEmpty()) {
                continue; // the part has only columns the split table keeps: new code writes those there itself
            }
            String set = "    UPDATE " + from + " SET " + p.moved().stream().map(c -> quote(c) + " = NEW." + quote(c))
                    .collect(Collectors.joining(", ")) + " WHERE " + matches(p.key(), "NEW") + ";\n";
            statements.add(copyTrigger(s.schema(), p.table(), p.function(), "INSERT", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), true, set));
            statements.add(copyTrigger(s.schema(), p.table(), p.function(), "UPDATE", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), true, set));
            statements.add(copyTrigger(s.schema(), p.table(), p.function(), "DELETE", new OwnerMarker(s.newVersionSchema(), s.functionSchema()), true,
                    "    UPDATE " + from + " SET " + p.moved().stream().map(c -> quote(c) + " = NULL").collect(Collectors.joining(", "))
                            + " WHERE " + matches(p.key(), "OLD") + ";\n"));
        }
        return statements;
    }

    /**
     * INSERT .. SELECT of the merged row for the key of {@code keyRecord} (NEW or OLD), with source
     * {@code writer}'s columns from {@code values} (NEW, or null for NULLs) and the other sources'
     * read from their tables; on a duplicate, the writer's columns are updated.
     */
    private String mergedRow(MergeSync m, int writer, String values, String keyRecord) {
        List<String> select = new ArrayList<>();
        List<String> columns = new ArrayList<>(m.key());
        String keySource = writer == 0 ? values : "bascule_s0";
        m.key().forEach(k -> select.add(keySource + "." + quote(k)));
        for (int i = 0; i < m.sources().size(); i++) {
            for (String c : m.sources().get(i).columns()) {
                columns.add(c);
                select.add(i == writer ? (values == null ? "NULL" : values + "." + quote(c)) : "bascule_s" + i + "." + quote(c));
            }
        }
        StringBuilder from = new StringBuilder();
        String keyOf0 = writer == 0 ? keyRecord : "bascule_s0";
        from.append(writer == 0 ? "(SELECT 1) AS bascule_one" : qualify(m.schema(), m.sources().get(0).table()) + " AS bascule_s0");
        for (int i = 1; i < m.sources().size(); i++) {
            if (i == writer) continue;
            from.append(" LEFT JOIN ").append(qualify(m.schema(), m.sources().get(i).table())).append(" AS bascule_s").append(i)
                    .append(" ON ").append(joinOn("bascule_s" + i, keyOf0, m.key()));
        }
        String where = writer == 0 ? "" : " WHERE " + joinOn("bascule_s0", keyRecord, m.key());
        String into = qualify(m.schema(), m.into());
        return "INSERT INTO " + into + " (" + quoteAll(columns) + ") SELECT " + String.join(", ", select) + " FROM " + from + where
                + onDuplicate(into, m.key(), m.sources().get(writer).columns());
    }

    @Override
    public List<String> createMergeSync(MergeSync m) {
        List<String> statements = new ArrayList<>();
        String into = qualify(m.schema(), m.into());
        String version = m.newVersionSchema();
        OwnerMarker owner = new OwnerMarker(version, m.functionSchema());
        for (int i = 0; i < m.sources().size(); i++) {
            MergeSource source = m.sources().get(i);
            // the old key's merged row: gone with the first table's row, without this source's values otherwise
            String leave = i == 0 ? "DELETE FROM " + into + " WHERE " + matches(m.key(), "OLD") + ";\n"
                    : source.columns().isEmpty() ? "" : mergedRow(m, i, null, "OLD") + ";\n";
            String upsert = "    " + mergedRow(m, i, "NEW", "NEW") + ";\n";
            statements.add(copyTrigger(m.schema(), source.table(), source.function(), "INSERT", owner, false, upsert));
            statements.add(copyTrigger(m.schema(), source.table(), source.function(), "UPDATE", owner, false,
                    (leave.isEmpty() ? "" : "    IF " + keyChanged(m.key()) + " THEN\n      " + leave + "    END IF;\n") + upsert));
            if (!leave.isEmpty()) {
                statements.add(copyTrigger(m.schema(), source.table(), source.function(), "DELETE", owner, false, "    " + leave));
            }
        }
        StringBuilder deleteOld = new StringBuilder();
        for (int i = m.sources().size() - 1; i >= 0; i--) { // joined tables first: they may point at the first
            deleteOld.append("DELETE FROM ").append(qualify(m.schema(), m.sources().get(i).table())).append(" WHERE ")
                    .append(matches(m.key(), "OLD")).append(";\n");
        }
        statements.add(copyTrigger(m.schema(), m.into(), m.function(), "INSERT", owner, true, writeSources(m, true)));
        statements.add(copyTrigger(m.schema(), m.into(), m.function(), "UPDATE", owner, true,
                "    IF " + keyChanged(m.key()) + " THEN\n" + deleteOld.toString().indent(6) + "    END IF;\n" + writeSources(m, false)));
        statements.add(copyTrigger(m.schema(), m.into(), m.function(), "DELETE", owner, true, deleteOld.toString().indent(4)));
        return statements;
    }

    /**
     * New code's merged row written to the sources. On an INSERT the first table gets a plain
     * INSERT: a key it has already (old code's row the backfill has not reached, or one its
     * AUTO_INCREMENT handed out meanwhile) fails the statement instead of overwriting that row.
     */
    private String writeSources(MergeSync m, boolean insert) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < m.sources().size(); i++) {
            MergeSource source = m.sources().get(i);
            String table = qualify(m.schema(), source.table());
            List<String> columns = new ArrayList<>(m.key());
            columns.addAll(source.columns());
            String write = "INSERT INTO " + table + " (" + quoteAll(columns) + ") VALUES " + row("NEW", columns)
                    + (i == 0 && insert ? "" : onDuplicate(table, m.key(), source.columns()));
            if (i == 0 || source.columns().isEmpty()) {
                body.append("    ").append(write).append(";\n");
            } else {
                // a joined table gets a row when the merged row has a value for it; a row it has is
                // kept (with the columns the merge does not keep) even when those values become null
                body.append("    IF ").append(source.columns().stream().map(c -> "NEW." + quote(c) + " IS NOT NULL")
                                .collect(Collectors.joining(" OR "))).append(" OR EXISTS (SELECT 1 FROM ").append(table)
                        .append(" WHERE ").append(matches(m.key(), "NEW")).append(") THEN\n      ").append(write)
                        .append(";\n    END IF;\n");
            }
        }
        return body.toString();
    }
}
