package dev.bascule.example;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * When a transaction's statement fails and its rollback fails too (HikariCP closed the connection
 * the statement's error broke), Spring throws the rollback's exception and only logs the
 * statement's. This appender (see logback-test.xml) keeps that logged error for the thread that
 * hit it, so {@link Traffic} counts the failure under its real cause.
 */
public final class RollbackOverrides extends AppenderBase<ILoggingEvent> {
    private static final ThreadLocal<String> LAST = new ThreadLocal<>();

    @Override
    protected void append(ILoggingEvent event) {
        IThrowableProxy t = event.getThrowableProxy();
        if (t == null || !event.getFormattedMessage().startsWith("Application exception overridden by rollback exception")) {
            return;
        }
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        String simpleName = t.getClassName().substring(t.getClassName().lastIndexOf('.') + 1);
        LAST.set(simpleName + ": " + message);
    }

    /** The statement's error this thread's last failed rollback hid, if any; cleared. */
    static String take() {
        String last = LAST.get();
        LAST.remove();
        return last;
    }
}
