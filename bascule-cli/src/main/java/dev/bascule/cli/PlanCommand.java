package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.backfill.BackfillEngine;
import dev.bascule.dialect.CatalogReader.TableEstimate;
import dev.bascule.lint.Finding;
import dev.bascule.lint.Linter;
import dev.bascule.sql.SqlSyntax;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.plan.TableEffects;
import dev.bascule.plan.TableEffects.TableRef;
import dev.bascule.api.Migration;
import dev.bascule.api.PlanView;
import dev.bascule.Lint;
import dev.bascule.api.LintFinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        PlanView plan = bascule.plan(migration);
        // the sql operations, which Bascule runs as written, in the SQL of the database the URL names
        // for the server's PostgreSQL version (plan has its database at hand)
        String url = cli.resolve().url();
        List<LintFinding> findings = Lint.run(LintCommand.serverVersion(cli, url)).file(cli.path(file),
                Lint.dialectOfJdbcUrl(url).orElse(null), cli.inputLimits());
        if (json) {
            Map<String, Object> out = toJson(plan);
            out.put("lint", LintCommand.toJson(findings));
            io().out(Formats.json(out));
        } else {
            io().out(text(plan, migration) + (findings.isEmpty() ? "" : "\n\nlint of the sql operations:\n"
                    + LintCommand.text(findings)));
        }
        return 0;
    }

    /** A table as plan names it: without the plan's schema when it is in it. */
    private static String name(PlanView plan, PlanView.Table table) {
        return table.schema().equals(plan.schema()) ? table.name() : table.schema() + "." + table.name();
    }

    /** {@code users ~100 000 rows, 12 MB}, or what is known of it. */
    private static String size(PlanView plan, PlanView.Table table) {
        if (!table.exists()) {
            return name(plan, table) + " not in the database yet";
        }
        return name(plan, table) + " " + (table.estimatedRows() == null ? "rows unknown (never analyzed)"
                : rows(table.estimatedRows())) + ", " + bytes(table.bytes());
    }

    static String text(PlanView plan, Migration migration) {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan of ").append(plan.migration()).append(" (").append(migration.source().file()).append(")\n");
        sb.append("  schema:          ").append(plan.schema()).append('\n');
        sb.append("  version schema:  ").append(plan.versionSchema()).append(" (new code, after start)\n");
        sb.append("  old code uses:   ").append(plan.previousVersionSchema()).append('\n');
        if (!plan.tables().isEmpty()) {
            sb.append("  tables (estimated from the statistics, not counted):\n");
            plan.tables().forEach(t -> sb.append("    ").append(size(plan, t)).append('\n'));
        }
        sb.append("\nstart (expand + backfill): ").append(count(plan.start().size())).append('\n');
        steps(sb, plan, plan.start(), null);
        sb.append("\ncomplete, first (nothing changed if a constraint fails): ").append(count(plan.validations().size())).append('\n');
        steps(sb, plan, plan.validations(), "validate");
        sb.append("\ncomplete (contract, not reversible): ").append(count(plan.complete().size())).append('\n');
        steps(sb, plan, plan.complete(), null);
        sb.append("\nrollback (instead of complete): ").append(count(plan.rollback().size())).append('\n');
        steps(sb, plan, plan.rollback(), null);
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

    /** @param label shown before each step instead of its stage (null: the stage, if any) */
    private static void steps(StringBuilder sb, PlanView plan, List<PlanView.Step> steps, String label) {
        for (int i = 0; i < steps.size(); i++) {
            PlanView.Step step = steps.get(i);
            sb.append(String.format(Locale.ROOT, "  %2d. ", i + 1));
            String stage = label != null ? label : step.stage();
            if (stage != null) {
                sb.append('[').append(stage).append("] ");
            }
            sb.append(step.description()).append('\n');
            sb.append("      lock: ").append(lock(step)).append('\n');
            sb.append("      effect: ").append(step.effect()).append(" (").append(step.effectReason()).append(')');
            if (step.effectTable() != null) {
                sb.append(" on ").append(size(plan, step.effectTable()));
            }
            sb.append('\n');
            for (String statement : step.statements()) {
                sb.append("      ").append(statement.strip().replace("\n", "\n      ")).append('\n');
            }
        }
    }

    static String lock(PlanView.Step step) {
        String lock = step.lock() == null || step.lock().isBlank() ? "none" : step.lock();
        return step.table() == null ? lock : lock + " on " + step.table();
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

    static Map<String, Object> toJson(PlanView plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("migration", plan.migration());
        m.put("schema", plan.schema());
        m.put("version_schema", plan.versionSchema());
        m.put("previous_version_schema", plan.previousVersionSchema());
        Map<String, Object> tables = new LinkedHashMap<>();
        plan.tables().forEach(t -> tables.put(name(plan, t), estimate(t)));
        m.put("tables", tables);
        List<Object> start = new ArrayList<>();
        for (int i = 0; i < plan.start().size(); i++) {
            Map<String, Object> s = step(i + 1, plan, plan.start().get(i));
            s.put("stage", plan.start().get(i).stage());
            start.add(s);
        }
        m.put("start", start);
        m.put("complete", steps(plan, plan.complete()));
        m.put("validate", steps(plan, plan.validations()));
        m.put("rollback", steps(plan, plan.rollback()));
        m.put("dropped_tables", plan.droppedTables());
        m.put("notes", plan.notes());
        return m;
    }

    private static List<Object> steps(PlanView plan, List<PlanView.Step> steps) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            out.add(step(i + 1, plan, steps.get(i)));
        }
        return out;
    }

    /** {@code {"estimated_rows": 100000, "size_bytes": 12582912}}, or null for a table not in the database. */
    private static Map<String, Object> estimate(PlanView.Table table) {
        if (!table.exists()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimated_rows", table.estimatedRows());
        m.put("size_bytes", table.bytes());
        return m;
    }

    private static Map<String, Object> step(int n, PlanView plan, PlanView.Step step) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("index", n);
        s.put("type", step.type());
        s.put("description", step.description());
        s.put("table", step.table());
        s.put("lock", step.lock());
        s.put("table_effect", step.effect());
        s.put("table_effect_reason", step.effectReason());
        s.put("effect_table", step.effectTable() == null ? null : name(plan, step.effectTable()));
        s.put("table_estimate", step.effectTable() == null ? null : estimate(step.effectTable()));
        s.put("statements", step.statements());
        return s;
    }
}
