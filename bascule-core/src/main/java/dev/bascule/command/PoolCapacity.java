package dev.bascule.command;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.util.List;
import java.util.OptionalInt;

/**
 * The most connections a DataSource gives at once, as its connection pool reports it. JDBC has
 * no such notion, so the pools in common use are read by their own getters; a DataSource none of
 * them describes (a plain driver DataSource opens as many connections as asked) is unbounded here.
 */
final class PoolCapacity {
    private PoolCapacity() {}

    /** Each pool's getter for its maximum size; zero or less means unbounded in all of them. */
    private static final List<String> MAXIMUM_GETTERS = List.of(
            "getMaximumPoolSize", // HikariCP
            "getMaxTotal",        // Apache Commons DBCP 2
            "getMaxActive",       // Tomcat JDBC pool, Commons DBCP 1
            "getMaxPoolSize",     // c3p0, Oracle UCP
            "getPoolMaxSize");    // Vibur DBCP
    /** Spring's DelegatingDataSource (and its lazy or transaction-aware subclasses) around the pool. */
    private static final String TARGET_GETTER = "getTargetDataSource";
    private static final int MAX_WRAPPERS = 4;

    /** The pool's maximum size, or empty when {@code ds} does not say. */
    static OptionalInt maximum(DataSource ds) {
        Object current = ds;
        for (int depth = 0; current != null && depth <= MAX_WRAPPERS; depth++) {
            for (String getter : MAXIMUM_GETTERS) {
                Object size = call(current, getter);
                if (size instanceof Integer n) {
                    return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
                }
            }
            current = call(current, TARGET_GETTER);
        }
        return OptionalInt.empty();
    }

    /** A public no-argument getter's value, or null when there is none or it fails. */
    private static Object call(Object target, String getter) {
        try {
            Method m = target.getClass().getMethod(getter);
            return m.getParameterCount() == 0 ? m.invoke(target) : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
