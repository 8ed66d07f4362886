package dev.bascule.backfill;

import dev.bascule.dialect.CopySql;
import dev.bascule.dialect.Dialect;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The statements of a backfill batch, with the key range as parameters: what workers run and plan shows. */
public final class BatchStatements {
    private BatchStatements() {}

    /**
     * The statements of one batch: the UPDATE of the new columns, then each copy, all over the
     * key range {@code (after, bound]} given as parameters (after only with {@code lowerBound}).
     */
    public static List<String> of(Dialect dialect, Step.BackfillStep step, boolean lowerBound) {
        List<String> statements = new ArrayList<>();
        if (!step.assignments().isEmpty()) {
            String set = step.assignments().stream()
                    .map(a -> dialect.quote(a.column()) + " = (" + dialect.copy().preparedText(a.expression()) + ")").collect(Collectors.joining(", "));
            statements.add("UPDATE " + dialect.qualify(step.schema(), step.table()) + " SET " + set + " WHERE "
                    + range(dialect, step, lowerBound));
        }
        java.util.function.Predicate<Step.RangeStatement> replaced = dialect.copy().lockingBound(step)
                .map(CopySql.LockingBound::replaces).orElse(copy -> false);
        step.copies().stream().filter(replaced.negate())
                .forEach(copy -> statements.add(copy.before() + range(dialect, step, lowerBound) + copy.after()));
        return statements;
    }

    /**
     * The read of a batch's upper key where it also locks the batch's rows (MariaDB's and MySQL's
     * shadow-table copy), in place of the copy statement it replaces; empty where the bound read
     * takes no lock.
     */
    public static java.util.Optional<String> lockingBoundRead(Dialect dialect, Step.BackfillStep step, boolean lowerBound) {
        return dialect.copy().lockingBound(step).map(l -> l.sql().apply(range(dialect, step, lowerBound)));
    }

    static String keyList(Dialect dialect, Step.BackfillStep step) {
        return step.key().stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
    }

    static String range(Dialect dialect, Step.BackfillStep step, boolean lowerBound) {
        String keys = keyList(dialect, step);
        String params = step.key().stream().map(k -> dialect.copy().keyParameter(k.type())).collect(Collectors.joining(", "));
        return (lowerBound ? "(" + keys + ") > (" + params + ") AND " : "") + "(" + keys + ") <= (" + params + ")";
    }
}
