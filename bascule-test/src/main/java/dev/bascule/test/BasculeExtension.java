package dev.bascule.test;

import dev.bascule.api.Migration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.time.Duration;
import java.util.TreeMap;

/**
 * The extension behind {@link BasculeTest}: gives each test method (or lifecycle method) a
 * {@link MigrationUnderTest} of its own, closed, with its schema dropped, when the test ends.
 */
public final class BasculeExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BasculeExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MigrationUnderTest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        BasculeTest test = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), BasculeTest.class)
                .orElseThrow(() -> new ParameterResolutionException("MigrationUnderTest needs @BasculeTest on the test class"));
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : context.getRequiredTestClass().getClassLoader();
        TreeMap<String, Migration> migrations = MigrationLocations.read(test.locations(), loader);
        // one per test: the store closes it when the test's context ends
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Handle.class,
                k -> new Handle(new MigrationUnderTest(Servers.of(test), migrations, Duration.ofMillis(test.quietTimeMillis()))),
                Handle.class).migration;
    }

    private record Handle(MigrationUnderTest migration) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            migration.close();
        }
    }
}
