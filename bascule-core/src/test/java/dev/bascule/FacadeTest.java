package dev.bascule;

import dev.bascule.api.CompleteOutcome;
import dev.bascule.api.Migration;
import dev.bascule.api.PlanView;
import dev.bascule.api.StartOutcome;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The facade as an application uses it: api values in and out, the default complete without arguments. */
class FacadeTest {
    private static final String MIGRATION = """
            operations:
              - add_column:
                  table: users
                  column: {name: email_lower, type: text, nullable: false}
                  up: lower(email)
            """;

    @Test
    void planStartAndTheDefaultComplete() {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE TABLE users (id bigserial PRIMARY KEY, email text)",
                    "INSERT INTO users (email) SELECT 'E' || g || '@X.org' FROM generate_series(1, 500) g", "ANALYZE users");
            Migration m = Migrations.fromText("0001_email_lower.yaml", MIGRATION);
            Bascule b = s.bascule().load();

            PlanView plan = b.plan(m);
            assertThat(plan.versionSchema()).isEqualTo(s.name() + "_0001_email_lower");
            assertThat(plan.tables()).filteredOn(t -> t.name().equals("users")).singleElement().satisfies(t -> {
                assertThat(t.exists()).isTrue();
                assertThat(t.estimatedRows()).isEqualTo(500L);
                assertThat(t.bytes()).isPositive();
            });
            assertThat(plan.start()).extracting(PlanView.Step::type).contains("backfill");
            assertThat(plan.start()).allSatisfy(step -> assertThat(step.stage()).isNotNull());
            assertThat(plan.start().stream().filter(step -> step.type().equals("backfill")).findFirst().orElseThrow()
                    .statements()).last().asString().contains("in batches by (\"id\")");

            assertThat(b.start(m)).isEqualTo(StartOutcome.STARTED);
            assertThat(b.complete()).isEqualTo(CompleteOutcome.COMPLETED);
            assertThat(b.status().active()).isNull();
            assertThat(b.complete()).isEqualTo(CompleteOutcome.NOTHING_TO_COMPLETE);
            assertThat(s.value("SELECT email_lower FROM users WHERE id = 1")).isEqualTo("e1@x.org");
        }
    }
}
