package dev.bascule.testing;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The fence around the library: a client of bascule-core (the CLI, the benchmark, an application)
 * uses what the module exports, {@code dev.bascule} and {@code dev.bascule.api}, and nothing else.
 */
public final class ApiFence {
    /** The packages module-info exports. */
    public static final Set<String> EXPORTED = Set.of("dev.bascule", "dev.bascule.api", "dev.bascule.fleet");

    private ApiFence() {}

    /** The main classes of {@code rootPackage} (a client's own code, not its tests). */
    public static JavaClasses mainClasses(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(rootPackage);
    }

    /**
     * Classes of {@code clientPackage} depend on no core class outside the exported packages.
     *
     * @param stillAllowed core packages the client still reaches into, each a known exception to
     *                     remove (empty when the client is fenced)
     */
    public static ArchRule clientsUseOnlyTheApi(String clientPackage, Set<String> stillAllowed) {
        return noClasses().that().resideInAPackage(clientPackage + "..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are in a package of bascule-core that is not exported",
                        (JavaClass c) -> isCoreInternal(c.getPackageName(), clientPackage, stillAllowed)));
    }

    private static boolean isCoreInternal(String pkg, String clientPackage, Set<String> stillAllowed) {
        if (!pkg.equals("dev.bascule") && !pkg.startsWith("dev.bascule.")) {
            return false; // the JDK, drivers, picocli...
        }
        if (EXPORTED.contains(pkg) || pkg.equals(clientPackage) || pkg.startsWith(clientPackage + ".")) {
            return false;
        }
        return stillAllowed.stream().noneMatch(a -> pkg.equals(a) || pkg.startsWith(a + "."));
    }
}
