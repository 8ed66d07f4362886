package dev.bascule.api;

/** What rollback did. */
public enum RollbackOutcome { ROLLED_BACK, NOTHING_TO_ROLL_BACK }
