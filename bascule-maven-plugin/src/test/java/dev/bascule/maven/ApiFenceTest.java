package dev.bascule.maven;

import dev.bascule.testing.ApiFence;
import org.junit.jupiter.api.Test;

import java.util.Set;

/** bascule-maven-plugin drives Bascule as an application would: through the exported API only. */
class ApiFenceTest {
    @Test
    void usesOnlyTheExportedPackagesOfCore() {
        ApiFence.clientsUseOnlyTheApi("dev.bascule.maven", Set.of()).check(ApiFence.mainClasses("dev.bascule.maven"));
    }
}
