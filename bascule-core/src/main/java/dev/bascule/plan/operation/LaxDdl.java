package dev.bascule.plan.operation;

import dev.bascule.step.Step;
import dev.bascule.dialect.Catalog;
import dev.bascule.dialect.Dialect;
import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * MariaDB checks every column's default again on each ALTER of a table. A table created under a
 * lax sql_mode may have a zero date for a default ({@code timestamp NULL DEFAULT '0000-00-00
 * 00:00:00'}), which Bascule's strict session mode (NO_ZERO_DATE, NO_ZERO_IN_DATE) refuses as an
 * {@code Invalid default value}: not even a nullable column could be added, where a plain ALTER
 * under the server's own mode works. The DDL on such a table (and on its shadow copy, which LIKE
 * gives the same defaults) runs without those two rules, for that statement alone ({@code SET
 * STATEMENT sql_mode = .. FOR}); everything else keeps the strict mode, and rows Bascule writes
 * are checked as strictly as ever. The mode keeps ANSI_QUOTES and NO_BACKSLASH_ESCAPES out, as
 * the session's does, so statements are lexed the same.
 */
final class LaxDdl {
    /** Bascule's session sql_mode without NO_ZERO_DATE and NO_ZERO_IN_DATE. */
    static final String MODE = "STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    /** A date or datetime literal with a zero year, month or day: {@code '0000-00-00 ..'}, {@code '2020-00-00'}. */
    private static final Pattern ZERO_DATE = Pattern.compile(
            "^'?(0000-\\d\\d-\\d\\d|\\d{4}-00-\\d\\d|\\d{4}-\\d\\d-00)([ T].*)?'?$");
    private static final Pattern DDL = Pattern.compile("^\\s*(ALTER|CREATE)\\s+TABLE\\s", Pattern.CASE_INSENSITIVE);
    private static final Pattern SET_STATEMENT = Pattern.compile("^\\s*SET\\s+STATEMENT\\s+(.*?)\\s+FOR\\s+((ALTER|CREATE)\\s+TABLE\\s.*)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern COMPOUND = Pattern.compile("^\\s*BEGIN\\s+NOT\\s+ATOMIC\\s", Pattern.CASE_INSENSITIVE);
    private static final Pattern HELD = Pattern.compile("^(/\\*[^\n]*\\*/\n)(.*)$", Pattern.DOTALL);
    /**
     * The copies of whole rows into a shadow table: its triggers (which keep the sql_mode they are
     * made under) and the backfill's INSERT .. SELECT carry the rows' zero dates over as they are.
     */
    private static final Pattern COPY_TRIGGER = Pattern.compile("^\\s*CREATE\\s+(OR\\s+REPLACE\\s+)?TRIGGER\\s+\\S+\\s+AFTER\\s",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COPY = Pattern.compile("^\\s*INSERT\\s+INTO\\s", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED = Pattern.compile("`((?:[^`]|``)+)`");
    /** A shadow table's copy that keeps a key of 0 ({@code NO_AUTO_VALUE_ON_ZERO} added to the session's mode). */
    private static final Pattern KEEP_ZERO = Pattern.compile(
            "^SET STATEMENT sql_mode = CONCAT\\(@@SESSION\\.sql_mode, ',NO_AUTO_VALUE_ON_ZERO'\\) FOR (.*)$", Pattern.DOTALL);

    private final Set<String> tables;

    private LaxDdl(Set<String> tables) {
        this.tables = tables;
    }

    /** The tables of {@code catalog} with a zero-date default, on MariaDB; none elsewhere. */
    static LaxDdl of(String dialect, Catalog catalog) {
        if (!dialect.equals("mariadb")) {
            return new LaxDdl(Set.of());
        }
        return new LaxDdl(catalog.tables().values().stream()
                .filter(t -> t.columns().stream().anyMatch(c -> c.defaultExpression() != null
                        && ZERO_DATE.matcher(c.defaultExpression().strip()).matches()))
                .map(Catalog.Table::name).collect(Collectors.toUnmodifiableSet()));
    }

    Plan apply(Plan plan) {
        if (tables.isEmpty()) {
            return plan;
        }
        return new Plan(plan.migration(), plan.schema(), plan.versionSchema(), plan.previousVersionSchema(),
                plan.start().stream().map(p -> new PlannedStep(p.stage(), step(p.action()), steps(p.undo()),
                        p.undoWhenUnfinished())).toList(),
                steps(plan.validations()), steps(plan.complete()), plan.droppedTables(), plan.notes(),
                plan.verifications(), plan.droppedColumns(), plan.droppedIndexes(), plan.retiredNames(),
                steps(plan.deprecatingComplete()), plan.contractMode());
    }

    private List<Step> steps(List<Step> steps) {
        return steps == null ? null : steps.stream().map(this::step).toList();
    }

    private Step step(Step step) {
        if (step instanceof Step.SqlStep s) {
            List<String> statements = s.statements().stream().map(this::statement).toList();
            // a statement made lax is read again, as plans always read it (SET STATEMENT .. FOR CREATE TABLE: unknown)
            return new Step.SqlStep(s.description(), s.table(), s.lock(), statements, s.skipIf(), s.transactional(),
                    s.concurrent(), statements.equals(s.statements()) ? s.effect() : null);
        }
        if (step instanceof Step.BackfillStep b) {
            return new Step.BackfillStep(b.description(), b.table(), b.lock(), b.schema(), b.key(), b.assignments(),
                    b.copies().stream().map(c -> {
                        Matcher zero = KEEP_ZERO.matcher(c.before());
                        String copy = zero.matches() ? zero.group(1) : c.before();
                        return COPY.matcher(copy).find() && touches(copy)
                                ? new Step.RangeStatement(zero.matches() ? laxKeepingZero(copy) : lax(copy), c.after()) : c;
                    }).toList());
        }
        if (step instanceof Step.IndexBuildStep ib) {
            return new Step.IndexBuildStep(ib.description(), ib.table(), ib.lock(), ib.schema(), ib.index(),
                    statement(ib.create()), statement(ib.create()).equals(ib.create()) ? ib.effect() : null);
        }
        return step;
    }

    String statement(String sql) {
        Matcher held = HELD.matcher(sql);
        if (held.matches()) {
            // several statements written as one, each on a line after a marker comment (the
            // dialect's view held through a change): each gets the mode on its own
            return held.group(1) + java.util.Arrays.stream(held.group(2).split(";\n", -1)).map(this::statement)
                    .collect(Collectors.joining(";\n"));
        }
        Matcher zero = KEEP_ZERO.matcher(sql);
        if (zero.matches()) {
            String rest = zero.group(1);
            return COPY_TRIGGER.matcher(rest).find() && touches(rest) ? laxKeepingZero(rest) : sql;
        }
        Matcher set = SET_STATEMENT.matcher(sql);
        if (set.matches()) {
            return touches(set.group(2)) ? "SET STATEMENT sql_mode = '" + MODE + "', " + set.group(1) + " FOR " + set.group(2) : sql;
        }
        if (COMPOUND.matcher(sql).find() && touches(sql)) {
            // an ALTER made inside a compound statement (EXECUTE IMMEDIATE of a literal): the
            // literal's own ALTER gets the mode, its quotes doubled
            return sql.replace("'ALTER TABLE ", "'SET STATEMENT sql_mode = ''" + MODE + "'' FOR ALTER TABLE ");
        }
        return (DDL.matcher(sql).find() || COPY_TRIGGER.matcher(sql).find()) && touches(sql) ? lax(sql) : sql;
    }

    private static String laxKeepingZero(String sql) {
        return "SET STATEMENT sql_mode = '" + MODE + ",NO_AUTO_VALUE_ON_ZERO' FOR " + sql;
    }

    private static String lax(String sql) {
        return "SET STATEMENT sql_mode = '" + MODE + "' FOR " + sql;
    }

    /** Whether the statement's first quoted names (up to the table's) name a lax table or its shadow copies. */
    private boolean touches(String sql) {
        Matcher m = QUOTED.matcher(sql);
        while (m.find()) {
            String name = m.group(1).replace("``", "`").replaceFirst("^_bascule_(new|old)_", "");
            if (tables.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
