package dev.bascule.lint;

import java.util.EnumSet;
import java.util.Set;

/**
 * The rules one statement broke, and the findings that depend on the script around it (a transaction open, timeouts
 * set, how many statements change something), shared by the rule classes that look at parts of the statement.
 */
final class StatementFindings {
    final StatementRules.Context ctx;
    final Set<Rule> found = EnumSet.noneOf(Rule.class);

    StatementFindings(StatementRules.Context ctx) {
        this.ctx = ctx;
    }

    void add(Rule rule) {
        found.add(rule);
    }

    void concurrently() {
        if (ctx.inTransaction) found.add(Rule.CONCURRENT_IN_TRANSACTION);
    }

    /** A statement that fails when run again, in a script of several run statement by statement (autocommit). */
    void notRetryable() {
        if (!ctx.inTransaction && ctx.effectfulStatements >= 2) found.add(Rule.NOT_RETRYABLE);
    }

    /** The statement takes ACCESS EXCLUSIVE (or SHARE) on an existing table: it needs a lock timeout. */
    void exclusive() {
        if (!ctx.lockTimeout && ctx.reportedOnce.add(Rule.LOCK_TIMEOUT_MISSING)) found.add(Rule.LOCK_TIMEOUT_MISSING);
    }

    /** Reported once per script, like the lock timeout: one SET covers every later statement. */
    void statementOnExistingTable() {
        if (!ctx.statementTimeout && ctx.reportedOnce.add(Rule.STATEMENT_TIMEOUT_MISSING)) found.add(Rule.STATEMENT_TIMEOUT_MISSING);
    }
}
