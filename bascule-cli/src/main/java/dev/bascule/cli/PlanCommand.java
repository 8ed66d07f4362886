package dev.bascule.cli;

import dev.bascule.api.Migration;
import dev.bascule.Bascule;
import dev.bascule.backfill.BackfillEngine;
import dev.bascule.dialect.CatalogReader.TableEstimate;
import dev.bascule.lint.Finding;
import dev.bascule.lint.Linter;
import dev.bascule.lint.SqlDialect;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.plan.TableEffects;
import dev.bascule.plan.TableEffects.TableRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Check a migration file and print what each phase would run. Changes nothing.",
                "Checks the file against the live database, then prints every start step with its",
                "stage, the lock it takes and what it does to its table's rows (catalog only, scan,",
                "batched writes, rewrite), every complete step, the rollback steps and the notes, with",
                "the estimated rows and size of each table."})
final class PlanCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "migration file (.yaml, .yml or .json)")
    Path file;

    @Option(names = "--json", description = "print the plan as JSON")
    boolean json;

    @Override
    public Integer call() {
        Migration migration = read(file);
        Bascule bascule = bascule();
        Plan plan = bascule.plan(migration);
        TableEffects effects = bascule.tableEffects(plan);
        Facts facts = new Facts(plan.schema(), effects, bascule.tableEstimates(effects.tables()), bascule.dialect());
        // the sql operations, which Bascule runs as written, in the SQL of the database the URL names
        List<Finding> findings = Linter.lint(cli.path(file), SqlDialect.ofJdbcUrl(cli.resolve().url()).orElse(null),
                cli.inputLimits());
        if (json) {
            Map<String, Object> out = toJson(plan, facts);
            out.put("lint", LintCommand.toJson(findings));
            io().out(Formats.json(out));
        } else {
            io().out(text(plan, migration, facts) + (findings.isEmpty() ? "" : "\n\nlint of the sql operations:\n"
                    + LintCommand.text(findings)));
        }
        return 0;
    }

    /**
     * What plan shows beside the statements.
     *
     * @param schema    the plan's schema: tables in it are named without it
     * @param estimates the tables that exist, by the name the steps use
     */
    record Facts(String schema, TableEffects effects, Map<TableRef, TableEstimate> estimates, Dialect dialect) {
        String name(TableRef table) {
            return table.schema().equals(schema) ? table.name() : table.schema() + "." + table.name();
        }

        /** {@code users ~100 000 rows, 12 MB}, or what is known of it. */
        String size(TableRef table) {
            TableEstimate e = estimates.get(table);
            if (e == null) {
                return name(table) + " not in the database yet";
            }
            return name(table) + " " + (e.rows() == null ? "rows unknown (never analyzed)" : rows(e.rows())) + ", " + bytes(e.bytes());
        }
    }

    static String text(Plan plan, Migration migration, Facts facts) {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan of ").append(plan.migration()).append(" (").append(migration.source().file()).append(")\n");
        sb.append("  schema:          ").append(plan.schema()).append('\n');
        sb.append("  version schema:  ").append(plan.versionSchema()).append(" (new code, after start)\n");
        sb.append("  old code uses:   ").append(plan.previousVersionSchema()).append('\n');
        if (!facts.effects().tables().isEmpty()) {
            sb.append("  tables (estimated from the statistics, not counted):\n");
            facts.effects().tables().forEach(t -> sb.append("    ").append(facts.size(t)).append('\n'));
        }
        sb.append("\nstart (expand + backfill): ").append(count(plan.start().size())).append('\n');
        for (int i = 0; i < plan.start().size(); i++) {
            PlannedStep p = plan.start().get(i);
            step(sb, i + 1, p.stage().name().toLowerCase(Locale.ROOT), p.action(), facts);
        }
        sb.append("\ncomplete, first (nothing changed if a constraint fails): ").append(count(plan.validations().size())).append('\n');
        for (int i = 0; i < plan.validations().size(); i++) {
            step(sb, i + 1, "validate", plan.validations().get(i), facts);
        }
        sb.append("\ncomplete (contract, not reversible): ").append(count(plan.complete().size())).append('\n');
        for (int i = 0; i < plan.complete().size(); i++) {
            step(sb, i + 1, null, plan.complete().get(i), facts);
        }
        List<Step> rollback = plan.rollback();
        sb.append("\nrollback (instead of complete): ").append(count(rollback.size())).append('\n');
        for (int i = 0; i < rollback.size(); i++) {
            step(sb, i + 1, null, rollback.get(i), facts);
        }
        if (!plan.droppedTables().isEmpty()) {
            sb.append("\ntables complete drops: ").append(String.join(", ", plan.droppedTables())).append('\n');
        }
        if (!plan.notes().isEmpty()) {
            sb.append("\nnotes:\n");
            plan.notes().forEach(n -> sb.append("  - ").append(n).append('\n'));
        }
        sb.append("\nNothing was changed. Run 'bascule start ").append(migration.source().file()).append("' to apply it.");
        return sb.toString();
    }

    private static String count(int n) {
        return n == 1 ? "1 step" : n + " steps";
    }

    private static void step(StringBuilder sb, int n, String stage, Step step, Facts facts) {
        sb.append(String.format(Locale.ROOT, "  %2d. ", n));
        if (stage != null) {
            sb.append('[').append(stage).append("] ");
        }
        sb.append(step.description()).append('\n');
        sb.append("      lock: ").append(lock(step)).append('\n');
        TableEffects.Effect effect = facts.effects().of(step);
        sb.append("      effect: ").append(effect.kind().label()).append(" (").append(effect.reason()).append(')');
        if (effect.table() != null) {
            sb.append(" on ").append(facts.size(effect.table()));
        }
        sb.append('\n');
        for (String statement : statements(facts.dialect(), step)) {
            sb.append("      ").append(statement.strip().replace("\n", "\n      ")).append('\n');
        }
    }

    static String lock(Step step) {
        String lock = step.lock() == null || step.lock().isBlank() ? "none" : step.lock();
        return step.table() == null ? lock : lock + " on " + step.table();
    }

    /** The SQL a step runs, as the user should read it; a backfill is shown as its per-batch UPDATE. */
    static List<String> statements(Dialect dialect, Step step) {
        if (step instanceof Step.SqlStep s) {
            return s.statements().stream().map(st -> st.endsWith(";") ? st : st + ";").toList();
        }
        if (step instanceof Step.IndexBuildStep i) {
            return List.of(i.create().endsWith(";") ? i.create() : i.create() + ";");
        }
        Step.BackfillStep b = (Step.BackfillStep) step;
        String key = b.key().stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
        List<String> statements = new ArrayList<>(BackfillEngine.batchStatements(dialect, b, true));
        statements.set(statements.size() - 1, statements.get(statements.size() - 1)
                + "  -- in batches by (" + key + "), one short transaction each");
        return statements;
    }

    /** {@code ~100 000 rows}: an estimate, so no more precision than it has. */
    static String rows(long rows) {
        return "~" + String.format(Locale.ROOT, "%,d", rows).replace(',', ' ') + (rows == 1 ? " row" : " rows");
    }

    /** As PostgreSQL's pg_size_pretty prints it: {@code 8192 bytes}, {@code 448 kB}, {@code 12 MB}. */
    static String bytes(long bytes) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB"};
        long size = bytes;
        int unit = 0;
        while (size >= 10 * 1024 && unit < units.length - 1) {
            size = (size + 512) / 1024;
            unit++;
        }
        return size + " " + units[unit];
    }

    static Map<String, Object> toJson(Plan plan, Facts facts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("migration", plan.migration());
        m.put("schema", plan.schema());
        m.put("version_schema", plan.versionSchema());
        m.put("previous_version_schema", plan.previousVersionSchema());
        Map<String, Object> tables = new LinkedHashMap<>();
        facts.effects().tables().forEach(t -> tables.put(facts.name(t), estimate(facts, t)));
        m.put("tables", tables);
        List<Object> start = new ArrayList<>();
        for (int i = 0; i < plan.start().size(); i++) {
            PlannedStep p = plan.start().get(i);
            Map<String, Object> s = step(i + 1, p.action(), facts);
            s.put("stage", p.stage().name().toLowerCase(Locale.ROOT));
            start.add(s);
        }
        m.put("start", start);
        List<Object> complete = new ArrayList<>();
        for (int i = 0; i < plan.complete().size(); i++) {
            complete.add(step(i + 1, plan.complete().get(i), facts));
        }
        m.put("complete", complete);
        List<Object> validate = new ArrayList<>();
        for (int i = 0; i < plan.validations().size(); i++) {
            validate.add(step(i + 1, plan.validations().get(i), facts));
        }
        m.put("validate", validate);
        List<Object> rollback = new ArrayList<>();
        List<Step> undo = plan.rollback();
        for (int i = 0; i < undo.size(); i++) {
            rollback.add(step(i + 1, undo.get(i), facts));
        }
        m.put("rollback", rollback);
        m.put("dropped_tables", plan.droppedTables());
        m.put("notes", plan.notes());
        return m;
    }

    /** {@code {"estimated_rows": 100000, "size_bytes": 12582912}}, or null for a table not in the database. */
    private static Map<String, Object> estimate(Facts facts, TableRef table) {
        TableEstimate e = facts.estimates().get(table);
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimated_rows", e.rows());
        m.put("size_bytes", e.bytes());
        return m;
    }

    private static Map<String, Object> step(int n, Step step, Facts facts) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("index", n);
        s.put("type", step instanceof Step.SqlStep ? "sql" : step instanceof Step.IndexBuildStep ? "index" : "backfill");
        s.put("description", step.description());
        s.put("table", step.table());
        s.put("lock", step.lock());
        TableEffects.Effect effect = facts.effects().of(step);
        s.put("table_effect", effect.kind().label());
        s.put("table_effect_reason", effect.reason());
        s.put("effect_table", effect.table() == null ? null : facts.name(effect.table()));
        s.put("table_estimate", effect.table() == null ? null : estimate(facts, effect.table()));
        s.put("statements", statements(facts.dialect(), step));
        return s;
    }
}
