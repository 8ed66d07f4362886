package dev.bascule.plan;

import dev.bascule.step.TableEffect;

import dev.bascule.step.Step;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plan is stored as JSON before it runs: a step keeps the effect its operation declared, and a
 * step stored before steps declared one reads back without it.
 */
class StepJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDeclaredEffectIsStoredAndReadBack() throws Exception {
        Step step = new Step.SqlStep("drop version schema v", null, "none on tables", List.of("DROP SCHEMA v"), null, true,
                false, new Step.Declared(TableEffect.CATALOG, "1 statements", new Step.TableName("v", "_bascule_reads"),
                List.of(new Step.TableName("v", "_bascule_reads"))));
        Step build = new Step.IndexBuildStep("build index i", "t", "none", "s", "i", "CREATE INDEX i ON t (c)",
                new Step.Declared(TableEffect.SCAN, "reads every row"));

        assertThat(JSON.readValue(JSON.writeValueAsString(step), Step.class)).isEqualTo(step);
        assertThat(JSON.readValue(JSON.writeValueAsString(build), Step.class)).isEqualTo(build);
    }

    @Test
    void aStepStoredWithoutAnEffectReadsBackWithoutOneAndWritesNone() throws Exception {
        String stored = "{\"type\":\"sql\",\"description\":\"add column t.c\",\"table\":\"t\",\"lock\":\"brief\","
                + "\"statements\":[\"ALTER TABLE t ADD COLUMN c int\"],\"skipIf\":null,\"transactional\":true,\"concurrent\":false}";

        Step step = JSON.readValue(stored, Step.class);

        assertThat(step.effect()).isNull();
        assertThat(JSON.writeValueAsString(step)).doesNotContain("effect");
    }

    @Test
    void aBackfillDeclaresItsBatchedWritesByItsTypeAndStoresNoEffect() throws Exception {
        Step backfill = new Step.BackfillStep("backfill t", "t", "rows", "s", List.of(new Step.KeyColumn("id", "int")),
                List.of());

        assertThat(backfill.effect().kind()).isEqualTo(TableEffect.BATCHED_WRITES);
        assertThat(JSON.writeValueAsString(backfill)).doesNotContain("effect");
        assertThat(JSON.readValue(JSON.writeValueAsString(backfill), Step.class)).isEqualTo(backfill);
    }
}
