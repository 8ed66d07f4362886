package dev.bascule.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.bascule.testing.ApiFence;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The packages of bascule-core by capability, with no cycle between them. */
class ArchitectureTest {
    private static final JavaClasses CORE = ApiFence.mainClasses("dev.bascule");

    /** One slice per package: the facade ({@code dev.bascule}) and each package below it, sub-packages included. */
    private static final SliceAssignment CAPABILITIES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
            if (pkg.equals("dev.bascule")) {
                return SliceIdentifier.of("facade");
            }
            if (!pkg.startsWith("dev.bascule.")) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(pkg.substring("dev.bascule.".length()));
        }

        @Override
        public String getDescription() {
            return "capabilities of bascule-core";
        }
    };

    @Test
    void noCycleBetweenCapabilities() {
        slices().assignedFrom(CAPABILITIES).should().beFreeOfCycles()
                .check(CORE);
    }

    /**
     * What the exported packages show (public and protected members of their public types) names only
     * the exported packages and the JDK: a client never has to import an internal type.
     */
    @Test
    void theExportedApiNamesNoInternalType() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members()
                .that().areDeclaredInClassesThat(describe("public types of the exported packages",
                        (JavaClass c) -> ApiFence.EXPORTED.contains(c.getPackageName()) && c.getModifiers()
                                .contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)))
                .and(describe("public or protected", (com.tngtech.archunit.core.domain.JavaMember m) ->
                        m.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
                                || m.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PROTECTED)))
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaMember>(
                        "name only exported or JDK types in their signatures") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaMember member,
                                      com.tngtech.archunit.lang.ConditionEvents events) {
                        for (JavaClass t : signatureTypes(member)) {
                            String pkg = t.getPackageName();
                            if ((pkg.equals("dev.bascule") || pkg.startsWith("dev.bascule.")) && !ApiFence.EXPORTED.contains(pkg)) {
                                events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(member,
                                        member.getFullName() + " names " + t.getName()));
                            }
                        }
                    }
                })
                .check(CORE);
    }

    private static java.util.Set<JavaClass> signatureTypes(com.tngtech.archunit.core.domain.JavaMember member) {
        java.util.Set<JavaClass> types = new java.util.HashSet<>();
        if (member instanceof com.tngtech.archunit.core.domain.JavaField f) {
            types.addAll(f.getType().getAllInvolvedRawTypes());
        } else if (member instanceof com.tngtech.archunit.core.domain.JavaCodeUnit u) {
            types.addAll(u.getReturnType().getAllInvolvedRawTypes());
            u.getParameterTypes().forEach(p -> types.addAll(p.getAllInvolvedRawTypes()));
        }
        return types;
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> inPackage(String pkg) {
        return describe("in " + pkg + "..", c -> c.getPackageName().equals(pkg) || c.getPackageName().startsWith(pkg + "."));
    }
}
