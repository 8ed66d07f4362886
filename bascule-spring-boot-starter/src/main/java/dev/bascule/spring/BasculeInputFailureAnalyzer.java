package dev.bascule.spring;

import dev.bascule.api.InvalidMigrationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Bad input to Bascule (bascule.yaml, a migration file, a bascule.* property) as Spring Boot's
 * "APPLICATION FAILED TO START" report: the message names file, line and key, and a stack trace of
 * bean creation would only bury it. Nothing was changed on the database when it is thrown.
 */
class BasculeInputFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMigrationException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidMigrationException cause) {
        return new FailureAnalysis("Bascule refused its input, and changed nothing on the database: " + cause.getMessage(),
                "Correct the place the message names: bascule.yaml (bascule.config), a migration under bascule.locations,"
                        + " or a bascule.* property.", cause);
    }
}
