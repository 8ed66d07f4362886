package dev.bascule.operations;

import dev.bascule.plan.Plan;
import dev.bascule.plan.PlannedStep;
import dev.bascule.step.Step;
import dev.bascule.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.bascule.testing.Scenario.migration;
import static org.assertj.core.api.Assertions.assertThat;

/** Every ALTER MariaDB runs is INSTANT or INPLACE with LOCK=NONE, and the plan says which, with its lock. */
class MariaDbAlgorithmsTest {
    static final String USERS = "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NOT NULL, email varchar(100) NOT NULL)";

    @Test
    void planStatesTheAlgorithmOfEveryAlterAndTheLock() throws Exception {
        try (TestDb db = TestDb.mariadb()) {
            db.exec(USERS, "INSERT INTO users VALUES (1, 'ann', 'a@x.org')");
            Plan plan = dev.bascule.BasculeInternals.plan(db.bascule().load(), migration("""
                    operations:
                      - add_column: {table: users, column: {name: domain, type: varchar(100), nullable: false}, up: "lower(email)"}
                      - add_column: {table: users, column: {name: seen, type: datetime, nullable: false}, up: "now()"}
                      - rename_column: {table: users, from: name, to: full_name}
                      - create_index: {name: users_email_idx, table: users, columns: [email]}
                      - drop_column: {table: users, column: email, down: "'?'"}
                    """));
            List<String> alters = new ArrayList<>();
            List<Step> steps = new ArrayList<>(plan.start().stream().map(PlannedStep::action).toList());
            steps.addAll(plan.validations());
            steps.addAll(plan.complete());
            for (Step s : steps) {
                // a rename is one statement of parts, one a line, under the version's view's lock
                if (s instanceof Step.SqlStep sql) sql.statements().stream()
                        .flatMap(t -> java.util.Arrays.stream(t.replaceFirst("^/\\*[^\n]*\\*/\n", "").split(";\n")))
                        .filter(t -> t.startsWith("ALTER TABLE")).forEach(alters::add);
                if (s instanceof Step.IndexBuildStep ix) alters.add(ix.create());
            }
            assertThat(alters).isNotEmpty().allMatch(a -> a.contains("ALGORITHM=INSTANT") || a.contains("ALGORITHM=INPLACE, LOCK=NONE"));
            // NOT NULL at once (existing rows hold '' until the backfill): no NOT NULL rebuild at complete
            // hidden from old code's SELECT * and positional inserts until complete shows it, without the placeholder
            assertThat(alters).anyMatch(a -> a.contains("ADD COLUMN IF NOT EXISTS `domain` varchar(100) NOT NULL DEFAULT ('')"
                    + " INVISIBLE, ALGORITHM=INSTANT"));
            List<String> complete = plan.complete().stream().flatMap(st -> st instanceof Step.SqlStep q ? q.statements().stream()
                    : java.util.stream.Stream.<String>empty()).toList();
            assertThat(complete).anyMatch(st -> st.startsWith("BEGIN NOT ATOMIC") && st.contains("MODIFY COLUMN `domain`")
                    && !st.contains("COLUMN_DEFAULT"));
            // the columns are shown last, then the sync triggers go: they fill old code's rows to the end
            assertThat(complete.stream().filter(st -> st.startsWith("BEGIN NOT ATOMIC")).reduce((a, b) -> b).orElseThrow())
                    .contains("MODIFY COLUMN `seen`");
            assertThat(complete.subList(complete.size() - 2, complete.size())).allMatch(st -> st.startsWith("DROP TRIGGER IF EXISTS"));
            assertThat(plan.complete().get(plan.complete().size() - 1).description()).isEqualTo("drop sync trigger on users");
            assertThat(alters).noneMatch(a -> a.contains("MODIFY COLUMN `domain`"));
            assertThat(alters).anyMatch(a -> a.contains("ADD INDEX IF NOT EXISTS `users_email_idx` (`email`), ALGORITHM=INPLACE, LOCK=NONE"));
            assertThat(alters).anyMatch(a -> a.contains("MODIFY COLUMN `seen` datetime NOT NULL, ALGORITHM=INPLACE, LOCK=NONE"));
            assertThat(alters).anyMatch(a -> a.contains("RENAME COLUMN `name` TO `full_name`, ALGORITHM=INSTANT"));
            assertThat(steps).filteredOn(s -> s instanceof Step.IndexBuildStep)
                    .allMatch(s -> s.lock().startsWith("ALGORITHM=INPLACE, LOCK=NONE"));
            // the views are made again over the renamed column right after complete has renamed it,
            // before the steps that may take long (the NOT NULL rebuild of a datetime with no default)
            List<String> contract = plan.complete().stream().map(Step::description).toList();
            int rename = contract.indexOf(contract.stream().filter(d -> d.startsWith("rename column")).findFirst().orElseThrow());
            assertThat(contract.get(rename + 1)).startsWith("re-create the views");
            assertThat(contract.stream().filter(d -> d.startsWith("re-create the views"))).hasSize(1);
        }
    }
}
