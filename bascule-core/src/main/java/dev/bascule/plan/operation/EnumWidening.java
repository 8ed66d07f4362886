package dev.bascule.plan.operation;

import dev.bascule.api.Identifiers;
import dev.bascule.api.Operation;
import dev.bascule.dialect.Catalog;
import dev.bascule.plan.PlannedStep;
import dev.bascule.plan.Stage;
import dev.bascule.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * alter_column that only appends values to an {@code enum} or {@code set} (MySQL family): done in
 * place at start, ALGORITHM=INSTANT. A shadow column cannot carry it: new code's new values would
 * be written back to the old column through the sync trigger, which cannot hold them. Old code
 * loses nothing (every value it knows keeps its number), so the column is widened for both
 * versions at once; rollback leaves the values appended, as taking them away again would copy the
 * table under a lock (and fail on any row new code gave a new value).
 */
final class EnumWidening {
    private static final Pattern VALUE = Pattern.compile("'((?:[^']|'')*)'");

    private EnumWidening() {}

    /** Plans {@code ac} so and returns true when it only appends values to {@code old}; else false, planning nothing. */
    static boolean plan(PlanContext ctx, int i, Operation.AlterColumn ac, TableShape t, String p, Catalog.Column old) {
        if (ac.type().isEmpty() || ac.nullable().isPresent() || ac.defaultChanges() || ac.check().isPresent()
                || ac.unique().isPresent() || ac.references().isPresent() || ac.up().isPresent() || ac.down().isPresent()
                || ac.comment().isPresent() || old.generated()) {
            return false;
        }
        String type = ac.type().get().strip();
        if (!Identifiers.isEnumOrSet(type) || !Identifiers.isEnumOrSet(old.type()) || !kind(type).equals(kind(old.type()))) {
            return false;
        }
        List<String> before = values(old.type());
        List<String> after = values(type);
        String words = type.substring(type.lastIndexOf(')') + 1).strip().toLowerCase(Locale.ROOT);
        boolean sameCollation = words.isEmpty() || old.collation() != null && words.contains(old.collation().toLowerCase(Locale.ROOT));
        if (after.size() <= before.size() || !after.subList(0, before.size()).equals(before) || !sameCollation
                || bytes(kind(type), before.size()) != bytes(kind(type), after.size())
                || t.info.checks().stream().anyMatch(c -> c.columns().contains(p))) {
            return false;
        }
        Optional<String> statement = ctx.dialect.tables().appendValues(ctx.schema, t.physical, old, type);
        if (statement.isEmpty()) {
            return false;
        }
        ctx.start.add(new PlannedStep(Stage.SCHEMA, new Step.SqlStep("append " + (after.size() - before.size()) + " value(s) to "
                + t.physical + "." + p + " (" + kind(type) + ", in place)", t.physical, ctx.lockBrief, List.of(statement.get()),
                null, true), List.of()));
        t.altered.add(p);
        return true;
    }

    private static String kind(String type) {
        return type.strip().substring(0, type.strip().indexOf('(')).strip().toLowerCase(Locale.ROOT);
    }

    /** The values of an enum or set type, as written between its quotes. */
    static List<String> values(String type) {
        String list = type.substring(type.indexOf('(') + 1, type.lastIndexOf(')'));
        List<String> values = new ArrayList<>();
        Matcher m = VALUE.matcher(list);
        while (m.find()) {
            values.add(m.group(1).replace("''", "'"));
        }
        return values;
    }

    /** The bytes a value takes: a change of size rebuilds the table, which INSTANT would refuse at start. */
    private static int bytes(String kind, int members) {
        if (kind.equals("enum")) {
            return members <= 255 ? 1 : 2;
        }
        int b = (members + 7) / 8;
        return b > 4 ? 8 : b;
    }
}
