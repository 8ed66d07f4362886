package dev.bascule.test;

import dev.bascule.testing.ApiFence;
import org.junit.jupiter.api.Test;

import java.util.Set;

/** bascule-test drives Bascule as an application would: through the exported API only. */
class ApiFenceTest {
    @Test
    void usesOnlyTheExportedPackagesOfCore() {
        ApiFence.clientsUseOnlyTheApi("dev.bascule.test", Set.of()).check(ApiFence.mainClasses("dev.bascule.test"));
    }
}
