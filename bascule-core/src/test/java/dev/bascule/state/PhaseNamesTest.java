package dev.bascule.state;

import dev.bascule.api.MigrationStatus;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The API names the phases the state schema records, without exposing the record's enum. */
class PhaseNamesTest {
    @Test
    void theApiListsEveryRecordedPhaseInOrder() {
        assertThat(MigrationStatus.PHASES)
                .containsExactlyElementsOf(Arrays.stream(MigrationRecord.Phase.values()).map(MigrationRecord.Phase::dbName).toList());
    }
}
