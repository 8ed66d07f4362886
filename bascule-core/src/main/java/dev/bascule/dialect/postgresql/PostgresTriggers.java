package dev.bascule.dialect.postgresql;

import dev.bascule.dialect.OwnerMarker;
import dev.bascule.dialect.SyncTriggers;
import dev.bascule.dialect.VersionViews.ColumnMapping;
import dev.bascule.step.Step.Assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL's sync triggers: PL/pgSQL functions that keep both versions' columns and tables in step. */
final class PostgresTriggers extends PostgresRole implements SyncTriggers {

    /** The writing session's version, as the sync triggers decide it. */
    private static final String WRITER = "coalesce(nullif(current_setting('bascule.version', true), ''), (current_schemas(false))[1])";

    PostgresTriggers(PostgresDialect dialect) {
        super(dialect);
    }

    @Override
    public List<String> createSyncTrigger(SyncTrigger t) {
        StringBuilder body = new StringBuilder();
        body.append("CREATE OR REPLACE FUNCTION ").append(qualify(t.functionSchema(), t.functionName()))
                .append("() RETURNS trigger LANGUAGE plpgsql AS ").append(BODY_TAG).append('\n')
                .append("-- ").append(new OwnerMarker(t.newVersionSchema(), t.functionSchema()).text()).append('\n')
                // expressions name columns; a variable of the same name must win over a column of a subquery
                .append("#variable_conflict use_variable\n")
                .append("DECLARE\n");
        // The writer's version: an explicit bascule.version setting, else the first schema of its search_path.
        body.append("  bascule_writer text := coalesce(nullif(current_setting('bascule.version', true), ''),"
                + " (current_schemas(false))[1]);\n");
        body.append("BEGIN\n  IF bascule_writer = ").append(literal(t.newVersionSchema())).append(" THEN\n");
        appendBlock(body, t, t.newVariables(), t.downAssign());
        body.append("  ELSE\n");
        appendBlock(body, t, t.oldVariables(), t.upAssign());
        body.append("  END IF;\n  RETURN NEW;\nEND\n").append(BODY_TAG);
        String trigger = "CREATE OR REPLACE TRIGGER " + quote(t.triggerName()) + " BEFORE INSERT OR UPDATE ON "
                + qualify(t.schema(), t.table()) + " FOR EACH ROW"
                // the backfill assigns the new values itself; skipping the function keeps it fast
                + " WHEN (current_setting('bascule.backfill', true) IS DISTINCT FROM 'on')"
                + " EXECUTE FUNCTION " + qualify(t.functionSchema(), t.functionName()) + "()";
        return List.of(retagged(body.toString()), trigger);
    }

    /**
     * One direction's assignments in a block of its own: its expressions see the row under the
     * names of the version that wrote it, read before any assignment of the block.
     */
    private void appendBlock(StringBuilder body, SyncTrigger t, List<ColumnMapping> variables, List<Assignment> assignments) {
        if (assignments.isEmpty()) {
            body.append("    NULL;\n");
            return;
        }
        body.append("    DECLARE\n");
        for (ColumnMapping v : variables) {
            body.append("      ").append(quote(v.logical())).append(' ').append(qualify(t.schema(), t.table())).append('.')
                    .append(quote(v.physical())).append("%TYPE := NEW.").append(quote(v.physical())).append(";\n");
        }
        body.append("    BEGIN\n");
        for (Assignment a : assignments) {
            body.append("      ");
            if (a.reads() != null) {
                // an unfilled row (the backfill has not reached it) is filled by any write
                body.append("IF TG_OP = 'INSERT' OR NEW.").append(quote(a.column())).append(" IS NULL")
                        .append(a.reads().isEmpty() ? "" : " OR " + row("NEW", a.reads()) + " IS DISTINCT FROM " + row("OLD", a.reads()))
                        .append(" THEN ");
            }
            if (a.onlyIfNull()) {
                body.append("IF NEW.").append(quote(a.column())).append(" IS NULL THEN ");
            }
            body.append("NEW.").append(quote(a.column())).append(" := (").append(a.expression()).append(");");
            if (a.onlyIfNull()) {
                body.append(" END IF;");
            }
            if (a.reads() != null) {
                body.append(" END IF;");
            }
            body.append('\n');
        }
        body.append("    END;\n");
    }

    @Override
    public List<String> dropSyncTrigger(String schema, String table, String triggerName, String functionSchema,
                                        String functionName) {
        return List.of("DROP TRIGGER IF EXISTS " + quote(triggerName) + " ON " + qualify(schema, table),
                "DROP FUNCTION IF EXISTS " + qualify(functionSchema, functionName) + "()");
    }

    private String copyTrigger(String schema, String table, String trigger, String functionSchema, String function) {
        // the backfill copies rows itself, and must not have its copies copied back
        return "CREATE OR REPLACE TRIGGER " + quote(trigger) + " AFTER INSERT OR UPDATE OR DELETE ON " + qualify(schema, table)
                + " FOR EACH ROW WHEN (current_setting('bascule.backfill', true) IS DISTINCT FROM 'on')"
                + " EXECUTE FUNCTION " + qualify(functionSchema, function) + "()";
    }

    private String function(String functionSchema, String function, String newVersionSchema, String body) {
        return retagged("CREATE OR REPLACE FUNCTION " + qualify(functionSchema, function) + "() RETURNS trigger LANGUAGE plpgsql AS "
                + BODY_TAG + "\n-- " + new OwnerMarker(newVersionSchema, functionSchema).text() + "\nBEGIN\n" + body
                + "  RETURN NULL;\nEND\n" + BODY_TAG);
    }

    @Override
    public List<String> createSplitSync(SplitSync s) {
        List<String> statements = new ArrayList<>();
        StringBuilder body = new StringBuilder("  IF ").append(WRITER).append(" = ").append(literal(s.newVersionSchema()))
                .append(" THEN\n    RETURN NULL; -- new code writes the parts itself\n  END IF;\n");
        for (SplitPart p : s.parts()) {
            String part = qualify(s.schema(), p.table());
            if (p.oneToOne()) {
                body.append("  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND ").append(row("OLD", p.key()))
                        .append(" IS DISTINCT FROM ").append(row("NEW", p.key())).append(") THEN\n    DELETE FROM ").append(part)
                        .append(" WHERE (").append(quoteAll(p.key())).append(") = ").append(row("OLD", p.key())).append(";\n  END IF;\n");
            }
            List<String> nonKey = p.columns().stream().filter(c -> !p.key().contains(c)).toList();
            body.append("  IF TG_OP <> 'DELETE' AND ").append(p.key().stream().map(k -> "NEW." + quote(k) + " IS NOT NULL")
                            .collect(Collectors.joining(" AND "))).append(" THEN\n    INSERT INTO ").append(part).append(" (")
                    .append(quoteAll(p.columns())).append(") VALUES ").append(row("NEW", p.columns()))
                    .append(onConflict(p.key(), nonKey)).append(";\n  END IF;\n");
        }
        statements.add(function(s.functionSchema(), s.function(), s.newVersionSchema(), body.toString()));
        statements.add(copyTrigger(s.schema(), s.from(), s.trigger(), s.functionSchema(), s.function()));
        for (SplitPart p : s.parts()) {
            StringBuilder pb = new StringBuilder("  IF ").append(WRITER).append(" IS DISTINCT FROM ").append(literal(s.newVersionSchema()))
                    .append(" THEN\n    RETURN NULL; -- old code writes the split table, whose trigger fills this one\n  END IF;\n");
            if (!p.moved().isEmpty()) {
                String from = qualify(s.schema(), s.from());
                pb.append("  IF TG_OP = 'DELETE' THEN\n    UPDATE ").append(from).append(" SET ")
                        .append(p.moved().stream().map(c -> quote(c) + " = NULL").collect(Collectors.joining(", ")))
                        .append(" WHERE (").append(quoteAll(p.key())).append(") = ").append(row("OLD", p.key())).append(";\n  ELSE\n")
                        .append("    UPDATE ").append(from).append(" SET ")
                        .append(p.moved().stream().map(c -> quote(c) + " = NEW." + quote(c)).collect(Collectors.joining(", ")))
                        .append(" WHERE (").append(quoteAll(p.key())).append(") = ").append(row("NEW", p.key())).append(";\n  END IF;\n");
            }
            statements.add(function(s.functionSchema(), p.function(), s.newVersionSchema(), pb.toString()));
            statements.add(copyTrigger(s.schema(), p.table(), s.trigger(), s.functionSchema(), p.function()));
        }
        return statements;
    }

    /** The merged row for the key {@code keyRecord}, with {@code writer}'s columns from {@code values} (NEW, OLD or null). */
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
        if (writer == 0) {
            from.append("(SELECT 1) AS bascule_one");
        } else {
            from.append(qualify(m.schema(), m.sources().get(0).table())).append(" AS bascule_s0");
        }
        for (int i = 1; i < m.sources().size(); i++) {
            if (i == writer) continue;
            from.append(" LEFT JOIN ").append(qualify(m.schema(), m.sources().get(i).table())).append(" AS bascule_s").append(i)
                    .append(" ON ").append(row("bascule_s" + i, m.key())).append(" = ").append(row(keyOf0, m.key()));
        }
        String where = writer == 0 ? "" : " WHERE " + row("bascule_s0", m.key()) + " = " + row(keyRecord, m.key());
        return "INSERT INTO " + qualify(m.schema(), m.into()) + " (" + quoteAll(columns) + ") SELECT " + String.join(", ", select)
                + " FROM " + from + where + onConflict(m.key(), m.sources().get(writer).columns());
    }

    @Override
    public List<String> createMergeSync(MergeSync m) {
        List<String> statements = new ArrayList<>();
        String into = qualify(m.schema(), m.into());
        String keyChanged = "TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND " + row("OLD", m.key()) + " IS DISTINCT FROM " + row("NEW", m.key()) + ")";
        for (int i = 0; i < m.sources().size(); i++) {
            MergeSource source = m.sources().get(i);
            StringBuilder body = new StringBuilder("  IF ").append(WRITER).append(" = ").append(literal(m.newVersionSchema()))
                    .append(" THEN\n    RETURN NULL; -- new code writes the merged table, whose trigger fills this one\n  END IF;\n");
            body.append("  IF ").append(keyChanged).append(" THEN\n");
            if (i == 0) {
                body.append("    DELETE FROM ").append(into).append(" WHERE (").append(quoteAll(m.key())).append(") = ")
                        .append(row("OLD", m.key())).append(";\n");
            } else if (!source.columns().isEmpty()) {
                // an upsert, not an UPDATE: it waits for a merged row the backfill has inserted but not committed
                body.append("    ").append(mergedRow(m, i, null, "OLD")).append(";\n");
            }
            body.append("  END IF;\n  IF TG_OP <> 'DELETE' THEN\n    ").append(mergedRow(m, i, "NEW", "NEW")).append(";\n  END IF;\n");
            statements.add(function(m.functionSchema(), source.function(), m.newVersionSchema(), body.toString()));
            statements.add(copyTrigger(m.schema(), source.table(), m.trigger(), m.functionSchema(), source.function()));
        }
        StringBuilder body = new StringBuilder("  IF ").append(WRITER).append(" IS DISTINCT FROM ").append(literal(m.newVersionSchema()))
                .append(" THEN\n    RETURN NULL;\n  END IF;\n  IF ").append(keyChanged).append(" THEN\n");
        for (int i = m.sources().size() - 1; i >= 0; i--) {
            body.append("    DELETE FROM ").append(qualify(m.schema(), m.sources().get(i).table())).append(" WHERE (")
                    .append(quoteAll(m.key())).append(") = ").append(row("OLD", m.key())).append(";\n");
        }
        body.append("  END IF;\n  IF TG_OP <> 'DELETE' THEN\n");
        for (int i = 0; i < m.sources().size(); i++) {
            MergeSource source = m.sources().get(i);
            List<String> columns = new ArrayList<>(m.key());
            columns.addAll(source.columns());
            String upsert = "INSERT INTO " + qualify(m.schema(), source.table()) + " (" + quoteAll(columns) + ") VALUES "
                    + row("NEW", columns) + onConflict(m.key(), source.columns());
            if (i == 0 || source.columns().isEmpty()) {
                body.append("    ").append(upsert).append(";\n");
            } else {
                // a joined table gets a row when the merged row has a value for it; a row it has is
                // kept (with the columns the merge does not keep) even when those values become null
                body.append("    IF ").append(source.columns().stream().map(c -> "NEW." + quote(c) + " IS NOT NULL")
                                .collect(Collectors.joining(" OR "))).append(" OR EXISTS (SELECT 1 FROM ")
                        .append(qualify(m.schema(), source.table())).append(" WHERE (").append(quoteAll(m.key())).append(") = ")
                        .append(row("NEW", m.key())).append(") THEN\n      ").append(upsert).append(";\n    END IF;\n");
            }
        }
        body.append("  END IF;\n");
        statements.add(function(m.functionSchema(), m.function(), m.newVersionSchema(), body.toString()));
        statements.add(copyTrigger(m.schema(), m.into(), m.trigger(), m.functionSchema(), m.function()));
        return statements;
    }
}
