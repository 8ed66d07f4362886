package dev.bascule.bench;

import dev.bascule.testing.ApiFence;
import org.junit.jupiter.api.Test;

import java.util.Set;

/** The benchmark drives Bascule as an application would: through the exported API only. */
class ApiFenceTest {
    @Test
    void usesOnlyTheExportedPackagesOfCore() {
        ApiFence.clientsUseOnlyTheApi("dev.bascule.bench", Set.of()).check(ApiFence.mainClasses("dev.bascule.bench"));
    }
}
