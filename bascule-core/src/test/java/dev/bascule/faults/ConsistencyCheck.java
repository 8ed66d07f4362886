package dev.bascule.faults;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a faulted then rerun command must leave as a fault-free run would: the migration's
 * phase, its steps all recorded done, backfills finished, no invalid index, the catalog (columns,
 * constraints, indexes, triggers, views, functions) equal to the reference run's, and every row
 * of the table equal to what {@link ExpectedRows} computed in Java, through each live version.
 */
final class ConsistencyCheck {
    /** Where the rerun command must have brought the migration. */
    enum Shape { STARTED, COMPLETED, ROLLED_BACK }

    record Findings(List<String> problems, int rowsChecked, int rowsLost, int rowsWrong) {
        boolean consistent() {
            return problems.isEmpty();
        }

        /** Both checks' problems, {@code other}'s marked with {@code label}; the row counts of the worse. */
        Findings and(String label, Findings other) {
            List<String> all = new ArrayList<>(problems);
            other.problems.forEach(p -> all.add(label + ": " + p));
            return new Findings(List.copyOf(all), Math.max(rowsChecked, other.rowsChecked),
                    Math.max(rowsLost, other.rowsLost), Math.max(rowsWrong, other.rowsWrong));
        }

        static Findings failed(String why) {
            return new Findings(List.of(why), 0, 0, 0);
        }
    }

    private static final int MAX_LISTED = 8;

    private final AccountsFixture f;
    private final Reference reference;
    private final List<String> problems = new ArrayList<>();
    private int rowsChecked;
    private int rowsLost;
    private int rowsWrong;

    private ConsistencyCheck(AccountsFixture f, Reference reference) {
        this.f = f;
        this.reference = reference;
    }

    static Findings of(AccountsFixture f, Shape shape, Reference reference) throws SQLException {
        ConsistencyCheck c = new ConsistencyCheck(f, reference);
        c.state(shape);
        c.catalog(shape);
        c.rows(shape);
        return new Findings(List.copyOf(c.problems), c.rowsChecked, c.rowsLost, c.rowsWrong);
    }

    private void state(Shape shape) throws SQLException {
        String st = f.stateSchema;
        if (f.db.value("SELECT to_regclass('" + st + ".migrations')") == null) {
            if (shape != Shape.ROLLED_BACK) {
                problems.add("no state schema, expected a " + shape + " migration");
            }
            return; // killed before start wrote anything: nothing to undo
        }
        List<List<String>> migrations = f.db.rows("SELECT id, phase, coalesce(last_error, '') FROM " + st + ".migrations"
                + " WHERE name = '" + AccountsFixture.MIGRATION + "' ORDER BY id DESC");
        List<List<String>> active = f.db.rows("SELECT name, phase FROM " + st + ".migrations"
                + " WHERE phase IN ('starting','started','completing','rolling_back')");
        String wantPhase = switch (shape) {
            case STARTED -> "started";
            case COMPLETED -> "completed";
            case ROLLED_BACK -> "rolled_back";
        };
        if (migrations.isEmpty()) {
            if (shape != Shape.ROLLED_BACK) {
                problems.add("no migration recorded, expected " + wantPhase);
            }
            return;
        }
        String id = migrations.get(0).get(0);
        expect("phase", migrations.get(0).get(1), wantPhase);
        expect("last_error", migrations.get(0).get(2), "");
        expect("active migrations", active.toString(), shape == Shape.STARTED ? "[[" + AccountsFixture.MIGRATION + ", started]]" : "[]");
        if (shape != Shape.ROLLED_BACK) {
            steps(id, "start", reference.startSteps()); // a rollback leaves the start step it cut off as running: no check
        }
        if (shape == Shape.COMPLETED) {
            steps(id, "complete", reference.completeSteps());
        }
        if (shape == Shape.ROLLED_BACK) {
            steps(id, "rollback", -1);
        } else {
            expect("unfinished backfills", f.db.value("SELECT count(*) FROM " + st + ".backfills WHERE migration_id = " + id
                    + " AND finished_at IS NULL"), "0");
        }
    }

    /** Every step of {@code phase} recorded done, numbered 0..n-1; {@code count} of them unless -1. */
    private void steps(String id, String phase, int count) throws SQLException {
        List<String> row = f.db.rows("SELECT count(*), count(*) FILTER (WHERE status = 'done'), coalesce(max(seq) + 1, 0) FROM "
                + f.stateSchema + ".steps WHERE migration_id = " + id + " AND phase = '" + phase + "'").get(0);
        if (count >= 0) {
            expect(phase + " steps", row.get(0), String.valueOf(count));
        }
        expect(phase + " steps done", row.get(1), row.get(0));
        expect(phase + " steps numbered without gaps", row.get(2), row.get(0));
    }

    private void catalog(Shape shape) throws SQLException {
        List<String> want = switch (shape) {
            case STARTED -> reference.started();
            case COMPLETED -> reference.completed();
            case ROLLED_BACK -> reference.before();
        };
        List<String> have = f.catalog();
        if (!have.equals(want)) {
            List<String> missing = new ArrayList<>(want);
            missing.removeAll(have);
            List<String> extra = new ArrayList<>(have);
            extra.removeAll(want);
            problems.add("catalog differs from a fault-free run: missing " + limit(missing) + ", unexpected " + limit(extra));
        }
        String invalid = f.db.value("SELECT string_agg(c.relname, ', ') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + f.schema + "' AND NOT i.indisvalid");
        if (invalid != null) {
            problems.add("invalid index left: " + invalid);
        }
    }

    private void rows(Shape shape) throws SQLException {
        switch (shape) {
            case STARTED -> {
                check("new version", f.db.rows("SELECT id, email, email_lower, full_name, balance FROM "
                        + f.versionSchema() + ".accounts"), true);
                check("old version", f.db.rows("SELECT id, email, NULL, name, balance FROM " + f.schema + ".accounts"), false);
            }
            case COMPLETED -> check("table", f.db.rows("SELECT id, email, email_lower, full_name, balance FROM "
                    + f.schema + ".accounts"), true);
            case ROLLED_BACK -> check("table", f.db.rows("SELECT id, email, NULL, name, balance FROM " + f.schema + ".accounts"), false);
        }
    }

    /** @param rows id, email, email_lower, name, balance */
    private void check(String through, List<List<String>> rows, boolean hasLower) {
        Map<Long, ExpectedRows.Row> expected = f.expected.snapshot();
        Set<Long> seen = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        for (List<String> r : rows) {
            long id = Long.parseLong(r.get(0));
            seen.add(id);
            ExpectedRows.Row want = expected.get(id);
            String email = r.get(1);
            boolean ok = want != null && want.emails().contains(email)
                    && (!hasLower || Objects.equals(r.get(2), email.toLowerCase(Locale.ROOT)))
                    && want.name().equals(r.get(3)) && String.valueOf(want.balance()).equals(r.get(4));
            if (!ok) {
                wrong.add(r + (want == null ? " (no such row written)" : " expected " + want));
            }
        }
        List<Long> lost = expected.entrySet().stream().filter(e -> !e.getValue().mayBeAbsent() && !seen.contains(e.getKey()))
                .map(Map.Entry::getKey).sorted().toList();
        rowsChecked = Math.max(rowsChecked, rows.size());
        rowsLost = Math.max(rowsLost, lost.size());
        rowsWrong = Math.max(rowsWrong, wrong.size());
        if (!lost.isEmpty()) {
            problems.add(lost.size() + " row(s) lost through the " + through + ": ids " + limit(lost));
        }
        if (!wrong.isEmpty()) {
            problems.add(wrong.size() + " row(s) wrong through the " + through + ": " + limit(wrong));
        }
    }

    private void expect(String what, String have, String want) {
        if (!Objects.equals(have, want)) {
            problems.add(what + ": " + have + ", expected " + want);
        }
    }

    private static String limit(List<?> items) {
        return items.size() <= MAX_LISTED ? items.toString()
                : items.subList(0, MAX_LISTED) + " and " + (items.size() - MAX_LISTED) + " more";
    }
}
