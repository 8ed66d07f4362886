package dev.bascule.backfill;

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
        step.copies().forEach(copy -> statements.add(copy.before() + range(dialect, step, lowerBound) + copy.after()));
        return statements;
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
